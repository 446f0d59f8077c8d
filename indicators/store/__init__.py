"""The metric store: indicator values keyed by (indicator, period, area), with the load
runs that wrote them. SQLite under COCKPIT_HOME by default, PostgreSQL in production."""

from indicators.store.database import StoreOpenError, open_store
from indicators.store.repository import (
    Finding,
    LoadError,
    LoadRun,
    MetricStore,
    Rejection,
    ValueRow,
)

__all__ = [
    "Finding",
    "LoadError",
    "LoadRun",
    "MetricStore",
    "Rejection",
    "StoreOpenError",
    "ValueRow",
    "open_store",
]
