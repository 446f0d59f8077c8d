"""One indicator at one period and area, as a tile, `cockpit show` or a briefing states it:
value, 累计, 同比, 环比, target, attainment, 序时进度, status, sparkline and provenance."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date, datetime

import pandas as pd

from indicators.composite import Contribution
from indicators.compute import Calculator, IndicatorSeries, headline_frame, headline_is_ytd
from indicators.growth import change
from indicators.model import GrowthSource, Indicator, Kind
from indicators.periods import Period
from indicators.ranking import Ranked, rank_areas
from indicators.registry import Catalog
from indicators.store import MetricStore
from indicators.targets import Judgement, judge

SPARKLINE_PERIODS = 12


@dataclass(frozen=True)
class Provenance:
    """Where the figure came from: the stalest load of the stored values it rests on."""

    loaded_at: datetime | None
    load_runs: tuple[int, ...]


@dataclass(frozen=True)
class Snapshot:
    indicator: Indicator
    period: Period
    area: str
    value: float | None  # 当期
    ytd: float | None  # 累计
    yoy: float | None  # 当期同比: % for levels, 个百分点 for rates
    mom: float | None  # 环比
    ytd_yoy: float | None  # 累计同比
    growth_source: GrowthSource
    judgement: Judgement
    sparkline: tuple[tuple[str, float | None], ...]
    has_ytd: bool  # False where the value itself is the figure (stocks, rates, 1–N月 rates)
    provenance: Provenance = field(default=Provenance(None, ()))
    contributions: tuple[Contribution, ...] = ()  # composites: each child's share of the score

    @property
    def uses_ytd(self) -> bool:
        return self.has_ytd and headline_is_ytd(self.indicator)

    @property
    def headline(self) -> float | None:
        """The figure a tile shows first: 累计 where the indicator is read that way."""
        return self.ytd if self.uses_ytd else self.value

    @property
    def headline_yoy(self) -> float | None:
        return self.ytd_yoy if self.uses_ytd else self.yoy

    @property
    def change_unit(self) -> str:
        return "个百分点" if self.indicator.is_rate_unit else "%"


def _at(frame: pd.DataFrame | None, period: Period, area: str) -> float | None:
    if frame is None or area not in frame.columns or period not in frame.index:
        return None
    value = frame.at[period, area]
    return None if pd.isna(value) else float(value)


class SnapshotBuilder:
    """Builds snapshots from a Calculator (and, for provenance, the raw values)."""

    def __init__(self, catalog: Catalog, values: pd.DataFrame) -> None:
        self.catalog = catalog
        self.calculator = Calculator(catalog, values)
        self._loads = values.set_index(["indicator_code", "period", "area"])[
            ["loaded_at", "load_run_id"]
        ].sort_index()

    def snapshot(self, code: str, period: Period, area: str) -> Snapshot:
        ind = self.catalog.get(code)
        series = self.calculator.series(code)
        value = _at(series.period, period, area)
        ytd = _at(series.ytd, period, area)
        has_ytd = series.ytd is not None
        yoy, mom, ytd_yoy = self._changes(ind, series, period, area)
        line_frame = headline_frame(ind, series)
        sparkline = tuple(
            (p.label, _at(line_frame, p, area))
            for p in (period + offset for offset in range(1 - SPARKLINE_PERIODS, 1))
        )
        return Snapshot(
            indicator=ind,
            period=period,
            area=area,
            value=value,
            ytd=ytd,
            yoy=yoy,
            mom=mom,
            ytd_yoy=ytd_yoy,
            growth_source=ind.growth,
            # Without a 累计 series (e.g. a published 1–N月 growth rate) the value is the figure.
            judgement=judge(ind, period, value, ytd if has_ytd else value),
            sparkline=sparkline,
            has_ytd=has_ytd,
            provenance=self.provenance(ind, period, area),
            contributions=self.contributions(code, period, area),
        )

    def _changes(
        self, ind: Indicator, series: IndicatorSeries, period: Period, area: str
    ) -> tuple[float | None, float | None, float | None]:
        rate = ind.is_rate_unit
        if ind.growth is GrowthSource.supplied:
            # Official rates (可比价, restated base) are read, never recomputed from levels;
            # nor is 环比, which officially is seasonally adjusted, not a raw level change.
            supplied = ind.supplied_growth
            yoy = self._supplied(supplied.yoy if supplied else None, period, area)
            ytd_yoy = self._supplied(supplied.ytd_yoy if supplied else None, period, area)
            return yoy, None, ytd_yoy
        merged = ind.merged_jan_feb
        mom = _at(
            change(series.period, yoy=False, is_rate=rate, merged_jan_feb=merged), period, area
        )
        if ind.growth is GrowthSource.none:
            return None, mom, None
        yoy = _at(change(series.period, yoy=True, is_rate=rate), period, area)
        ytd_yoy = None
        if series.ytd is not None:
            ytd_yoy = _at(change(series.ytd, yoy=True, is_rate=rate), period, area)
        return yoy, mom, ytd_yoy

    def contributions(self, code: str, period: Period, area: str) -> tuple[Contribution, ...]:
        """A composite's children: value, 0–100 score and the points each brings."""
        ind = self.catalog.get(code)
        if ind.kind is not Kind.composite:
            return ()
        parts = self.calculator.composite_parts(code)
        result = []
        for child in ind.children:
            child_ind = self.catalog.get(child.code)
            value = _at(headline_frame(child_ind, self.calculator.series(child.code)), period, area)
            points = _at(parts[child.code], period, area)
            if value is not None and points is not None:
                result.append(
                    Contribution(child.code, child.weight, value, points / child.weight, points)
                )
        return tuple(result)

    def ranking(self, code: str, period: Period) -> list[Ranked]:
        """Districts ranked best first (晾晒) on the indicator's headline figure."""
        ind = self.catalog.get(code)
        series = self.calculator.series(code)
        frame = headline_frame(ind, series)
        values = {d.code: _at(frame, period, d.code) for d in self.catalog.deployment.districts}
        return rank_areas(values, ind.direction, ind.rag.green_band)

    def _supplied(self, code: str | None, period: Period, area: str) -> float | None:
        return _at(self.calculator.series(code).period, period, area) if code else None

    def provenance(self, ind: Indicator, period: Period, area: str) -> Provenance:
        """The stalest load behind the figure; a 累计 rests on every period of the year."""
        periods = period.periods_to_date(ind.merged_jan_feb) if headline_is_ytd(ind) else [period]
        leaves = sorted(stored_leaves(self.catalog, ind.code))
        keys = [(leaf, p.label, area) for leaf in leaves for p in periods]
        found = [key for key in keys if key in self._loads.index]
        if not found:
            return Provenance(None, ())
        rows = self._loads.loc[found]
        runs = tuple(sorted({int(r) for r in rows["load_run_id"]}))
        return Provenance(rows["loaded_at"].min().to_pydatetime(), runs)

    def latest_period(self, code: str, area: str, today: date) -> Period | None:
        """Latest complete period (ended before `today`) with a value for `area`."""
        ind = self.catalog.get(code)
        series = self.calculator.series(code)
        frame = headline_frame(ind, series)
        if area not in frame.columns:
            return None
        last_complete = Period.latest_complete(ind.frequency, today)
        present = [p for p, v in frame[area].items() if not math.isnan(v) and p <= last_complete]
        return max(present) if present else None


