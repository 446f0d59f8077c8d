"""One indicator at one period and area, as a tile, `cockpit show` or a briefing states it:
value, 累计, 同比, 环比, target, attainment, 序时进度, status, sparkline and provenance."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

import numpy as np
import pandas as pd

from indicators.composite import Contribution
from indicators.compute import Calculator, IndicatorSeries, headline_frame, headline_is_ytd
from indicators.growth import base_period, change
from indicators.model import GrowthSource, Indicator, Kind, PublishedAs
from indicators.periods import Period
from indicators.ranking import Ranked, rank_areas
from indicators.registry import Catalog
from indicators.store import MetricStore
from indicators.targets import Judgement, Status, judge, target_applies_to

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


class SnapshotBuilder:
    """Builds snapshots from a Calculator (and, for provenance, the raw values)."""

    def __init__(self, catalog: Catalog, values: pd.DataFrame) -> None:
        self.catalog = catalog
        self.calculator = Calculator(catalog, values)
        # Provenance is looked up per indicator, built on first use: a screen reads every
        # area's rows, and indexing all of them up front cost more than the calculations.
        self._values = values
        self._rows_of = values.groupby("indicator_code", sort=False).indices
        self._loads: dict[str, dict[tuple[str, str], tuple[pd.Timestamp, int]]] = {}
        # Keyed by the frame's id; the frame is kept alongside so the id cannot be reused.
        self._columns: dict[tuple[int, str], tuple[pd.DataFrame, dict[pd.Period, float]]] = {}

    def _at(self, frame: pd.DataFrame | None, period: Period, area: str) -> float | None:
        """One cell by period label; each frame's column becomes a dict once, since a
        screen reads hundreds of cells and pandas cell access is slow."""
        if frame is None or area not in frame.columns:
            return None
        key = (id(frame), area)
        if key not in self._columns:
            column = frame[area]
            cells = dict(zip(column.index, column.to_numpy(), strict=True))
            self._columns[key] = (frame, cells)
        value = self._columns[key][1].get(period.to_pandas())
        return None if value is None or np.isnan(value) else float(value)

    def snapshot(self, code: str, period: Period, area: str) -> Snapshot:
        ind = self.catalog.get(code)
        series = self.calculator.series(code)
        value = self._at(series.period, period, area)
        ytd = self._at(series.ytd, period, area)
        has_ytd = series.ytd is not None
        yoy, mom, ytd_yoy = self._changes(ind, series, period, area, value, ytd)
        line_frame = headline_frame(ind, series)
        recent = (period + offset for offset in range(1 - SPARKLINE_PERIODS, 1))
        sparkline = tuple(
            (p.label, self._at(line_frame, p, area))
            for p in recent
            if not (ind.merged_jan_feb and p.is_january)  # 1–2月 merged: no January point
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
            judgement=judge(ind, period, value, ytd if has_ytd else value)
            if target_applies_to(ind, area, self.catalog.deployment.city.code)
            else Judgement(Status.none),
            sparkline=sparkline,
            has_ytd=has_ytd,
            provenance=self.provenance(ind, period, area),
            contributions=self.contributions(code, period, area),
        )

    def _changes(
        self,
        ind: Indicator,
        series: IndicatorSeries,
        period: Period,
        area: str,
        current: float | None,
        ytd: float | None,
    ) -> tuple[float | None, float | None, float | None]:
        """同比, 环比 and 累计同比 of the period's value `current` and its `ytd`."""
        rate = ind.is_rate_unit
        if ind.growth is GrowthSource.supplied:
            # Official rates (可比价, restated base) are read, never recomputed from levels;
            # nor is 环比, which officially is seasonally adjusted, not a raw level change.
            supplied = ind.supplied_growth
            yoy = self._supplied(supplied.yoy if supplied else None, period, area)
            ytd_yoy = self._supplied(supplied.ytd_yoy if supplied else None, period, area)
            return yoy, None, ytd_yoy
        previous = base_period(period, yoy=False, merged_jan_feb=ind.merged_jan_feb)
        mom = (
            change(current, self._at(series.period, previous, area), is_rate=rate)
            if previous
            else None
        )
        if ind.growth is GrowthSource.none:
            return None, mom, None
        last_year = base_period(period, yoy=True)
        yoy = change(current, self._at(series.period, last_year, area), is_rate=rate)
        ytd_yoy = None
        if series.ytd is not None:
            ytd_yoy = change(ytd, self._at(series.ytd, last_year, area), is_rate=rate)
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
            value = self._at(
                headline_frame(child_ind, self.calculator.series(child.code)), period, area
            )
            points = self._at(parts[child.code], period, area)
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
        values = {
            d.code: self._at(frame, period, d.code) for d in self.catalog.deployment.districts
        }
        return rank_areas(values, ind.direction, ind.rag.green_band)

    def _supplied(self, code: str | None, period: Period, area: str) -> float | None:
        return self._at(self.calculator.series(code).period, period, area) if code else None

    def provenance(self, ind: Indicator, period: Period, area: str) -> Provenance:
        """When the headline figure's stored values were loaded (the stalest of them: how
        current the figure is) and every load run behind any figure of the snapshot: its 当期
        and 累计, the periods its 同比 and 环比 compare with, its supplied growth rates. An
        archived briefing names those runs, so each must be there."""
        headline = self._loads_behind(ind.code, [period], area, headline_is_ytd(ind))
        if not headline:
            return Provenance(None, ())
        has_ytd = self.calculator.series(ind.code).ytd is not None
        behind = self._loads_behind(ind.code, compared_periods(ind, period), area, has_ytd)
        supplied = [
            load
            for code in supplied_codes(ind)
            for load in self._loads_behind(code, [period], area, ytd=False)
        ]
        runs = {int(run) for _, run in (*headline, *behind, *supplied)}
        return Provenance(min(stamp for stamp, _ in headline).to_pydatetime(), tuple(sorted(runs)))

    def headline_runs(self, code: str, periods: list[Period], area: str) -> set[int]:
        """The load runs behind `code`'s headline figure at each of `periods` (a sparkline's
        points), without the periods they would be compared with."""
        ytd = headline_is_ytd(self.catalog.get(code))
        return {int(run) for _, run in self._loads_behind(code, periods, area, ytd)}

    def _loads_behind(
        self, code: str, periods: list[Period], area: str, ytd: bool
    ) -> list[tuple[pd.Timestamp, int]]:
        """The loads of the stored values `code`'s figure at each of `periods` is computed
        from; its 累计 (`ytd`) rests on every period of the year to date, unless a stored
        input publishes the 累计 itself. A composite reads each child's headline figure."""
        ind = self.catalog.get(code)
        if ind.kind is Kind.composite:
            children = [self.catalog.get(child.code) for child in ind.children]
            return [
                load
                for child in children
                for load in self._loads_behind(child.code, periods, area, headline_is_ytd(child))
            ]
        found = []
        for leaf in sorted(stored_leaves(self.catalog, code)):
            published_ytd = self.catalog.get(leaf).published_as is PublishedAs.ytd
            for period in periods:
                read = (
                    period.periods_to_date(ind.merged_jan_feb)
                    if ytd and not published_ytd
                    else [period]
                )
                found.extend(
                    load for p in read if (load := self._load_of(leaf, p.label, area)) is not None
                )
        return found

    def _load_of(self, code: str, period: str, area: str) -> tuple[pd.Timestamp, int] | None:
        """When and by which run the stored value of `code` at (period, area) was loaded."""
        if code not in self._loads:
            rows = self._values.iloc[self._rows_of.get(code, [])]
            keys = zip(rows["period"], rows["area"], strict=True)
            loads = zip(rows["loaded_at"], rows["load_run_id"], strict=True)
            self._loads[code] = dict(zip(keys, loads, strict=True))
        return self._loads[code].get((period, area))

    def latest_period(self, code: str, area: str, today: date) -> Period | None:
        """Latest complete period (ended before `today`) with a value for `area`."""
        series = self.calculator.series(code)
        last_complete = Period.latest_complete(self.catalog.get(code).frequency, today).to_pandas()
        latest = []
        # A month with its own value counts even when a gap leaves its 累计 unknown.
        for frame in (series.period, series.ytd):
            if frame is not None and area in frame.columns:
                column = frame[area]
                present = column.index[column.notna().to_numpy() & (column.index <= last_complete)]
                if len(present):
                    latest.append(present.max())
        return Period.from_pandas(max(latest)) if latest else None


def stored_leaves(catalog: Catalog, code: str) -> set[str]:
    """Base indicators whose stored values `code` is computed from (itself if base)."""
    ind = catalog.get(code)
    if ind.kind is Kind.base:
        return {code}
    leaves: set[str] = set()
    for child in ind.inputs():
        leaves |= stored_leaves(catalog, child)
    return leaves


def compared_periods(ind: Indicator, period: Period) -> list[Period]:
    """`period` and the periods a snapshot's figures compare it with: the one before (环比's
    base, and what a 当期 derived from a published 累计 subtracts) and, with 同比 computed
    here, the same period last year."""
    periods = [period, period.previous()]
    if ind.growth is GrowthSource.computed:
        periods.append(base_period(period, yoy=True))
    return periods


def supplied_codes(ind: Indicator) -> list[str]:
    """The indicators holding `ind`'s published growth rates (同比, 累计同比)."""
    growth = ind.supplied_growth
    return [code for code in (growth.yoy, growth.ytd_yoy) if code] if growth else []


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
