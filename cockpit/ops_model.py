"""What the operators' console shows, as plain rows: the freshness board of every source and
stored indicator (status, expected against latest period, due date, last successful load,
responsible bureau and contact), its filters, and the load-run history with durations.

Pure: the page passes the freshness report, the catalog, the sources file and the runs.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime

from connectors.config import SourcesFile
from indicators.freshness import (
    RANK,
    Freshness,
    FreshnessReport,
    IndicatorFreshness,
    due_date,
    expected_period,
    next_expected,
)
from indicators.model import Domain, Indicator
from indicators.periods import Period
from indicators.registry import Catalog
from indicators.store import LoadRun


@dataclass(frozen=True)
class IndicatorRow:
    code: str
    name_zh: str
    name_en: str
    domain: Domain
    source: str
    status: Freshness
    expected: str
    latest: str | None
    due: date  # when the first period not yet stored is (or was) due
    owner: str  # 责任单位: the bureau answering for the figure
    reporter: str  # 报送单位: the bureau whose source delivers it
    contact: str
    last_success_at: datetime | None
    missing: bool  # the expected period is not stored
    overdue_days: int  # past the due date of the first period not stored (0: none overdue)

    @property
    def bureaus(self) -> frozenset[str]:
        return frozenset((self.owner, self.reporter))


@dataclass(frozen=True)
class SourceRow:
    source: str
    name_zh: str
    name_en: str
    owner: str
    contact: str
    status: Freshness
    expected: str | None  # of its stalest indicator
    latest: str | None
    due: date | None
    load_clock: Freshness  # the source's own clock: failed, never, or by load age
    last_message: str | None
    last_success_at: datetime | None
    behind: int  # indicators not fresh
    overdue_days: int  # the most any of its indicators is overdue
    indicators: int
    domains: frozenset[Domain]
    bureaus: frozenset[str]  # its owner and the bureaus answering for its indicators


@dataclass(frozen=True)
class Board:
    sources: tuple[SourceRow, ...]
    indicators: tuple[IndicatorRow, ...]

    def counts(self) -> dict[Freshness, int]:
        """Sources per status, every status present (zero included)."""
        return {status: sum(s.status is status for s in self.sources) for status in Freshness}


def freshness_board(
    report: FreshnessReport, catalog: Catalog, sources: SourcesFile | None, today: date
) -> Board:
    """Sources stalest first (then by id); each source's stored indicators stalest first."""
    configs = {s.id: s for s in sources.sources} if sources else {}
    rows: list[SourceRow] = []
    indicator_rows: list[IndicatorRow] = []
    for source in report.sources:
        config = configs.get(source.source)
        owner = config.owner if config else "—"
        contact = config.contact if config else ""
        own = [
            _indicator_row(
                catalog.get(f.code), f, owner, contact, source.runs.last_success_at, today
            )
            for f in source.indicators
        ]
        indicator_rows += own
        # The indicator furthest behind (not the first listed: when the source's own clock
        # fails every indicator shares its status, and the order says nothing).
        stalest = (
            max(own, key=lambda r: (r.missing, r.overdue_days, RANK[r.status])) if own else None
        )
        rows.append(
            SourceRow(
                source=source.source,
                name_zh=config.name_zh if config else source.source,
                name_en=(config.name_en or config.name_zh) if config else source.source,
                owner=owner,
                contact=contact,
                status=source.status,
                expected=stalest.expected if stalest else None,
                latest=stalest.latest if stalest else None,
                due=stalest.due if stalest else None,
                load_clock=source.load_clock,
                last_message=source.runs.last_message,
                last_success_at=source.runs.last_success_at,
                behind=sum(r.status is not Freshness.fresh for r in own),
                overdue_days=max((r.overdue_days for r in own), default=0),
                indicators=len(own),
                domains=frozenset(r.domain for r in own),
                bureaus=frozenset({owner, *(r.owner for r in own)}),
            )
        )
    rows.sort(key=lambda r: (-RANK[r.status], r.source))
    return Board(tuple(rows), tuple(indicator_rows))


def _indicator_row(
    ind: Indicator,
    freshness: IndicatorFreshness,
    reporter: str,
    contact: str,
    last_success_at: datetime | None,
    today: date,
) -> IndicatorRow:
    latest = Period.parse(freshness.latest) if freshness.latest else None
    first_missing = next_expected(ind, latest) if latest else expected_period(ind, today)
    due = due_date(ind, first_missing)
    missing = latest is None or latest < Period.parse(freshness.expected)
    return IndicatorRow(
        code=ind.code,
        name_zh=ind.name_zh,
        name_en=ind.name_en,
        domain=Domain(ind.domain),
        source=freshness.source,
        status=freshness.status,
        expected=freshness.expected,
        latest=freshness.latest,
        due=due,
        owner=ind.owner,
        reporter=reporter,
        contact=contact,
        last_success_at=last_success_at,
        missing=missing,
        overdue_days=max((today - due).days, 0) if missing else 0,
    )


def filter_board(
    board: Board,
    domains: Collection[Domain] = (),
    bureaus: Collection[str] = (),
    statuses: Collection[Freshness] = (),
) -> Board:
    """Rows matching every filter given (an empty filter keeps everything). A source matches
    a domain or bureau when it or one of its indicators does."""
    indicators = tuple(
        row
        for row in board.indicators
        if (not domains or row.domain in domains)
        and (not bureaus or row.bureaus & set(bureaus))
        and (not statuses or row.status in statuses)
    )
    sources = tuple(
        row
        for row in board.sources
        if (not domains or row.domains & set(domains))
        and (not bureaus or row.bureaus & set(bureaus))
        and (not statuses or row.status in statuses)
    )
    return replace(board, sources=sources, indicators=indicators)


@dataclass(frozen=True)
class RunRow:
    run: LoadRun
    source_name: str

    @property
    def duration_seconds(self) -> float | None:
        if self.run.finished_at is None:
            return None
        return (self.run.finished_at - self.run.started_at).total_seconds()


def run_rows(runs: Sequence[LoadRun], sources: SourcesFile | None) -> list[RunRow]:
    names = {s.id: s.name_zh for s in sources.sources} if sources else {}
    return [RunRow(run, names.get(run.source, run.source)) for run in runs]
