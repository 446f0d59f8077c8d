"""Snapshot details: per-capita 累计 ratios, provenance of published 累计, the default
period after a gap, merged-January sparklines, unreadable stored labels."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from indicators.compute import Calculator
from indicators.periods import Period
from indicators.snapshot import SnapshotBuilder
from tests.catalog_builder import indicator, make_catalog


def stored(rows: list[tuple[str, str, float, int]]) -> pd.DataFrame:
    """Rows of (code, period, value, load run); run N was loaded on day N of February."""
    return pd.DataFrame(
        [
            (code, period, "city", value, run, pd.Timestamp(f"2026-02-{run:02d}", tz="UTC"))
            for code, period, value, run in rows
        ],
        columns=["indicator_code", "period", "area", "value", "load_run_id", "loaded_at"],
    )


def test_ratio_of_a_flow_over_a_stock_has_a_ytd_like_the_same_formula() -> None:
    target = {"basis": "ytd_level", "value": 30}
    rag = {"rule": "threshold", "amber": 25}
    catalog = make_catalog(
        indicator("INC"),
        indicator("POP", nature="stock", unit="万人"),
        indicator(
            "PCI",
            kind="ratio",
            numerator="INC",
            denominator="POP",
            unit="元",
            nature="rate",
            target=target,
            rag=rag,
        ),
        indicator(
            "PCD",
            kind="derived",
            formula="INC / POP",
            unit="元",
            nature="rate",
            target=target,
            rag=rag,
        ),
    )
    values = stored(
        [("INC", f"2026-0{m}", 10, 1) for m in (1, 2, 3)]
        + [("POP", f"2026-0{m}", 1, 1) for m in (1, 2, 3)]
    )
    builder = SnapshotBuilder(catalog, values)
    ratio = builder.snapshot("PCI", Period.parse("2026-03"), "city")
    derived = builder.snapshot("PCD", Period.parse("2026-03"), "city")
    assert (ratio.value, ratio.ytd, ratio.judgement.status.value) == (10.0, 30.0, "green")
    assert (derived.ytd, derived.judgement.status) == (ratio.ytd, ratio.judgement.status)


def test_a_published_ytd_rests_on_its_own_row_only() -> None:
    schedule = {"target": {"basis": "annual_total", "value": 12}, "rag": {"rule": "schedule"}}
    catalog = make_catalog(
        indicator("FY", published_as="ytd", **schedule), indicator("FM", **schedule)
    )
    published = [("FY", "2026-01", 1, 1), ("FY", "2026-02", 2, 2), ("FY", "2026-03", 3, 3)]
    monthly = [("FM", "2026-01", 1, 1), ("FM", "2026-02", 1, 2), ("FM", "2026-03", 1, 3)]
    values = stored([*published, *monthly])
    builder = SnapshotBuilder(catalog, values)
    march = Period.parse("2026-03")
    published = builder.snapshot("FY", march, "city").provenance
    assert (published.load_runs, published.loaded_at.day) == ((2, 3), 3)  # 环比 reads February
    summed = builder.snapshot("FM", march, "city").provenance  # 累计 computed from three months
    assert (summed.load_runs, summed.loaded_at.day) == ((1, 2, 3), 1)


def test_default_period_is_the_latest_month_with_a_value_even_after_a_gap() -> None:
    catalog = make_catalog(
        indicator("FL", target={"basis": "annual_total", "value": 100}, rag={"rule": "schedule"})
    )
    values = stored([("FL", f"2026-0{m}", 5, 1) for m in (1, 3, 4, 5)])
    builder = SnapshotBuilder(catalog, values)
    assert builder.latest_period("FL", "city", date(2026, 6, 10)) == Period.parse("2026-05")
    may = builder.snapshot("FL", Period.parse("2026-05"), "city")
    assert (may.value, may.ytd, may.judgement.status.value) == (
        5.0,
        None,
        "unknown",
    )  # gap in February


def test_sparkline_of_a_merged_release_has_no_january() -> None:
    catalog = make_catalog(indicator("MG", merged_jan_feb=True, published_as="ytd"))
    values = stored([("MG", "2025-12", 120, 1), ("MG", "2026-02", 20, 1), ("MG", "2026-03", 30, 1)])
    line = (
        SnapshotBuilder(catalog, values).snapshot("MG", Period.parse("2026-03"), "city").sparkline
    )
    assert [label for label, _ in line][-3:] == ["2025-12", "2026-02", "2026-03"]
    assert len(line) == 11


@pytest.mark.parametrize("label", ["2026-13", "2026-00", "2026Q1", "junk"])
def test_unreadable_or_foreign_labels_are_left_out(label: str) -> None:
    catalog = make_catalog(indicator("OK"))
    values = stored([("OK", "2026-01", 1, 1), ("OK", label, 99, 1), ("OK", "2026-02", 2, 1)])
    series = Calculator(catalog, values).series("OK")
    assert [str(p) for p in series.period.index] == ["2026-01", "2026-02"]


def test_a_city_amount_target_does_not_judge_a_district_a_rate_target_does() -> None:
    catalog = make_catalog(
        indicator("AMT", target={"basis": "level", "value": 100}, rag={"rule": "threshold"}),
        indicator(
            "RATE",
            unit="%",
            nature="rate",
            target={"basis": "level", "value": 90},
            rag={"rule": "threshold", "amber": 85},
        ),
    )
    rows = stored([("AMT", "2026-03", 120, 1), ("RATE", "2026-03", 95, 1)])
    east = rows.assign(area="east", value=rows.value / 2)  # half the city's amount; rate 47.5
    builder = SnapshotBuilder(catalog, pd.concat([rows, east]))
    march = Period.parse("2026-03")
    status = {
        (code, area): builder.snapshot(code, march, area).judgement.status.value
        for code in ("AMT", "RATE")
        for area in ("city", "east")
    }
    assert status == {
        ("AMT", "city"): "green",
        ("AMT", "east"): "none",  # 60 is not "red against the city's 100"
        ("RATE", "city"): "green",
        ("RATE", "east"): "red",
    }
