"""On-time delivery, the operators' KPI: each period due in a month counts on time when it first
arrived by its due date (in Beijing), late after, missing when not arrived by today; the
history loaded when a source was connected is not counted; per bureau, a 基层填报 period is
its indicator's bureau's; a refresh records first arrivals and a reload never moves them,
and a report reads only the arrivals its window needs."""

from __future__ import annotations

import json
import math
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import yaml

from connectors.config import SourceConfig
from connectors.delivery import (
    DeliveryRate,
    GroupBy,
    Punctuality,
    delivering_bureau,
    delivery_report,
    report_arrivals,
    stored_delivery_report,
)
from connectors.refresh import refresh_source
from indicators.model import Frequency
from indicators.periods import Period
from indicators.registry import Catalog
from indicators.settings import local_today
from indicators.store import MetricStore, open_store
from indicators.store.operations import Delivery, add_deliveries, deliveries
from tests.cockpit_process import cockpit
from tests.conftest import FIXTURE_CATALOG
from tests.refresh_kinds import inline_sources

BEIJING = ZoneInfo("Asia/Shanghai")
TODAY = date(2026, 11, 20)
SOURCES = [
    SourceConfig(id="hotline_db", name_zh="热线", owner="市数据局", kind="inline"),
    SourceConfig(id="env_api", name_zh="环境", owner="市数据局", kind="inline"),
    SourceConfig(id="stats_files", name_zh="统计", owner="市统计局", kind="inline"),
]


def beijing(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=BEIJING)


def arrived(code: str, period: str, source: str, when: datetime) -> Delivery:
    return Delivery(code, period, source, when.astimezone(UTC))


# hotline_db (lag 2 days) was connected on 10 Sep with July and August: August, due 2 Sep,
# is backfill. env_api (lag 5 days) has delivered since 1 Aug. stats_files never delivered.
ARRIVALS = [
    *(
        arrived(code, period, "hotline_db", beijing("2026-09-10 10:00"))
        for code in ("T_ORDERS", "T_CLOSED")
        for period in ("2026-07", "2026-08")
    ),
    arrived("T_ORDERS", "2026-09", "hotline_db", beijing("2026-10-02 23:30")),  # due 2 Oct
    # 16:30 UTC on 2 Oct is 00:30 on 3 Oct in Beijing: a day late.
    arrived("T_CLOSED", "2026-09", "hotline_db", datetime(2026, 10, 2, 16, 30, tzinfo=UTC)),
    arrived("T_ORDERS", "2026-10", "hotline_db", beijing("2026-11-01 09:00")),
    # T_CLOSED 2026-10 (due 2 Nov) never came.
    arrived("T_PM25", "2026-07", "env_api", beijing("2026-08-01 09:00")),
    arrived("T_PM25", "2026-08", "env_api", beijing("2026-09-04 09:00")),  # due 5 Sep
    arrived("T_GOOD_DAYS", "2026-08", "env_api", beijing("2026-09-05 18:00")),
    arrived("T_PM25", "2026-09", "env_api", beijing("2026-10-06 09:00")),  # due 5 Oct: late
    arrived("T_GOOD_DAYS", "2026-09", "env_api", beijing("2026-11-25 09:00")),  # after today
    arrived("T_PM25", "2026-10", "env_api", beijing("2026-11-05 09:00")),
    arrived("T_GOOD_DAYS", "2026-10", "env_api", beijing("2026-11-04 09:00")),
]


def rate_rows(rates: list[DeliveryRate]) -> list[tuple]:
    return [(r.group, r.month, r.due, r.on_time, r.late, r.missing, r.rate) for r in rates]


def test_rates_per_source_count_on_time_late_and_missing(tiny_catalog: Catalog) -> None:
    report = delivery_report(tiny_catalog, SOURCES, ARRIVALS, TODAY, months=3, zone=BEIJING)
    assert report.months == ("2026-09", "2026-10", "2026-11")
    assert rate_rows(report.rates()) == [
        ("hotline_db", "2026-09", 0, 0, 0, 0, None),  # August came due before the connection
        ("hotline_db", "2026-10", 2, 1, 1, 0, 0.5),
        ("hotline_db", "2026-11", 2, 1, 0, 1, 0.5),
        ("env_api", "2026-09", 2, 2, 0, 0, 1.0),
        ("env_api", "2026-10", 2, 0, 1, 1, 0.0),
        ("env_api", "2026-11", 2, 2, 0, 0, 1.0),
        ("stats_files", "2026-09", 0, 0, 0, 0, None),  # never delivered: not connected
        ("stats_files", "2026-10", 0, 0, 0, 0, None),
        ("stats_files", "2026-11", 0, 0, 0, 0, None),
    ]


