"""Benchmark of a printed briefing: a template of about 20 pages with 15 charts, from the
store to the PDF, and how much of that time is spent outside WeasyPrint.

Fills a SQLite store with the overview benchmark's N deterministic values, builds a template
in code (cover, 主要指标, 总体情况, 15 charts mixing trend, 同比 and district bars over
different indicators, four topics' 指标表, 未达目标, 数据说明: 20 pages) for the month
before TODAY, then times, per run:

- build: `build_briefing` (validate, `store.values`, `SnapshotBuilder`, every block), split
  into read (until the cover block is done), each block kind, and the charts' SVG
  (`reports.charts.svg`, i.e. vl-convert) inside the chart blocks;
- html: `Briefing.html()` (`document_html`);
- pdf: `render_pdf`, WeasyPrint in its child process (process start and imports included);
- total: build + html + pdf; the share outside WeasyPrint is (total − pdf) / total;
- docx: `Briefing.docx()`, timed apart (not part of the PDF's total).

Floor: `render_pdf` of a trivial one-page document, the child process's fixed cost.

    .venv/bin/python -m benchmarks.briefing --values 200000 --repeat 3
"""

from __future__ import annotations

import argparse
import io
import statistics
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from pypdf import PdfReader
from sqlalchemy import text

from benchmarks.harness import commit, database_version, emit, machine, summary, timed
from benchmarks.overview import SEED, TODAY, generate_values, load_store
from indicators.model import Frequency
from indicators.periods import Period
from indicators.registry import Catalog, load_catalog
from indicators.store import MetricStore, open_store
from reports import charts
from reports.build import Briefing, build_briefing
from reports.document import render_pdf
from reports.model import BlockSpec, BriefingTemplate

TEMPLATE_PATH = Path("<benchmark>")  # named in a template error only
MONTH = Period.latest_complete(Frequency.month, TODAY)  # 2026-10
# (code, kind): monthly indicators published for the city and every district, so each
# chart kind has data; five of each kind, over different domains.
CHARTS: tuple[tuple[str, str], ...] = (
    ("ECO_RETAIL", "trend"),
    ("ECO_IMPORT", "yoy"),
    ("ECO_IND_VA_GROWTH_YTD", "districts"),
    ("ECO_FISCAL_REVENUE", "trend"),
    ("ECO_TRADE_TOTAL", "yoy"),
    ("ECO_RETAIL_GROWTH", "districts"),
    ("ECL_PM25", "trend"),
    ("ECL_PM10", "yoy"),
    ("ECL_WATER_GOOD_RATIO", "districts"),
    ("ECO_IND_OUTPUT", "trend"),
    ("ECO_TAX_REVENUE", "yoy"),
    ("ECL_NEV_SHARE", "districts"),
    ("ECO_NEW_MARKET_ENTITIES", "trend"),
    ("ECO_EXPORT", "yoy"),
    ("ECO_FAI", "districts"),
)
HEADLINE = ("ECO_RETAIL", "ECO_FAI_GROWTH", "ECO_FISCAL_REVENUE", "ECL_PM25", "ECL_AQI_GOOD_RATIO")
# 指标表 topics, in the briefing's order; `--tables` takes the first ones. Four make the
# PDF 20 pages at 200k values.
TABLES_DEFAULT = 4
TABLES: tuple[tuple[str, str], ...] = (
    ("economic", "industry"),
    ("economic", "investment"),
    ("economic", "consumption"),
    ("economic", "trade"),
    ("economic", "fiscal"),
    ("economic", "market"),
    ("economic", "employment"),
    ("economic", "gdp"),
    ("ecology", "air"),
    ("ecology", "water"),
    ("ecology", "climate"),
    ("service", "handling"),
    ("service", "hotline_handling"),
    ("governance", "grid"),
)
STAGES = ("build", "read", "chart_svg", "html", "pdf", "total", "docx")
FLOOR_HTML = "<!doctype html><html lang='zh'><body><p>一页。</p></body></html>"
T = TypeVar("T")


