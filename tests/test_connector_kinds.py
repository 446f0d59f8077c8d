"""Every connector kind the package declares has its own test file and a section in
docs/connectors.md, and builds from the registry the way a site's own kind would."""

from __future__ import annotations

from importlib.metadata import entry_points
from pathlib import Path

import pytest

from connectors.registry import ENTRY_POINT_GROUP, load_kinds

ROOT = Path(__file__).parents[1]
DECLARED = sorted(entry.name for entry in entry_points(group=ENTRY_POINT_GROUP))


def test_the_built_in_kinds_are_declared_as_entry_points() -> None:
    assert {"files", "sql", "http", "manual"} <= set(DECLARED)


@pytest.mark.parametrize("kind", DECLARED)
def test_each_kind_has_a_test_file_and_a_docs_section(kind: str) -> None:
    assert (ROOT / "tests" / f"test_{kind}_connector.py").exists()
    assert f"\n## `{kind}`\n" in (ROOT / "docs" / "connectors.md").read_text(encoding="utf-8")
    registered = load_kinds()[kind]
    assert registered.description and registered.options_model.model_fields
