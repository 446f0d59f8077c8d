"""Freshness of the configured sources, from what the store recorded (see
indicators.freshness for the two clocks)."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from connectors.config import SourcesFile
from indicators.freshness import FreshnessReport, LoadAgeRule, SourceRuns, assess
from indicators.registry import Catalog
from indicators.store import MetricStore


def source_freshness(
    store: MetricStore, catalog: Catalog, sources: SourcesFile | None, today: date, now: datetime
) -> FreshnessReport:
    """Without a sources file (none configured, or one that does not parse) every catalog
    source is judged by the default load-age rule and what the store holds."""
    runs = {
        source: SourceRuns(last.status, last.message, ok.finished_at if ok else None)
        for source, (last, ok) in store.last_runs().items()
    }
    rules = {
        s.id: LoadAgeRule(
            timedelta(hours=s.load_age.late_after_hours),
            timedelta(hours=s.load_age.stale_after_hours),
        )
        for s in (sources.sources if sources else ())
    }
    return assess(
        catalog,
        store.latest_periods(catalog.deployment.city.code),
        runs,
        today,
        now,
        load_age=rules,
        sources=[s.id for s in sources.sources] if sources else None,
    )
