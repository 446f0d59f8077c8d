"""Load metrics of each source for monitoring (`cockpit status --format prometheus`, `cockpit
metrics serve`): its last run, its runs by status, its open quality findings and this
month's on-time delivery rate. Read afresh on every call: a scrape must see the latest load
and the calendar moving on. What a call reads stays bounded (one row per source, per
indicator, or per period due this month), except the quality findings and their reviews,
read whole to tell which need attention."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select

from connectors.config import SourcesFile
from connectors.delivery import stored_delivery_report
from connectors.findings import finding_items
from indicators.freshness import FreshnessReport
from indicators.registry import Catalog
from indicators.store import LoadRun, MetricStore
from indicators.store.operations import reviews, stored_findings
from indicators.store.schema import load_run

RUN_STATUSES = ("running", "succeeded", "failed")


@dataclass(frozen=True)
class SourceLoad:
    source: str
    last_run: LoadRun | None
    runs: dict[str, int]  # load runs recorded, by status (every RUN_STATUSES key)
    open_findings: int  # findings that need attention: open, and not an info note
    delivery_rate: float | None  # on time / due this month; None when nothing fell due yet

    @property
    def last_run_seconds(self) -> float | None:
        """Duration of the last run; None while it is still running."""
        run = self.last_run
        if run is None or run.finished_at is None:
            return None
        return (run.finished_at - run.started_at).total_seconds()


def source_loads(
    store: MetricStore,
    catalog: Catalog,
    sources: SourcesFile,
    report: FreshnessReport,
    today: date,
) -> list[SourceLoad]:
    """Metrics of the sources of `report` (configured or named by the catalog); a source
    never loaded has no last run and zero counts."""
    last = store.last_runs()
    counts = run_counts(store)
    items = finding_items(stored_findings(store.engine), reviews(store.engine))
    open_findings = Counter(i.latest.source for i in items if i.needs_attention)
    this_month = stored_delivery_report(store, catalog, sources.sources, today, months=1)
    rates = {r.group: r.rate for r in this_month.rates()}
    return [
        SourceLoad(
            sid,
            last[sid][0] if sid in last else None,
            {status: counts[sid, status] for status in RUN_STATUSES},
            open_findings[sid],
            rates.get(sid),
        )
        for sid in (s.source for s in report.sources)
    ]


def run_counts(store: MetricStore) -> Counter[tuple[str, str]]:
    """Load runs recorded per (source, status)."""
    query = select(load_run.c.source, load_run.c.status, func.count()).group_by(
        load_run.c.source, load_run.c.status
    )
    with store.engine.connect() as conn:
        return Counter({(source, status): n for source, status, n in conn.execute(query)})
