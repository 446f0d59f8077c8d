"""Series of every kind from stored values: the edge cases where a wrong rule gives a
plausible but wrong number."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from indicators.compute import Calculator
from indicators.periods import Period
from tests.catalog_builder import indicator, make_catalog


def stored(rows: list[tuple[str, str, float]]) -> pd.DataFrame:
    return pd.DataFrame(
        [(code, period, "city", value) for code, period, value in rows],
        columns=["indicator_code", "period", "area", "value"],
    )


def at(frame: pd.DataFrame | None, label: str) -> float:
    assert frame is not None
    return float(frame.at[Period.parse(label).to_pandas(), "city"])


def test_ytd_ratio_is_sum_over_sum_not_the_mean_of_monthly_ratios() -> None:
    catalog = make_catalog(
        indicator("DONE"),
        indicator("ALL"),
        indicator(
            "RATE",
            kind="ratio",
            numerator="DONE",
            denominator="ALL",
            factor=100,
            unit="%",
            nature="rate",
        ),
    )
    values = stored(
        [
            ("DONE", "2026-01", 90),
            ("ALL", "2026-01", 100),
            ("DONE", "2026-02", 150),
            ("ALL", "2026-02", 300),
        ]
    )
    rate = Calculator(catalog, values).series("RATE")
    assert (at(rate.period, "2026-01"), at(rate.period, "2026-02")) == (90.0, 50.0)
    assert at(rate.ytd, "2026-02") == pytest.approx(60.0)  # 240 / 400, not (90 + 50) / 2 = 70


def test_ratio_of_a_ytd_published_part_and_a_monthly_part() -> None:
    catalog = make_catalog(
        indicator("TAX", published_as="ytd"),
        indicator("REV"),
        indicator(
            "SHARE",
            kind="ratio",
            numerator="TAX",
            denominator="REV",
            factor=100,
            unit="%",
            nature="rate",
        ),
    )
    values = stored(
        [
            ("TAX", "2026-01", 30),
            ("TAX", "2026-02", 80),
            ("REV", "2026-01", 60),
            ("REV", "2026-02", 100),
        ]
    )
    share = Calculator(catalog, values).series("SHARE")
    assert at(share.period, "2026-02") == pytest.approx(50.0)  # (80 − 30) / 100
    assert at(share.ytd, "2026-02") == pytest.approx(50.0)  # 80 / 160


def test_a_nonlinear_derived_flow_accumulates_its_own_periods() -> None:
    catalog = make_catalog(
        indicator("OUTPUT"),
        indicator("VA_RATE", nature="rate", unit="%"),
        indicator("VA", kind="derived", formula="OUTPUT * VA_RATE / 100"),
    )
    values = stored(
        [
            ("OUTPUT", "2026-01", 100),
            ("VA_RATE", "2026-01", 10),
            ("OUTPUT", "2026-02", 100),
            ("VA_RATE", "2026-02", 50),
        ]
    )
    va = Calculator(catalog, values).series("VA")
    assert (at(va.period, "2026-01"), at(va.period, "2026-02")) == (10.0, 50.0)
    assert at(va.ytd, "2026-02") == 60.0  # Σ当期, not 200 × 50% = 100


def test_a_derived_stock_has_no_ytd_and_a_derived_rate_uses_ytd_parts() -> None:
    catalog = make_catalog(
        indicator("DEPOSITS", nature="stock"),
        indicator("LOANS", nature="stock"),
        indicator("NET", kind="derived", formula="DEPOSITS - LOANS", nature="stock"),
        indicator("FLOW"),
        indicator("POP", nature="stock", unit="万人"),
        indicator("PER_HEAD", kind="derived", formula="FLOW / POP", nature="rate"),
    )
    values = stored(
        [
            ("DEPOSITS", "2026-02", 500),
            ("LOANS", "2026-02", 300),
            ("FLOW", "2026-01", 30),
            ("FLOW", "2026-02", 40),
            ("POP", "2026-02", 10),
        ]
    )
    calc = Calculator(catalog, values)
    assert calc.series("NET").ytd is None
    assert at(calc.series("NET").period, "2026-02") == 200.0
    assert at(calc.series("PER_HEAD").ytd, "2026-02") == 7.0  # 累计 70 over the period-end 10


def test_cumulative_indicator_keeps_monthly_additions_as_its_period_value() -> None:
    catalog = make_catalog(indicator("NEW"), indicator("NEW_YTD", kind="cumulative", input="NEW"))
    values = stored([("NEW", f"2026-{m:02d}", 100) for m in range(1, 4)])
    series = Calculator(catalog, values).series("NEW_YTD")
    assert [at(series.period, f"2026-{m:02d}") for m in range(1, 4)] == [100.0, 100.0, 100.0]
    assert [at(series.ytd, f"2026-{m:02d}") for m in range(1, 4)] == [100.0, 200.0, 300.0]


def test_composite_reads_the_figure_its_child_shows() -> None:
    catalog = make_catalog(
        indicator("GOOD", unit="%", nature="rate", target={"basis": "ytd_level", "value": 80}),
        indicator("ALL_DAYS", unit="天"),
        indicator("GOOD_DAYS", unit="天"),
        indicator(
            "SHARE",
            kind="ratio",
            numerator="GOOD_DAYS",
            denominator="ALL_DAYS",
            factor=100,
            unit="%",
            nature="rate",
            target={"basis": "ytd_level", "value": 80},
        ),
        indicator(
            "INDEX",
            kind="composite",
            unit="分",
            nature="rate",
            children=[{"code": "SHARE", "weight": 1, "lower": 0, "upper": 100}],
        ),
    )
    values = stored(
        [
            ("GOOD_DAYS", "2026-01", 31),
            ("ALL_DAYS", "2026-01", 31),
            ("GOOD_DAYS", "2026-02", 14),
            ("ALL_DAYS", "2026-02", 28),
        ]
    )
    index = Calculator(catalog, values).series("INDEX")
    assert at(index.period, "2026-02") == pytest.approx(
        45 / 59 * 100
    )  # the 1–2月 share, not February's 50


def test_rows_of_another_frequency_are_left_out_not_fatal() -> None:
    catalog = make_catalog(indicator("NN"))
    values = stored([("NN", "2026-01", 1), ("NN", "2026Q1", 99), ("NN", "2026-02", 2)])
    series = Calculator(catalog, values).series("NN")
    assert [str(p) for p in series.period.index] == ["2026-01", "2026-02"]
    assert at(series.ytd, "2026-02") == 3.0


def test_zero_denominator_gives_no_value() -> None:
    catalog = make_catalog(
        indicator("AA"),
        indicator("BB"),
        indicator("RR", kind="ratio", numerator="AA", denominator="BB", nature="rate"),
    )
    series = Calculator(catalog, stored([("AA", "2026-01", 1), ("BB", "2026-01", 0)])).series("RR")
    assert math.isnan(at(series.period, "2026-01"))
