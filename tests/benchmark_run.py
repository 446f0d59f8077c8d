"""Running a benchmark's command line at a tiny size, as its smoke tests do."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest


def run_benchmark(
    main: Callable[[list[str]], Any],
    args: list[str],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> dict[str, Any]:
    """Run once with `args`; the report it prints must be the JSON file it writes."""
    out = tmp_path / "report.json"
    main([*args, "--repeat", "1", "--json-out", str(out)])
    report = json.loads(out.read_text(encoding="utf-8"))
    assert json.loads(capsys.readouterr().out) == report
    return report
