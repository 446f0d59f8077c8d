"""Target attainment, 序时进度 and RAG status, hand-checked for every rule."""

from __future__ import annotations

import pytest

from indicators.model import Indicator
from indicators.periods import Period
from indicators.registry import Catalog
from indicators.targets import Status, judge


def ind(catalog: Catalog, code: str) -> Indicator:
    return catalog.get(code)


@pytest.mark.parametrize(
    ("ytd", "status", "attainment", "gap"),
    [
        # Target 1200 for the year; end of October → 序时进度 10/12 = 83.33%.
        (1000.0, Status.green, 83.33, 0.0),  # exactly on schedule
        (1100.0, Status.green, 91.67, 8.33),
        (900.0, Status.amber, 75.0, -8.33),  # behind, within 10 points
        (870.0, Status.red, 72.5, -10.83),  # more than 10 points behind
    ],
)
def test_cumulative_annual_target_against_schedule(
    tiny_catalog: Catalog, ytd: float, status: Status, attainment: float, gap: float
) -> None:
    judgement = judge(ind(tiny_catalog, "T_OUTPUT"), Period.parse("2026-10"), None, ytd)
    assert judgement.status is status
    assert judgement.target == 1200
    assert judgement.schedule == pytest.approx(83.33, abs=0.01)
    assert judgement.attainment == pytest.approx(attainment, abs=0.01)
    assert judgement.gap == pytest.approx(gap, abs=0.01)
    assert judgement.gap_unit == "个百分点"


def test_year_specific_target_wins(tiny_catalog: Catalog) -> None:
    judgement = judge(ind(tiny_catalog, "T_OUTPUT"), Period.parse("2025-06"), None, 500.0)
    assert judgement.target == 1000
    assert judgement.attainment == pytest.approx(50.0)
    assert judgement.status is Status.green  # 50% done at 50% of the year


@pytest.mark.parametrize(
    ("value", "status", "gap"),
    [
        (96.0, Status.green, 1.0),
        (95.0, Status.green, 0.0),
        (92.5, Status.amber, -2.5),
        (89.9, Status.red, -5.1),
    ],
)
def test_level_threshold_for_an_up_rate(
    tiny_catalog: Catalog, value: float, status: Status, gap: float
) -> None:
    judgement = judge(ind(tiny_catalog, "T_CLOSE_RATE"), Period.parse("2026-10"), value, None)
    assert judgement.status is status
    assert judgement.gap == pytest.approx(gap)
    assert judgement.gap_unit == "个百分点"
    assert judgement.attainment is None  # rates are read by their gap, not a ratio of rates


@pytest.mark.parametrize(
    ("value", "status", "attainment"),
    [
        (30.0, Status.green, 116.67),
        (35.0, Status.green, 100.0),
        (38.0, Status.amber, 92.11),
        (41.0, Status.red, 85.37),
    ],
)
def test_level_threshold_for_a_down_indicator(
    tiny_catalog: Catalog, value: float, status: Status, attainment: float
) -> None:
    judgement = judge(ind(tiny_catalog, "T_PM25"), Period.parse("2026-10"), value, None)
    assert judgement.status is status
    assert judgement.attainment == pytest.approx(attainment, abs=0.01)  # target / value


def test_ytd_level_judges_the_cumulative_value(tiny_catalog: Catalog) -> None:
    growth = ind(tiny_catalog, "T_OUTPUT_GROWTH")
    # a published 1–N月 growth rate is stored as the period's value; ytd_level reads 累计.
    assert judge(growth, Period.parse("2026-10"), 9.9, 4.5).status is Status.amber
    assert judge(growth, Period.parse("2026-10"), 1.0, 5.2).gap == pytest.approx(0.2)


@pytest.mark.parametrize(
    ("value", "status"),
    [
        (2.0, Status.green),
        (1.0, Status.green),
        (3.5, Status.amber),
        (-0.5, Status.red),
        (4.1, Status.red),
    ],
)
def test_band_rule(tiny_catalog: Catalog, value: float, status: Status) -> None:
    assert judge(ind(tiny_catalog, "T_CPI"), Period.parse("2026-10"), value, None).status is status


def test_missing_value_is_unknown_and_no_rule_is_none(tiny_catalog: Catalog) -> None:
    assert (
        judge(ind(tiny_catalog, "T_CLOSE_RATE"), Period.parse("2026-10"), None, None).status
        is Status.unknown
    )
    assert (
        judge(ind(tiny_catalog, "T_ORDERS"), Period.parse("2026-10"), 5.0, 5.0).status
        is Status.none
    )
