"""The ingest benchmark still runs (at a tiny size) and its pushdown/pull-all comparison
catches a wrong number; its timings are not asserted."""

from __future__ import annotations

from pathlib import Path

import pytest

from benchmarks.ingest import check_same, main
from connectors.base import ReadResult, ValueRow
from indicators.registry import load_catalog
from tests.benchmark_run import run_benchmark


def test_harness_reports_connectors_against_their_floors(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["--rows", "3000", "--xlsx-rows", "300", "--scale", "small", "--backend", "sqlite"]
    report = run_benchmark(main, args, tmp_path, capsys)
    assert {"commit", "machine", "repeat"} <= set(report)
    for kind, rows in (("csv", 3000), ("xlsx", 300)):
        table = report["files"][kind]
        assert table["rows"] == rows
        assert rows < table["values"] <= 3 * rows  # 3 mapped columns, "—" in 1949
        assert {"median_s", "min_s", "peak_mib", "rows_per_s"} <= set(table["connector"])
        assert table["ratio_median"] > 0
    sqlite = report["sql"]["backends"]["sqlite"]
    assert report["sql"]["scale"] == "small"
    assert (
        sqlite["pull_all"]["rows"] > sqlite["work_orders"] > 10 * sqlite["pushdown"]["result_rows"]
    )
    assert sqlite["values_compared"] > 0
    assert sqlite["ratio_median"] > 0


def test_pushdown_and_pull_all_must_agree() -> None:
    deployment = load_catalog().catalog.deployment
    rows = [ValueRow("SVC_HOTLINE_ACCEPTED", "2026-10", d.code, 7) for d in deployment.districts]
    assert check_same(ReadResult(rows=rows), keyed(rows), deployment) == len(rows)

    off_by_one = {**keyed(rows), ("SVC_HOTLINE_ACCEPTED", "2026-10", "binjiang"): 8.0}
    with pytest.raises(AssertionError, match="differ in 1 values"):
        check_same(ReadResult(rows=rows), off_by_one, deployment)
    with pytest.raises(AssertionError, match="no monthly accepted count compared"):
        check_same(ReadResult(rows=rows[1:]), keyed(rows[1:]), deployment)


def keyed(rows: list[ValueRow]) -> dict[tuple[str, str, str], float]:
    return {(r.indicator_code, r.period, r.area): r.value for r in rows}
