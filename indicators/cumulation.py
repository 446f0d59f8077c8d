"""累计 ↔ 当月: year-to-date totals from period values and back, for flow indicators.

Frames are indexed by a pandas `PeriodIndex` (one frequency) with one column per area. A
year-to-date total is only known while every period of the year so far is present: a
missing month makes the rest of that year's 累计 unknown rather than silently too small.
With a 1–2月 merged release January is not a period of its own and its absence is not a gap.
"""

from __future__ import annotations

import pandas as pd

from indicators.periods import year_start


def complete_index(index: pd.PeriodIndex, merged_jan_feb: bool) -> pd.PeriodIndex:
    """Every period from the first year's start to the last period present."""
    full = pd.period_range(year_start(index.min()), index.max(), freq=index.freq)
    if merged_jan_feb and index.freqstr == "M":
        full = full[full.month != 1]
    return full


def ytd_from_period(values: pd.DataFrame, merged_jan_feb: bool = False) -> pd.DataFrame:
    """累计 from 当月: running total within each year, unknown after a gap."""
    if values.empty:
        return values.copy()
    frame = values.reindex(complete_index(values.index, merged_jan_feb))
    years = frame.index.year
    gaps = frame.isna().astype(int).groupby(years).cummax().astype(bool)
    return frame.groupby(years).cumsum().mask(gaps)


def period_from_ytd(values: pd.DataFrame, merged_jan_feb: bool = False) -> pd.DataFrame:
    """当月 from 累计: this period's total minus the previous one of the same year.

    The first period of a year (1–2月 when merged) is its own 累计."""
    if values.empty:
        return values.copy()
    frame = values.reindex(complete_index(values.index, merged_jan_feb))
    years = frame.index.year
    previous = frame.groupby(years).shift(1)
    first_of_year = pd.Series(years, index=frame.index).diff().ne(0)
    return (frame - previous).where(~first_of_year, frame, axis=0)
