"""The sample city's SQL sources: generated into SQLite, PostgreSQL and MariaDB, read back
with the queries configured in sample_data/sources.yaml, they give the model's values
(exactly for counts), the same on every database, grouped in the database."""

from __future__ import annotations

import math
from datetime import date
from pathlib import Path

import pandas as pd
import pytest
from sqlalchemy import create_engine, text

from connectors.base import ReadResult, SourceContext
from connectors.config import load_sources
from connectors.registry import build_connector
from indicators.registry import Catalog, load_catalog
from sample_data import relational
from sample_data.model import CityModel, Profile, Profiles
from sample_data.plan import SAMPLE_DIR, Scale

SOURCES_FILE = Path(__file__).parents[1] / "sample_data" / "sources.yaml"
CATALOG = Path(__file__).parents[1] / "indicators" / "catalog"
TODAY = date(2022, 3, 10)  # 14 months, 4 quarters and 433 days of history: quick to write
# The record tables at a few dozen a month; consistent by construction (parts of wholes).
TINY = {
    "SVC_HOTLINE_ACCEPTED": {
        "level": 90,
        "growth": 0.05,
        "season": "hotline",
        "spread": "population",
    },
    "SVC_HOTLINE_DISPATCHED": {"share_of": "SVC_HOTLINE_ACCEPTED", "share": 0.6},
    "SVC_HOTLINE_DISPATCHED_INSTANT": {"share_of": "SVC_HOTLINE_DISPATCHED", "share": 0.9},
    "SVC_HOTLINE_DIRECT": {"share_of": "SVC_HOTLINE_DISPATCHED", "share": 0.8},
    "GOV_HOTLINE_TO_GRID": {"share_of": "SVC_HOTLINE_DISPATCHED", "share": 0.3},
    "SVC_HOTLINE_FEEDBACK_DUE": {"share_of": "SVC_HOTLINE_DISPATCHED", "share": 0.97},
    "SVC_HOTLINE_FEEDBACK_ON_TIME": {"share_of": "SVC_HOTLINE_FEEDBACK_DUE", "share": 0.9},
    "SVC_HOTLINE_CLOSED": {"share_of": "SVC_HOTLINE_ACCEPTED", "share": 0.95},
    "SVC_HOTLINE_FIRST_CLOSED": {"share_of": "SVC_HOTLINE_CLOSED", "share": 0.9},
    "SVC_HOTLINE_REVISITED": {"share_of": "SVC_HOTLINE_CLOSED", "share": 0.8},
    "SVC_HOTLINE_SATISFIED": {"share_of": "SVC_HOTLINE_REVISITED", "share": 0.9},
    "SVC_HOTLINE_HANDLING_DAYS_TOTAL": {"level": 300, "spread": "population", "integer": False},
    "GOV_HOTLINE_DISPUTE_ORDERS": {"share_of": "SVC_HOTLINE_ACCEPTED", "share": 0.1},
    "ECL_ENV_COMPLAINTS": {"share_of": "SVC_HOTLINE_ACCEPTED", "share": 0.08},
    "SVC_HOTLINE_CALLS": {"level": 12, "weekly": "hotline"},
    "SVC_HOTLINE_ANSWERED": {"share_of": "SVC_HOTLINE_CALLS", "share": 0.95},
    "GOV_GRID_EVENTS_REPORTED": {"level": 80, "spread": "population"},
    "GOV_GRID_EVENTS_SELF_FOUND": {"share_of": "GOV_GRID_EVENTS_REPORTED", "share": 0.6},
    # Closed ≥ due, so what closes on time (by deadline month) fits what closes (by month).
    "GOV_GRID_EVENTS_CLOSED": {
        "share_of": "GOV_GRID_EVENTS_REPORTED",
        "share": 0.99,
        "noise": 0.005,
    },
    "GOV_GRID_EVENTS_DUE": {"share_of": "GOV_GRID_EVENTS_REPORTED", "share": 0.9, "noise": 0.005},
    "GOV_GRID_EVENTS_CLOSED_ON_TIME": {"share_of": "GOV_GRID_EVENTS_DUE", "share": 0.95},
    "GOV_GRID_HANDLING_HOURS": {"level": 2500, "spread": "population", "integer": False},
    "GOV_GRID_CELLS": {"level": 24, "growth": 0.1, "spread": "population"},
    "GOV_GRID_CELLS_PATROLLED": {"share_of": "GOV_GRID_CELLS", "share": 0.9},
}
SQL_SOURCES = ("hotline_db", "grid_db", "service_db")
WHOLE = {"件", "个", "次", "人", "户", "项"}  # units counted in whole numbers: compared exactly


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog(CATALOG).catalog


