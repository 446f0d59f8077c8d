"""Composite index scores with contributions, and district rankings."""

from __future__ import annotations

import pandas as pd
import pytest

from indicators.composite import normalise_frame
from indicators.compute import Calculator
from indicators.model import CompositeChild, Direction
from indicators.periods import Period
from indicators.ranking import rank_areas
from indicators.registry import Catalog


def values(rows: list[tuple[str, str, float]]) -> pd.DataFrame:
    return pd.DataFrame(
        [(code, period, "city", value) for code, period, value in rows],
        columns=["indicator_code", "period", "area", "value"],
    )


def test_normalise_reads_direction_and_clips() -> None:
    frame = pd.DataFrame({"city": [45.0, 10.0, 80.0]})
    down = CompositeChild(code="PM", weight=1, lower=15, upper=75)
    assert normalise_frame(frame, down, Direction.down)["city"].tolist() == [50.0, 100.0, 0.0]
    up = CompositeChild(code="GOOD", weight=1, lower=50, upper=100)
    assert normalise_frame(frame * 2, up, Direction.up)["city"].tolist() == [80.0, 0.0, 100.0]


def test_composite_index_and_its_parts(tiny_catalog: Catalog) -> None:
    calc = Calculator(
        tiny_catalog, values([("T_PM25", "2026-10", 33.0), ("T_GOOD_DAYS", "2026-10", 90.0)])
    )
    october = Period.parse("2026-10").to_pandas()
    # PM2.5 33 → 1 − 18/60 = 70 points; good days 90% → 80 points; 0.6×70 + 0.4×80 = 74.
    assert calc.series("T_AIR_INDEX").period.at[october, "city"] == pytest.approx(74.0)
    parts = calc.composite_parts("T_AIR_INDEX")
    assert parts["T_PM25"].at[october, "city"] == pytest.approx(42.0)
    assert parts["T_GOOD_DAYS"].at[october, "city"] == pytest.approx(32.0)


def test_composite_with_a_missing_child_is_unknown(tiny_catalog: Catalog) -> None:
    calc = Calculator(tiny_catalog, values([("T_PM25", "2026-10", 33.0)]))
    assert pd.isna(
        calc.series("T_AIR_INDEX").period.at[Period.parse("2026-10").to_pandas(), "city"]
    )


def test_a_new_extreme_does_not_rewrite_history(tiny_catalog: Catalog) -> None:
    september = [("T_PM25", "2026-09", 45.0), ("T_GOOD_DAYS", "2026-09", 75.0)]
    before = Calculator(tiny_catalog, values(september)).series("T_AIR_INDEX").period
    extreme = [("T_PM25", "2026-10", 300.0), ("T_GOOD_DAYS", "2026-10", 10.0)]
    after = Calculator(tiny_catalog, values(september + extreme)).series("T_AIR_INDEX").period
    september_label = Period.parse("2026-09").to_pandas()
    assert (
        after.at[september_label, "city"]
        == before.at[september_label, "city"]
        == pytest.approx(50.0)
    )
    assert after.at[Period.parse("2026-10").to_pandas(), "city"] == 0.0


def test_ranking_up_with_ties_and_missing() -> None:
    ranked = rank_areas({"a": 90.0, "b": 95.0, "c": 90.0, "d": None, "e": 80.0}, Direction.up)
    assert [(r.rank, r.area) for r in ranked] == [
        (1, "b"),
        (2, "a"),
        (2, "c"),
        (4, "e"),
        (None, "d"),
    ]


def test_ranking_down_puts_lowest_first() -> None:
    ranked = rank_areas({"a": 40.0, "b": 30.0}, Direction.down)
    assert [r.area for r in ranked] == ["b", "a"]


def test_ranking_band_by_distance_from_band() -> None:
    ranked = rank_areas({"a": 2.0, "b": 3.5, "c": 0.2}, Direction.band, band=(1.0, 3.0))
    assert [(r.rank, r.area) for r in ranked] == [(1, "a"), (2, "b"), (3, "c")]
