"""How every surface reads a snapshot: which months its headline covers, how many decimals
its 同比 prints with, and whether a change is good news. One rule each, here, so that the
tiles, the briefing's tables, charts and prose cannot drift apart."""

from __future__ import annotations

from enum import StrEnum

from indicators import formatting as fmt
from indicators.composite import Contribution
from indicators.model import Direction, Indicator, PublishedAs
from indicators.registry import Catalog
from indicators.snapshot import Snapshot

# Growth in % is printed with one decimal whatever the level's own decimals (6.6%).
GROWTH_DECIMALS = 1


class Tone(StrEnum):
    good = "good"
    bad = "bad"
    neutral = "neutral"


def covers_ytd(s: Snapshot) -> bool:
    """Whether the headline figure covers the year to date (1-10月, 前三季度): a 累计 the
    snapshot carries, or a rate published over 1–N months (`rate_window: ytd`), such as
    a 1–N月 growth rate, which has no 累计 series of its own."""
    return s.uses_ytd or s.indicator.rate_window is PublishedAs.ytd


def change_decimals(ind: Indicator) -> int:
    """A difference of rates in 个百分点 keeps the rate's own decimals (0.04 of a two-decimal
    rate is news); growth in % has one."""
    return ind.decimals if ind.is_rate_unit else GROWTH_DECIMALS


def tone_of(change: float | None, direction: Direction, decimals: int = 1) -> Tone:
    """Green when the change goes the indicator's way; neutral when it prints as zero at
    `decimals` (fmt.change's default), so a colour never contradicts the printed figure."""
    if change is None or fmt.shown_as_zero(change, decimals) or direction is Direction.band:
        return Tone.neutral
    return Tone.good if (change > 0) == (direction is Direction.up) else Tone.bad


def readable_parts(s: Snapshot, shown: Catalog) -> tuple[Contribution, ...]:
    """A composite's parts as a reader cleared for `shown` may see them: all, or none when
    one is hidden (the others and the total would give it away)."""
    hidden = any(part.code not in shown.indicators for part in s.contributions)
    return () if hidden else tuple(s.contributions)
