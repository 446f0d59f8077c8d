"""The sample city's true values: one deterministic frame per stored (base) indicator.

Each base indicator has a profile (profiles.yaml): a level, a trend, a seasonal shape, a
district spread and noise, or a relation to another indicator (a share of it, a growth rate
of it). Frames hold the period's own value (当期) in the catalog's unit; writers turn them into
累计 where a source publishes 1–N月累计. The series run from 2021 to the period each
indicator's release calendar says should be out by `today` (indicators.freshness), so a
refreshed sample is exactly fresh, except where `plan` plants an overdue source.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass
from datetime import date
from functools import cached_property
from pathlib import Path
from typing import Any, Literal

import numpy as np
import pandas as pd
import yaml
from pydantic import BaseModel, ConfigDict, Field

from indicators.freshness import expected_period
from indicators.model import AreaScope, Frequency, Indicator, Kind, Nature
from indicators.periods import PANDAS_FREQ, Period
from indicators.registry import Catalog
from indicators.settings import local_today

FIRST_YEAR = 2021
WARM_UP_YEAR = 2020  # generated but never written: gives 2021 its 同比 base
PROFILES = Path(__file__).with_name("profiles.yaml")
COUNT_UNITS = {"件", "个", "人", "户", "次", "家", "人次", "天", "台", "起", "项", "宗", "座", "辆"}


class Profile(BaseModel):
    """How one indicator behaves. Exactly one of level / rate / share_of / growth_of."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    level: float | None = None  # city value of the first period (catalog unit)
    growth: float = 0.0  # yearly trend, 0.06 = +6 % a year (level) or points a year (rate)
    season: str = "flat"  # a named shape in profiles.yaml `seasons`
    weekly: str = "flat"  # day series: a named weekday shape
    noise: float = 0.02  # relative noise (level) or absolute points (rate)
    spread: str = "even"  # district weights, a named profile in `spreads`
    rate: float | None = None  # a rate's city value (catalog unit, e.g. % or 天)
    district_sd: float = 0.0  # district offsets from the city rate (same unit)
    bounds: tuple[float, float] | None = None  # clip a rate into this range
    share_of: str | None = None  # a part of another indicator (same frequency and areas)
    share: float = 1.0
    growth_of: str | None = None  # a published growth rate (%) of another indicator
    window: Literal["period", "ytd"] = "period"
    offset: float = 0.0  # points added to the computed growth (可比价 vs 现价)
    integer: bool | None = None  # round to whole numbers (default: by unit)
    restate: float = Field(default=0.0, ge=0)  # extra noise on published growth (可比口径)


@dataclass(frozen=True)
class Profiles:
    indicators: dict[str, Profile]
    seasons: dict[str, tuple[float, ...]]  # 12 monthly factors
    weekly: dict[str, tuple[float, ...]]  # 7 factors, Monday first
    spreads: dict[str, dict[str, float]]  # district code -> weight (normalised on use)

    @classmethod
    def load(cls, path: Path = PROFILES) -> Profiles:
        raw: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))
        return cls(
            indicators={
                code: Profile.model_validate(body or {}) for code, body in raw["indicators"].items()
            },
            seasons={k: tuple(v) for k, v in raw["seasons"].items()},
            weekly={k: tuple(v) for k, v in raw.get("weekly", {}).items()},
            spreads=raw["spreads"],
        )


