"""同比 and 环比: growth in % for levels, differences in 个百分点 for rates.

Bases are found by period label (same period last year, previous period), never by day
arithmetic. Growth from a zero or negative base is undefined (NBS prints 扭亏/增亏 words,
not a percentage), so it is None rather than a misleading number."""

from __future__ import annotations

import math

from indicators.model import Frequency
from indicators.periods import Period


def base_period(period: Period, *, yoy: bool, merged_jan_feb: bool = False) -> Period | None:
    """The period a 同比 (yoy) or 环比 compares with; None where there is none: with a 1–2月
    merged release, March has no 环比 base because February holds two months."""
    if yoy:
        return period.same_period_last_year()
    if merged_jan_feb and period.frequency is Frequency.month and period.index == 3:
        return None
    return period.previous()


def change(current: float | None, base: float | None, *, is_rate: bool) -> float | None:
    """本期 against 基期: (本期 − 基期) / 基期 × 100 for levels, 本期 − 基期 for rates
    (个百分点). None where either is missing, or a level's base is zero or negative."""
    if current is None or base is None or math.isnan(current) or math.isnan(base):
        return None
    if is_rate:
        return current - base
    if base <= 0:
        return None
    return (current - base) / base * 100
