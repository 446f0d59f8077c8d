"""同比 and 环比: growth in % for levels, 个百分点 for rates, aligned by label."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from indicators.growth import change
from indicators.periods import Period


def frame(values: dict[str, float]) -> pd.DataFrame:
    index = pd.Index([Period.parse(k) for k in values], dtype=object)
    return pd.DataFrame({"city": list(values.values())}, index=index)


def at(result: pd.DataFrame, label: str) -> float:
    return float(result.at[Period.parse(label), "city"])


def test_yoy_growth_of_a_level() -> None:
    values = frame({"2025-10": 200.0, "2026-09": 205.0, "2026-10": 210.0})
    result = change(values, yoy=True, is_rate=False)
    assert at(result, "2026-10") == pytest.approx(5.0)  # (210 − 200) / 200
    assert math.isnan(at(result, "2026-09"))  # no 2025-09 base


def test_mom_growth_of_a_level() -> None:
    values = frame({"2026-09": 200.0, "2026-10": 210.0})
    assert at(change(values, yoy=False, is_rate=False), "2026-10") == pytest.approx(5.0)


def test_rates_change_in_percentage_points() -> None:
    values = frame({"2025-10": 96.4, "2026-09": 97.5, "2026-10": 98.1})
    assert at(change(values, yoy=True, is_rate=True), "2026-10") == pytest.approx(1.7)
    assert at(change(values, yoy=False, is_rate=True), "2026-10") == pytest.approx(0.6)


def test_growth_from_zero_or_negative_base_is_undefined() -> None:
    values = frame({"2025-10": 0.0, "2025-11": -5.0, "2026-10": 3.0, "2026-11": 2.0})
    result = change(values, yoy=True, is_rate=False)
    assert math.isnan(at(result, "2026-10"))
    assert math.isnan(at(result, "2026-11"))


def test_quarter_yoy_aligns_by_label() -> None:
    values = frame({"2025Q3": 1600.0, "2026Q2": 1100.0, "2026Q3": 1700.0})
    assert at(change(values, yoy=True, is_rate=False), "2026Q3") == pytest.approx(6.25)


def test_march_has_no_mom_after_a_merged_january_february() -> None:
    values = frame({"2026-02": 150.0, "2026-03": 90.0, "2026-04": 99.0})
    result = change(values, yoy=False, is_rate=False, merged_jan_feb=True)
    assert math.isnan(at(result, "2026-03"))
    assert at(result, "2026-04") == pytest.approx(10.0)
