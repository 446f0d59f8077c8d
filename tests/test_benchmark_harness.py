"""The overview benchmark still runs (at a tiny size); its timings are not asserted."""

from __future__ import annotations

from pathlib import Path

import pytest

from benchmarks.overview import main
from tests.benchmark_run import run_benchmark


def test_harness_reports_overview_and_floor(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    report = run_benchmark(main, ["--values", "5000", "--backend", "sqlite"], tmp_path, capsys)
    sqlite = report["backends"]["sqlite"]
    assert sqlite["values"] == 5000
    assert sqlite["floor"]["rows"] > 0
    assert 0 < sqlite["indicators_in_overview"] <= 290
    assert {"median_s", "min_s"} <= set(sqlite["overview"])
