"""同比 and 环比: growth in % for levels, differences in 个百分点 for rates.

Bases are found by period label (same period last year, previous period), never by day
arithmetic. Growth from a zero or negative base is undefined (NBS prints 扭亏/增亏 words,
not a percentage), so it is NaN rather than a misleading number."""

from __future__ import annotations

import pandas as pd

from indicators.model import Frequency


def shifted(values: pd.DataFrame, *, yoy: bool, merged_jan_feb: bool = False) -> pd.DataFrame:
    """The base value aligned to each row: last year's same period (yoy) or the previous one.

    With a 1–2月 merged release March has no 环比 base: February holds two months."""
    bases = [p.same_period_last_year() if yoy else p.previous() for p in values.index]
    aligned = values.reindex(bases)
    aligned.index = values.index
    if merged_jan_feb and not yoy:
        march = [p.frequency is Frequency.month and p.index == 3 for p in values.index]
        aligned = aligned.mask(pd.Series(march, index=values.index), axis=0)
    return aligned


def growth_rate(current: pd.DataFrame, base: pd.DataFrame) -> pd.DataFrame:
    """(本期 − 基期) / 基期 × 100; NaN where the base is missing, zero or negative."""
    return (current - base) / base.where(base > 0) * 100


def difference(current: pd.DataFrame, base: pd.DataFrame) -> pd.DataFrame:
    """本期 − 基期, in the indicator's own unit (个百分点 when that unit is %)."""
    return current - base


def change(
    values: pd.DataFrame, *, yoy: bool, is_rate: bool, merged_jan_feb: bool = False
) -> pd.DataFrame:
    """同比 (yoy=True) or 环比 of every row: growth % for levels, difference for rates."""
    base = shifted(values, yoy=yoy, merged_jan_feb=merged_jan_feb)
    return difference(values, base) if is_rate else growth_rate(values, base)