def test_a_period_is_judged_on_the_local_date_of_its_first_arrival(tiny_catalog: Catalog) -> None:
    report = delivery_report(tiny_catalog, SOURCES, ARRIVALS, TODAY, months=3, zone=BEIJING)
    hotline = sorted(
        (i.period, i.indicator_code, i.due, i.arrived, i.status)
        for i in report.items
        if i.source == "hotline_db"
    )
    assert hotline == [
        ("2026-09", "T_CLOSED", date(2026, 10, 2), date(2026, 10, 3), Punctuality.late),
        ("2026-09", "T_ORDERS", date(2026, 10, 2), date(2026, 10, 2), Punctuality.on_time),
        ("2026-10", "T_CLOSED", date(2026, 11, 2), None, Punctuality.missing),
        ("2026-10", "T_ORDERS", date(2026, 11, 2), date(2026, 11, 1), Punctuality.on_time),
    ]
    # In UTC the late one would have been on time.
    in_utc = delivery_report(tiny_catalog, SOURCES, ARRIVALS, TODAY, months=3, zone=UTC)
    assert rate_rows(in_utc.rates())[1] == ("hotline_db", "2026-10", 2, 2, 0, 0, 1.0)


def test_rates_per_bureau_add_up_the_sources_it_owns(tiny_catalog: Catalog) -> None:
    report = delivery_report(tiny_catalog, SOURCES, ARRIVALS, TODAY, months=3, zone=BEIJING)
    assert rate_rows(report.rates(GroupBy.bureau)) == [
        ("市数据局", "2026-09", 2, 2, 0, 0, 1.0),
        ("市数据局", "2026-10", 4, 1, 2, 1, 0.25),
        ("市数据局", "2026-11", 4, 3, 0, 1, 0.75),
        ("市统计局", "2026-09", 0, 0, 0, 0, None),
        ("市统计局", "2026-10", 0, 0, 0, 0, None),
        ("市统计局", "2026-11", 0, 0, 0, 0, None),
    ]


def test_a_manual_source_is_delivered_by_the_bureau_of_each_indicator(
    tiny_catalog: Catalog,
) -> None:
    """基层填报: the source's owner is a placeholder, each bureau sends its own workbook. Here
    hotline_db is such a source, T_ORDERS 市热线中心's and T_CLOSED 市数据局's (who owns env_api
    too); a manual source with no indicator in the catalog gives no bureau."""
    closed = tiny_catalog.get("T_CLOSED").model_copy(update={"owner": "市数据局"})
    catalog = replace(tiny_catalog, indicators={**tiny_catalog.indicators, "T_CLOSED": closed})
    manual = {"owner": "各指标责任单位", "kind": "manual"}
    sources = [
        SOURCES[0].model_copy(update=manual),
        *SOURCES[1:],
        SourceConfig(id="manual_report", name_zh="基层填报", **manual),
    ]
    assert delivering_bureau(sources[0], closed) == "市数据局"
    assert delivering_bureau(SOURCES[0], closed) == "市数据局"  # the inline source's owner
    report = delivery_report(catalog, sources, ARRIVALS, TODAY, months=3, zone=BEIJING)
    assert report.groups[GroupBy.bureau] == ("市热线中心", "市数据局", "市统计局")
    assert rate_rows(report.rates(GroupBy.bureau)) == [
        ("市热线中心", "2026-09", 0, 0, 0, 0, None),
        ("市热线中心", "2026-10", 1, 1, 0, 0, 1.0),  # T_ORDERS's September
        ("市热线中心", "2026-11", 1, 1, 0, 0, 1.0),
        ("市数据局", "2026-09", 2, 2, 0, 0, 1.0),  # env_api's August
        ("市数据局", "2026-10", 3, 0, 2, 1, 0.0),  # T_CLOSED's September late, and env_api's
        ("市数据局", "2026-11", 3, 2, 0, 1, 2 / 3),  # T_CLOSED's October missing
        ("市统计局", "2026-09", 0, 0, 0, 0, None),
        ("市统计局", "2026-10", 0, 0, 0, 0, None),
        ("市统计局", "2026-11", 0, 0, 0, 0, None),
    ]
    # Per source nothing moves: the manual source is one row, the unused one an empty row.
    plain = delivery_report(tiny_catalog, SOURCES, ARRIVALS, TODAY, months=3, zone=BEIJING)
    assert rate_rows(report.rates())[:-3] == rate_rows(plain.rates())
    assert report.groups[GroupBy.source][-1] == "manual_report"


