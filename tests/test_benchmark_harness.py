"""The overview benchmark still runs (at a tiny size); its timings are not asserted."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from benchmarks.overview import main


def test_harness_reports_overview_and_floor(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "bench.json"
    main(["--values", "5000", "--backend", "sqlite", "--repeat", "1", "--json-out", str(out)])
    report = json.loads(out.read_text(encoding="utf-8"))
    assert json.loads(capsys.readouterr().out) == report
    sqlite = report["backends"]["sqlite"]
    assert sqlite["values"] == 5000
    assert sqlite["floor"]["rows"] > 0
    assert 0 < sqlite["indicators_in_overview"] <= 290
    assert {"median_s", "min_s"} <= set(sqlite["overview"])
