"""The briefing archive: stored on every backend with the exact bytes, listed newest first by
template and month, and fed by `cockpit report build`, whose two builds of one month on the
same data are byte-identical and name the load runs behind the figures they show — the
values compared with for 同比 and 环比, the published growth rates and a chart's other
points included."""

from __future__ import annotations

import hashlib
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pandas as pd
import pytest

from indicators.periods import Period
from indicators.registry import DEFAULT_CATALOG, load_catalog
from indicators.snapshot import SnapshotBuilder, snapshot_for
from indicators.store import MetricStore, open_store
from indicators.store.briefings import (
    ArchivedBriefing,
    BriefingNotFound,
    BriefingRecord,
    archive_briefing,
    briefing_content,
    briefings,
)
from reports.blocks import validate
from reports.build import assemble, build_briefing
from reports.context import BriefingContext
from reports.model import BlockSpec, BriefingTemplate, load_template
from tests.catalog_builder import indicator, make_catalog
from tests.cockpit_process import cockpit
from tests.test_briefing_build import after, last_month
from tests.test_briefing_charts import META, OCTOBER, months

T0 = datetime(2026, 11, 3, 1, 2, 3, 456789, tzinfo=UTC)
EVERY_BYTE = bytes(range(256)) * 4 + b"\x00%PDF\r\n\x00"


def record(
    template: str = "monthly-economy",
    period: str = "2026-10",
    created_at: datetime = T0,
    content: bytes = EVERY_BYTE,
    runs: tuple[int, ...] = (7, 3, 12),
) -> BriefingRecord:
    return BriefingRecord(
        template=template,
        template_text="name: monthly-economy\ntitle: 新河市经济运行月度简报\n",
        period=period,
        author="张三",
        created_at=created_at,
        format="pdf",
        load_runs=runs,
        file_name="经济运行月报.pdf",
        content=content,
    )


def test_a_briefing_round_trips_with_its_exact_bytes(store: MetricStore) -> None:
    new_id = archive_briefing(store.engine, record())
    archived, content = briefing_content(store.engine, new_id)
    assert content == EVERY_BYTE
    assert archived == ArchivedBriefing(
        id=new_id,
        template="monthly-economy",
        template_text="name: monthly-economy\ntitle: 新河市经济运行月度简报\n",
        period="2026-10",
        author="张三",
        created_at=T0,
        format="pdf",
        load_runs=(3, 7, 12),
        file_name="经济运行月报.pdf",
        size=len(EVERY_BYTE),
        sha256=hashlib.sha256(EVERY_BYTE).hexdigest(),
    )
    with pytest.raises(BriefingNotFound):
        briefing_content(store.engine, new_id + 1)


def test_the_list_is_newest_first_filtered_by_template_and_month(store: MetricStore) -> None:
    ids = {
        key: archive_briefing(store.engine, record(*key, created_at=T0 + timedelta(minutes=n)))
        for n, key in enumerate(
            [
                ("monthly-economy", "2026-09"),
                ("monthly-economy", "2026-10"),
                ("governance", "2026-10"),
            ]
        )
    }
    listed = briefings(store.engine)
    assert [b.id for b in listed] == list(reversed(ids.values()))
    assert all(not hasattr(b, "content") for b in listed)
    by_template = briefings(store.engine, template="monthly-economy")
    assert [(b.template, b.period) for b in by_template] == [
        ("monthly-economy", "2026-10"),
        ("monthly-economy", "2026-09"),
    ]
    assert [b.id for b in briefings(store.engine, period="2026-10")] == [
        ids[("governance", "2026-10")],
        ids[("monthly-economy", "2026-10")],
    ]
    assert [b.id for b in briefings(store.engine, "monthly-economy", "2026-09")] == [
        ids[("monthly-economy", "2026-09")]
    ]
    assert briefings(store.engine, template="ecology") == []
    assert len(briefings(store.engine, limit=1)) == 1