def briefing_template(n_charts: int, n_tables: int) -> BriefingTemplate:
    """The benchmark's template: a chart after each 指标表 where both remain, the rest after."""
    chart_blocks = [
        BlockSpec(kind="chart", params={"code": code, "kind": kind})
        for code, kind in (CHARTS * (n_charts // len(CHARTS) + 1))[:n_charts]
    ]
    table_blocks = [
        BlockSpec(kind="kpi_table", params={"domain": domain, "topic": topic})
        for domain, topic in TABLES[:n_tables]
    ]
    body: list[BlockSpec] = []
    for index in range(max(len(chart_blocks), len(table_blocks))):
        body.extend(chart_blocks[index : index + 1] + table_blocks[index : index + 1])
    return BriefingTemplate(
        name="benchmark",
        title="新河市经济运行月度简报（基准）",
        issuer="新河市统计局",
        blocks=(
            BlockSpec(kind="cover"),
            BlockSpec(kind="headline", params={"codes": list(HEADLINE)}),
            BlockSpec(kind="narrative", params={"codes": list(HEADLINE)}),
            *body,
            BlockSpec(kind="off_target", params={"domain": "economic"}),
            BlockSpec(kind="data_notes"),
        ),
    )


@contextmanager
def counting_svg() -> Iterator[list[float]]:
    """Seconds of each `reports.charts.svg` call (vl-convert) while inside; restored after."""
    seconds: list[float] = []
    original = charts.svg

    def measured(chart: Any) -> str:
        start = time.perf_counter()
        try:
            return original(chart)
        finally:
            seconds.append(time.perf_counter() - start)

    charts.svg = measured  # svg_data_uri looks `svg` up in the module at each call
    try:
        yield seconds
    finally:
        charts.svg = original


@dataclass(frozen=True)
class Run:
    """One briefing from the store to PDF and DOCX: seconds per stage, and the outputs."""

    seconds: dict[str, float]
    blocks: dict[str, float]  # seconds per block kind (the cover counted in "read")
    svg_calls: int
    pdf: bytes
    docx: bytes


def _stage(seconds: dict[str, float], name: str, fn: Callable[[], T]) -> T:
    start = time.perf_counter()
    result = fn()
    seconds[name] = time.perf_counter() - start
    return result


def one_run(store: MetricStore, catalog: Catalog, template: BriefingTemplate) -> Run:
    seconds: dict[str, float] = {}
    stamps: list[float] = []
    start = time.perf_counter()
    with counting_svg() as svg_seconds:
        briefing: Briefing = _stage(
            seconds,
            "build",
            lambda: build_briefing(
                template, TEMPLATE_PATH, MONTH, store, catalog,
                progress=lambda done, total: stamps.append(time.perf_counter()),
            ),
        )  # fmt: skip
    seconds["read"] = stamps[0] - start  # validate, store.values, SnapshotBuilder, cover
    seconds["chart_svg"] = sum(svg_seconds)
    blocks: dict[str, float] = defaultdict(float)
    for spec, before, after in zip(template.blocks[1:], stamps[:-1], stamps[1:], strict=True):
        blocks[spec.kind] += after - before
    html = _stage(seconds, "html", briefing.html)
    pdf = _stage(seconds, "pdf", lambda: render_pdf(html))
    seconds["total"] = seconds["build"] + seconds["html"] + seconds["pdf"]
    docx = _stage(seconds, "docx", briefing.docx)
    return Run(seconds, dict(blocks), len(svg_seconds), pdf, docx)


def _median(runs: list[Run], field: Callable[[Run], float]) -> float:
    return statistics.median(field(run) for run in runs)


def figures(runs: list[Run], floor_s: list[float]) -> dict[str, Any]:
    """Medians (and mins) per stage and block kind, the shares, and the ratio to the floor."""
    outside = [(r.seconds["total"] - r.seconds["pdf"]) / r.seconds["total"] for r in runs]
    svg = [r.seconds["chart_svg"] / r.seconds["total"] for r in runs]
    pdf_median = _median(runs, lambda r: r.seconds["pdf"])
    floor_median = statistics.median(floor_s)
    return {
        "stages": {name: summary([r.seconds[name] for r in runs]) for name in STAGES},
        "blocks": {
            kind: summary([r.blocks.get(kind, 0.0) for r in runs])
            for kind in sorted({kind for r in runs for kind in r.blocks})
        },
        "share_outside_weasyprint": round(statistics.median(outside), 3),
        "share_chart_svg": round(statistics.median(svg), 3),
        "floor_render_pdf": summary(floor_s),
        "pdf_over_floor": round(pdf_median / floor_median, 1),
        "pdf_less_floor_s": round(pdf_median - floor_median, 4),
    }


def run(catalog: Catalog, total: int, template: BriefingTemplate, repeat: int) -> dict[str, Any]:
    """Load the store, then one untimed briefing (imports, vl-convert, fonts) and `repeat`
    timed ones; then the floor, as often."""
    with tempfile.TemporaryDirectory(prefix="bench_briefing_") as tmp:
        store = open_store(f"sqlite:///{Path(tmp) / 'bench.db'}")
        try:
            load_s = load_store(store, generate_values(catalog, total), total)
            with store.engine.begin() as conn:
                conn.execute(text("ANALYZE"))
                version = database_version(conn)
            one_run(store, catalog, template)  # warm-up
            runs = [one_run(store, catalog, template) for _ in range(repeat)]
        finally:
            store.engine.dispose()
    floor_s, floor_pdf = timed(lambda: render_pdf(FLOOR_HTML), repeat)
    last = runs[-1]
    return {
        "database_version": version,
        "values": total,
        "load_seconds": round(load_s, 2),
        "pages": len(PdfReader(io.BytesIO(last.pdf)).pages),
        "floor_pages": len(PdfReader(io.BytesIO(floor_pdf)).pages),
        "pdf_bytes": len(last.pdf),
        "docx_bytes": len(last.docx),
        "svg_calls": last.svg_calls,
        **figures(runs, floor_s),
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.briefing", description=__doc__)
    parser.add_argument("--values", type=int, default=200_000, help="values to store")
    parser.add_argument("--charts", type=int, default=len(CHARTS), help="chart blocks")
    parser.add_argument("--tables", type=int, default=TABLES_DEFAULT, help="指标表 blocks")
    parser.add_argument("--repeat", type=int, default=3, help="timed runs (after a warm-up)")
    parser.add_argument("--json-out", type=Path, help="also write the JSON document here")
    args = parser.parse_args(argv)
    if min(args.values, args.repeat) < 1 or min(args.charts, args.tables) < 0:
        parser.error("--values and --repeat must be positive, --charts and --tables not negative")
    if args.tables > len(TABLES):
        parser.error(f"--tables: at most {len(TABLES)}")
    loaded = load_catalog()
    if loaded.problems:
        parser.error(f"the shipped catalog has {len(loaded.problems)} problem(s)")
    template = briefing_template(args.charts, args.tables)
    kinds = [spec.params["kind"] for spec in template.blocks if spec.kind == "chart"]
    emit(
        {
            "benchmark": "briefing",
            "commit": commit(),
            "today": TODAY.isoformat(),
            "seed": SEED,
            "month": MONTH.label,
            "blocks": len(template.blocks),
            "charts": {kind: kinds.count(kind) for kind in ("trend", "yoy", "districts")},
            "tables": args.tables,
            "repeat": args.repeat,
            "machine": machine(),
            "sqlite": run(loaded.catalog, args.values, template, args.repeat),
        },
        args.json_out,
    )


if __name__ == "__main__":
    main()