def test_the_frame_leaves_a_gap_where_nothing_was_due(tiny_catalog: Catalog) -> None:
    report = delivery_report(tiny_catalog, SOURCES, ARRIVALS, TODAY, months=3, zone=BEIJING)
    frame = report.frame()
    assert list(frame.columns) == ["month", "group", "due", "on_time", "late", "missing", "rate"]
    assert frame["rate"].dtype == float
    hotline = frame[frame["group"] == "hotline_db"]
    assert math.isnan(hotline["rate"].iloc[0]) and list(hotline["rate"].iloc[1:]) == [0.5, 0.5]
    assert frame[frame["group"] == "stats_files"]["rate"].isna().all()


def test_a_merged_january_is_never_due(tiny_catalog: Catalog) -> None:
    """T_OUTPUT and T_OUTPUT_GROWTH publish 1–2月 together (lag 15); T_CPI monthly (lag 15);
    T_POP monthly with lag 30. Connected with November 2025, nothing since: all missing."""
    stats = [SOURCES[2]]
    connection = [arrived("T_CPI", "2025-11", "stats_files", beijing("2025-12-15 09:00"))]
    report = delivery_report(
        tiny_catalog, stats, connection, date(2026, 3, 31), months=3, zone=BEIJING
    )
    assert rate_rows(report.rates()) == [
        ("stats_files", "2026-01", 4, 0, 0, 4, 0.0),  # December of all four
        ("stats_files", "2026-02", 1, 0, 0, 1, 0.0),  # January of T_CPI only
        (
            "stats_files",
            "2026-03",
            5,
            0,
            0,
            5,
            0.0,
        ),  # T_POP's January and February, the rest's 1–2月
    ]
    assert sorted(i.period for i in report.items if i.indicator_code == "T_OUTPUT") == [
        "2025-12",
        "2026-02",
    ]


def test_months_must_be_positive(tiny_catalog: Catalog) -> None:
    with pytest.raises(ValueError, match="at least 1"):
        delivery_report(tiny_catalog, SOURCES, ARRIVALS, TODAY, months=0)


# --- recorded by loads, on every store backend ---------------------------------------------
def test_a_refresh_records_first_arrivals_and_a_reload_keeps_them(
    store: MetricStore, tiny_catalog: Catalog, tmp_path: Path
) -> None:
    september = [
        ("T_ORDERS", "2026-09", "city", 120),
        ("T_ORDERS", "2026-09", "east", 70),
        ("T_ORDERS", "2026-09", "west", 50),
        ("T_CLOSED", "2026-09", "city", 100),
    ]
    first = refresh_source(
        store, tiny_catalog, inline_sources(tmp_path, hotline_db={"rows": september}), "hotline_db"
    )
    recorded = {(d.indicator_code, d.period): d for d in deliveries(store.engine)}
    assert sorted(recorded) == [("T_CLOSED", "2026-09"), ("T_ORDERS", "2026-09")]  # city only
    assert {(d.source, d.load_run_id) for d in recorded.values()} == {("hotline_db", first.run.id)}
    assert all(d.delivered_at.tzinfo is not None for d in recorded.values())

    reload = [("T_ORDERS", "2026-09", "city", 121), ("T_ORDERS", "2026-10", "city", 130)]
    second = refresh_source(
        store, tiny_catalog, inline_sources(tmp_path, hotline_db={"rows": reload}), "hotline_db"
    )
    assert second.succeeded and store.values(periods=["2026-09"]).value.max() == 121
    after = {(d.indicator_code, d.period): d for d in deliveries(store.engine)}
    assert after[("T_ORDERS", "2026-09")] == recorded[("T_ORDERS", "2026-09")]
    assert after[("T_ORDERS", "2026-10")].load_run_id == second.run.id
    assert deliveries(store.engine, ["env_api"]) == []


def test_history_recorded_before_a_refresh_is_kept_and_judged(
    store: MetricStore, tiny_catalog: Catalog, tmp_path: Path
) -> None:
    history = [
        arrived("T_ORDERS", "2026-08", "hotline_db", beijing("2026-09-01 09:00")),
        arrived("T_ORDERS", "2026-09", "hotline_db", beijing("2026-10-02 17:00")),
    ]
    add_deliveries(store.engine, history)
    rows = [("T_ORDERS", p, "city", 1) for p in ("2026-08", "2026-09")]
    refresh_source(
        store, tiny_catalog, inline_sources(tmp_path, hotline_db={"rows": rows}), "hotline_db"
    )
    assert sorted(deliveries(store.engine), key=lambda d: d.period) == history
    # As of 31 Oct: September of T_ORDERS on time, T_CLOSED's never came.
    report = stored_delivery_report(store, tiny_catalog, SOURCES, date(2026, 10, 31), months=1)
    assert rate_rows(report.rates()) == [
        ("hotline_db", "2026-10", 2, 1, 0, 1, 0.5),
        ("env_api", "2026-10", 0, 0, 0, 0, None),
        ("stats_files", "2026-10", 0, 0, 0, 0, None),
    ]


