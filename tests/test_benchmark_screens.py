"""The screens benchmark still runs (at a tiny size) and the screens it times have figures;
its timings are not asserted."""

from __future__ import annotations

from pathlib import Path

import pytest

from benchmarks.screens import COLD, WARM, main
from tests.benchmark_run import run_benchmark


def test_harness_reports_cold_and_warm_screens_and_floor(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    report = run_benchmark(main, ["--values", "5000", "--backend", "sqlite"], tmp_path, capsys)
    assert report["cold_screen"]["screen"] == "overview"
    sqlite = report["backends"]["sqlite"]
    assert sqlite["values"] == 5000
    assert sqlite["rows_read"] == sqlite["floor"]["rows"] > 0
    assert set(sqlite["cold"]["stages"]) == set(COLD)
    assert set(sqlite["warm"]["stages"]) == set(WARM)
    assert {"median_s", "min_s"} <= set(sqlite["cold"]) & set(sqlite["warm"])
    assert sqlite["ratio_median"] > 0
    for screen in ("overview", "domain"):
        shown = sqlite[screen]
        assert 0 < shown["tiles_with_figures"] <= shown["tiles"]
        assert shown["map_districts_with_figures"] > 0
