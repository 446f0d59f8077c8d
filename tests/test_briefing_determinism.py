"""A briefing depends on its template, its month and the stored figures, never on when it is
built: two builds seconds apart are the same bytes (Word and PDF), and the 数据逾期 flags
of an old month are judged on the day it was naturally published, not on the build day."""

from __future__ import annotations

import dataclasses
import io
import time
import zipfile
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from docx import Document

from indicators.freshness import Freshness, SourceRuns, assess
from indicators.periods import Period
from reports.blocks import validate
from reports.build import Briefing, assemble, freshness_date, freshness_now
from reports.document import render_pdf
from reports.docx_writer import ZIP_TIME
from reports.model import BlockSpec, BriefingTemplate
from tests.catalog_builder import indicator, make_catalog
from tests.test_block_snapshots import snapshot_context

AS_OF = date(2026, 11, 1)  # what build_briefing gives October 2026: the day after the month
TEMPLATE = BriefingTemplate(
    name="t",
    title="测试市经济运行月度简报",
    issuer="测试局",
    blocks=(
        BlockSpec(kind="cover", params={"subtitle": "内部资料"}),
        BlockSpec(kind="headline", params={"codes": ["RETAIL", "PM", "TAX"]}),
        BlockSpec(kind="chart", params={"code": "RETAIL"}),  # a picture in the Word file
        BlockSpec(kind="data_notes"),
    ),
)


def october() -> Briefing:
    """October 2026's briefing of the test city, built afresh."""
    ctx = snapshot_context()
    ctx = dataclasses.replace(ctx, meta=dataclasses.replace(ctx.meta, as_of=AS_OF))
    return assemble(TEMPLATE, validate(TEMPLATE, Path("t.yaml"), ctx.catalog), ctx)


def test_two_builds_seconds_apart_are_the_same_bytes() -> None:
    first = october()
    docx, pdf = first.docx(), render_pdf(first.html())
    time.sleep(2.1)  # a zip entry's time counts in steps of two seconds: cross one
    second = october()
    assert second.docx() == docx
    assert render_pdf(second.html()) == pdf
    entries = zipfile.ZipFile(io.BytesIO(docx)).infolist()
    assert {(e.date_time, e.compress_type) for e in entries} == {(ZIP_TIME, zipfile.ZIP_DEFLATED)}
    assert entries[0].filename == "[Content_Types].xml"  # python-docx's order, kept
    properties = Document(io.BytesIO(docx)).core_properties
    figures_stand = datetime(2026, 11, 1, tzinfo=UTC)
    assert (properties.created, properties.modified) == (figures_stand, figures_stand)


@pytest.mark.parametrize(
    ("month", "today", "judged"),
    [
        ("2026-10", date(2026, 11, 5), date(2026, 11, 5)),  # built while it is published
        ("2026-10", date(2026, 11, 30), date(2026, 11, 30)),
        ("2026-10", date(2027, 3, 1), date(2026, 11, 30)),  # rebuilt later: November's end
        ("2026-12", date(2027, 6, 1), date(2027, 1, 31)),
    ],
)
def test_freshness_is_judged_no_later_than_the_end_of_the_month_after(
    month: str, today: date, judged: date
) -> None:
    assert freshness_date(Period.parse(month), today) == judged


def test_load_age_is_judged_no_later_than_the_end_of_that_day(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("COCKPIT_TIMEZONE", "Asia/Shanghai")
    now = datetime(2027, 3, 1, 4, tzinfo=UTC)
    assert freshness_now(date(2027, 3, 1), now) == now
    midnight_in_beijing = datetime(2026, 11, 30, 16, tzinfo=UTC)
    assert freshness_now(date(2026, 11, 30), now) == midnight_in_beijing


def test_an_old_months_overdue_flags_do_not_change_with_the_build_day() -> None:
    """SALES is due 15 days after its month; its source loaded daily until 29 November,
    October's value being the last. October's briefing, published in November, had nothing
    overdue, and says so however late it is rebuilt."""
    catalog = make_catalog(indicator("SALES", release={"lag_days": 15}))
    runs = {"test": SourceRuns("succeeded", None, datetime(2026, 11, 29, 12, tzinfo=UTC))}
    latest = {"SALES": "2026-10"}

    def status(today: date, now: datetime) -> Freshness:
        return assess(catalog, latest, runs, today, now).indicators["SALES"].status

    def built_on(day: date) -> Freshness:
        judged = freshness_date(Period.parse("2026-10"), day)
        return status(
            judged, freshness_now(judged, datetime(day.year, day.month, day.day, 4, tzinfo=UTC))
        )

    assert built_on(date(2026, 11, 30)) is Freshness.fresh
    assert built_on(date(2027, 2, 1)) is Freshness.fresh
    assert status(date(2027, 2, 1), datetime(2027, 2, 1, 4, tzinfo=UTC)) is Freshness.stale
