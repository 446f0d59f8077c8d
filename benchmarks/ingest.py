"""Benchmarks of reading sources: the `files` connector against pandas, and the `sql`
connector's pushdown against pulling every work order into pandas.

Files: one long statistics-bureau table (title and 单位 lines, 时期 and 地区 columns, 当月 and
累计 heads, 万元, GB18030 CSV) read by the connector into ValueRows, next to the floor,
`pandas.read_csv` of the same file into a DataFrame; the same for a smaller .xlsx against
`pandas.read_excel`. The ratio says what our per-cell work (folding, periods, areas, units,
rejections) costs over plain parsing.

SQL: the sample 12345 database (over a million work orders at full scale) read by the
configured hotline_db queries, grouped in the database, next to `SELECT` of every order into
pandas and the same aggregates by groupby. Both must give the same values, else it fails.

    .venv/bin/python -m benchmarks.ingest --rows 500000 --scale full --backend sqlite
"""

from __future__ import annotations

import argparse
import csv
import math
import statistics
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, Generic, TypeVar

import numpy as np
import openpyxl
import pandas as pd
from openpyxl import Workbook
from rich.console import Console
from sqlalchemy import Engine, create_engine, text

from benchmarks.harness import (
    commit,
    database_version,
    emit,
    fresh_schema,
    machine,
    peak_rss,
    summary,
    timed,
)
from connectors.base import ReadResult, SourceContext, no_progress
from connectors.config import load_sources
from connectors.registry import build_connector
from connectors.sql import Query, SqlOptions
from connectors.tables import with_window
from indicators.model import Deployment, Frequency
from indicators.periods import Period, period_range
from indicators.registry import Catalog, load_catalog
from sample_data import bulk, hotline
from sample_data.model import CityModel
from sample_data.plan import Scale
from sample_data.stats_files import MISSING, NOTE, SOURCES_FILE
from sample_data.targets import VOLUME

TODAY = date(2026, 11, 25)  # fixed, so runs on different days measure the same thing
SEED = 2026  # the sample city's default seed (`cockpit sample`)
SCHEMA = "bench_ingest"
console = Console(stderr=True, log_path=False)
Key = tuple[str, str, str]  # (indicator, period, area), as a ValueRow is keyed
T = TypeVar("T")


@dataclass(frozen=True)
class Measured(Generic[T]):
    """One step measured: its timed runs, its warm-up's peak memory, its last result."""

    seconds: list[float]
    peak_mib: float | None
    result: T

    @property
    def figures(self) -> dict[str, float | None]:
        return {**summary(self.seconds), "peak_mib": self.peak_mib}


def measured(fn: Callable[[], T], repeat: int) -> Measured[T]:
    """Peak memory in the warm-up run, then `repeat` timed runs."""
    peak, _ = peak_rss(fn)
    seconds, result = timed(fn, repeat, warm_up=False)
    return Measured(seconds, peak, result)


def _ratio(numerator: list[float], denominator: list[float]) -> float:
    return round(statistics.median(numerator) / statistics.median(denominator), 2)


def _rate(rows: int, seconds: list[float]) -> int:
    return round(rows / statistics.median(seconds))


# --- files --------------------------------------------------------------------------------
TITLE = "新河市规模以上工业主要指标（历年逐月）"
OUTPUT, GROWTH = "工业总产值", "工业增加值增速（%）"
HEADER = [
    "地区",
    "时期",
    *(with_window(head, window) for head in (OUTPUT, GROWTH) for window in ("当月", "累计")),
]
READ_COLUMNS = (3, 4, 5)  # 累计 output, 当月 and 累计 growth: what the mapping below reads


def file_table(files: str) -> dict[str, Any]:
    """The table as a site would configure it (sources.yaml `tables` entry)."""
    return {
        "name": "规模以上工业主要指标",
        "files": files,
        "area_column": "地区",
        "period": "column",
        "period_column": "时期",
        "columns": [
            {"head": OUTPUT, "indicator": "ECO_IND_OUTPUT"},
            {"head": GROWTH, "indicator": "ECO_IND_VA_GROWTH_M", "window": "period"},
            {"head": GROWTH, "indicator": "ECO_IND_VA_GROWTH_YTD", "window": "ytd"},
        ],
    }


