"""Freshness on two clocks (see CONVENTIONS).

*Period currency*: the period that should be present by the release calendar (period end +
`release.lag_days`) against the latest one stored; missing it for up to `grace_days` past
its due date is **late**, longer is **stale**. A monthly series is therefore not stale a day
after its load, and a 1–2月 merged series never waits for January.
*Load age*: time since the source's last successful load against the source's limits.

A base indicator takes the worse of its period clock and its source's state; a derived or
composite indicator is as fresh as its stalest stored input; a source is as fresh as its
stalest indicator. Pure functions: the caller supplies stored periods, runs and `now`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum

from indicators.model import Indicator, Kind
from indicators.periods import Period, PeriodError
from indicators.registry import Catalog
from indicators.snapshot import stored_leaves


class Freshness(StrEnum):
    fresh = "fresh"
    late = "late"
    stale = "stale"
    never = "never"  # nothing ever loaded
    failed = "failed"  # the latest load run failed


RANK = {
    Freshness.fresh: 0,
    Freshness.late: 1,
    Freshness.stale: 2,
    Freshness.never: 3,
    Freshness.failed: 4,
}
FRESHNESS_ZH = {
    Freshness.fresh: "及时",
    Freshness.late: "迟报",
    Freshness.stale: "超期",
    Freshness.never: "从未加载",
    Freshness.failed: "加载失败",
}


def worst(statuses: Iterable[Freshness]) -> Freshness:
    return max(statuses, key=RANK.__getitem__, default=Freshness.fresh)


def exit_code(status: Freshness) -> int:
    """`cockpit status` exit code: 0 fresh, 1 late, 2 stale / never / failed."""
    return {Freshness.fresh: 0, Freshness.late: 1}.get(status, 2)


# --- the release calendar -------------------------------------------------------------------
def due_date(ind: Indicator, period: Period) -> date:
    """The day a period's value should be published: its last day + release.lag_days."""
    return period.end + timedelta(days=ind.release.lag_days)


def next_expected(ind: Indicator, period: Period) -> Period:
    """The period after `period` that the source publishes (January is skipped when merged)."""
    following = period + 1
    return following + 1 if ind.merged_jan_feb and following.is_january else following


def expected_period(ind: Indicator, today: date) -> Period:
    """The latest period whose due date has come by `today`."""
    period = Period.latest_complete(ind.frequency, today)
    while due_date(ind, period) > today:
        period = period - 1
    if ind.merged_jan_feb and period.is_january:
        period = period - 1
    return period


@dataclass(frozen=True)
class PeriodCurrency:
    status: Freshness  # fresh, late, stale or never
    expected: Period
    latest: Period | None
    overdue_days: int  # days past the due date of the first missing period; 0 when fresh

    def describe(self) -> str:
        if self.latest is None:
            return f"no value stored; {self.expected.label} expected"
        if self.status is Freshness.fresh:
            return f"{self.latest.label} present"
        return (
            f"latest {self.latest.label}, {self.expected.label} expected; "
            f"{self.overdue_days} day(s) past due"
        )


def period_currency(ind: Indicator, latest: Period | None, today: date) -> PeriodCurrency:
    expected = expected_period(ind, today)
    if latest is None:
        return PeriodCurrency(Freshness.never, expected, None, 0)
    if not latest < expected:
        return PeriodCurrency(Freshness.fresh, expected, latest, 0)
    overdue = (today - due_date(ind, next_expected(ind, latest))).days
    status = Freshness.late if overdue <= ind.release.grace_days else Freshness.stale
    return PeriodCurrency(status, expected, latest, overdue)


# --- the load-age clock ---------------------------------------------------------------------
@dataclass(frozen=True)
class LoadAgeRule:
    late_after: timedelta
    stale_after: timedelta


DEFAULT_LOAD_AGE = LoadAgeRule(timedelta(hours=48), timedelta(hours=168))


@dataclass(frozen=True)
class SourceRuns:
    """What the store knows about one source's load runs."""

    last_status: str | None  # succeeded / failed / running, None if never run
    last_message: str | None
    last_success_at: datetime | None


def load_age_status(runs: SourceRuns, rule: LoadAgeRule, now: datetime) -> Freshness:
    """failed if the latest run failed; never without a success; else by the age of the
    last success (strictly greater than a limit crosses it; stale checked first)."""
    if runs.last_status == "failed":
        return Freshness.failed
    if runs.last_success_at is None:
        return Freshness.never
    age = now - runs.last_success_at
    if age > rule.stale_after:
        return Freshness.stale
    if age > rule.late_after:
        return Freshness.late
    return Freshness.fresh


