"""The overview: every indicator at its latest complete period for one area.

This is what the big screen and the benchmark compute: latest value, 同比, status and a
12-period sparkline per indicator. Only the last few years are read, since nothing on the
overview looks further back than last year's 累计.
"""

from __future__ import annotations

from datetime import date

from indicators.registry import Catalog
from indicators.snapshot import Snapshot, SnapshotBuilder
from indicators.store import MetricStore


def overview_since(today: date) -> str:
    """Earliest period label the overview needs: sparklines, 同比 bases and last year's 累计."""
    return str(today.year - 2)


def build_overview(catalog: Catalog, store: MetricStore, area: str, today: date) -> list[Snapshot]:
    """Snapshots of every indicator with data for `area`, in catalog order."""
    values = store.values(areas=[area], since=overview_since(today))
    builder = SnapshotBuilder(catalog, values)
    snapshots = []
    for ind in catalog:
        period = builder.latest_period(ind.code, area, today)
        if period is not None:
            snapshots.append(builder.snapshot(ind.code, period, area))
    return snapshots