def table_rows(catalog: Catalog, n: int, seed: int = SEED) -> list[list[object]]:
    """`n` body rows: each area (全市 first) for every month from 1949 to the latest complete
    one, January merged into 1-2月 as the bureau publishes these indicators. Past that
    history (7,704 rows) the periods repeat: the connector neither merges nor deduplicates,
    so a row costs the same either way. 增速 is "—" in 1949, which has no year to compare."""
    areas = ["全市", *(area.name_zh for area in catalog.deployment.districts)]
    months = [
        p
        for p in period_range(Period.month(1949, 1), Period.latest_complete(Frequency.month, TODAY))
        if p.index != 1
    ]
    block = [(p, area) for p in months for area in areas]
    rng = np.random.default_rng(seed)
    level = rng.uniform(2e5, 2e6, len(block))  # 万元 a month: 20–200 亿元
    monthly = np.rint(np.resize(level, n) * rng.uniform(0.9, 1.1, n)).astype(np.int64)
    growth = np.round(rng.normal(6.0, 2.5, (n, 2)), 1)
    rows: list[list[object]] = []
    for i in range(n):
        period, area = block[i % len(block)]
        base = int(monthly[i])
        merged = period.index == 2  # 1-2月: two months in one figure
        label = f"{period.year}年1-2月" if merged else period.label_zh()
        rates: list[object] = [MISSING, MISSING] if period.year == 1949 else growth[i].tolist()
        rows.append([area, label, base * (2 if merged else 1), base * period.index, *rates])
    return rows


def write_table(path: Path, rows: Sequence[list[object]]) -> None:
    """The table as the bureau delivers it: title, 单位 line, header, rows, closing note."""
    lines = [[TITLE], ["单位：万元、%"], HEADER, *rows, [NOTE]]
    if path.suffix == ".csv":
        with path.open("w", encoding="gb18030", newline="") as handle:
            csv.writer(handle).writerows(lines)
        return
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("规模以上工业主要指标")
    for line in lines:
        sheet.append(line)
    workbook.save(path)


def read_floor(path: Path) -> pd.DataFrame:
    """The floor: pandas parsing the same file into a DataFrame, nothing more."""
    if path.suffix == ".csv":
        return pd.read_csv(path, encoding="gb18030", skiprows=2)
    return pd.read_excel(path, skiprows=2, engine="openpyxl")


def run_file(
    catalog: Catalog, path: Path, rows: Sequence[list[object]], repeat: int
) -> dict[str, Any]:
    """Write `rows` to `path`, then time the connector and the pandas floor reading it."""
    write_table(path, rows)
    connector = build_connector("files", {"tables": [file_table(path.name)]}, "bench_files")
    context = SourceContext(catalog, path.parent)
    console.log(f"timing the connector and pandas on {len(rows):,} rows of {path.suffix}")
    # The smaller peak first: peak_rss misses memory an earlier, bigger call left behind.
    floor = measured(lambda: read_floor(path), repeat)
    read = measured(lambda: connector.read(context, no_progress), repeat)
    result, frame = read.result, floor.result
    values = sum(not isinstance(row[c], str) for row in rows for c in READ_COLUMNS)
    if result.rejections or result.rows_read != len(rows) or len(result.rows) != values:
        raise AssertionError(
            f"{path.name}: the connector read {result.rows_read} rows into {len(result.rows)} "
            f"values with {len(result.rejections)} rejections; {len(rows)} rows of {values} "
            "values were written"
        )
    if len(frame) != len(rows) + 1:  # + the closing note
        raise AssertionError(f"{path.name}: pandas parsed {len(frame)} rows of {len(rows) + 1}")
    return {
        "rows": len(rows),
        "bytes": path.stat().st_size,
        "values": values,
        "connector": {**read.figures, "rows_per_s": _rate(len(rows), read.seconds)},
        "floor": {**floor.figures, "rows_per_s": _rate(len(rows), floor.seconds)},
        "ratio_median": _ratio(read.seconds, floor.seconds),
    }


# --- SQL ----------------------------------------------------------------------------------
TIMES = ("accepted_at", "first_dispatched_at", "feedback_due_at", "first_feedback_at", "closed_at")
ORDER_COLUMNS = (
    *TIMES,
    *("district_code", "is_merged_duplicate", "urgency", "dispatch_hops", "returned"),
    *("dispatch_target", "status", "reopen_count", "revisit_result", "deferred_seconds"),
    "category_l1",
)  # every column the configured queries use
REVISITED, SATISFIED = ("satisfied", "basic", "unsatisfied"), ("satisfied", "basic")


def hotline_queries() -> SqlOptions:
    return SqlOptions.model_validate(load_sources(SOURCES_FILE).get(hotline.SOURCE).options)


def write_hotline(model: CityModel, scale: Scale, url: str) -> float:
    """Fill the 12345 database at `url` with the sample's plan and writer (the same counts as
    `cockpit sample`); return the seconds taken. The other sample databases play no part.
    ANALYZE gives the planner the statistics a live database (autovacuum) would have."""
    engine = bulk.open_database(url)
    start = time.perf_counter()
    try:
        with engine.begin() as conn:
            plan = hotline.plan(model, VOLUME[scale])
            rng = np.random.default_rng(model.seed)
            hotline.write(conn, model, plan, rng, no_progress)
            conn.execute(text("ANALYZE"))
    finally:
        engine.dispose()
    return time.perf_counter() - start


