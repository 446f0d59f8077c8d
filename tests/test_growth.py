"""同比 and 环比: growth in % for levels, 个百分点 for rates, bases aligned by label."""

from __future__ import annotations

import pytest

from indicators.growth import base_period, change
from indicators.periods import Period


@pytest.mark.parametrize(
    ("label", "yoy", "merged", "expected"),
    [
        ("2026-10", True, False, "2025-10"),
        ("2026-10", False, False, "2026-09"),
        ("2026-01", False, False, "2025-12"),
        ("2026Q3", True, False, "2025Q3"),
        ("2026Q1", False, False, "2025Q4"),
        ("2026", False, False, "2025"),
        ("2024-02-29", True, False, "2023-02-28"),
        ("2026-03-01", False, False, "2026-02-28"),
        ("2026-03", False, True, None),  # February holds 1–2月
        ("2026-04", False, True, "2026-03"),
        ("2026-03", True, True, "2025-03"),
    ],
)
def test_base_periods(label: str, yoy: bool, merged: bool, expected: str | None) -> None:
    base = base_period(Period.parse(label), yoy=yoy, merged_jan_feb=merged)
    assert (base.label if base else None) == expected


def test_growth_of_a_level() -> None:
    assert change(210.0, 200.0, is_rate=False) == pytest.approx(5.0)
    assert change(33.0, 38.0, is_rate=False) == pytest.approx(-13.157894)


def test_rates_change_in_percentage_points() -> None:
    assert change(98.1, 96.4, is_rate=True) == pytest.approx(1.7)


@pytest.mark.parametrize(
    ("current", "base"), [(3.0, 0.0), (3.0, -5.0), (None, 2.0), (2.0, None), (float("nan"), 1.0)]
)
def test_undefined_growth_is_none(current: float | None, base: float | None) -> None:
    assert change(current, base, is_rate=False) is None


def test_rate_difference_from_a_zero_base_is_defined() -> None:
    assert change(0.5, 0.0, is_rate=True) == 0.5
