"""The sample city's profiles (sample_data/profiles.yaml): one per stored indicator, relations
that hold in every period and area of the generated city, and a believable dashboard at the
latest periods: about one indicator in eight off target, and 西山区 clearly behind."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from indicators.compute import Calculator
from indicators.cumulation import ytd_from_period
from indicators.model import AreaScope, Indicator, Kind, Nature, PublishedAs
from indicators.overview import build_overview
from indicators.registry import DEFAULT_CATALOG, Catalog, load_catalog
from indicators.snapshot import Snapshot
from indicators.store import MetricStore, ValueRow, open_store
from indicators.targets import Status
from sample_data.model import COUNT_UNITS, CityModel, Profile, Profiles

TODAY = date(2026, 11, 25)
SEED = 7
LAGGING_DISTRICT = "xishan"
JUDGED = {Status.green, Status.amber, Status.red}
OFF_TARGET = {Status.amber, Status.red}
# Counted in units the model does not round by itself; their profiles say integer: true.
MORE_COUNT_UNITS = {"条", "核", "份", "张", "种"}
# Day counts shared out over the districts (the city counts the city's days, not their sum)
# and a handling time kept to 0.01 天: the only counts left fractional on purpose.
FRACTIONAL_ON_PURPOSE = {
    "ECL_AQI_GOOD_DAYS",
    "ECL_AQI_VALID_DAYS",
    "SVC_HOTLINE_HANDLING_DAYS_TOTAL",
}
# Published changes rather than shares: they may be negative.
CHANGE_MARKERS = ("_GROWTH", "_YOY", "CPI", "_DECLINE")
# Percentages of two different totals, not a part of a whole: revenue can exceed spending
# (a January, or a high-tech zone that pays its way).
NOT_PARTS = {"ECO_FISCAL_SELF_SUFFICIENCY"}


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    result = load_catalog(DEFAULT_CATALOG)
    assert result.problems == []
    return result.catalog


@pytest.fixture(scope="module")
def profiles() -> Profiles:
    return Profiles.load()


@pytest.fixture(scope="module")
def model(catalog: Catalog, profiles: Profiles) -> CityModel:
    return CityModel(catalog, seed=SEED, today=TODAY, profiles=profiles)


def stored_frame(model: CityModel, ind: Indicator) -> pd.DataFrame:
    """What a source publishes: 累计 where published so, no January when 1–2月 is merged."""
    frame = model.frame(ind.code)
    if ind.published_as is PublishedAs.ytd:
        return ytd_from_period(frame, ind.merged_jan_feb)
    if ind.merged_jan_feb:
        return frame[frame.index.month != 1]
    return frame


def value_rows(model: CityModel, catalog: Catalog, since: str | None = None) -> list[ValueRow]:
    rows = []
    for code in model.base_codes():
        frame = stored_frame(model, catalog.get(code))
        if since is not None:
            frame = frame[frame.index.start_time >= pd.Timestamp(since)]
        for area in frame.columns:
            rows.extend(
                ValueRow(code, str(period), area, float(value))
                for period, value in frame[area].items()
                if not np.isnan(value)
            )
    return rows


@pytest.fixture(scope="module")
def calculator(model: CityModel, catalog: Catalog) -> Calculator:
    """Every period and area of the generated city, as the store would hold it."""
    rows = value_rows(model, catalog)
    values = pd.DataFrame(
        {
            "indicator_code": [r.indicator_code for r in rows],
            "period": [r.period for r in rows],
            "area": [r.area for r in rows],
            "value": [r.value for r in rows],
        }
    )
    return Calculator(catalog, values)


@pytest.fixture(scope="module")
def store(
    model: CityModel, catalog: Catalog, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[MetricStore]:
    """A SQLite store with the sample loaded from 2024 on (all the overview reads)."""
    path: Path = tmp_path_factory.mktemp("sample") / "store.db"
    metric_store = open_store(f"sqlite:///{path}")
    metric_store.load("sample", value_rows(model, catalog, since="2024-01-01"))
    yield metric_store
    metric_store.engine.dispose()


@pytest.fixture(scope="module")
def overviews(
    store: MetricStore, catalog: Catalog, model: CityModel
) -> dict[str, dict[str, Snapshot]]:
    """Every indicator at its latest period, for the city and each district."""
    return {
        area: {s.indicator.code: s for s in build_overview(catalog, store, area, TODAY)}
        for area in [model.city, *model.districts]
    }


def off_target(overview: dict[str, Snapshot]) -> set[str]:
    return {code for code, s in overview.items() if s.judgement.status in OFF_TARGET}


def judged(overview: dict[str, Snapshot]) -> set[str]:
    return {code for code, s in overview.items() if s.judgement.status in JUDGED}


def kinds_of(profile: Profile) -> list[str]:
    fields = {
        "level": profile.level,
        "rate": profile.rate,
        "share_of": profile.share_of,
        "growth_of": profile.growth_of,
    }
    return [name for name, value in fields.items() if value is not None]


# --- coverage and references ------------------------------------------------------------
def test_every_stored_indicator_has_exactly_one_profile(
    model: CityModel, profiles: Profiles
) -> None:
    base = set(model.base_codes())
    assert len(base) == 209
    assert sorted(base - set(profiles.indicators)) == []  # no indicator left to the fallback
    assert sorted(set(profiles.indicators) - base) == []  # no profile for a computed one


def test_each_profile_is_one_kind_with_known_shapes(profiles: Profiles) -> None:
    for code, profile in profiles.indicators.items():
        assert len(kinds_of(profile)) == 1, f"{code}: {kinds_of(profile)}"
        assert profile.season in profiles.seasons, code
        assert profile.weekly in profiles.weekly, code
        assert profile.spread in profiles.spreads, code
        assert 0 < profile.share <= 1, code
        assert profile.noise >= 0, code
    for name, factors in profiles.seasons.items():
        assert len(factors) == 12, name
        assert sum(factors) == pytest.approx(12, abs=0.01), name  # a shape, not a level
    for name, factors in profiles.weekly.items():
        assert len(factors) == 7, name


def test_relations_point_to_stored_indicators_of_the_same_frequency_and_areas(
    catalog: Catalog, profiles: Profiles
) -> None:
    for code, profile in profiles.indicators.items():
        ind = catalog.get(code)
        for ref in (profile.share_of, profile.growth_of):
            if ref is None:
                continue
            whole = catalog.get(ref)
            assert whole.kind is Kind.base, f"{code} -> {ref}"
            assert whole.frequency is ind.frequency, f"{code} -> {ref}"
            if ind.areas is AreaScope.all:
                assert whole.areas is AreaScope.all, f"{code} -> {ref}"
        if profile.growth_of:
            assert ind.nature is Nature.rate and ind.unit == "%", code


def test_published_growth_rates_describe_their_own_level_and_window(
    catalog: Catalog, profiles: Profiles
) -> None:
    """A 累计同比 (supplied ytd_yoy) is the ytd growth of the level that names it."""
    checked = 0
    for ind in catalog:
        growth = ind.supplied_growth
        if growth is None or growth.ytd_yoy is None or growth.ytd_yoy not in profiles.indicators:
            continue
        profile = profiles.indicators[growth.ytd_yoy]
        if profile.growth_of is not None:
            assert (profile.growth_of, profile.window) == (ind.code, "ytd"), growth.ytd_yoy
            checked += 1
    assert checked == 10
    assert profiles.indicators["ECO_IND_VA_GROWTH_M"].window == "period"  # 当月同比
    assert profiles.indicators["ECO_IND_VA_GROWTH_YTD"].window == "ytd"  # 累计同比
    # Comparable-price GDP growth is nominal growth less the price change.
    assert profiles.indicators["ECO_GDP_GROWTH"].offset < 0


# --- the generated city -----------------------------------------------------------------
def test_parts_never_exceed_their_wholes(catalog: Catalog, calculator: Calculator) -> None:
    """Every percentage ratio or formula stays within 0–100 in every period and area, for
    the period's own value and its 累计."""
    checked = 0
    for ind in catalog:
        if ind.unit != "%" or ind.kind not in (Kind.ratio, Kind.derived):
            continue
        if ind.code in NOT_PARTS or any(marker in ind.code for marker in CHANGE_MARKERS):
            continue  # e.g. ECL_ENERGY_PER_GDP_YOY, a signed change
        series = calculator.series(ind.code)
        for frame in (series.period, series.ytd):
            if frame is None:
                continue
            cells = frame.to_numpy(dtype=float)
            cells = cells[~np.isnan(cells)]
            assert cells.size > 0, ind.code
            assert cells.min() >= 0, f"{ind.code}: {cells.min()}"
            assert cells.max() <= 100 + 1e-9, f"{ind.code}: {cells.max()}"
        checked += 1
    assert checked == 56