def pull_all(engine: Engine) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Every work order (the columns the queries use) and every ACD interval, into pandas."""
    with engine.connect() as conn:
        orders = pd.read_sql(
            text(f"SELECT {', '.join(ORDER_COLUMNS)} FROM work_orders"),
            conn,
            parse_dates=list(TIMES),
        )
        calls = pd.read_sql(
            text("SELECT interval_start, queue_calls, answered_calls FROM acd_intervals"),
            conn,
            parse_dates=["interval_start"],
        )
    return orders, calls


def aggregate(orders: pd.DataFrame, calls: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """What each configured query returns, computed by pandas: query name → its result,
    indexed by (period, district) or by period, with the query's column names."""
    live = orders[orders["is_merged_duplicate"] == 0]
    accepted, dispatched = live["accepted_at"], live["first_dispatched_at"]
    closed = live["status"].eq("closed")
    limit = np.where(live["urgency"].eq("urgent"), 1800, 7200)
    handling = (live["closed_at"] - accepted).dt.total_seconds() - live["deferred_seconds"]
    by_acceptance = pd.DataFrame(
        {
            "period": accepted.dt.to_period("M"),
            "district": live["district_code"],
            "accepted": 1,
            "dispatched": dispatched.notna(),
            "dispatched_instant": (dispatched - accepted).dt.total_seconds() <= limit,
            "direct": live["dispatch_hops"].eq(1) & live["returned"].eq(0),
            "closed": closed,
            "first_closed": closed & live["reopen_count"].eq(0) & live["returned"].eq(0),
            "revisited": closed & live["revisit_result"].isin(REVISITED),
            "satisfied": closed & live["revisit_result"].isin(SATISFIED),
            "handling_seconds": handling.where(closed, 0),
            "disputes": live["category_l1"].eq(hotline.DISPUTE_L1),
            "environment": live["category_l1"].eq(hotline.ENVIRONMENT_L1),
        }
    )
    sent = live[dispatched.notna()]
    by_dispatch = pd.DataFrame(
        {
            "period": sent["first_dispatched_at"].dt.to_period("M"),
            "district": sent["district_code"],
            "to_grid": sent["dispatch_target"].eq("grid"),
        }
    )
    due = sent[sent["feedback_due_at"].notna()]
    by_deadline = pd.DataFrame(
        {
            "period": due["feedback_due_at"].dt.to_period("M"),
            "district": due["district_code"],
            "feedback_due": 1,
            "feedback_on_time": due["first_feedback_at"] <= due["feedback_due_at"],
        }
    )
    by_day = pd.DataFrame(
        {
            "period": calls["interval_start"].dt.to_period("D"),
            "calls": calls["queue_calls"],
            "answered": calls["answered_calls"],
        }
    )
    keys = ["period", "district"]
    return {
        "orders_by_acceptance": by_acceptance.groupby(keys, dropna=False).sum(),
        "orders_by_dispatch": by_dispatch.groupby(keys, dropna=False).sum(),
        "orders_by_feedback_deadline": by_deadline.groupby(keys, dropna=False).sum(),
        "calls_by_day": by_day.groupby("period").sum(),
    }


def keyed(result: pd.DataFrame, query: Query, city: str) -> dict[Key, float]:
    """A query's result as the connector keys it: district rows, and the city as the sum of
    every group (a district of NULL included) where the query has an area column."""
    if query.area:
        totals = result.groupby(level="period").sum()
        parts = [result[result.index.get_level_values("district").notna()], totals]
    else:
        parts = [result]
    columns = query.value_columns()
    values: dict[Key, float] = {}
    for part in parts:
        for index, row in part.iterrows():
            period, area = index if isinstance(index, tuple) else (index, city)
            for column, spec in columns.items():
                values[(spec.indicator, str(period), area)] = row[column] / spec.divide_by
    return values


def pulled_values(engine: Engine, options: SqlOptions, city: str) -> dict[Key, float]:
    """The pull-all side: every row into pandas, aggregated there, keyed like ValueRows."""
    results = aggregate(*pull_all(engine))
    return {
        key: value
        for query in options.queries
        for key, value in keyed(results[query.name], query, city).items()
    }