class CityModel:
    """True values of the sample city; deterministic for a (seed, today, profiles)."""

    def __init__(
        self,
        catalog: Catalog,
        seed: int = 2026,
        today: date | None = None,
        profiles: Profiles | None = None,
        overdue_sources: frozenset[str] = frozenset(),
    ) -> None:
        self.catalog = catalog
        self.seed = seed
        self.today = today or local_today()
        self.profiles = profiles or Profiles.load()
        self.overdue_sources = overdue_sources
        self._frames: dict[str, pd.DataFrame] = {}

    # --- what exists --------------------------------------------------------------------
    @cached_property
    def districts(self) -> list[str]:
        return [a.code for a in self.catalog.deployment.districts]

    @property
    def city(self) -> str:
        return self.catalog.deployment.city.code

    def areas(self, ind: Indicator) -> list[str]:
        return [self.city, *self.districts] if ind.areas is AreaScope.all else [self.city]

    def base_codes(self, source: str | None = None) -> list[str]:
        """Stored indicators, optionally only those one source delivers."""
        return [
            ind.code
            for ind in self.catalog
            if ind.kind is Kind.base and (source is None or ind.source.connector == source)
        ]

    def last_period(self, code: str) -> Period:
        """The latest period the source has published by `today` (one short when overdue)."""
        ind = self.catalog.get(code)
        period = expected_period(ind, self.today)
        if ind.source.connector in self.overdue_sources:
            period = period - 1
            if ind.merged_jan_feb and period.is_january:
                period = period - 1
        return period

    def first_period(self, code: str) -> Period:
        return Period.containing(self.catalog.get(code).frequency, date(FIRST_YEAR, 1, 1))

    # --- values -------------------------------------------------------------------------
    def frame(self, code: str) -> pd.DataFrame:
        """当期 values: rows a PeriodIndex from 2021 to `last_period`, columns the areas."""
        full = self.full(code)
        first = self.first_period(code).to_pandas()
        return full.loc[first : self.last_period(code).to_pandas()]

    def full(self, code: str) -> pd.DataFrame:
        """Values from the warm-up year to the last complete period (memoised): more than a
        source has published, for sources (databases) that hold every period up to the
        latest any of their indicators has."""
        if code not in self._frames:
            self._frames[code] = self._generate(self.catalog.get(code))
        return self._frames[code]

    def _index(self, ind: Indicator) -> pd.PeriodIndex:
        last = Period.latest_complete(ind.frequency, self.today).to_pandas()
        return pd.period_range(
            pd.Period(f"{WARM_UP_YEAR}-01-01", freq=PANDAS_FREQ[ind.frequency]),
            last,
            freq=PANDAS_FREQ[ind.frequency],
        )

    def _rng(self, code: str) -> np.random.Generator:
        return np.random.default_rng([self.seed, zlib.crc32(code.encode())])

    def _generate(self, ind: Indicator) -> pd.DataFrame:
        profile = self.profiles.indicators.get(ind.code) or self._fallback(ind)
        index = self._index(ind)
        rng = self._rng(ind.code)
        if profile.share_of:
            frame = self._share(ind, profile, index, rng)
        elif profile.growth_of:
            frame = self._growth(ind, profile, index, rng)
        elif profile.rate is not None:
            frame = self._rate(ind, profile, index, rng)
        else:
            frame = self._level(ind, profile, index, rng)
        if self._is_integer(ind, profile):
            frame = frame.round(0)
            if ind.areas is AreaScope.all and ind.nature is not Nature.rate:
                # Rounded districts must still add up to the city, as counted records do.
                frame[self.city] = frame[self.districts].sum(axis=1)
        return frame

    def _fallback(self, ind: Indicator) -> Profile:
        """A plain profile for an indicator profiles.yaml does not describe."""
        if ind.nature is Nature.rate:
            return Profile(rate=50.0, noise=1.0, district_sd=3.0, bounds=(0, 100))
        return Profile(level=1000.0, growth=0.05, spread="even")

    def _is_integer(self, ind: Indicator, profile: Profile) -> bool:
        if profile.integer is not None:
            return profile.integer
        return ind.unit in COUNT_UNITS and ind.nature is not Nature.rate

    def _time_shape(self, ind: Indicator, profile: Profile, index: pd.PeriodIndex) -> np.ndarray:
        """Trend × seasonality for each period (1.0 in the first period of 2020)."""
        years = (index.start_time - pd.Timestamp(f"{WARM_UP_YEAR}-01-01")).days / 365.25
        trend = np.power(1 + profile.growth, years.to_numpy())
        months = self.profiles.seasons[profile.season]
        if ind.frequency is Frequency.quarter:
            season = np.array([np.mean(months[3 * (q - 1) : 3 * q]) for q in index.quarter])
        elif ind.frequency is Frequency.year:
            season = np.ones(len(index))
        else:
            season = np.array([months[m - 1] for m in index.month])
        if ind.frequency is Frequency.day:
            week = self.profiles.weekly.get(profile.weekly, (1.0,) * 7)
            season = season * np.array([week[d] for d in index.day_of_week])
        return trend * season

    def _weights(self, profile: Profile) -> np.ndarray:
        spread = self.profiles.spreads[profile.spread]
        weights = np.array([float(spread[d]) for d in self.districts])
        return weights / weights.sum()

    def _level(
        self, ind: Indicator, profile: Profile, index: pd.PeriodIndex, rng: np.random.Generator
    ) -> pd.DataFrame:
        level = profile.level if profile.level is not None else 1000.0
        shape = self._time_shape(ind, profile, index) * level
        if ind.areas is AreaScope.city:
            noise = 1 + rng.normal(0, profile.noise, len(index))
            return pd.DataFrame({self.city: shape * noise}, index=index)
        weights = self._weights(profile) * (1 + rng.normal(0, 0.05, len(self.districts)))
        noise = 1 + rng.normal(0, profile.noise, (len(index), len(self.districts)))
        districts = np.outer(shape, weights) * noise
        if ind.nature is Nature.stock:  # a stock moves smoothly: no period-to-period noise
            districts = np.outer(shape, weights)
        frame = pd.DataFrame(districts.clip(min=0), index=index, columns=self.districts)
        frame.insert(0, self.city, frame.sum(axis=1))
        return frame

    def _rate(
        self, ind: Indicator, profile: Profile, index: pd.PeriodIndex, rng: np.random.Generator
    ) -> pd.DataFrame:
        years = (
            (index.start_time - pd.Timestamp(f"{WARM_UP_YEAR}-01-01")).days / 365.25
        ).to_numpy()
        city = profile.rate + profile.growth * years + rng.normal(0, profile.noise, len(index))
        columns = {self.city: city}
        if ind.areas is AreaScope.all:
            offsets = rng.normal(0, profile.district_sd, len(self.districts))
            for district, offset in zip(self.districts, offsets, strict=True):
                columns[district] = city + offset + rng.normal(0, profile.noise, len(index))
        frame = pd.DataFrame(columns, index=index)
        return frame.clip(*profile.bounds) if profile.bounds else frame

    def _share(
        self, ind: Indicator, profile: Profile, index: pd.PeriodIndex, rng: np.random.Generator
    ) -> pd.DataFrame:
        whole = self.full(profile.share_of).reindex(index)
        jitter = 1 + rng.normal(0, profile.noise, whole.shape)
        part = whole * (profile.share * np.minimum(jitter, 1 / profile.share))
        part = part[self.areas(ind)]
        if ind.areas is AreaScope.all and ind.nature is not Nature.rate:
            part[self.city] = part[self.districts].sum(axis=1)
        return part

    def _growth(
        self, ind: Indicator, profile: Profile, index: pd.PeriodIndex, rng: np.random.Generator
    ) -> pd.DataFrame:
        base = self.catalog.get(profile.growth_of)
        values = self.full(profile.growth_of)
        if profile.window == "ytd":
            values = values.groupby(values.index.year).cumsum()
        lag = {Frequency.month: 12, Frequency.quarter: 4, Frequency.year: 1}[base.frequency]
        growth = (values / values.shift(lag) - 1) * 100 + profile.offset
        growth = growth + rng.normal(0, profile.restate, growth.shape)
        return growth.reindex(index)[self.areas(ind)]
