"""Benchmark of the leaders' screens: the server time to build the overview screen from
nothing cached, and then a domain screen on the same builder, against their SQL floor.

Fills a store with the overview benchmark's N deterministic values, then times what the
cockpit computes (`cockpit/data_access.py`) when its caches are empty (a data refresh, or
the server's first visitor):

- cold: freshness (`source_freshness`), the city's and districts' values since 2024
  (`screen_values`),
  `SnapshotBuilder`, the city's overview screen (`build_screen`) and its district map
  (`build_district_view` of the screen's default map indicator), in that order;
- warm: the economic screen for the first district and its map, on that same builder: what
  a leader switching screens pays once the builder is cached;
- floor: ONE raw query fetching the rows the builder reads (city and districts, since 2024).

    .venv/bin/python -m benchmarks.screens --values 200000 --backend both --repeat 5
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, TypeVar

from sqlalchemy import bindparam, text

from benchmarks.harness import summary, timed
from benchmarks.overview import TODAY, loaded_store, parse_options, report
from cockpit.screen_model import (
    DistrictView,
    ScreenView,
    build_district_view,
    build_screen,
    screen_values,
)
from cockpit.tile_model import Tile
from connectors.status import source_freshness
from indicators.overview import overview_since
from indicators.registry import DEFAULT_CATALOG, Catalog
from indicators.screens import OVERVIEW, Screen, load_screens
from indicators.snapshot import SnapshotBuilder
from indicators.store import MetricStore

SCHEMA = "bench_screens"
WARM_SCREEN = "economic"  # a domain screen, for a district: the second screen a leader opens
LANG = "zh"
COLD = ("freshness", "read", "builder", "screen", "district")
WARM = ("screen", "district")
FLOOR_SQL = text(
    "SELECT indicator_code, period, area, value, load_run_id, loaded_at "
    "FROM metric_value WHERE period >= :since AND area IN :areas"
).bindparams(bindparam("areas", expanding=True))
T = TypeVar("T")


@dataclass(frozen=True)
class Visit:
    """One pass from nothing cached: seconds per stage, and what was built (for checks)."""

    cold: dict[str, float]
    warm: dict[str, float]
    rows_read: int
    overview: ScreenView
    overview_map: DistrictView | None
    domain: ScreenView
    domain_map: DistrictView | None


def _stage(seconds: dict[str, float], name: str, fn: Callable[[], T]) -> T:
    start = time.perf_counter()
    result = fn()
    seconds[name] = time.perf_counter() - start
    return result


def visit(store: MetricStore, catalog: Catalog, screens: dict[str, Screen], district: str) -> Visit:
    """What the app computes on an empty cache, in its order (`screen_view` asks for the
    freshness before the builder), then a domain screen for `district` on the same builder."""
    city, since = catalog.deployment.city.code, overview_since(TODAY)
    overview, domain = screens[OVERVIEW], screens[WARM_SCREEN]
    cold: dict[str, float] = {}
    freshness = _stage(
        cold,
        "freshness",
        lambda: source_freshness(store, catalog, None, TODAY, datetime.now(UTC)).indicators,
    )
    values = _stage(cold, "read", lambda: screen_values(store, catalog, since))
    builder = _stage(cold, "builder", lambda: SnapshotBuilder(catalog, values))
    city_screen = _stage(
        cold, "screen", lambda: build_screen(builder, overview, city, TODAY, freshness, LANG)
    )
    city_map = _stage(
        cold, "district", lambda: build_district_view(builder, overview.map_codes[0], TODAY, LANG)
    )
    warm: dict[str, float] = {}
    district_screen = _stage(
        warm, "screen", lambda: build_screen(builder, domain, district, TODAY, freshness, LANG)
    )
    district_map = _stage(
        warm, "district", lambda: build_district_view(builder, domain.map_codes[0], TODAY, LANG)
    )
    return Visit(cold, warm, len(values), city_screen, city_map, district_screen, district_map)


def fetch_floor(store: MetricStore, areas: list[str], since: str) -> list[Any]:
    """The floor: one raw query for the rows the builder reads, no ORM types, no pandas."""
    with store.engine.connect() as conn:
        return list(conn.execute(FLOOR_SQL, {"since": since, "areas": areas}).fetchall())


def timings(runs: list[dict[str, float]], stages: tuple[str, ...]) -> dict[str, Any]:
    """Median and min of the whole path, and each stage's, over the timed runs."""
    return {
        **summary([sum(run.values()) for run in runs]),
        "stages": {name: summary([run[name] for run in runs]) for name in stages},
    }


def shown(screen: ScreenView, district_map: DistrictView | None) -> dict[str, int]:
    """How much of a screen has figures: a sanity check that the data reach it."""
    tiles = [tile for row in screen.rows for tile in row.tiles]
    figures = district_map.figures if district_map else ()
    return {
        "tiles": len(tiles),
        "tiles_with_figures": sum(isinstance(tile, Tile) for tile in tiles),
        "attention": screen.attention_total,
        "map_districts_with_figures": sum(f.value is not None for f in figures),
    }


def run_backend(backend: str, catalog: Catalog, total: int, repeat: int) -> dict[str, Any]:
    """Build the store on `backend`, then time the screens from nothing cached and the floor,
    each `repeat` times after one untimed warm-up."""
    screens = load_screens(catalog, DEFAULT_CATALOG)
    district, since = catalog.deployment.districts[0].code, overview_since(TODAY)
    with loaded_store(backend, catalog, total, SCHEMA) as loaded:
        store = loaded.store
        visit(store, catalog, screens, district)  # warm-up: connections, parsed-label caches
        visits = [visit(store, catalog, screens, district) for _ in range(repeat)]
        areas = [area.code for area in catalog.deployment.areas]
        floor_s, rows = timed(lambda: fetch_floor(store, areas, since), repeat)
    last = visits[-1]
    if last.rows_read != len(rows):
        raise AssertionError(f"the screens read {last.rows_read} rows, the floor {len(rows)}")
    cold = timings([v.cold for v in visits], COLD)
    return {
        **loaded.figures,
        "rows_read": last.rows_read,
        "cold": cold,
        "warm": timings([v.warm for v in visits], WARM),
        "floor": {**summary(floor_s), "rows": len(rows)},
        "ratio_median": round(cold["median_s"] / statistics.median(floor_s), 1),
        "overview": shown(last.overview, last.overview_map),
        "domain": shown(last.domain, last.domain_map),
    }


def main(argv: list[str] | None = None) -> None:
    options = parse_options("python -m benchmarks.screens", __doc__, argv)
    catalog = options.catalog
    screens = load_screens(catalog, DEFAULT_CATALOG)
    setting = {
        "since": overview_since(TODAY),
        "cold_screen": {
            "screen": OVERVIEW,
            "area": catalog.deployment.city.code,
            "map": screens[OVERVIEW].map_codes[0],
        },
        "warm_screen": {
            "screen": WARM_SCREEN,
            "area": catalog.deployment.districts[0].code,
            "map": screens[WARM_SCREEN].map_codes[0],
        },
    }
    report("screens", options, setting, run_backend)


if __name__ == "__main__":
    main()
