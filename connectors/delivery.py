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
source, or per bureau: the bureau that delivers a period (`delivering_bureau`), the source's
`owner`, except for a 基层填报 source where each indicator's 责任单位 sends its own workbook.
A month with nothing due has no rate, not 100 %. Reloads never move an arrival (the store
keeps the first one), so a month's rate only changes while its periods are still arriving.

`delivery_report` is pure (catalog, sources, arrivals, today); `stored_delivery_report`
reads from the store only the arrivals it needs (`report_arrivals`), so its cost follows
the window, not the years of history. A report gives `rates(by)` for tables and `frame(by)`
for charts.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import asdict, dataclass, fields
from datetime import date, tzinfo
from enum import StrEnum

import pandas as pd
from sqlalchemy import and_, func, or_, select
from sqlalchemy.engine import Engine

from connectors.config import SourceConfig
from indicators.freshness import due_date, expected_period
from indicators.model import Frequency, Indicator, Kind
from indicators.periods import Period
from indicators.registry import Catalog
from indicators.settings import display_timezone
from indicators.store import MetricStore
from indicators.store.operations import Delivery
from indicators.store.schema import delivery

DEFAULT_MONTHS = 12
MANUAL_KIND = "manual"  # connectors.manual: 基层填报, the filled-in templates of the bureaus


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
    bureau: str  # who delivers it: delivering_bureau(source, indicator)
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
    # sources in file order; bureaus as first met in file order, then catalog order
    groups: dict[GroupBy, tuple[str, ...]]
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


def delivering_bureau(source: SourceConfig, ind: Indicator) -> str:
    """The bureau that delivers `ind`'s periods: the source's owner, who sends its files or
    runs its system. A 基层填报 (manual) source has no single sender: its owner is a
    placeholder (各指标责任单位), and each bureau fills in and sends its own workbook (templates
    are written per indicator owner, `cockpit template --owner`), so there it is the
    indicator's owner, its 责任单位."""
    return ind.owner if source.kind == MANUAL_KIND else source.owner


def _bureaus(source: SourceConfig, own: Sequence[Indicator]) -> list[str]:
    """The bureaus delivering `source`, in catalog order: its owner even before the catalog
    names any of its indicators; for a manual source only its indicators' owners."""
    if source.kind == MANUAL_KIND:
        return [delivering_bureau(source, ind) for ind in own]
    return [source.owner]


def _base_of(catalog: Catalog, source: str) -> list[Indicator]:
    return [i for i in catalog if i.kind is Kind.base and i.source.connector == source]


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
    bureaus: dict[str, None] = {}  # an ordered set
    for source in sources:
        own = _base_of(catalog, source.id)
        bureaus.update(dict.fromkeys(_bureaus(source, own)))
        connected = min((first[i.code] for i in own if i.code in first), default=None)
        if connected is None:
            continue  # no arrival yet: not connected
        for ind in own:
            bureau = delivering_bureau(source, ind)
            for period, due in due_periods(ind, max(start, connected), today):
                day = arrived.get((ind.code, period.label))
                status = _status(day, due)
                items.append(
                    DueDelivery(source.id, bureau, ind.code, period.label, due, day, status)
                )
    groups = {GroupBy.source: tuple(s.id for s in sources), GroupBy.bureau: tuple(bureaus)}
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
    start = Period.parse(report_months(today, months)[0]).start
    arrivals = report_arrivals(store.engine, catalog, [s.id for s in sources], start, today)
    return delivery_report(catalog, sources, arrivals, today, months)


def report_arrivals(
    engine: Engine, catalog: Catalog, sources: Sequence[str], start: date, today: date
) -> list[Delivery]:
    """The stored first arrivals a report over [start, today] needs, and no more (a scrape
    asks every minute, the table grows every period): those of the periods due in it, and
    each indicator's earliest (when its source was connected)."""
    ranges: dict[Frequency, tuple[set[str], str, str]] = {}
    for source in sources:
        for ind in _base_of(catalog, source):
            labels = [period.label for period, _ in due_periods(ind, start, today)]
            if not labels:
                continue
            codes, low, high = ranges.get(ind.frequency, (set(), labels[-1], labels[0]))
            codes.add(ind.code)  # labels sort within a frequency; due_periods is newest first
            ranges[ind.frequency] = (codes, min(low, labels[-1]), max(high, labels[0]))
    of_sources = delivery.c.source.in_(list(sources))
    first = (
        select(delivery.c.indicator_code, func.min(delivery.c.delivered_at).label("at"))
        .where(of_sources)
        .group_by(delivery.c.indicator_code)
        .subquery()
    )
    queries = [
        select(delivery)
        .join(
            first,
            and_(
                delivery.c.indicator_code == first.c.indicator_code,
                delivery.c.delivered_at == first.c.at,
            ),
        )
        .where(of_sources)
    ]
    if ranges:
        in_window = or_(
            *(
                and_(delivery.c.indicator_code.in_(sorted(codes)), delivery.c.period.between(*span))
                for codes, *span in ranges.values()
            )
        )
        queries.append(select(delivery).where(of_sources, in_window))
    found: dict[tuple[str, str], Delivery] = {}
    with engine.connect() as conn:
        for query in queries:
            for row in conn.execute(query):
                arrival = Delivery(**row._mapping)
                found[arrival.indicator_code, arrival.period] = arrival
    return list(found.values())
