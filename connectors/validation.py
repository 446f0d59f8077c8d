"""Checking what a connector read against the catalog before anything is written.

A row is kept only if its indicator is a stored (base) indicator of *this* source, its area
is one the indicator is published for, its period has the indicator's frequency and its
value is a finite number. A period that has not ended yet (a live database grouping by
month also returns this month so far) is not loaded: a half month must never be shown as
the latest month; the refresh after it ends loads it whole. Two rows for the same key with
different values are both rejected (which one is true is not ours to guess); identical
repeats are kept once and noted.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from indicators.model import AreaScope, Indicator, Kind
from indicators.periods import Period, PeriodError
from indicators.registry import Catalog
from indicators.store import Finding, Rejection, ValueRow


@dataclass(frozen=True)
class Checked:
    rows: list[ValueRow]
    rejections: list[Rejection]
    findings: list[Finding]


def check_rows(
    catalog: Catalog,
    source: str,
    rows: Sequence[ValueRow],
    today: date,
    refuse_unfinished: bool = False,
) -> Checked:
    """The rows to load, the rejected ones and what is worth noting. A period not over yet is
    skipped with a note, or, with `refuse_unfinished` (a reporting template someone filled
    in), rejected: a person asked to load it and must hear why nothing was."""
    city = catalog.deployment.city.code
    districts = {a.code for a in catalog.deployment.districts}
    kept: dict[tuple[str, str, str], ValueRow] = {}
    conflicts: dict[tuple[str, str, str], list[ValueRow]] = defaultdict(list)
    rejections: list[Rejection] = []
    repeats: list[Finding] = []
    unfinished: dict[tuple[str, str], int] = defaultdict(int)
    for row in rows:
        problem = _problem(catalog, source, row, city, districts)
        if isinstance(problem, Rejection):
            rejections.append(problem)
            continue
        if problem.end >= today:
            if refuse_unfinished:
                reason = f"{problem.label} is not over yet; report it after it ends"
                rejections.append(_rejection(row, "period", row.period, reason))
            else:
                unfinished[(row.indicator_code, problem.label)] += 1
            continue
        key = (row.indicator_code, problem.label, row.area)
        canonical = ValueRow(
            row.indicator_code, problem.label, row.area, float(row.value), row.origin
        )
        if key in conflicts:
            conflicts[key].append(canonical)
        elif key not in kept:
            kept[key] = canonical
        elif kept[key].value == canonical.value:
            code, period, area = key
            message = "the same value delivered twice"
            repeats.append(Finding("duplicate", "warning", message, code, area, period))
        else:
            conflicts[key] = [kept.pop(key), canonical]
    for clashing in conflicts.values():
        values = ", ".join(f"{r.value:g}" for r in clashing)
        reason = f"{len(clashing)} different values for one indicator, period and area: {values}"
        rejections.extend(_rejection(r, "value", r.value, reason) for r in clashing)
    notes = [
        Finding(
            "partial_period",
            "info",
            f"{n} value(s) of a period not over yet, not loaded",
            code,
            None,
            label,
        )
        for (code, label), n in unfinished.items()
    ]
    return Checked(list(kept.values()), rejections, repeats + notes)


def _problem(
    catalog: Catalog, source: str, row: ValueRow, city: str, districts: set[str]
) -> Rejection | Period:
    """The row's period when the row is good, else the Rejection saying why not."""
    ind = catalog.indicators.get(row.indicator_code)
    if ind is None:
        return _rejection(row, "indicator", row.indicator_code, "not in the catalog")
    if ind.kind is not Kind.base:
        reason = f"a {ind.kind.value} indicator is computed, not loaded"
        return _rejection(row, "indicator", ind.code, reason, ind)
    if ind.source.connector != source:
        reason = f"belongs to source {ind.source.connector}"
        return _rejection(row, "indicator", ind.code, reason, ind)
    allowed = {city} | (districts if ind.areas is AreaScope.all else set())
    if row.area not in allowed:
        scope = "the city only" if ind.areas is AreaScope.city else "the city and its districts"
        return _rejection(row, "area", row.area, f"{ind.code} is published for {scope}", ind)
    try:
        period = Period.parse(row.period)
    except PeriodError as exc:
        return _rejection(row, "period", row.period, str(exc), ind)
    if period.frequency is not ind.frequency:
        reason = f"{ind.code} has {ind.frequency.value} periods, not {period.frequency.value}"
        return _rejection(row, "period", row.period, reason, ind)
    if isinstance(row.value, bool) or not isinstance(row.value, int | float):
        return _rejection(row, "value", row.value, "not a number", ind)
    if not math.isfinite(row.value):
        return _rejection(row, "value", row.value, "not a finite number", ind)
    return period


def _rejection(
    row: ValueRow, field: str, value: object, reason: str, ind: Indicator | None = None
) -> Rejection:
    """Named by where the row came from when the connector said so, else by its key."""
    key = f"{row.indicator_code} {row.period} {row.area}"
    location = f"{row.origin} ({key})" if row.origin else key
    return Rejection(location, field, str(value), reason, ind.code if ind else None)