def test_shares_and_coverage_rates_stay_within_0_and_100(
    catalog: Catalog, model: CityModel
) -> None:
    checked = 0
    for code in model.base_codes():
        ind = catalog.get(code)
        if ind.unit != "%" or any(marker in code for marker in CHANGE_MARKERS):
            continue
        frame = model.frame(code)
        assert frame.min().min() >= 0, code
        assert frame.max().max() <= 100, code
        checked += 1
    assert checked == 13


def test_counts_are_whole_numbers(catalog: Catalog, model: CityModel, profiles: Profiles) -> None:
    fractional = set()
    for code in model.base_codes():
        ind = catalog.get(code)
        if ind.nature is Nature.rate or ind.unit not in COUNT_UNITS | MORE_COUNT_UNITS:
            continue
        if profiles.indicators[code].integer is False:
            fractional.add(code)
            continue
        values = model.frame(code).to_numpy(dtype=float)
        assert np.array_equal(values, np.round(values)), code
    assert fractional == FRACTIONAL_ON_PURPOSE


def test_city_is_the_sum_of_its_districts(catalog: Catalog, model: CityModel) -> None:
    """Flows and stocks published for every district add up to the city (within the
    rounding of each district's count)."""
    for code in model.base_codes():
        ind = catalog.get(code)
        if ind.areas is not AreaScope.all or ind.nature is Nature.rate:
            continue
        profile = model.profiles.indicators[code]
        if profile.rate is not None:
            continue  # per-capita values: the city is not a sum
        frame = model.frame(code)
        total = frame[model.districts].sum(axis=1)
        slack = len(model.districts) * 0.5 + 1e-6
        assert (frame[model.city] - total).abs().max() <= slack, code


