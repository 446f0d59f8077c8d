"""The operators' freshness board: every source and stored indicator with status, expected
against latest period, due date, last successful load, bureau and contact; its filters; the
run history's durations."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from cockpit.ops_model import filter_board, freshness_board, run_rows
from cockpit.ops_texts import indicator_reason, source_reason
from connectors.config import SourcesFile
from indicators.freshness import Freshness, SourceRuns, assess
from indicators.model import Domain
from indicators.store import LoadRun
from tests.catalog_builder import indicator, make_catalog

TODAY = date(2026, 11, 25)
NOW = datetime(2026, 11, 25, 4, 0, tzinfo=UTC)
LOADED = NOW - timedelta(hours=3)

CATALOG = make_catalog(
    # October due 31 Oct + 15 = 15 Nov; with 5 days' grace a missing October is stale by now.
    indicator("T_GDP", source={"connector": "stats", "reads": "x"}, owner="市发展改革委",
              release={"lag_days": 15, "grace_days": 5}),
    indicator("T_RETAIL", source={"connector": "stats", "reads": "x"}, owner="市商务局",
              release={"lag_days": 15, "grace_days": 30}),
    indicator("T_AQI", source={"connector": "env", "reads": "x"}, owner="市生态环境局",
              domain="ecology", release={"lag_days": 1}),
    indicator("T_POWER", source={"connector": "power", "reads": "x"}, owner="市发展改革委"),
)  # fmt: skip
SOURCES = SourcesFile(
    sources=(
        {"id": "stats", "name_zh": "统计报表", "owner": "市统计局", "contact": "王敏 8701",
         "kind": "files"},
        {"id": "env", "name_zh": "环境接口", "name_en": "Env API", "owner": "市生态环境局",
         "kind": "http"},
        {"id": "power", "name_zh": "电力数据", "owner": "供电公司", "kind": "files"},
    ),
    base_dir=Path(),
)  # fmt: skip


def board():
    report = assess(
        CATALOG,
        {"T_GDP": "2026-09", "T_RETAIL": "2026-09", "T_AQI": "2026-10"},
        {
            "stats": SourceRuns("succeeded", None, LOADED),
            "env": SourceRuns("succeeded", None, LOADED),
            "power": SourceRuns("failed", "power.csv: row 3: 用电量: not a number", None),
        },
        TODAY,
        NOW,
        sources=[s.id for s in SOURCES.sources],
    )
    return freshness_board(report, CATALOG, SOURCES, TODAY)


def test_sources_come_stalest_first_with_owner_contact_and_their_stalest_period() -> None:
    rows = {row.source: row for row in board().sources}
    assert [row.source for row in board().sources] == ["power", "stats", "env"]
    stats = rows["stats"]
    assert (stats.status, stats.owner, stats.contact) == (Freshness.stale, "市统计局", "王敏 8701")
    # its stalest indicator is T_GDP: October expected, September stored, due 15 Nov
    assert (stats.expected, stats.latest, stats.due) == ("2026-10", "2026-09", date(2026, 11, 15))
    assert (stats.behind, stats.indicators, stats.last_success_at) == (2, 2, LOADED)
    assert stats.bureaus == {"市统计局", "市发展改革委", "市商务局"}
    assert rows["power"].status is Freshness.failed
    assert (
        source_reason(rows["power"], "zh")
        == "最近一次加载失败：power.csv: row 3: 用电量: not a number"
    )
    assert source_reason(stats, "zh") == "2 项指标滞后，最久逾期 10 天"
    assert source_reason(stats, "en") == "2 indicator(s) behind, up to 10 day(s) overdue"
    assert source_reason(rows["env"], "zh") == "各期齐全"
    assert rows["env"].status is Freshness.fresh
    assert rows["env"].name_en == "Env API"


def test_indicator_rows_give_the_due_date_of_the_first_period_not_stored() -> None:
    rows = {row.code: row for row in board().indicators}
    gdp = rows["T_GDP"]
    assert (gdp.status, gdp.expected, gdp.latest) == (Freshness.stale, "2026-10", "2026-09")
    assert (gdp.due, gdp.owner, gdp.reporter) == (date(2026, 11, 15), "市发展改革委", "市统计局")
    assert rows["T_RETAIL"].status is Freshness.late  # 10 days past due, 30 days' grace
    # fresh: the next period's due date is ahead (30 November + 1 day)
    assert (rows["T_AQI"].status, rows["T_AQI"].due) == (Freshness.fresh, date(2026, 12, 1))
    # never loaded: the expected period's due date
    power = rows["T_POWER"]
    assert (power.latest, power.expected, power.due) == (None, "2026-10", date(2026, 11, 1))
    assert [indicator_reason(rows[code], "zh") for code in ("T_GDP", "T_AQI", "T_POWER")] == [
        "最新 2026-09，应有 2026-10，逾期 10 天",
        "2026-10 已到",
        "尚无数据，应有 2026-10",
    ]
    assert indicator_reason(gdp, "en") == "latest 2026-09, 2026-10 expected, 10 day(s) overdue"


def test_counts_include_every_status() -> None:
    counts = board().counts()
    assert counts == {
        Freshness.fresh: 1,
        Freshness.late: 0,
        Freshness.stale: 1,
        Freshness.never: 0,
        Freshness.failed: 1,
    }


def test_filters_by_domain_bureau_and_status() -> None:
    full = board()
    ecology = filter_board(full, domains=[Domain.ecology])
    assert [r.source for r in ecology.sources] == ["env"]
    assert [r.code for r in ecology.indicators] == ["T_AQI"]
    # a bureau matches the sources' owner and the indicators' responsible bureau
    ndrc = filter_board(full, bureaus=["市发展改革委"])
    assert [r.source for r in ndrc.sources] == ["power", "stats"]
    assert sorted(r.code for r in ndrc.indicators) == ["T_GDP", "T_POWER"]
    late = filter_board(full, statuses=[Freshness.late])
    assert late.sources == ()
    assert [r.code for r in late.indicators] == ["T_RETAIL"]
    both = filter_board(full, domains=[Domain.economic], statuses=[Freshness.failed])
    assert [r.source for r in both.sources] == ["power"]
    assert filter_board(full) == full


def test_a_source_missing_from_the_sources_file_is_still_on_the_board() -> None:
    report = assess(CATALOG, {}, {}, TODAY, NOW, sources=["stats"])
    rows = {r.source: r for r in freshness_board(report, CATALOG, None, TODAY).sources}
    assert set(rows) == {"stats", "env", "power"}
    assert (rows["env"].owner, rows["env"].status) == ("—", Freshness.never)


def test_run_rows_give_durations_and_source_names() -> None:
    started = NOW - timedelta(seconds=90)
    runs = [
        LoadRun(2, "stats", started, NOW, "succeeded", 10, 9, 1, None),
        LoadRun(3, "gone", started, None, "running", 0, 0, 0, None),
    ]
    rows = run_rows(runs, SOURCES)
    assert [(r.source_name, r.duration_seconds) for r in rows] == [
        ("统计报表", 90.0),
        ("gone", None),
    ]


def test_a_failed_source_shows_its_indicator_furthest_behind() -> None:
    """When the source's own clock fails, every indicator shares its status: the row must
    still name the one furthest behind, not the first in order."""
    catalog = make_catalog(
        indicator("T_A", source={"connector": "power", "reads": "x"}, release={"lag_days": 15}),
        indicator("T_Z", source={"connector": "power", "reads": "x"}, release={"lag_days": 15}),
    )
    report = assess(
        catalog,
        {"T_A": "2026-10", "T_Z": "2026-07"},
        {"power": SourceRuns("failed", "boom", LOADED)},
        TODAY,
        NOW,
        sources=["power"],
    )
    (row,) = freshness_board(report, catalog, SOURCES, TODAY).sources
    assert (row.status, row.expected, row.latest) == (Freshness.failed, "2026-10", "2026-07")
    assert (row.due, row.overdue_days, row.behind) == (date(2026, 9, 15), 71, 2)
