"""Benchmark of the overview (`build_overview`) against its SQL floor.

Fills a store with N deterministic values from the shipped catalog, then times the city's
overview next to ONE raw query fetching the very rows the overview reads. The ratio says how
much of the overview's time is our Python/pandas work rather than the database's.

    .venv/bin/python -m benchmarks.overview --values 200000 --backend both --repeat 5
"""

from __future__ import annotations

import argparse
import itertools
import random
import statistics
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any, TypeVar

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from sqlalchemy import text

from benchmarks.harness import (
    commit,
    database_version,
    emit,
    fresh_schema,
    machine,
    summary,
    timed,
)
from indicators.model import AreaScope, Frequency, Indicator, Kind, PublishedAs
from indicators.overview import build_overview, overview_since
from indicators.periods import FIRST_YEAR, Period, period_range
from indicators.registry import Catalog, load_catalog
from indicators.store import MetricStore, ValueRow, open_store

TODAY = date(2026, 11, 25)  # fixed, so runs on different days measure the same thing
SEED = 20261125
CHUNK = 200_000  # values per load run: bounds memory and transaction size at any N
SCHEMA = "bench_overview"
FLOOR_SQL = text(
    "SELECT indicator_code, period, area, value, load_run_id, loaded_at "
    "FROM metric_value WHERE area = :area AND period >= :since"
)
T = TypeVar("T")


# --- data -------------------------------------------------------------------------------
@lru_cache(maxsize=8)  # the current year's frequencies: memory stays flat at any N
def _periods_of_year(frequency: Frequency, year: int, today: date) -> tuple[tuple[str, int], ...]:
    """(label, index) of each period of `year` that has ended before `today`."""
    last = Period.latest_complete(frequency, today)
    if year > last.year:
        return ()
    first = Period.containing(frequency, date(year, 1, 1))
    end = last if year == last.year else Period.containing(frequency, date(year, 12, 31))
    return tuple((p.label, p.index) for p in period_range(first, end))


def _level(ind: Indicator, area: str, seed: int) -> float:
    """A plausible magnitude per series: 20–95 for rates in %/‰, 10–10 000 otherwise."""
    rng = random.Random(f"{seed}/{ind.code}/{area}")  # str seeds are stable across runs
    return rng.uniform(20, 95) if ind.is_rate_unit else 10 ** rng.uniform(1, 4)


def generate_values(
    catalog: Catalog, total: int, today: date = TODAY, seed: int = SEED
) -> Iterator[ValueRow]:
    """Exactly `total` values, lazily: every base indicator for the city and (where published
    by district) each district, one calendar year at a time going back from the latest
    complete period to the store's FIRST_YEAR, so all indicators reach the same depth and
    daily ones get more periods. Past that depth, extra sub-areas (`bench_001`, … as 街道
    would be) carry the district-level indicators: the city's rows, which the overview reads,
    are then the same at every N and only the table grows."""
    city = catalog.deployment.city.code
    areas = [city, *(d.code for d in catalog.deployment.districts)]
    base = [ind for ind in catalog if ind.kind is Kind.base]
    real = [(ind, a) for ind in base for a in (areas if ind.areas is AreaScope.all else [city])]
    by_district = [ind for ind in base if ind.areas is AreaScope.all]
    layers = itertools.chain(
        [(random.Random(seed), real)],
        (
            (random.Random(f"{seed}/{k}"), [(ind, f"bench_{k:03d}") for ind in by_district])
            for k in itertools.count(1)
        ),
    )
    rows = (
        row
        for rng, series in itertools.takewhile(lambda layer: bool(layer[1]), layers)
        for row in _layer(series, rng, today, seed)
    )
    yield from itertools.islice(rows, total)


def _layer(
    series: list[tuple[Indicator, str]], rng: random.Random, today: date, seed: int
) -> Iterator[ValueRow]:
    """Values of `series` from the latest complete period back to FIRST_YEAR. 累计 (ytd)
    series rise within each year; merged 1–2月 releases skip January (February holds two)."""
    levels = [_level(ind, area, seed) for ind, area in series]
    for year in range(today.year, FIRST_YEAR - 1, -1):
        for (ind, area), level in zip(series, levels, strict=True):
            merged = ind.merged_jan_feb and ind.frequency is Frequency.month
            ytd = ind.published_as is PublishedAs.ytd
            trend = 1.0 if ind.is_rate_unit else 1.03 ** (year - today.year)
            running = 0.0
            for label, index in _periods_of_year(ind.frequency, year, today):
                if merged and index == 1:
                    continue
                value = level * trend * rng.uniform(0.9, 1.1) * (2 if merged and index == 2 else 1)
                if ind.is_rate_unit:
                    value = min(value, 100.0)
                if ytd:
                    running += value
                    value = running
                yield ValueRow(ind.code, label, area, round(value, 4))


def _advancing(
    rows: Iterator[T], advance: Callable[[int], None], every: int = 10**4
) -> Iterator[T]:
    """Pass rows through, reporting progress every `every` rows (per row would cost time)."""
    count = 0
    for count, row in enumerate(rows, 1):
        yield row
        if count % every == 0:
            advance(every)
    advance(count % every)


