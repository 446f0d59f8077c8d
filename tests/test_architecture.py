"""The intended flow holds: indicators imports none of the others; connectors and reports do
not import each other; only cockpit (pages, CLI) sits on top of all of them."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[1]
FORBIDDEN = {
    "indicators": {"cockpit", "connectors", "reports", "sample_data", "streamlit"},
    "connectors": {"cockpit", "reports", "sample_data", "streamlit"},
    "reports": {"cockpit", "connectors", "sample_data", "streamlit"},
    # The sample city writes what bureaus deliver; it may reuse a connector's template
    # layout, but no surface.
    "sample_data": {"cockpit", "reports", "streamlit"},
}


def imported_packages(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


@pytest.mark.parametrize("package", sorted(FORBIDDEN))
def test_package_imports_stay_in_their_lane(package: str) -> None:
    offending = {
        str(path.relative_to(ROOT)): sorted(imported_packages(path) & FORBIDDEN[package])
        for path in (ROOT / package).rglob("*.py")
    }
    assert {k: v for k, v in offending.items() if v} == {}


def test_the_rule_catches_a_violation(tmp_path: Path) -> None:
    bad = tmp_path / "bad.py"
    bad.write_text("from cockpit.cli import app\nimport streamlit as st\n", encoding="utf-8")
    assert imported_packages(bad) & FORBIDDEN["indicators"] == {"cockpit", "streamlit"}
