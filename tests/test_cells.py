"""Cells as bureaus write them: missing marks, full-width digits, separators, percentages, units."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from connectors.cells import CellError, convert_unit, parse_number


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("1,234.5", 1234.5),
        ("１２３．４", 123.4),  # full-width digits and point
        ("1，234", 1234.0),  # full-width comma
        (" -3.5 ", -3.5),
        ("+2", 2.0),
        ("1e3", 1000.0),
        (42, 42.0),
        (4.25, 4.25),
    ],
)
def test_numbers(cell: object, expected: float) -> None:
    assert parse_number(cell) == expected


@pytest.mark.parametrize(
    "cell", [None, "", "  ", "-", "—", "——", "…", "...", "－", "x", float("nan")]
)
def test_missing_marks_are_none_never_zero(cell: object) -> None:
    assert parse_number(cell) is None


def test_percent_only_where_allowed() -> None:
    assert parse_number("5.2%", allow_percent=True) == 5.2
    assert parse_number("５．２％", allow_percent=True) == 5.2
    with pytest.raises(CellError, match="percentage"):
        parse_number("5.2%")


@pytest.mark.parametrize("cell", ["12a", "1.2.3", "约100", True, float("inf"), "==1"])
def test_garbage_is_an_error_naming_the_text(cell: object) -> None:
    with pytest.raises(CellError, match="not a"):
        parse_number(cell)


@given(st.floats(min_value=-1e12, max_value=1e12, allow_nan=False).map(lambda x: round(x, 4)))
def test_formatted_numbers_read_back(value: float) -> None:
    assert parse_number(f"{value:,.4f}") == pytest.approx(value, abs=1e-4)


def test_units() -> None:
    assert convert_unit(123456.0, "万元", "亿元") == pytest.approx(12.3456)
    assert convert_unit(1.5, "亿元", "万元") == pytest.approx(15000.0)
    assert convert_unit(7.0, "%", "%") == 7.0
    with pytest.raises(CellError, match="cannot convert 万元 to 平方米"):
        convert_unit(1.0, "万元", "平方米")
    assert convert_unit(25000.0, "辆", "万辆") == pytest.approx(2.5)
    assert convert_unit(1234.5, "万千瓦时", "亿千瓦时") == pytest.approx(0.12345)
    with pytest.raises(CellError, match="measure different things"):
        convert_unit(1.0, "人", "人次")