def load_store(store: MetricStore, rows: Iterator[ValueRow], total: int) -> float:
    """Load `rows` in chunks of CHUNK, one load run each; return the seconds taken
    (generation included: rows are made as the store consumes them)."""
    columns = (
        TextColumn("[bold]loading"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TimeRemainingColumn(),
    )
    with Progress(*columns, console=Console(stderr=True)) as progress:
        task = progress.add_task("load", total=total)
        counted = _advancing(rows, lambda n: progress.advance(task, n))
        start = time.perf_counter()
        while (first := next(counted, None)) is not None:
            store.load("benchmark", itertools.chain([first], itertools.islice(counted, CHUNK - 1)))
        return time.perf_counter() - start


# --- backends ---------------------------------------------------------------------------
def open_backend(backend: str, workdir: Path, schema: str = SCHEMA) -> MetricStore:
    """A fresh, migrated store: a new SQLite file, or the PostgreSQL schema dropped and
    recreated, so every run starts from the same empty state."""
    if backend == "sqlite":
        return open_store(f"sqlite:///{workdir / 'bench.db'}")
    return open_store(fresh_schema(schema))


@dataclass(frozen=True)
class Loaded:
    """A store filled by `loaded_store`, and what filling it took."""

    store: MetricStore
    values: int
    load_seconds: float
    database_version: str

    @property
    def figures(self) -> dict[str, Any]:
        return {
            "database_version": self.database_version,
            "values": self.values,
            "load_seconds": round(self.load_seconds, 2),
            "load_values_per_second": round(self.values / self.load_seconds),
        }


@contextmanager
def loaded_store(
    backend: str, catalog: Catalog, total: int, schema: str = SCHEMA
) -> Iterator[Loaded]:
    """A fresh store on `backend` holding the first `total` generated values, analysed; its
    connections are closed afterwards and a SQLite file removed (see `open_backend`)."""
    with tempfile.TemporaryDirectory(prefix=f"{schema}_") as tmp:
        store = open_backend(backend, Path(tmp), schema)
        try:
            load_s = load_store(store, generate_values(catalog, total), total)
            with store.engine.begin() as conn:
                # Fresh planner statistics, as autovacuum keeps on PostgreSQL; on SQLite they
                # are what lets the floor skip-scan the primary key instead of the whole table.
                conn.execute(text("ANALYZE"))
                version = database_version(conn)
            yield Loaded(store, store.count_values(), load_s, version)
        finally:
            store.engine.dispose()


def fetch_floor(store: MetricStore, area: str, since: str) -> list[Any]:
    """The floor: one raw query for the rows the overview reads, no ORM types, no pandas."""
    with store.engine.connect() as conn:
        return list(conn.execute(FLOOR_SQL, {"area": area, "since": since}).fetchall())


def run_backend(backend: str, catalog: Catalog, total: int, repeat: int) -> dict[str, Any]:
    """Build the store on `backend`, then time the overview and its floor."""
    area, since = catalog.deployment.city.code, overview_since(TODAY)
    with loaded_store(backend, catalog, total) as loaded:
        store = loaded.store
        read = len(store.values(areas=[area], since=since))
        overview_s, snapshots = timed(lambda: build_overview(catalog, store, area, TODAY), repeat)
        floor_s, rows = timed(lambda: fetch_floor(store, area, since), repeat)
    if read != len(rows):
        raise AssertionError(f"overview read {read} rows but the floor fetched {len(rows)}")
    return {
        **loaded.figures,
        "overview": summary(overview_s),
        "floor": {**summary(floor_s), "rows": len(rows)},
        "ratio_median": round(statistics.median(overview_s) / statistics.median(floor_s), 1),
        "indicators_in_overview": len(snapshots),
    }


# --- command line -----------------------------------------------------------------------
@dataclass(frozen=True)
class Options:
    """What every benchmark of a generated store is asked: its size, backends and runs."""

    values: int
    backends: list[str]
    repeat: int
    json_out: Path | None
    catalog: Catalog


def parse_options(prog: str, description: str | None, argv: list[str] | None) -> Options:
    """The command line of a store benchmark, checked, with the shipped catalog."""
    parser = argparse.ArgumentParser(prog=prog, description=description)
    parser.add_argument("--values", type=int, default=200_000, help="values to store")
    parser.add_argument("--backend", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument("--repeat", type=int, default=5, help="timed runs (after a warm-up)")
    parser.add_argument("--json-out", type=Path, help="also write the JSON document here")
    args = parser.parse_args(argv)
    if args.values < 1 or args.repeat < 1:
        parser.error("--values and --repeat must be positive")
    loaded = load_catalog()
    if loaded.problems:
        parser.error(f"the shipped catalog has {len(loaded.problems)} problem(s)")
    backends = ["sqlite", "postgresql"] if args.backend == "both" else [args.backend]
    return Options(args.values, backends, args.repeat, args.json_out, loaded.catalog)


def report(
    benchmark: str,
    options: Options,
    setting: dict[str, Any],
    run_backend: Callable[[str, Catalog, int, int], dict[str, Any]],
) -> None:
    """Run `run_backend(backend, catalog, values, repeat)` on each backend asked for and emit
    the JSON document: what was measured (`setting`), the code, the data and the machine."""
    emit(
        {
            "benchmark": benchmark,
            "commit": commit(),
            "today": TODAY.isoformat(),
            "seed": SEED,
            **setting,
            "repeat": options.repeat,
            "machine": machine(),
            "backends": {
                b: run_backend(b, options.catalog, options.values, options.repeat)
                for b in options.backends
            },
        },
        options.json_out,
    )


def main(argv: list[str] | None = None) -> None:
    options = parse_options("python -m benchmarks.overview", __doc__, argv)
    setting = {"area": options.catalog.deployment.city.code, "since": overview_since(TODAY)}
    report("overview", options, setting, run_backend)


if __name__ == "__main__":
    main()
