"""累计 ↔ 当月 conversions: round trips by property, 1–2月 merged releases and gaps by hand."""

from __future__ import annotations

import math

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from indicators.cumulation import period_from_ytd, ytd_from_period
from indicators.periods import Period

amounts = st.floats(min_value=-1e6, max_value=1e9, allow_nan=False).map(lambda x: round(x, 2))


def frame(values: dict[str, float], column: str = "city") -> pd.DataFrame:
    index = pd.PeriodIndex([Period.parse(k).to_pandas() for k in values])
    return pd.DataFrame({column: list(values.values())}, index=index)


def key(label: str) -> pd.Period:
    return Period.parse(label).to_pandas()


@st.composite
def monthly_series(draw: st.DrawFn, merged: bool) -> pd.DataFrame:
    start_year = draw(st.integers(2015, 2030))
    months = draw(st.integers(1, 40))
    first = Period.month(start_year, 1)
    periods = [first + i for i in range(months)]
    if merged:
        periods = [p for p in periods if p.index != 1]
    values = draw(st.lists(amounts, min_size=len(periods), max_size=len(periods)))
    index = pd.PeriodIndex([p.to_pandas() for p in periods], freq="M")
    return pd.DataFrame({"city": values}, index=index)


@given(monthly_series(merged=False))
def test_ytd_then_period_gives_back_the_period_values(values: pd.DataFrame) -> None:
    back = period_from_ytd(ytd_from_period(values))
    pd.testing.assert_frame_equal(back, values, check_exact=False, atol=1e-3, check_freq=False)


@given(monthly_series(merged=True))
def test_round_trip_with_merged_january_february(values: pd.DataFrame) -> None:
    if values.empty:
        return
    ytd = ytd_from_period(values, merged_jan_feb=True)
    assert all(p.month != 1 for p in ytd.index)
    back = period_from_ytd(ytd, merged_jan_feb=True)
    pd.testing.assert_frame_equal(back, values, check_exact=False, atol=1e-3)


@given(monthly_series(merged=False))
def test_december_ytd_is_the_sum_of_the_year(values: pd.DataFrame) -> None:
    ytd = ytd_from_period(values)
    for period in ytd.index:
        if period.month == 12:
            year = [v for p, v in values["city"].items() if p.year == period.year]
            assert ytd.at[period, "city"] == pytest.approx(sum(year), abs=1e-3)


def test_hand_checked_ytd_with_merged_release() -> None:
    # 1–2月 merged: February carries Jan+Feb; March adds its own month.
    published_ytd = frame({"2026-02": 150.0, "2026-03": 240.0, "2026-04": 330.5})
    months = period_from_ytd(published_ytd, merged_jan_feb=True)
    assert months["city"].tolist() == [150.0, 90.0, 90.5]
    assert [str(p) for p in months.index] == ["2026-02", "2026-03", "2026-04"]


def test_ytd_resets_each_january() -> None:
    months = frame({"2025-11": 10.0, "2025-12": 20.0, "2026-01": 5.0, "2026-02": 7.0})
    ytd = ytd_from_period(months)
    assert ytd.loc[key("2026-02"), "city"] == 12.0
    # 2025 starts in November here, so its 累计 is unknown: January–October are missing.
    assert math.isnan(ytd.loc[key("2025-12"), "city"])


def test_a_missing_month_makes_the_rest_of_the_year_unknown() -> None:
    months = frame({"2026-01": 1.0, "2026-02": 2.0, "2026-04": 4.0, "2026-05": 5.0})
    ytd = ytd_from_period(months)
    assert ytd["city"].tolist()[:2] == [1.0, 3.0]
    assert all(math.isnan(v) for v in ytd["city"].tolist()[2:])


def test_period_from_ytd_after_a_gap_is_unknown_not_the_whole_total() -> None:
    ytd = frame({"2026-01": 10.0, "2026-03": 35.0})
    months = period_from_ytd(ytd)
    assert months.loc[key("2026-01"), "city"] == 10.0
    assert math.isnan(months.loc[key("2026-03"), "city"])


def test_quarterly_cumulative_periods() -> None:
    # 一季度, 上半年, 前三季度, 全年 → discrete quarters.
    ytd = frame({"2026Q1": 500.0, "2026Q2": 1100.0, "2026Q3": 1750.0, "2026Q4": 2400.0})
    quarters = period_from_ytd(ytd)
    assert quarters["city"].tolist() == [500.0, 600.0, 650.0, 650.0]
