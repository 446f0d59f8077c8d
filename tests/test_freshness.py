"""Freshness on two clocks: the release calendar decides which period should be there, the
load runs decide how old the last load is; computed indicators inherit their stalest input."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from indicators.freshness import (
    Freshness,
    LoadAgeRule,
    SourceRuns,
    assess,
    exit_code,
    expected_period,
    load_age_status,
    period_currency,
)
from indicators.periods import Period
from tests.catalog_builder import indicator

NOW = datetime(2026, 11, 25, 4, 0, tzinfo=UTC)
RULE = LoadAgeRule(timedelta(hours=48), timedelta(hours=168))


@pytest.mark.parametrize(
    ("fields", "today", "expected"),
    [
        # October is due on 31 Oct + 15 days = 15 Nov.
        ({"release": {"lag_days": 15}}, date(2026, 11, 15), "2026-10"),
        ({"release": {"lag_days": 15}}, date(2026, 11, 14), "2026-09"),
        # 1–2月 merged: on 20 Feb January alone is never expected; December is the latest.
        ({"release": {"lag_days": 15}, "merged_jan_feb": True}, date(2026, 2, 20), "2025-12"),
        ({"release": {"lag_days": 15}, "merged_jan_feb": True}, date(2026, 3, 15), "2026-02"),
        ({"frequency": "quarter", "release": {"lag_days": 25}}, date(2026, 10, 25), "2026Q3"),
        ({"frequency": "quarter", "release": {"lag_days": 25}}, date(2026, 10, 24), "2026Q2"),
        ({"frequency": "year", "release": {"lag_days": 120}}, date(2026, 4, 30), "2025"),
        ({"frequency": "year", "release": {"lag_days": 120}}, date(2026, 4, 29), "2024"),
        ({"frequency": "day", "release": {"lag_days": 1}}, date(2026, 11, 25), "2026-11-24"),
    ],
)
def test_expected_period_follows_the_release_calendar(
    fields: dict, today: date, expected: str
) -> None:
    assert expected_period(indicator("T_X", **fields), today).label == expected


def test_a_missing_period_is_late_within_grace_then_stale() -> None:
    ind = indicator("T_X", release={"lag_days": 15, "grace_days": 5})
    september = Period.parse("2026-09")
    on_time = period_currency(ind, Period.parse("2026-10"), date(2026, 11, 25))
    assert (on_time.status, on_time.overdue_days) == (Freshness.fresh, 0)
    late = period_currency(ind, september, date(2026, 11, 20))  # October due 15 Nov
    assert (late.status, late.overdue_days) == (Freshness.late, 5)
    stale = period_currency(ind, september, date(2026, 11, 21))
    assert (stale.status, stale.overdue_days) == (Freshness.stale, 6)
    assert stale.describe() == "latest 2026-09, 2026-10 expected; 6 day(s) past due"
    assert period_currency(ind, None, date(2026, 11, 21)).status is Freshness.never


def test_a_monthly_source_is_not_stale_a_day_after_its_load() -> None:
    ind = indicator("T_X", release={"lag_days": 15})
    # Loaded yesterday with October present: the period clock says fresh until 15 Dec.
    assert period_currency(ind, Period.parse("2026-10"), date(2026, 12, 14)).status is (
        Freshness.fresh
    )
    runs = SourceRuns("succeeded", None, NOW - timedelta(hours=24))
    assert load_age_status(runs, RULE, NOW) is Freshness.fresh


@pytest.mark.parametrize(
    ("runs", "status"),
    [
        (SourceRuns(None, None, None), Freshness.never),
        (SourceRuns("failed", "boom", NOW - timedelta(hours=1)), Freshness.failed),
        (SourceRuns("succeeded", None, NOW - timedelta(hours=48)), Freshness.fresh),
        (SourceRuns("succeeded", None, NOW - timedelta(hours=49)), Freshness.late),
        (SourceRuns("succeeded", None, NOW - timedelta(hours=169)), Freshness.stale),
        # A run still going (or killed) does not hide the last success.
        (SourceRuns("running", None, NOW - timedelta(hours=2)), Freshness.fresh),
    ],
)
def test_load_age_clock(runs: SourceRuns, status: Freshness) -> None:
    assert load_age_status(runs, RULE, NOW) is status


def test_exit_codes() -> None:
    assert [exit_code(s) for s in Freshness] == [0, 1, 2, 2, 2]


def test_assess_inherits_the_stalest_input_and_reports_each_source(tiny_catalog) -> None:
    today = date(2026, 11, 25)
    latest = {
        "T_ORDERS": "2026-10",
        "T_CLOSED": "2026-09",  # hotline_db lags: October was due 2 Nov, grace 5 → stale
        "T_PM25": "2026-10",
        "T_GOOD_DAYS": "2026-10",
        "T_OUTPUT": "2026-10",
        "T_OUTPUT_GROWTH": "2026-10",
        "T_POP": "2026-10",
        "T_CPI": "2026-10",
    }
    ok = SourceRuns("succeeded", None, NOW - timedelta(hours=3))
    runs = {"env_api": ok, "stats_files": ok}
    report = assess(tiny_catalog, latest, runs, today, NOW, sources=["stats_files", "env_api"])
    by_source = {s.source: s for s in report.sources}
    assert by_source["stats_files"].status is Freshness.fresh
    assert by_source["env_api"].status is Freshness.fresh
    # hotline_db is not configured and never ran: reported anyway, as never.
    assert by_source["hotline_db"].status is Freshness.never
    assert report.indicators["T_CLOSE_RATE"].status is Freshness.never
    assert report.indicators["T_CLOSE_RATE"].reason.startswith("as fresh as T_CLOSED")
    assert report.indicators["T_AIR_INDEX"].status is Freshness.fresh

    report = assess(tiny_catalog, latest, {**runs, "hotline_db": ok}, today, NOW)
    hotline = {s.source: s for s in report.sources}["hotline_db"]
    assert hotline.status is Freshness.stale
    assert hotline.indicators[0].code == "T_CLOSED"
    assert report.indicators["T_CLOSE_RATE"].status is Freshness.stale
    assert report.indicators["T_ORDERS_YTD"].status is Freshness.fresh
    assert report.status is Freshness.stale
