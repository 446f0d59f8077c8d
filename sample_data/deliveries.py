"""When the sample city's bureaus delivered: a year of first arrivals, so the operators'
on-time KPI (connectors.delivery) shows a history true to the plan.

A source delivers the periods of one due date together (one file, one export): on the due
date or up to three days before it, now and then a few days late (seeded per source, period
and due date, so a seed gives the same history). The bureaus' 基层填报 workbooks come together
too: drawn per bureau, one with a dozen deliveries a year could come out as late as the
planted one, and the per-bureau rate (connectors.delivery) would tell a story the plan does
not. 市财政局 (plan.OVERDUE_SOURCES) has been slipping: its last deliveries came late and its
latest period has not come at all; the latest file of plan.BROKEN_SOURCE never arrived (its
refresh fails). The sources were connected on the first day of the window, with the period
before it (backfill, which the KPI does not count); the history ends yesterday: what arrives
today, the refresh records.
"""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, time, timedelta

from connectors.delivery import DEFAULT_MONTHS, due_periods, report_months
from indicators.freshness import expected_period
from indicators.periods import Period
from indicators.settings import display_timezone
from indicators.store.operations import Delivery
from sample_data.model import CityModel
from sample_data.plan import BROKEN_SOURCE

LATE_SHARE = 0.05  # of deliveries that miss their due date
EARLY_DAYS = 3  # an on-time delivery comes up to this many days before the due date
LATE_DAYS = 6  # a late one up to this many days after it
SLIPPING_PERIODS = 3  # an overdue source's last deliveries before it stopped, all late
OFFICE_HOURS = (8 * 60 + 30, 18 * 60)  # minutes of the day a bureau sends its file
CONNECTED_AT = time(9, 0)  # on the window's first day, with the history before it


def delivery_history(model: CityModel, months: int = DEFAULT_MONTHS) -> list[Delivery]:
    """First arrivals of every base indicator's periods due in the last `months` months
    before `model.today`, after the backfill loaded when the sources were connected."""
    start = Period.parse(report_months(model.today, months)[0]).start
    connected = datetime.combine(start, CONNECTED_AT, display_timezone())
    history = []
    for code in model.base_codes():
        ind = model.catalog.get(code)
        source = ind.source.connector
        backfilled = expected_period(ind, start - timedelta(days=1))
        history.append(Delivery(code, backfilled.label, source, connected.astimezone(UTC)))
        last = model.last_period(code)  # an overdue source's latest is not among them
        if source == BROKEN_SOURCE:
            last = last - 1
        for period, due in due_periods(ind, start, model.today):
            if last < period:
                continue
            slipping = source in model.overdue_sources and last - period < SLIPPING_PERIODS
            arrival = max(_arrival(model.seed, source, period, due, slipping), connected)
            if arrival.date() < model.today:
                history.append(Delivery(code, period.label, source, arrival.astimezone(UTC)))
    return history


def _arrival(seed: int, source: str, period: Period, due: date, slipping: bool) -> datetime:
    """When `source` delivered `period`, in the display time zone."""
    rng = random.Random(f"{seed}:{source}:{period.label}:{due}")
    if slipping or rng.random() < LATE_SHARE:
        day = due + timedelta(days=rng.randint(1, LATE_DAYS))
    else:
        after_end = min(due, period.end + timedelta(days=1))  # a period is sent once it ended
        day = max(due - timedelta(days=rng.randint(0, EARLY_DAYS)), after_end)
    minute = rng.randint(*OFFICE_HOURS)
    return datetime.combine(day, time(minute // 60, minute % 60), display_timezone())
