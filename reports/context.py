"""What every block reads: the catalog, one SnapshotBuilder over the store, the briefing's
month and area, and freshness. A figure in a briefing is the snapshot `cockpit show` and the
screens print for the same period, so the three can never disagree."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import timedelta

from indicators.freshness import Freshness, IndicatorFreshness
from indicators.periods import Period
from indicators.registry import Catalog
from indicators.snapshot import Snapshot, SnapshotBuilder
from reports.document import DocumentMeta


@dataclass
class BriefingContext:
    catalog: Catalog
    builder: SnapshotBuilder
    month: Period  # the briefing's month
    area: str
    meta: DocumentMeta
    freshness: Mapping[str, IndicatorFreshness] = field(default_factory=dict)
    used: list[str] = field(default_factory=list)  # indicators shown, for the data notes
    runs: set[int] = field(default_factory=set)  # load runs behind every snapshot read

    def snapshot(self, code: str) -> Snapshot | None:
        """The indicator's latest period that had ended by the end of the month, as the
        screens look back with `asof`; None when nothing is stored by then. The indicator
        is one the briefing shows (the data notes list it)."""
        self.used.append(code)
        return self.peek(code)

    def peek(self, code: str) -> Snapshot | None:
        """`snapshot` for a figure read to decide something (is it off target?) but not
        shown. Either way the load runs of its values join `runs`, which the archive
        records with the briefing."""
        period = self.builder.latest_period(code, self.area, self.month.end + timedelta(days=1))
        if period is None:
            return None
        found = self.builder.snapshot(code, period, self.area)
        self.runs.update(found.provenance.load_runs)
        return found

    def record_runs(self, code: str, periods: Iterable[Period]) -> None:
        """Add the load runs behind `code`'s headline figure at each of `periods` to `runs`:
        for figures a block draws besides its snapshot's own (a trend chart's other points)."""
        self.runs.update(self.builder.headline_runs(code, list(periods), self.area))

    def is_stale(self, code: str) -> bool:
        found = self.freshness.get(code)
        return found is not None and found.status is not Freshness.fresh