def stored_leaves(catalog: Catalog, code: str) -> set[str]:
    """Base indicators whose stored values `code` is computed from (itself if base)."""
    ind = catalog.get(code)
    if ind.kind is Kind.base:
        return {code}
    leaves: set[str] = set()
    for child in ind.inputs():
        leaves |= stored_leaves(catalog, child)
    return leaves


def required_codes(catalog: Catalog, code: str) -> set[str]:
    """Every indicator needed to compute `code` and its supplied growth rates."""
    ind = catalog.get(code)
    needed = {code}
    for _, ref in ind.references():
        needed |= required_codes(catalog, ref)
    return needed


def load_snapshot_builder(
    catalog: Catalog, store: MetricStore, codes: set[str] | None
) -> SnapshotBuilder:
    """A builder over the stored values of `codes` (all indicators when None)."""
    return SnapshotBuilder(catalog, store.values(codes=sorted(codes) if codes else None))


class SnapshotError(ValueError):
    """A request for a snapshot that cannot be answered (bad period, area, no data)."""


def snapshot_for(
    catalog: Catalog,
    store: MetricStore,
    code: str,
    period_text: str | None,
    area_text: str | None,
    today: date,
) -> Snapshot:
    """Resolve a user's code, period and area (defaults: latest complete period with data,
    whole city) and build the snapshot; raise SnapshotError with a one-line reason."""
    ind = catalog.get(code)  # UnknownIndicatorError names close matches
    area = catalog.deployment.city
    if area_text:
        found = catalog.deployment.find(area_text)
        if found is None:
            known = "、".join(a.name_zh for a in catalog.deployment.areas)
            raise SnapshotError(f"unknown area '{area_text}' (known: {known})")
        area = found
    builder = load_snapshot_builder(catalog, store, required_codes(catalog, ind.code))
    if period_text:
        period = Period.parse(period_text)
        if period.frequency is not ind.frequency:
            raise SnapshotError(
                f"{ind.code} is {ind.frequency.value} data; "
                f"'{period_text}' is a {period.frequency.value}"
            )
    else:
        latest = builder.latest_period(ind.code, area.code, today)
        if latest is None:
            raise SnapshotError(f"no data for {ind.code} in {area.name_zh} yet")
        period = latest
    return builder.snapshot(ind.code, period, area.code)