def test_a_five_megabyte_briefing_is_stored_whole(store: MetricStore) -> None:
    """MySQL/MariaDB's plain BLOB would stop at 64 KB; the column is LONGBLOB there."""
    big = hashlib.sha256(b"seed").digest() * (5 * 1024 * 1024 // 32) + b"\xff"
    new_id = archive_briefing(store.engine, record(content=big, runs=()))
    archived, content = briefing_content(store.engine, new_id)
    assert content == big
    assert (archived.size, archived.load_runs) == (len(big), ())


def test_a_naive_time_is_refused(store: MetricStore) -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        archive_briefing(store.engine, record(created_at=T0.replace(tzinfo=None)))


def _archived_id(stdout: str) -> int:
    found = re.search(r"^archived as briefing (\d+)$", stdout, re.MULTILINE)
    assert found, stdout
    return int(found.group(1))


def test_report_build_archives_identical_briefings_with_their_load_runs(
    writable_city: Path, tmp_path: Path
) -> None:
    month = last_month()
    ids, files = [], []
    for n, author in enumerate([("--author", "李四"), ()]):
        out = tmp_path / f"build{n}" / "经济运行月报.pdf"
        made = cockpit(
            writable_city, "report", "build", "--template", "monthly-economy",
            "--period", month.label, "--out", str(out), "--progress", "none", *author,
        )  # fmt: skip
        assert made.returncode == 0, made.stderr
        ids.append(_archived_id(made.stdout))
        files.append(out.read_bytes())
    assert ids[0] != ids[1]
    assert files[0] == files[1]  # regenerating from the same data: the same bytes

    store = open_store()
    first, first_bytes = briefing_content(store.engine, ids[0])
    second, second_bytes = briefing_content(store.engine, ids[1])
    assert (first_bytes, second_bytes) == (files[0], files[1])
    assert first.sha256 == second.sha256 == hashlib.sha256(files[0]).hexdigest()
    assert (first.template, first.period, first.format) == ("monthly-economy", month.label, "pdf")
    assert first.file_name == "经济运行月报.pdf" and first.size == len(files[0])
    assert first.author == "李四" and second.author not in ("", "李四")
    template, path = load_template("monthly-economy")
    assert first.template_text == path.read_text(encoding="utf-8")

    # The load runs are those of the stored values the briefing shows, and exist.
    catalog = load_catalog(DEFAULT_CATALOG).catalog
    runs = build_briefing(template, path, month, store, catalog).load_runs
    assert runs and first.load_runs == second.load_runs == runs
    assert set(runs) <= {run.id for run in store.runs(limit=100_000)}
    assert set(runs) <= set(store.values()["load_run_id"].astype(int))
    headline = next(b for b in template.blocks if b.kind == "headline")
    for code in headline.params["codes"]:
        shown = snapshot_for(catalog, store, code, None, None, after(month))
        assert shown.provenance.load_runs and set(shown.provenance.load_runs) <= set(runs), code

    listed = cockpit(
        writable_city, "report", "list", "--template", "monthly-economy", "--period", month.label
    )
    assert listed.returncode == 0, listed.stderr
    lines = {int(line.split("\t")[0]): line for line in listed.stdout.splitlines()}
    for briefing_id in ids:
        assert briefing_id in lines
        assert f"\tmonthly-economy\t{month.label}\tpdf\t" in lines[briefing_id]
        assert first.sha256 in lines[briefing_id]
    assert list(lines).index(ids[1]) < list(lines).index(ids[0])  # newest first
    other = cockpit(writable_city, "report", "list", "--template", "governance")
    assert other.returncode == 0 and not set(ids) & {
        int(line.split("\t")[0]) for line in other.stdout.splitlines() if "\t" in line
    }

    again = tmp_path / "again" / "briefing.pdf"
    got = cockpit(writable_city, "report", "get", str(ids[0]), "--out", str(again))
    assert got.returncode == 0, got.stderr
    assert again.read_bytes() == files[0]
    missing = cockpit(writable_city, "report", "get", "999999", "--out", str(tmp_path / "x"))
    assert missing.returncode == 2
    assert missing.stderr.strip() == "error: no archived briefing 999999"
    assert not (tmp_path / "x").exists()


# --- the load runs behind a briefing's figures (in memory) --------------------------------

FIRST_TEN_2025, END_2025, JAN_SEP_2026, OCT_2026, GROWTH_RATES = 25, 26, 30, 31, 40
LOADED = {run: pd.Timestamp(2026, 1, 1, tz="UTC") + pd.Timedelta(days=run) for run in range(50)}


def run_of(code: str, period: str) -> int:
    """Each stretch of months loaded by its own run; the published growth rates by one."""
    if code == "OUTPUT_YOY":
        return GROWTH_RATES
    year, month = map(int, period.split("-"))
    if year == 2025:
        return FIRST_TEN_2025 if month <= 10 else END_2025
    return JAN_SEP_2026 if month <= 9 else OCT_2026


def runs_context() -> BriefingContext:
    catalog = make_catalog(
        indicator(
            "SALES", target={"basis": "annual_total", "value": 1200}, rag={"rule": "schedule"}
        ),
        indicator("RATE", unit="%", nature="rate"),
        indicator("OUTPUT", growth="supplied", supplied_growth={"yoy": "OUTPUT_YOY"}),
        indicator("OUTPUT_YOY", unit="%", nature="rate", growth="none"),
    )
    rows = [
        (code, period, "city", 100.0, run_of(code, period), LOADED[run_of(code, period)])
        for code in catalog.indicators
        for period in months({2025: 0, 2026: 0})
    ]
    columns = ["indicator_code", "period", "area", "value", "load_run_id", "loaded_at"]
    builder = SnapshotBuilder(catalog, pd.DataFrame(rows, columns=columns))
    return BriefingContext(catalog, builder, OCTOBER, "city", META)


@pytest.mark.parametrize(
    ("code", "runs"),
    [
        # 累计 1-10月 and its 同比 base 2025年1-10月; November and December 2025 are not read.
        ("SALES", {FIRST_TEN_2025, JAN_SEP_2026, OCT_2026}),
        # October, 环比 against September, 同比 against October 2025.
        ("RATE", {FIRST_TEN_2025, JAN_SEP_2026, OCT_2026}),
        # 同比 read from the published rate, not from 2025's values.
        ("OUTPUT", {JAN_SEP_2026, OCT_2026, GROWTH_RATES}),
    ],
)
def test_a_figure_records_the_runs_of_the_values_its_growth_compares_with(
    code: str, runs: set[int]
) -> None:
    ctx = runs_context()
    shown = ctx.snapshot(code)
    assert shown is not None and shown.period == OCTOBER
    assert ctx.runs == runs
    # How current the figure is stays the stalest load of its own values (a 累计's year to
    # date), not of the values it is compared with.
    assert shown.provenance.loaded_at == LOADED[JAN_SEP_2026 if code == "SALES" else OCT_2026]


def test_a_briefing_names_the_base_year_run_of_its_yoy() -> None:
    ctx = runs_context()
    spec = BlockSpec(kind="headline", params={"codes": ["RATE"]})
    template = BriefingTemplate(name="t", title="测试", issuer="测试局", blocks=(spec,))
    briefing = assemble(template, validate(template, Path("t.yaml"), ctx.catalog), ctx)
    assert "个百分点" in briefing.sections[0].html  # the 同比 is shown …
    assert briefing.load_runs == (FIRST_TEN_2025, JAN_SEP_2026, OCT_2026)  # … and its base's run


def test_a_charts_other_points_record_their_runs_without_their_comparisons() -> None:
    ctx = runs_context()
    points = [OCTOBER - back for back in range(12)]  # a trend chart's sparkline
    ctx.record_runs("RATE", points)
    assert ctx.runs == {END_2025, JAN_SEP_2026, OCT_2026}
    ctx.runs.clear()
    ctx.record_runs("SALES", [Period.parse("2025-11")])  # a 累计 rests on its year to date
    assert ctx.runs == {FIRST_TEN_2025, END_2025}