def test_magnitudes_of_a_prefecture_city(model: CityModel) -> None:
    def year(code: str, year: int) -> float:
        return float(model.frame(code)[model.city].loc[str(year)].sum())

    def last(code: str) -> float:
        return float(model.frame(code)[model.city].iloc[-1])

    assert 2400 < year("ECO_GDP", 2025) < 2800  # 亿元, sized to the catalog's targets
    assert 2400 < last("ECO_GDP_ANNUAL") < 2800
    assert 290 < last("ECO_POP_RESIDENT") < 320  # 万人
    assert 160_000 < year("SVC_HOTLINE_ACCEPTED", 2025) < 200_000  # 12345 work orders
    assert 3_000_000 < year("SVC_APPLICATIONS", 2025) < 4_000_000
    assert 1.0 < year("GOV_GRID_EVENTS_REPORTED", 2025) / 100_000 < 3.0
    assert 330 <= year("ECL_AQI_VALID_DAYS", 2025) <= 365
    assert 150_000 < last("INF_IOT_DEVICES") < 250_000
    gdp_growth = float(model.frame("ECO_GDP_GROWTH")[model.city].iloc[-1])
    assert 5.0 < gdp_growth < 7.0  # % at comparable prices


# --- the dashboard at the latest periods ------------------------------------------------
def test_about_one_indicator_in_eight_is_off_target_in_the_city(
    overviews: dict[str, dict[str, Snapshot]], model: CityModel
) -> None:
    city = overviews[model.city]
    assert len(judged(city)) == 144
    share = len(off_target(city)) / len(judged(city))
    assert 0.05 <= share <= 0.25, sorted(off_target(city))
    # The planted stories: land sales far behind 序时进度, weak investment and one 劣Ⅴ类 section.
    statuses = {code: city[code].judgement.status for code in city}
    assert statuses["ECO_LAND_TRANSFER"] is Status.red
    assert statuses["ECO_FAI_GROWTH"] is Status.amber
    assert statuses["ECL_WATER_SECTIONS_WORSE_V"] is Status.amber
    assert statuses["ECO_GDP"] is Status.green
    assert statuses["ECO_RETAIL"] is Status.green


def test_xishan_lags_behind_the_other_districts(
    overviews: dict[str, dict[str, Snapshot]], model: CityModel
) -> None:
    counts = {d: len(off_target(overviews[d])) for d in model.districts}
    others = [n for d, n in counts.items() if d != LAGGING_DISTRICT]
    assert counts[LAGGING_DISTRICT] >= max(others) + 5, counts
    elsewhere = set().union(
        *(off_target(overviews[d]) for d in model.districts if d != LAGGING_DISTRICT)
    )
    only_xishan = off_target(overviews[LAGGING_DISTRICT]) - elsewhere
    assert len(only_xishan) >= 8, sorted(only_xishan)
    assert {"SVC_HOTLINE_AVG_DAYS", "SVC_MOBILE_RATE", "GOV_GRID_AVG_HANDLING_HOURS"} <= (
        only_xishan
    )
