"""The sample city's delivery history: a year of first arrivals, the same for a seed, true to
the plan (市财政局 slipping then overdue, the broken power file never arrived), per source and
per bureau, without building the city."""

from __future__ import annotations

from datetime import date

import pytest

from connectors.config import load_sources
from connectors.delivery import DeliveryReport, GroupBy, delivery_report
from connectors.template import MANUAL_SOURCE, reporting_indicators
from indicators.registry import DEFAULT_CATALOG, Catalog, load_catalog
from indicators.settings import display_timezone
from indicators.store.operations import Delivery
from sample_data.deliveries import delivery_history
from sample_data.generate import SOURCES_TEMPLATE
from sample_data.model import CityModel
from sample_data.plan import BROKEN_SOURCE, OVERDUE_SOURCES

TODAY = date(2026, 11, 26)


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog(DEFAULT_CATALOG).catalog


def history(catalog: Catalog, seed: int = 2026) -> list[Delivery]:
    model = CityModel(catalog, seed=seed, today=TODAY, overdue_sources=OVERDUE_SOURCES)
    return delivery_history(model)


@pytest.fixture(scope="module")
def report(catalog: Catalog) -> DeliveryReport:
    sources = load_sources(SOURCES_TEMPLATE).sources
    return delivery_report(catalog, sources, history(catalog), TODAY)


def test_the_same_seed_gives_the_same_history(catalog: Catalog) -> None:
    first = history(catalog)
    assert first == history(catalog)
    assert first != history(catalog, seed=7)


def test_arrivals_lie_between_the_connection_and_yesterday(catalog: Catalog) -> None:
    days = {d.delivered_at.astimezone(display_timezone()).date() for d in history(catalog)}
    assert min(days) == date(2025, 12, 1)  # the first day of the twelve months
    assert max(days) == date(2026, 11, 25)


def test_finance_slipped_then_stopped(report: DeliveryReport) -> None:
    finance = [
        (r.month, r.due, r.on_time, r.late, r.missing)
        for r in report.rates()
        if r.group == "finance_files"
    ]
    assert finance[-4:] == [
        ("2026-08", 5, 0, 5, 0),
        ("2026-09", 5, 0, 5, 0),
        ("2026-10", 5, 0, 5, 0),
        ("2026-11", 5, 0, 0, 5),  # October, due 12 and 15 November, has not come
    ]


def test_the_broken_power_file_never_arrived(report: DeliveryReport) -> None:
    [latest] = [r for r in report.rates() if r.group == BROKEN_SOURCE and r.month == "2026-11"]
    assert (latest.due, latest.on_time, latest.missing) == (2, 0, 2)


def test_the_other_sources_are_mostly_on_time(report: DeliveryReport) -> None:
    """Over the year each delivers 85–99 % on time: good, with the odd late file."""
    frame = report.frame()
    totals = frame.groupby("group")[["due", "on_time"]].sum()
    shares = (totals["on_time"] / totals["due"]).drop(["finance_files", BROKEN_SOURCE])
    assert len(shares) == 7
    assert shares.between(0.85, 0.99).all(), shares.to_dict()
    assert (frame["due"] > 0).all()  # every source has something due every month


def test_per_bureau_the_manual_reports_are_each_bureaus_own(
    catalog: Catalog, report: DeliveryReport
) -> None:
    """基层填报's owner (各指标责任单位) is no bureau: its periods count for each indicator's
    责任单位, after the other sources' owners; only 市财政局 falls short of 80 % a year."""
    sources = load_sources(SOURCES_TEMPLATE).sources
    owners = [s.owner for s in sources if s.id != MANUAL_SOURCE]
    reporting = list(dict.fromkeys(i.owner for i in reporting_indicators(catalog)))
    assert report.groups[GroupBy.bureau] == tuple(dict.fromkeys([*owners, *reporting]))
    # 18 bureaus report by hand, 市生态环境局 and 市政务服务和数据管理局 besides their systems
    assert (len(owners), len(reporting), len(report.groups[GroupBy.bureau])) == (8, 18, 24)
    assert "各指标责任单位" not in report.groups[GroupBy.bureau]
    water = {i.indicator_code for i in report.items if i.bureau == "市水务局"}
    assert water == {i.code for i in reporting_indicators(catalog, "市水务局")}
    totals = report.frame(GroupBy.bureau).groupby("group")[["due", "on_time"]].sum()
    shares = totals["on_time"] / totals["due"]
    assert list(shares[shares < 0.8].index) == ["市财政局"], shares.to_dict()
