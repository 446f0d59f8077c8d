"""From stored values to every indicator's series: 当期 and 累计 for each period and area.

Base indicators are read as published (当月 or 累计) and converted both ways; ratio,
derived, cumulative and composite indicators are computed from their inputs in dependency
order, vectorised over periods and areas. A ratio is Σnumerator/Σdenominator at every
level (累计 ratios from 累计 parts), never an average of ratios.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import pandas as pd

from indicators.composite import normalise_frame
from indicators.cumulation import period_from_ytd, ytd_from_period
from indicators.formula import parse_formula
from indicators.model import Indicator, Kind, Nature, PublishedAs
from indicators.periods import Period
from indicators.registry import Catalog


@dataclass(frozen=True)
class IndicatorSeries:
    """One indicator over periods (rows, `Period`) and areas (columns)."""

    period: pd.DataFrame  # 当期: the period's own value
    ytd: pd.DataFrame | None  # 累计: year to date; None where it means nothing (stocks, rates)


@cache
def parse_period(label: str) -> Period:
    return Period.parse(label)


def _empty() -> pd.DataFrame:
    return pd.DataFrame(dtype=float)


class Calculator:
    """Computes series for the indicators of `catalog` from a frame of stored values
    (columns indicator_code, period, area, value), memoising each indicator."""

    def __init__(self, catalog: Catalog, values: pd.DataFrame) -> None:
        self.catalog = catalog
        self._raw: dict[str, pd.DataFrame] = {}
        for code, rows in values.groupby("indicator_code", sort=False):
            frame = rows.pivot(index="period", columns="area", values="value")
            frame.index = pd.Index([parse_period(label) for label in frame.index], dtype=object)
            self._raw[str(code)] = frame.sort_index().astype(float)
        self._series: dict[str, IndicatorSeries] = {}

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
                running = self.series(ind.input).ytd  # type: ignore[arg-type]
                running = _empty() if running is None else running
                return IndicatorSeries(running, running)
            case Kind.composite:
                return IndicatorSeries(self._composite(ind), None)
        raise ValueError(f"unknown kind {ind.kind}")  # pragma: no cover - enum is closed

    def _base(self, ind: Indicator) -> IndicatorSeries:
        raw = self._raw.get(ind.code, _empty())
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
        ytd = None
        if num.ytd is not None and den.ytd is not None:
            ytd = _divide(num.ytd, den.ytd) * ind.factor
        return IndicatorSeries(period, ytd)

    def _derived(self, ind: Indicator) -> IndicatorSeries:
        formula = parse_formula(ind.formula)  # type: ignore[arg-type]
        inputs = {code: self.series(code) for code in formula.names}
        period = _evaluate(formula, {c: s.period for c, s in inputs.items()})
        ytd = None
        if any(s.ytd is not None for s in inputs.values()):
            ytd = _evaluate(
                formula, {c: s.ytd if s.ytd is not None else s.period for c, s in inputs.items()}
            )
        return IndicatorSeries(period, ytd)

    def _composite(self, ind: Indicator) -> pd.DataFrame:
        parts = []
        for child in ind.children:
            child_ind = self.catalog.get(child.code)
            values = self.series(child.code).period
            parts.append(normalise_frame(values, child, child_ind.direction) * child.weight)
        if not parts:
            return _empty()
        index, columns = _union(parts)
        # NaN wherever a child is missing: the index is incomplete there.
        return sum(p.reindex(index=index, columns=columns) for p in parts)


def _union(frames: list[pd.DataFrame]) -> tuple[list[Period], list[str]]:
    index = sorted({p for f in frames for p in f.index})
    columns = sorted({c for f in frames for c in f.columns})
    return index, columns


def _divide(numerator: pd.DataFrame, denominator: pd.DataFrame) -> pd.DataFrame:
    """Σnum/Σden aligned on period and area; a zero denominator gives NaN, not infinity."""
    index, columns = _union([numerator, denominator])
    num = numerator.reindex(index=index, columns=columns)
    den = denominator.reindex(index=index, columns=columns)
    return num / den.where(den != 0)


def _evaluate(formula, frames: dict[str, pd.DataFrame]) -> pd.DataFrame:  # type: ignore[no-untyped-def]
    """Evaluate a formula column by column over aligned frames."""
    if not frames:
        return _empty()
    index, columns = _union(list(frames.values()))
    aligned = {code: f.reindex(index=index, columns=columns) for code, f in frames.items()}
    result = pd.DataFrame(index=pd.Index(index, dtype=object), columns=columns, dtype=float)
    for column in columns:
        value = formula.evaluate({code: f[column] for code, f in aligned.items()})
        result[column] = value if isinstance(value, pd.Series) else float(value)
    return result
