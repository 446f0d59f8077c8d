"""今日关注: what a leader should look at first — off target, worsening, or not delivered.

Ordered most serious first: red before amber before worsening before late data, and within
each group by how far the figure is from where it should be, so the list reads the way a
秘书 would brief it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import IntEnum

from indicators.freshness import Freshness, IndicatorFreshness
from indicators.model import Direction
from indicators.snapshot import Snapshot
from indicators.targets import Status

# 同比 against the indicator's direction by at least this much counts as worsening where
# the status itself has not changed: % for levels, 个百分点 for rates.
WORSENING_CHANGE = 5.0
WORSENING_POINTS = 1.0


class Concern(IntEnum):
    """Why an indicator is listed; a higher value is more serious."""

    late_data = 1  # its figure is older than the release calendar says it should be
    worsening = 2  # status fell since the previous period, or 同比 moved the wrong way
    amber = 3
    red = 4


@dataclass(frozen=True)
class AttentionItem:
    snapshot: Snapshot
    concern: Concern
    shortfall: float  # how far from where it should be, comparable across indicators
    freshness: IndicatorFreshness | None = None
    status_fell: bool = False  # judged worse than the period before

    @property
    def code(self) -> str:
        return self.snapshot.indicator.code


def shortfall(snapshot: Snapshot) -> float:
    """How far on the wrong side of its target a figure is, as a share: points behind
    序时进度 / 100, or the gap over the target; 0 when on or ahead of target, or not judged.
    For a cap (逆向) the wrong side is above; for a band, either side."""
    judgement = snapshot.judgement
    if judgement.gap is None:
        return 0.0
    direction = snapshot.indicator.direction
    if direction is Direction.band:
        behind = abs(judgement.gap)
    else:
        behind = max(-judgement.gap if direction is Direction.up else judgement.gap, 0.0)
    if judgement.schedule is not None:
        return behind / 100
    if judgement.target:
        return behind / abs(judgement.target)
    return behind


STATUS_RANK = {Status.green: 0, Status.amber: 1, Status.red: 2}


def moved_wrong_way(snapshot: Snapshot) -> bool:
    """同比 of the headline figure against the indicator's direction, materially."""
    change = snapshot.headline_yoy
    direction = snapshot.indicator.direction
    if change is None or direction is Direction.band:
        return False
    material = WORSENING_POINTS if snapshot.indicator.is_rate_unit else WORSENING_CHANGE
    signed = change if direction is Direction.up else -change
    return signed <= -material


def concern_of(snapshot: Snapshot, previous: Snapshot | None) -> tuple[Concern | None, bool]:
    """The concern an indicator raises on its own figures, and whether its status fell."""
    status = snapshot.judgement.status
    before = previous.judgement.status if previous else None
    fell = (
        before in STATUS_RANK
        and status in STATUS_RANK
        and STATUS_RANK[status] > STATUS_RANK[before]  # type: ignore[index]
    )
    if status is Status.red:
        return Concern.red, fell
    if status is Status.amber:
        return Concern.amber, fell
    if fell or moved_wrong_way(snapshot):
        return Concern.worsening, fell
    return None, fell


def attention_list(
    current: Iterable[Snapshot],
    previous: Mapping[str, Snapshot],
    freshness: Mapping[str, IndicatorFreshness] | None = None,
) -> list[AttentionItem]:
    """Every indicator that needs a look, most serious first. `previous` holds each code's
    snapshot one period earlier; `freshness` (when the screen shows current data) adds the
    indicators whose figure is older than it should be."""
    items = []
    for snapshot in current:
        code = snapshot.indicator.code
        fresh = (freshness or {}).get(code)
        concern, fell = concern_of(snapshot, previous.get(code))
        behind = fresh is not None and fresh.status is not Freshness.fresh
        if concern is None and behind:
            concern = Concern.late_data
        if concern is not None:
            items.append(
                AttentionItem(
                    snapshot, concern, shortfall(snapshot), fresh if behind else None, fell
                )
            )
    return sorted(items, key=lambda i: (-i.concern, -i.shortfall, i.code))