def check_same(pushed: ReadResult, pulled: dict[Key, float], deployment: Deployment) -> int:
    """Both sides hold the same values (counts exactly, durations to float precision), the
    monthly accepted count of every district among them; returns how many. Without this a
    wrong comparison would pass silently."""
    if pushed.rejections:
        raise AssertionError(f"the connector rejected {len(pushed.rejections)} result rows")
    read = {(r.indicator_code, r.period, r.area): r.value for r in pushed.rows}
    differ = sorted(
        key
        for key in read.keys() | pulled.keys()
        if not math.isclose(read.get(key, math.nan), pulled.get(key, math.nan), rel_tol=1e-9)
    )
    if differ:
        shown = "; ".join(f"{k}: {read.get(k)} vs {pulled.get(k)}" for k in differ[:5])
        raise AssertionError(f"pushdown and pull-all differ in {len(differ)} values: {shown}")
    accepted = {area for code, _, area in read if code == hotline.ACCEPTED}
    missing = {district.code for district in deployment.districts} - accepted
    if missing:
        raise AssertionError(f"no monthly accepted count compared for {sorted(missing)}")
    return len(read)


def run_sql(
    backend: str, catalog: Catalog, scale: Scale, repeat: int, workdir: Path
) -> dict[str, Any]:
    """Generate the 12345 database on `backend`, then time pushdown and pull-all on it."""
    model = CityModel(catalog, seed=SEED, today=TODAY)
    url = f"sqlite:///{workdir / 'hotline.db'}" if backend == "sqlite" else fresh_schema(SCHEMA)
    console.log(f"writing the {scale.value} 12345 database on {backend}")
    load_s = write_hotline(model, scale, url)
    options = hotline_queries().model_copy(update={"url": url})
    connector = build_connector("sql", options.model_dump(), hotline.SOURCE)
    context = SourceContext(catalog, workdir)
    city = catalog.deployment.city.code
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            orders = conn.execute(text("SELECT COUNT(*) FROM work_orders")).scalar_one()
            intervals = conn.execute(text("SELECT COUNT(*) FROM acd_intervals")).scalar_one()
            version = database_version(conn)
        console.log(f"timing pushdown and pull-all over {orders:,} work orders")
        push = measured(lambda: connector.read(context, no_progress), repeat)  # smaller peak first
        pull = measured(lambda: pulled_values(engine, options, city), repeat)
    finally:
        engine.dispose()
    compared = check_same(push.result, pull.result, catalog.deployment)
    return {
        "database_version": version,
        "work_orders": orders,
        "load_seconds": round(load_s, 1),
        "pushdown": {**push.figures, "result_rows": push.result.rows_read},
        "pull_all": {**pull.figures, "rows": orders + intervals},
        "ratio_median": _ratio(pull.seconds, push.seconds),
        "values_compared": compared,
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.ingest", description=__doc__)
    parser.add_argument("--rows", type=int, default=500_000, help="rows of the CSV table")
    parser.add_argument("--xlsx-rows", type=int, default=50_000, help="rows of the .xlsx table")
    parser.add_argument("--scale", type=Scale, choices=list(Scale), default=Scale.full)
    parser.add_argument("--backend", choices=["sqlite", "postgresql", "both"], default="sqlite")
    parser.add_argument("--repeat", type=int, default=3, help="timed runs (after a warm-up)")
    parser.add_argument("--json-out", type=Path, help="also write the JSON document here")
    args = parser.parse_args(argv)
    if min(args.rows, args.xlsx_rows, args.repeat) < 1:
        parser.error("--rows, --xlsx-rows and --repeat must be positive")
    loaded = load_catalog()
    if loaded.problems:
        parser.error(f"the shipped catalog has {len(loaded.problems)} problem(s)")
    catalog = loaded.catalog
    backends = ["sqlite", "postgresql"] if args.backend == "both" else [args.backend]
    rows = table_rows(catalog, max(args.rows, args.xlsx_rows))
    with tempfile.TemporaryDirectory(prefix="bench_ingest_") as tmp:
        workdir = Path(tmp)
        files = {
            "csv": run_file(catalog, workdir / "industry.csv", rows[: args.rows], args.repeat),
            "xlsx": run_file(
                catalog, workdir / "industry.xlsx", rows[: args.xlsx_rows], args.repeat
            ),
        }
        sql = {b: run_sql(b, catalog, args.scale, args.repeat, workdir) for b in backends}
    report = {
        "benchmark": "ingest",
        "commit": commit(),
        "today": TODAY.isoformat(),
        "seed": SEED,
        "repeat": args.repeat,
        "machine": {**machine(), "openpyxl": openpyxl.__version__},
        "files": files,
        "sql": {"scale": args.scale.value, "backends": sql},
    }
    emit(report, args.json_out)


if __name__ == "__main__":
    main()