@pytest.fixture(scope="module")
def model(catalog: Catalog) -> CityModel:
    profiles = Profiles.load()
    tiny = {code: Profile.model_validate(body) for code, body in TINY.items()}
    profiles = Profiles(
        {**profiles.indicators, **tiny}, profiles.seasons, profiles.weekly, profiles.spreads
    )
    return CityModel(catalog, seed=11, today=TODAY, profiles=profiles)


def read_all(url: str | None, home: Path, catalog: Catalog) -> dict[str, ReadResult]:
    """Run each SQL source's configured queries (against `url` instead of the file's)."""
    sources = load_sources(SOURCES_FILE)
    results = {}
    for source_id in SQL_SOURCES:
        options = dict(sources.get(source_id).options)
        if url:
            options["url"] = url
        connector = build_connector("sql", options, source_id)
        results[source_id] = connector.read(SourceContext(catalog, home), lambda *_: None)
    return results


def generate(model: CityModel, home: Path, url: str | None, scale: Scale = Scale.full) -> None:
    urls = dict.fromkeys(SQL_SOURCES, url) if url else None
    relational.write(model, home / SAMPLE_DIR, scale, lambda *_: None, urls)


def as_dict(results: dict[str, ReadResult]) -> dict[tuple[str, str, str], float]:
    values = {}
    for result in results.values():
        assert result.rejections == []
        for row in result.rows:
            key = (row.indicator_code, row.period, row.area)
            assert key not in values
            values[key] = row.value
    return values


def assert_same(
    got: dict[tuple[str, str, str], float],
    want: dict[tuple[str, str, str], float],
    catalog: Catalog,
) -> None:
    assert got.keys() == want.keys()
    for key, value in want.items():
        if catalog.get(key[0]).unit in WHOLE:
            assert got[key] == value, key
        else:
            assert math.isclose(got[key], value, rel_tol=1e-9, abs_tol=1e-9), key


def flatten(frames: dict[str, pd.DataFrame]) -> dict[tuple[str, str, str], float]:
    return {
        (code, str(period), area): float(value)
        for code, frame in frames.items()
        for period, row in frame.iterrows()
        for area, value in row.items()
    }


def test_the_databases_hold_the_models_values(
    source_db_url: str, tmp_path: Path, model: CityModel, catalog: Catalog
) -> None:
    url = None if source_db_url.startswith("sqlite") else source_db_url  # SQLite: the files
    generate(model, tmp_path, url)
    got = as_dict(read_all(url, tmp_path, catalog))
    assert relational.adjusted(model, Scale.full) == {}
    expected = relational.expected(model, Scale.full)
    assert_same(got, flatten(expected), catalog)
    # And what the databases hold is the model itself over its published periods. Records
    # add up: the city is the sum of the districts (the model rounds its city on its own).
    for source_id in SQL_SOURCES:
        for code in model.base_codes(source_id):
            published = model.frame(code)
            if len(published.columns) > 1:
                published[model.city] = published[model.districts].sum(axis=1)
            held = expected[code].loc[published.index, published.columns]
            tolerance = 0 if catalog.get(code).unit in WHOLE else 1e-3  # to the 人 or second
            assert (held - published).abs().max().max() <= tolerance, code


