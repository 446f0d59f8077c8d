"""District rankings (晾晒): best first, ties share a rank, missing values last."""

from __future__ import annotations

import math
from dataclasses import dataclass

from indicators.model import Direction


@dataclass(frozen=True)
class Ranked:
    rank: int | None  # None when the district has no value
    area: str
    value: float | None


def rank_areas(
    values: dict[str, float | None],
    direction: Direction,
    band: tuple[float, float] | None = None,
) -> list[Ranked]:
    """Rank areas by value read with the direction; for a band, by distance from the band.

    Standard competition ranking: 1, 2, 2, 4."""

    def badness(value: float) -> float:
        if direction is Direction.up:
            return -value
        if direction is Direction.down:
            return value
        low, high = band if band else (value, value)
        return max(low - value, value - high, 0.0)

    present = {a: v for a, v in values.items() if v is not None and not math.isnan(v)}
    ordered = sorted(present, key=lambda a: (badness(present[a]), a))
    ranked: list[Ranked] = []
    for position, area in enumerate(ordered, start=1):
        tied = ranked and badness(present[area]) == badness(present[ranked[-1].area])
        rank = ranked[-1].rank if tied else position
        ranked.append(Ranked(rank, area, present[area]))
    missing = sorted(a for a in values if a not in present)
    return ranked + [Ranked(None, a, None) for a in missing]
