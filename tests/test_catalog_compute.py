"""Every shipped indicator computes from plausible stored values, for the city and districts."""

from __future__ import annotations

import math
import random

import pandas as pd
import pytest

from indicators.model import Frequency, Kind, PublishedAs
from indicators.periods import Period
from indicators.registry import DEFAULT_CATALOG, Catalog, load_catalog
from indicators.snapshot import SnapshotBuilder

LAST = {
    Frequency.day: Period.parse("2026-11-24"),
    Frequency.month: Period.parse("2026-10"),
    Frequency.quarter: Period.parse("2026Q3"),
    Frequency.year: Period.parse("2025"),
}


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog(DEFAULT_CATALOG).catalog


def synthetic_values(catalog: Catalog) -> pd.DataFrame:
    """Two years of positive values for every base indicator and area (累计 kept rising)."""
    rng = random.Random(7)
    rows = []
    for ind in catalog:
        if ind.kind is not Kind.base:
            continue
        last = LAST[ind.frequency]
        periods = [last + (-i) for i in range(400 if ind.frequency is Frequency.day else 24)]
        areas = ["xinhe"] + (
            [a.code for a in catalog.deployment.districts] if ind.areas.value == "all" else []
        )
        for area in areas:
            level = rng.uniform(50, 100)
            for period in sorted(periods):
                if ind.merged_jan_feb and period.index == 1:
                    continue
                value = level * (
                    period.position_in_year if ind.published_as is PublishedAs.ytd else 1
                )
                rows.append(
                    (ind.code, period.label, area, value, 1, pd.Timestamp("2026-11-01", tz="UTC"))
                )
    return pd.DataFrame(
        rows, columns=["indicator_code", "period", "area", "value", "load_run_id", "loaded_at"]
    )


def test_every_indicator_has_a_value_at_its_latest_period(catalog: Catalog) -> None:
    builder = SnapshotBuilder(catalog, synthetic_values(catalog))
    missing = []
    for ind in catalog:
        snapshot = builder.snapshot(ind.code, LAST[ind.frequency], "xinhe")
        if snapshot.headline is None or math.isnan(snapshot.headline):
            missing.append(ind.code)
    assert missing == []


def test_districts_compute_where_the_indicator_has_districts(catalog: Catalog) -> None:
    builder = SnapshotBuilder(catalog, synthetic_values(catalog))
    for ind in catalog:
        if ind.areas.value == "all":
            assert builder.snapshot(ind.code, LAST[ind.frequency], "gaoxin").headline is not None, (
                ind.code
            )