@pytest.mark.postgres
@pytest.mark.mariadb
def test_every_database_gives_the_same_numbers(
    tmp_path: Path, postgres_url: str, mariadb_url: str, model: CityModel, catalog: Catalog
) -> None:
    results = {}
    for name, url in (("sqlite", None), ("postgresql", postgres_url), ("mariadb", mariadb_url)):
        home = tmp_path / name
        generate(model, home, url)
        results[name] = as_dict(read_all(url, home, catalog))
    assert_same(results["postgresql"], results["sqlite"], catalog)
    assert_same(results["mariadb"], results["sqlite"], catalog)


def test_the_database_does_the_grouping(tmp_path: Path, model: CityModel, catalog: Catalog) -> None:
    generate(model, tmp_path, None)
    results = read_all(None, tmp_path, catalog)
    months = len(pd.period_range("2021-01", "2022-02", freq="M"))
    days = (date(2022, 3, 9) - date(2021, 1, 1)).days + 1
    districts = len(model.districts)
    # hotline: three monthly queries per district, one daily query of the city
    assert results["hotline_db"].rows_read == 3 * months * districts + days
    assert results["grid_db"].rows_read == 4 * months * districts
    engine = create_engine(f"sqlite:///{tmp_path / SAMPLE_DIR / 'hotline.db'}")
    with engine.connect() as conn:
        orders = conn.execute(text("SELECT COUNT(*) FROM work_orders")).scalar_one()
    engine.dispose()
    assert orders > 3 * (3 * months * districts)  # each order read once, in the database


def test_small_scale_writes_a_twentieth_of_the_records(tmp_path: Path, catalog: Catalog) -> None:
    model = CityModel(catalog, today=TODAY)  # the real profiles: enough records at 1/20
    generate(model, tmp_path, None, Scale.small)
    got = as_dict(read_all(None, tmp_path, catalog))
    assert_same(got, flatten(relational.expected(model, Scale.small)), catalog)
    accepted = model.frame("SVC_HOTLINE_ACCEPTED")[model.districts]
    small = sum(
        v
        for (code, _, area), v in got.items()
        if code == "SVC_HOTLINE_ACCEPTED" and area != "xinhe"
    )
    assert small == pytest.approx(accepted.sum().sum() / 20, rel=0.02)
    # The warehouse is pre-aggregated: the model's values at any scale.
    assert (
        got[("SVC_APPLICATIONS", "2021-06", "xinhe")]
        == model.frame("SVC_APPLICATIONS").loc["2021-06", "xinhe"]
    )


@pytest.mark.parametrize("scale", list(Scale))
def test_the_catalog_profiles_fit_the_record_tables(catalog: Catalog, scale: Scale) -> None:
    """With the real profiles no count has to be bent to make parts fit their wholes."""
    model = CityModel(catalog, today=date(2026, 11, 25))
    assert relational.adjusted(model, scale) == {}


def test_contradicting_numbers_are_bent_to_fit(catalog: Catalog) -> None:
    profiles = Profiles.load()
    broken = {"SVC_HOTLINE_DISPATCHED_INSTANT": Profile(level=50_000, spread="population")}
    model = CityModel(
        catalog,
        today=TODAY,
        profiles=Profiles(
            {**profiles.indicators, **broken}, profiles.seasons, profiles.weekly, profiles.spreads
        ),
    )
    adjusted = relational.adjusted(model, Scale.full)
    assert set(adjusted) == {"SVC_HOTLINE_DISPATCHED_INSTANT"}
    instant = relational.expected(model, Scale.full)["SVC_HOTLINE_DISPATCHED_INSTANT"]
    dispatched = relational.expected(model, Scale.full)["SVC_HOTLINE_DISPATCHED"]
    assert (instant <= dispatched).all().all()