# --- putting the clocks together --------------------------------------------------------------
@dataclass(frozen=True)
class IndicatorFreshness:
    code: str
    source: str
    status: Freshness
    expected: str
    latest: str | None
    reason: str


@dataclass(frozen=True)
class SourceFreshness:
    source: str
    status: Freshness
    load_clock: Freshness
    runs: SourceRuns
    indicators: tuple[IndicatorFreshness, ...]  # its base indicators, stalest first

    @property
    def reason(self) -> str:
        if self.load_clock is Freshness.failed:
            return f"last load failed: {self.runs.last_message or 'no message'}"
        if self.load_clock is not Freshness.fresh:
            return f"load clock: {self.load_clock.value}"
        stale = [i for i in self.indicators if i.status is not Freshness.fresh]
        if not stale:
            return "all periods present"
        return f"{len(stale)} indicator(s) behind, e.g. {stale[0].code}: {stale[0].reason}"


@dataclass(frozen=True)
class FreshnessReport:
    sources: tuple[SourceFreshness, ...]
    indicators: dict[str, IndicatorFreshness]  # every catalog indicator, derived ones included

    @property
    def status(self) -> Freshness:
        return worst(s.status for s in self.sources)


def assess(
    catalog: Catalog,
    latest_stored: Mapping[str, str],
    runs: Mapping[str, SourceRuns],
    today: date,
    now: datetime,
    load_age: Mapping[str, LoadAgeRule] | None = None,
    sources: Iterable[str] | None = None,
) -> FreshnessReport:
    """Freshness of every source and indicator. `latest_stored` maps a base indicator to its
    latest stored period label (city level); `sources` lists the configured source ids. A
    source the catalog names but nobody configured is reported too: it can only be 'never'."""
    load_age = load_age or {}
    configured = list(sources or ())
    source_ids = configured + sorted(_catalog_sources(catalog) - set(configured))
    clocks = {
        sid: load_age_status(
            runs.get(sid, SourceRuns(None, None, None)), load_age.get(sid, DEFAULT_LOAD_AGE), now
        )
        for sid in source_ids
    }
    base: dict[str, IndicatorFreshness] = {}
    for ind in catalog:
        if ind.kind is Kind.base:
            base[ind.code] = _base_freshness(ind, latest_stored.get(ind.code), clocks, today)
    indicators = {ind.code: base.get(ind.code) or _inherited(catalog, ind, base) for ind in catalog}
    report_sources = []
    for sid in source_ids:
        own = sorted(
            (f for f in base.values() if f.source == sid),
            key=lambda f: (-RANK[f.status], f.code),
        )
        status = worst([clocks[sid], *(f.status for f in own)])
        report_sources.append(
            SourceFreshness(
                sid, status, clocks[sid], runs.get(sid, SourceRuns(None, None, None)), tuple(own)
            )
        )
    return FreshnessReport(tuple(report_sources), indicators)


def _catalog_sources(catalog: Catalog) -> set[str]:
    return {ind.source.connector for ind in catalog if ind.kind is Kind.base}


def _base_freshness(
    ind: Indicator, latest_label: str | None, clocks: Mapping[str, Freshness], today: date
) -> IndicatorFreshness:
    source = ind.source.connector
    try:
        latest = Period.parse(latest_label) if latest_label else None
    except PeriodError:
        latest = None
    currency = period_currency(ind, latest, today)
    clock = clocks.get(source, Freshness.never)
    status = worst([currency.status, clock])
    reason = currency.describe()
    if clock is not Freshness.fresh and RANK[clock] >= RANK[currency.status]:
        reason = f"source {source}: {clock.value}; {reason}"
    return IndicatorFreshness(
        ind.code,
        source,
        status,
        currency.expected.label,
        latest.label if latest else None,
        reason,
    )


def _inherited(
    catalog: Catalog, ind: Indicator, base: Mapping[str, IndicatorFreshness]
) -> IndicatorFreshness:
    """A computed indicator is as fresh as its stalest stored input."""
    leaves = [base[code] for code in sorted(stored_leaves(catalog, ind.code)) if code in base]
    stalest = max(leaves, key=lambda f: RANK[f.status])
    return IndicatorFreshness(
        ind.code,
        ind.source.connector,
        stalest.status,
        stalest.expected,
        stalest.latest,
        f"as fresh as {stalest.code}: {stalest.reason}",
    )
