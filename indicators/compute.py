"""From stored values to every indicator's series: 当期 and 累计 for each period and area.

Base indicators are read as published (当月 or 累计) and converted both ways; ratio,
derived, cumulative and composite indicators are computed from their inputs, memoised,
vectorised over periods and areas. A ratio is Σnumerator/Σdenominator at every level
(累计 ratios from 累计 parts), never an average of ratios.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import numpy as np
import pandas as pd

from indicators.composite import normalise_frame
from indicators.cumulation import period_from_ytd, ytd_from_period
from indicators.formula import Formula, parse_formula
from indicators.model import Frequency, Indicator, Kind, Nature, PublishedAs, TargetBasis
from indicators.periods import PANDAS_FREQ, Period, PeriodError
from indicators.registry import Catalog


@dataclass(frozen=True)
class IndicatorSeries:
    """One indicator over periods (rows, a pandas PeriodIndex) and areas (columns)."""

    period: pd.DataFrame  # 当期: the period's own value
    ytd: pd.DataFrame | None  # 累计: year to date; None for stocks and plain rates


def headline_is_ytd(ind: Indicator) -> bool:
    """Indicators read as 累计: published so, accumulated, or judged on their 累计."""
    if ind.kind is Kind.cumulative or ind.published_as is PublishedAs.ytd:
        return True
    return bool(
        ind.target and ind.target.basis in (TargetBasis.annual_total, TargetBasis.ytd_level)
    )


def headline_frame(ind: Indicator, series: IndicatorSeries) -> pd.DataFrame:
    """The series a tile, sparkline, ranking or parent index reads: 累计 where read so."""
    return series.ytd if headline_is_ytd(ind) and series.ytd is not None else series.period


def _empty(frequency: Frequency) -> pd.DataFrame:
    return pd.DataFrame(index=pd.PeriodIndex([], freq=PANDAS_FREQ[frequency]), dtype=float)


class Calculator:
    """Computes series for the indicators of `catalog` from a frame of stored values
    (columns indicator_code, period, area, value), memoising each indicator."""

    def __init__(self, catalog: Catalog, values: pd.DataFrame) -> None:
        self.catalog = catalog
        # One reshape for all indicators: (code, period label) rows × area columns.
        unique = values.drop_duplicates(["indicator_code", "period", "area"], keep="last")
        self._wide = unique.pivot(
            index=["indicator_code", "period"], columns="area", values="value"
        ).sort_index()
        self._codes = set(self._wide.index.get_level_values(0))
        self._series: dict[str, IndicatorSeries] = {}
        self._parts: dict[str, dict[str, pd.DataFrame]] = {}

    def series(self, code: str) -> IndicatorSeries:
        if code not in self._series:
            self._series[code] = self._compute(self.catalog.get(code))
        return self._series[code]

    def _compute(self, ind: Indicator) -> IndicatorSeries:
        match ind.kind:
            case Kind.base:
                return self._base(ind)
            case Kind.ratio:
                return self._ratio(ind)
            case Kind.derived:
                return self._derived(ind)
            case Kind.cumulative:
                source = self.series(ind.input)  # type: ignore[arg-type]
                running = _empty(ind.frequency) if source.ytd is None else source.ytd
                return IndicatorSeries(source.period, running)
            case Kind.composite:
                parts = list(self.composite_parts(ind.code).values())
                return IndicatorSeries(_sum_all(parts) if parts else _empty(ind.frequency), None)
        raise ValueError(f"unknown kind {ind.kind}")  # pragma: no cover - enum is closed

    def _stored(self, ind: Indicator) -> pd.DataFrame:
        """Stored values of a base indicator as a Period × area frame.

        Rows of another frequency, or with an unreadable period, cannot belong to this
        indicator and are left out, so one stray row cannot stop every other figure."""
        if ind.code not in self._codes:
            return _empty(ind.frequency)
        frame = self._wide.loc[ind.code].dropna(axis=1, how="all")
        periods = [_readable(label) for label in frame.index]
        keep = [p is not None and p.frequency is ind.frequency for p in periods]
        frame = frame[keep]
        if frame.empty:
            return _empty(ind.frequency)
        kept = [p.to_pandas() for p, ok in zip(periods, keep, strict=True) if ok]  # type: ignore[union-attr]
        frame.index = pd.PeriodIndex(kept, freq=PANDAS_FREQ[ind.frequency])
        frame.columns = [str(c) for c in frame.columns]
        return frame.astype(float)

    def _base(self, ind: Indicator) -> IndicatorSeries:
        raw = self._stored(ind)
        if ind.nature is not Nature.flow:
            return IndicatorSeries(raw, None)
        merged = ind.merged_jan_feb
        if ind.published_as is PublishedAs.ytd:
            return IndicatorSeries(period_from_ytd(raw, merged), raw)
        return IndicatorSeries(raw, ytd_from_period(raw, merged))

    def _ratio(self, ind: Indicator) -> IndicatorSeries:
        num = self.series(ind.numerator)  # type: ignore[arg-type]
        den = self.series(ind.denominator)  # type: ignore[arg-type]
        period = _divide(num.period, den.period) * ind.factor
        if num.ytd is None and den.ytd is None:
            return IndicatorSeries(period, None)
        # Σ累计 parts; a stock part (e.g. population) enters with its period-end value.
        return IndicatorSeries(
            period, _divide(_ytd_or_period(num), _ytd_or_period(den)) * ind.factor
        )

    def _derived(self, ind: Indicator) -> IndicatorSeries:
        formula = parse_formula(ind.formula)  # type: ignore[arg-type]
        inputs = {code: self.series(code) for code in formula.names}
        period = _evaluate(formula, {c: s.period for c, s in inputs.items()})
        if ind.nature is Nature.flow:
            # A flow's 累计 is the sum of its periods, whatever the formula does.
            return IndicatorSeries(period, ytd_from_period(period, ind.merged_jan_feb))
        if ind.nature is Nature.stock or all(s.ytd is None for s in inputs.values()):
            return IndicatorSeries(period, None)
        # A rate over flows: the same formula over their 累计 (stocks keep their period value).
        ytd_inputs = {c: _ytd_or_period(s) for c, s in inputs.items()}
        return IndicatorSeries(period, _evaluate(formula, ytd_inputs))

    def composite_parts(self, code: str) -> dict[str, pd.DataFrame]:
        """Each child's weighted score (weight × 0–100 on fixed goalposts), read from the
        figure the child's own tile shows; the index is their sum."""
        if code in self._parts:
            return self._parts[code]
        parts = self._parts[code] = {}
        for child in self.catalog.get(code).children:
            child_ind = self.catalog.get(child.code)
            values = headline_frame(child_ind, self.series(child.code))
            parts[child.code] = normalise_frame(values, child, child_ind.direction) * child.weight
        return parts