def test_a_report_reads_only_the_arrivals_its_window_needs(
    store: MetricStore, tiny_catalog: Catalog
) -> None:
    """Years of T_ORDERS on time since January 2020: a report reads each indicator's earliest
    arrival (its source's connection; T_CLOSED's two tie) and the periods due in its window,
    and judges as over every arrival."""
    years = [
        arrived(
            "T_ORDERS", period.label, "hotline_db", beijing(f"{period.end + timedelta(1)} 09:00")
        )
        for period in (Period.parse("2020-01") + n for n in range(6 * 12 + 6))  # to 2026-06
    ]
    add_deliveries(store.engine, [*years, *ARRIVALS])
    ids = [s.id for s in SOURCES]
    needed = report_arrivals(store.engine, tiny_catalog, ids, date(2026, 9, 1), TODAY)
    assert sorted((d.indicator_code, d.period) for d in needed) == [
        ("T_CLOSED", "2026-07"),  # earliest, with August
        ("T_CLOSED", "2026-08"),  # due 2 Sep, and September and October with it
        ("T_CLOSED", "2026-09"),
        ("T_GOOD_DAYS", "2026-08"),
        ("T_GOOD_DAYS", "2026-09"),  # after today: read, not counted as arrived
        ("T_GOOD_DAYS", "2026-10"),
        ("T_ORDERS", "2020-01"),
        ("T_ORDERS", "2026-08"),
        ("T_ORDERS", "2026-09"),
        ("T_ORDERS", "2026-10"),
        ("T_PM25", "2026-07"),
        ("T_PM25", "2026-08"),
        ("T_PM25", "2026-09"),
        ("T_PM25", "2026-10"),
    ]
    everything = deliveries(store.engine)
    assert len(everything) == len(years) + len(ARRIVALS)
    for months in (1, 3, 12):
        stored = stored_delivery_report(store, tiny_catalog, SOURCES, TODAY, months)
        assert stored == delivery_report(tiny_catalog, SOURCES, everything, TODAY, months)
    [hotline_september] = stored_delivery_report(store, tiny_catalog, SOURCES, TODAY, 3).rates()[:1]
    assert hotline_september.due == 2  # connected since 2020: August counts now


# --- cockpit delivery -----------------------------------------------------------------------
def test_cockpit_delivery_prints_rates_by_bureau(tmp_path: Path) -> None:
    """Dated from today: last month is fully past (due on its 2nd), this month may not be."""
    month = Period.containing(Frequency.month, local_today())
    before_last, last_but_two = month - 2, month - 3
    due = (before_last.end + timedelta(days=2)).isoformat()  # lag 2
    sources = [
        {"id": s.id, "name_zh": s.name_zh, "owner": s.owner, "kind": s.kind} for s in SOURCES
    ]
    (tmp_path / "sources.yaml").write_text(yaml.safe_dump({"sources": sources}), encoding="utf-8")
    deadline = beijing(f"{due} 18:00")
    engine = open_store(f"sqlite:///{tmp_path / 'cockpit.db'}").engine
    add_deliveries(
        engine,
        [
            arrived("T_ORDERS", last_but_two.label, "hotline_db", deadline - timedelta(days=31)),
            arrived("T_ORDERS", before_last.label, "hotline_db", deadline),
            arrived("T_CLOSED", before_last.label, "hotline_db", deadline + timedelta(days=1)),
        ],
    )
    engine.dispose()
    catalog = ("--catalog", str(FIXTURE_CATALOG))
    result = cockpit(
        tmp_path, "delivery", "--by", "bureau", "--months", "2", "--format", "json", *catalog
    )
    assert result.returncode == 0, result.stderr
    document = json.loads(result.stdout)
    assert document["by"] == "bureau" and document["months"] == [(month - 1).label, month.label]
    assert document["rates"][0] == {
        "month": (month - 1).label,
        "group": "市数据局",
        "due": 2,
        "on_time": 1,
        "late": 1,
        "missing": 0,
        "rate": 0.5,
    }
    table = cockpit(tmp_path, "delivery", *catalog)
    assert table.returncode == 0, table.stderr
    assert "50%" in table.stdout and "1/2" in table.stdout and "热线" in table.stdout
