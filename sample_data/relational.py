"""The sample city's three SQL sources: 12345 热线, the grid platform, the 政务服务 warehouse.

By default each is a SQLite file in the sample folder (`hotline.db`, `grid.db`, `service.db`,
read by sources.yaml as `sqlite:///sample/<file>`); `urls` may put any of them on
PostgreSQL or MariaDB instead. The record tables (work orders, grid events) hold the model's
counts at full scale and a twentieth at small scale (targets.VOLUME); the warehouse is
pre-aggregated and always holds the model's values. Where the model's numbers contradict
each other (a part larger than its whole), the databases hold the nearest consistent
numbers and a warning names the indicator; `expected` says exactly what they hold.
"""

from __future__ import annotations

import logging
import zlib
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd
from sqlalchemy import Connection

from connectors.base import Progress
from sample_data import bulk, grid, hotline, service
from sample_data.model import CityModel
from sample_data.plan import Scale
from sample_data.targets import VOLUME

log = logging.getLogger(__name__)
SOURCES = (hotline.SOURCE, grid.SOURCE, service.SOURCE)
FILES = {hotline.SOURCE: "hotline.db", grid.SOURCE: "grid.db", service.SOURCE: "service.db"}


def write(
    model: CityModel,
    out_dir: Path,
    scale: Scale,
    progress: Progress,
    urls: dict[str, str] | None = None,
) -> None:
    """Create and fill the three databases (replacing earlier contents)."""
    hotline_plan, grid_plan = _plans(model, VOLUME[scale])
    for code, cells in {**hotline_plan.adjusted(), **grid_plan.adjusted()}.items():
        log.warning("sample %s: the model's numbers contradict each other in %d cells", code, cells)
    fills: dict[str, Callable[[Connection, np.random.Generator], None]] = {
        hotline.SOURCE: lambda conn, rng: hotline.write(conn, model, hotline_plan, rng, progress),
        grid.SOURCE: lambda conn, rng: grid.write(conn, model, grid_plan, rng, progress),
        service.SOURCE: lambda conn, rng: service.write(conn, model, rng, progress),
    }
    for source, fill in fills.items():
        url = (urls or {}).get(source) or f"sqlite:///{out_dir / FILES[source]}"
        engine = bulk.open_database(url)
        try:
            with engine.begin() as conn:
                fill(conn, np.random.default_rng([model.seed, zlib.crc32(source.encode())]))
        finally:
            engine.dispose()


def expected(model: CityModel, scale: Scale) -> dict[str, pd.DataFrame]:
    """Per indicator, what the configured queries read from the databases `write` makes:
    periods × areas, the city first."""
    hotline_plan, grid_plan = _plans(model, VOLUME[scale])
    return {
        **hotline_plan.expected(model),
        **grid_plan.expected(model),
        **service.expected(model),
    }


def adjusted(model: CityModel, scale: Scale) -> dict[str, int]:
    """District-periods where a count differs from the model's (scaled) value because the
    model's numbers could not all hold at once, per indicator; empty when consistent."""
    hotline_plan, grid_plan = _plans(model, VOLUME[scale])
    return {**hotline_plan.adjusted(), **grid_plan.adjusted()}


def _plans(model: CityModel, volume: float) -> tuple[hotline.HotlinePlan, grid.GridPlan]:
    hotline_plan = hotline.plan(model, volume)
    to_grid = pd.DataFrame(
        hotline_plan.counts[hotline.TO_GRID], index=hotline_plan.months, columns=model.districts
    )
    return hotline_plan, grid.plan(model, volume, to_grid)
