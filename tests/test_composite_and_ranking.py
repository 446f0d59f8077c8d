"""Composite index scores with contributions, and district rankings."""

from __future__ import annotations

import pytest

from indicators.composite import composite_score, normalise
from indicators.model import CompositeChild, Direction
from indicators.ranking import rank_areas


def test_normalise_reads_direction_and_clips() -> None:
    assert normalise(45, 15, 75, Direction.down) == pytest.approx(50.0)
    assert normalise(10, 15, 75, Direction.down) == 100.0
    assert normalise(90, 50, 100, Direction.up) == pytest.approx(80.0)
    assert normalise(40, 50, 100, Direction.up) == 0.0


def test_composite_score_and_contributions() -> None:
    pm25 = CompositeChild(code="PM25", weight=0.6, lower=15, upper=75)
    good = CompositeChild(code="GOOD", weight=0.4, lower=50, upper=100)
    result = composite_score([(pm25, Direction.down, 33.0), (good, Direction.up, 90.0)])
    # PM2.5 33 → 1 − 18/60 = 70 points; good days 90% → 80 points; 0.6×70 + 0.4×80 = 74.
    assert result.score == pytest.approx(74.0)
    assert [round(c.contribution, 6) for c in result.contributions] == [42.0, 32.0]


def test_composite_with_a_missing_child_is_unknown() -> None:
    child = CompositeChild(code="A", weight=0.5, lower=0, upper=1)
    other = CompositeChild(code="B", weight=0.5, lower=0, upper=1)
    result = composite_score([(child, Direction.up, 0.5), (other, Direction.up, None)])
    assert result.score is None
    assert len(result.contributions) == 1


def test_goalposts_are_fixed_so_history_does_not_move() -> None:
    child = CompositeChild(code="A", weight=1.0, lower=0, upper=100)
    before = composite_score([(child, Direction.up, 60.0)]).score
    composite_score([(child, Direction.up, 500.0)])  # a new extreme arrives
    assert composite_score([(child, Direction.up, 60.0)]).score == before == 60.0


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
