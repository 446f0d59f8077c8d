"""On-time delivery: the operators' own KPI, per source and per bureau per month.

Definition. For each base indicator of a configured source and each period it publishes
(a 1–2月 merged release has no January) whose due date (`indicators.freshness.due_date`:
period end + release.lag_days) falls in month M and is not after `today`:

- **on time** when its first arrival (`delivery.delivered_at`, read as a date in the display
  time zone) is on or before the due date;
- **late** when it first arrived after the due date, by `today`;
- **missing** when it has not arrived by `today` (an overdue period counts against the month
  it fell due in, not as on time).

Periods that came due before the source's first recorded arrival are not counted: that is
the history loaded when the source was connected, not a delivery; a source with no arrival
yet has not been connected and counts nothing. Rate = on time / due, per month and per
source (or per bureau, the source's `owner`); a month with nothing due has no rate, not
100 %. Reloads never move an arrival (the store keeps the first one), so a month's rate
only changes while its periods are still arriving.

`delivery_report` is pure (catalog, sources, arrivals, today); `stored_delivery_report`
reads the arrivals from the store. A report gives `rates(by)` for tables and `frame(by)`
for charts.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import asdict, dataclass, fields
from datetime import date, tzinfo
from enum import StrEnum

import pandas as pd

from connectors.config import SourceConfig
from indicators.freshness import due_date, expected_period
from indicators.model import Frequency, Indicator, Kind
from indicators.periods import Period
from indicators.registry import Catalog
from indicators.settings import display_timezone
from indicators.store import MetricStore
from indicators.store.operations import Delivery, deliveries

DEFAULT_MONTHS = 12


class Punctuality(StrEnum):
    on_time = "on_time"
    late = "late"
    missing = "missing"


class GroupBy(StrEnum):
    source = "source"
    bureau = "bureau"


@dataclass(frozen=True)
class DueDelivery:
    """One period of one indicator that fell due in the report's window, and how it came."""

    source: str
    bureau: str
    indicator_code: str
    period: str
    due: date
    arrived: date | None  # local date of the first arrival; None if not arrived by today
    status: Punctuality

    @property
    def month(self) -> str:
        return f"{self.due:%Y-%m}"


@dataclass(frozen=True)
class DeliveryRate:
    month: str  # YYYY-MM of the due dates
    group: str  # source id or bureau name
    due: int
    on_time: int
    late: int
    missing: int
    rate: float | None  # on_time / due; None when nothing fell due


@dataclass(frozen=True)
class DeliveryReport:
    months: tuple[str, ...]  # YYYY-MM, oldest first, the current month last
    groups: dict[GroupBy, tuple[str, ...]]  # sources in file order, bureaus as first met
    items: tuple[DueDelivery, ...]

    def rates(self, by: GroupBy = GroupBy.source) -> list[DeliveryRate]:
        """Every group × month, months with nothing due included (rate None)."""
        counts = Counter((_group(i, by), i.month, i.status) for i in self.items)
        rates = []
        for group in self.groups[by]:
            for month in self.months:
                on_time, late, missing = (counts[group, month, status] for status in Punctuality)
                due = on_time + late + missing
                rate = on_time / due if due else None
                rates.append(DeliveryRate(month, group, due, on_time, late, missing, rate))
        return rates

    def frame(self, by: GroupBy = GroupBy.source) -> pd.DataFrame:
        """`rates(by)` as a frame: month, group, due, on_time, late, missing, rate (NaN when
        nothing was due, so a line chart shows a gap rather than 0 or 100 %)."""
        columns = [f.name for f in fields(DeliveryRate)]
        frame = pd.DataFrame([asdict(r) for r in self.rates(by)], columns=columns)
        return frame.astype({"rate": float})


def _group(item: DueDelivery, by: GroupBy) -> str:
    return item.source if by is GroupBy.source else item.bureau


def report_months(today: date, months: int = DEFAULT_MONTHS) -> tuple[str, ...]:
    """The last `months` calendar months up to today's, oldest first."""
    current = Period.containing(Frequency.month, today)
    return tuple((current - back).label for back in reversed(range(months)))


def delivery_report(
    catalog: Catalog,
    sources: Sequence[SourceConfig],
    arrivals: Iterable[Delivery],
    today: date,
    months: int = DEFAULT_MONTHS,
    zone: tzinfo | None = None,
) -> DeliveryReport:
    """Judge every period due in the last `months` months (see the module docstring)."""
    if months < 1:
        raise ValueError("months must be at least 1")
    zone = zone or display_timezone()
    window = report_months(today, months)
    start = Period.parse(window[0]).start
    arrived = {
        (a.indicator_code, a.period): day
        for a in arrivals
        if (day := a.delivered_at.astimezone(zone).date()) <= today  # later: not yet, as of today
    }
    first: dict[str, date] = {}
    for (code, _), day in arrived.items():
        first[code] = min(day, first.get(code, day))
    items: list[DueDelivery] = []
    for source in sources:
        own = [i for i in catalog if i.kind is Kind.base and i.source.connector == source.id]
        connected = min((first[i.code] for i in own if i.code in first), default=None)
        if connected is None:
            continue  # no arrival yet: not connected
        for ind in own:
            for period, due in due_periods(ind, max(start, connected), today):
                day = arrived.get((ind.code, period.label))
                items.append(
                    DueDelivery(
                        source.id, source.owner, ind.code, period.label, due, day, _status(day, due)
                    )
                )
    groups = {
        GroupBy.source: tuple(s.id for s in sources),
        GroupBy.bureau: tuple(dict.fromkeys(s.owner for s in sources)),
    }
    return DeliveryReport(window, groups, tuple(items))


def due_periods(ind: Indicator, start: date, today: date) -> Iterator[tuple[Period, date]]:
    """The periods `ind` publishes whose due date lies in [start, today], newest first."""
    period = expected_period(ind, today)
    while (due := due_date(ind, period)) >= start:
        if not (ind.merged_jan_feb and period.is_january):
            yield period, due
        period = period - 1


def _status(arrived: date | None, due: date) -> Punctuality:
    if arrived is None:
        return Punctuality.missing
    return Punctuality.on_time if arrived <= due else Punctuality.late


def stored_delivery_report(
    store: MetricStore,
    catalog: Catalog,
    sources: Sequence[SourceConfig],
    today: date,
    months: int = DEFAULT_MONTHS,
) -> DeliveryReport:
    """`delivery_report` over the first arrivals the store recorded for `sources`."""
    arrivals = deliveries(store.engine, [s.id for s in sources])
    return delivery_report(catalog, sources, arrivals, today, months)