def _ytd_or_period(series: IndicatorSeries) -> pd.DataFrame:
    return series.ytd if series.ytd is not None else series.period


@cache
def _readable(label: str) -> Period | None:
    """A stored label read once per process (labels repeat across indicators and areas)."""
    try:
        return Period.parse(label)
    except PeriodError:
        return None


def _union(frames: list[pd.DataFrame]) -> tuple[pd.PeriodIndex, list[str]]:
    index = frames[0].index
    for frame in frames[1:]:
        index = index.union(frame.index)
    columns = sorted({c for f in frames for c in f.columns})
    return index.sort_values(), columns


def _sum_all(frames: list[pd.DataFrame]) -> pd.DataFrame:
    """Cell-wise sum that is NaN wherever any frame is missing (an incomplete index)."""
    index, columns = _union(frames)
    return sum(f.reindex(index=index, columns=columns) for f in frames)  # type: ignore[return-value]


def _divide(numerator: pd.DataFrame, denominator: pd.DataFrame) -> pd.DataFrame:
    """Σnum/Σden aligned on period and area; a zero denominator gives NaN, not infinity."""
    index, columns = _union([numerator, denominator])
    num = numerator.reindex(index=index, columns=columns)
    den = denominator.reindex(index=index, columns=columns)
    return num / den.where(den != 0)


def _evaluate(formula: Formula, frames: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Evaluate a formula column by column over aligned frames (derived inputs: ≥ 1)."""
    index, columns = _union(list(frames.values()))
    aligned = {code: f.reindex(index=index, columns=columns) for code, f in frames.items()}
    result = pd.DataFrame(index=index, columns=columns, dtype=float)
    for column in columns:
        result[column] = formula.evaluate({code: f[column] for code, f in aligned.items()})
    return result.replace([np.inf, -np.inf], np.nan)
