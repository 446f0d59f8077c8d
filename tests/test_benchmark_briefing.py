"""The briefing benchmark still runs (at a tiny size: a few charts, one table, one run) and
reports every stage, block kind and share; its timings are not asserted."""

from __future__ import annotations

from pathlib import Path

import pytest

from benchmarks.briefing import STAGES, main
from tests.benchmark_run import run_benchmark


def test_reports_stages_shares_pages_and_floor(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["--values", "20000", "--charts", "3", "--tables", "1"]
    report = run_benchmark(main, args, tmp_path, capsys)
    assert report["charts"] == {"trend": 1, "yoy": 1, "districts": 1}
    assert report["month"] == "2026-10"
    sqlite = report["sqlite"]
    assert sqlite["values"] == 20000
    assert sqlite["pages"] > 1
    assert sqlite["floor_pages"] == 1
    assert sqlite["pdf_bytes"] > 0 and sqlite["docx_bytes"] > 0
    assert 0 < sqlite["svg_calls"] <= 3
    assert set(sqlite["stages"]) == set(STAGES)
    assert {"chart", "kpi_table", "headline", "narrative", "data_notes"} <= set(sqlite["blocks"])
    for figures in [*sqlite["stages"].values(), *sqlite["blocks"].values()]:
        assert {"median_s", "min_s"} == set(figures)
    for share in ("share_outside_weasyprint", "share_chart_svg"):
        assert 0 < sqlite[share] < 1
    assert sqlite["pdf_over_floor"] > 0
