"""Period arithmetic and labels, by properties and by hand-checked cases."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from indicators.model import Frequency
from indicators.periods import Period, PeriodError, parse_window, period_range

frequencies = st.sampled_from(list(Frequency))


@st.composite
def periods(draw: st.DrawFn, frequency: Frequency | None = None) -> Period:
    freq = frequency or draw(frequencies)
    day = draw(st.dates(min_value=date(1990, 1, 1), max_value=date(2100, 12, 31)))
    return Period.containing(freq, day)


@given(periods())
def test_label_round_trips(period: Period) -> None:
    assert Period.parse(period.label) == period


@given(periods(), st.integers(-500, 500), st.integers(-500, 500))
def test_addition_is_associative_and_subtraction_inverts_it(period: Period, a: int, b: int) -> None:
    assert (period + a) + b == period + (a + b)
    assert (period + a) - period == a
    assert (period + a) - a == period


@given(periods())
def test_next_period_starts_the_day_after_this_one_ends(period: Period) -> None:
    assert (period + 1).start == date.fromordinal(period.end.toordinal() + 1)
    assert period.start <= period.end


@given(periods())
def test_same_period_last_year_is_one_year_back_by_label(period: Period) -> None:
    base = period.same_period_last_year()
    assert base.frequency is period.frequency
    assert base.year == period.year - 1
    if period.frequency is not Frequency.day:
        assert period - base == period.periods_in_year


@given(periods())
def test_year_to_date_window_starts_in_january_and_ends_here(period: Period) -> None:
    window = period.periods_to_date()
    assert window[0] == period.year_start()
    assert window[-1] == period
    assert len(window) == period.position_in_year
    assert 0 < period.elapsed_share() <= 1


@given(periods(Frequency.month))
def test_merged_release_has_no_january(period: Period) -> None:
    window = period.periods_to_date(merged_jan_feb=True)
    assert all(p.index != 1 for p in window)
    assert len(window) == period.index - 1


@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("2026-10", "2026-10"),
        ("2026M3", "2026-03"),
        ("2026年10月", "2026-10"),
        ("2026年3月份", "2026-03"),
        ("2026Q3", "2026Q3"),
        ("2026-q1", "2026Q1"),
        ("2026年三季度", "2026Q3"),
        ("2026年第一季度", "2026Q1"),
        ("2026", "2026"),
        ("2026年", "2026"),
        ("2024-02-29", "2024-02-29"),
        ("2026年10月5日", "2026-10-05"),
        ("202610", "2026-10"),
    ],
)
def test_parse_accepts_common_labels(text: str, label: str) -> None:
    assert Period.parse(text).label == label


@pytest.mark.parametrize(
    "text", ["2026-13", "2026Q5", "26-10", "October", "", "2026-02-30", "20261", "0001-01-01"]
)
def test_parse_refuses_malformed_labels(text: str) -> None:
    with pytest.raises(PeriodError, match="period"):
        Period.parse(text)


def test_chinese_year_to_date_names() -> None:
    assert Period.parse("2026-10").ytd_label_zh() == "1-10月"
    assert Period.parse("2026-01").ytd_label_zh() == "1月"
    assert Period.parse("2026-02").ytd_label_zh(merged_jan_feb=True) == "1-2月"
    names = [Period.quarter(2026, q).ytd_label_zh() for q in range(1, 5)]
    assert names == ["一季度", "上半年", "前三季度", "全年"]
    assert Period.quarter(2026, 3).label_zh() == "2026年第三季度"


def test_elapsed_share_hand_checked() -> None:
    assert Period.month(2026, 10).elapsed_share() == pytest.approx(10 / 12)
    assert Period.quarter(2026, 2).elapsed_share() == 0.5
    assert Period.of_year(2026).elapsed_share() == 1.0
    assert Period.parse("2024-02-29").elapsed_share() == pytest.approx(60 / 366)


def test_leap_day_compares_with_28_february() -> None:
    assert Period.parse("2024-02-29").same_period_last_year().label == "2023-02-28"


def test_latest_complete_period() -> None:
    today = date(2026, 11, 25)
    assert Period.latest_complete(Frequency.month, today).label == "2026-10"
    assert Period.latest_complete(Frequency.quarter, today).label == "2026Q3"
    assert Period.latest_complete(Frequency.year, today).label == "2025"
    assert Period.latest_complete(Frequency.day, today).label == "2026-11-24"
    assert Period.latest_complete(Frequency.month, date(2026, 1, 3)).label == "2025-12"


def test_range_and_ordering() -> None:
    months = period_range(Period.parse("2025-11"), Period.parse("2026-02"))
    assert [p.label for p in months] == ["2025-11", "2025-12", "2026-01", "2026-02"]
    shuffled = [months[2], months[0], months[3], months[1]]
    assert sorted(shuffled) == months
    with pytest.raises(PeriodError):
        _ = Period.parse("2026-01") < Period.parse("2026Q1")


@pytest.mark.parametrize(
    ("text", "frequency", "label", "is_window"),
    [
        ("2026年1-10月", None, "2026-10", True),
        ("2026年1—2月", None, "2026-02", True),
        ("2026 年 1～3 月", None, "2026-03", True),
        ("2026年前三季度", None, "2026Q3", True),
        ("2026年1-3季度", None, "2026Q3", True),
        ("2026年上半年", None, "2026Q2", True),
        ("2026年上半年", Frequency.month, "2026-06", True),
        ("2026年全年", Frequency.quarter, "2026Q4", True),
        ("2026年全年", None, "2026", True),
        ("2026年10月", None, "2026-10", False),
        ("2026年一季度", None, "2026Q1", False),
        ("2026Q3", Frequency.quarter, "2026Q3", False),
    ],
)
def test_parse_window_reads_cumulative_column_heads(
    text: str, frequency: Frequency | None, label: str, is_window: bool
) -> None:
    period, window = parse_window(text, frequency)
    assert (period.label, window) == (label, is_window)


@given(periods(Frequency.month), st.booleans())
def test_ytd_labels_read_back(period: Period, merged: bool) -> None:
    text = f"{period.year}年{period.ytd_label_zh(merged_jan_feb=merged)}"
    parsed, window = parse_window(text, Frequency.month)
    assert parsed == period
    assert window == (period.index > 1 or merged)


@given(periods(Frequency.quarter))
def test_quarter_ytd_labels_read_back(period: Period) -> None:
    parsed, _ = parse_window(f"{period.year}年{period.ytd_label_zh()}", Frequency.quarter)
    assert parsed == period


def test_parse_window_refuses_impossible_months() -> None:
    with pytest.raises(PeriodError, match="month 13"):
        parse_window("2026年1-13月")
