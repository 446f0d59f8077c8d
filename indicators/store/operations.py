"""The operators' records beside the values: when each period first arrived, what an
operator said about a quality finding, and which problems an alert went out for.

Each write is one short transaction; the alert claim is race-safe across processes (two app
servers and a cron check may evaluate the same problem at once; one of them alerts).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Engine, delete, insert, or_, select, update
from sqlalchemy.exc import IntegrityError

from indicators.store.schema import alert_state, delivery, finding_review, load_run, quality_finding
from indicators.store.types import utc_now
from indicators.store.upsert import upsert_statement


# --- first arrival of each period --------------------------------------------------------------
@dataclass(frozen=True)
class Delivery:
    indicator_code: str
    period: str
    source: str
    delivered_at: datetime
    load_run_id: int | None = None


def record_deliveries(conn: Connection, records: Sequence[dict[str, Any]]) -> None:
    """Insert first arrivals inside the caller's transaction; a period already recorded keeps
    its first arrival (a reload is not a delivery)."""
    if records:
        conn.execute(upsert_statement(delivery, conn.dialect.name, ()), list(records))


def deliveries(engine: Engine, sources: Sequence[str] | None = None) -> list[Delivery]:
    query = select(delivery)
    if sources is not None:
        query = query.where(delivery.c.source.in_(list(sources)))
    with engine.connect() as conn:
        return [Delivery(**row._mapping) for row in conn.execute(query)]


def add_deliveries(engine: Engine, records: Sequence[Delivery]) -> None:
    """Record arrivals that happened outside a load (a site's history, the sample city's)."""
    with engine.begin() as conn:
        record_deliveries(conn, [r.__dict__ for r in records])


# --- quality findings and their reviews --------------------------------------------------------
@dataclass(frozen=True)
class StoredFinding:
    """A finding as stored, with the run that produced it."""

    id: int
    load_run_id: int
    source: str
    found_at: datetime  # when that run finished
    check_name: str
    severity: str
    message: str
    indicator_code: str | None
    area: str | None
    period: str | None

    @property
    def key(self) -> str:
        """What the finding is about: source, check, indicator, area and period. A row-count
        drop has none of the last three: while a source keeps delivering too few rows it is
        one item (one alert), reopened after a resolution by the next drop."""
        about = (self.indicator_code or "", self.area or "", self.period or "")
        parts = (self.source, self.check_name, *about)
        return "|".join(parts)


@dataclass(frozen=True)
class Review:
    state: str  # acknowledged / resolved
    reviewed_by: str
    reviewed_at: datetime
    note: str | None


REVIEW_STATES = ("acknowledged", "resolved")


def stored_findings(engine: Engine) -> list[StoredFinding]:
    """Every finding, newest first."""
    query = (
        select(
            quality_finding.c.id,
            quality_finding.c.load_run_id,
            load_run.c.source,
            load_run.c.finished_at.label("found_at"),
            quality_finding.c.check_name,
            quality_finding.c.severity,
            quality_finding.c.message,
            quality_finding.c.indicator_code,
            quality_finding.c.area,
            quality_finding.c.period,
        )
        .join(load_run, load_run.c.id == quality_finding.c.load_run_id)
        .order_by(quality_finding.c.id.desc())
    )
    with engine.connect() as conn:
        return [StoredFinding(**row._mapping) for row in conn.execute(query)]


def reviews(engine: Engine) -> dict[str, Review]:
    with engine.connect() as conn:
        return {
            row.finding_key: Review(row.state, row.reviewed_by, row.reviewed_at, row.note)
            for row in conn.execute(select(finding_review))
        }


def review_finding(engine: Engine, key: str, state: str, by: str, note: str = "") -> Review:
    """Record `by`'s verdict on the finding `key` (the latest verdict counts)."""
    if state not in REVIEW_STATES:
        raise ValueError(f"unknown review state '{state}' (use {', '.join(REVIEW_STATES)})")
    review = Review(state, by[:64], utc_now(), note or None)
    values = {
        "state": review.state,
        "reviewed_by": review.reviewed_by,
        "reviewed_at": review.reviewed_at,
        "note": review.note,
    }
    with engine.begin() as conn:  # one statement: two first verdicts at once both land
        conn.execute(
            upsert_statement(finding_review, conn.dialect.name, list(values)),
            [{"finding_key": key, **values}],
        )
    return review


# --- alerts already sent ------------------------------------------------------------------------
@dataclass(frozen=True)
class RaisedAlert:
    problem_key: str
    fingerprint: str
    message: str
    raised_at: datetime


def claim_alert(engine: Engine, key: str, fingerprint: str, message: str) -> bool:
    """True when the caller should send the alert for `key`: the problem is new, changed
    (another fingerprint), or back after it was resolved. Only one caller gets True."""
    now = utc_now()
    values = {"fingerprint": fingerprint[:255], "message": message, "raised_at": now}
    with engine.begin() as conn:
        changed = conn.execute(
            update(alert_state)
            .where(
                alert_state.c.problem_key == key,
                or_(
                    alert_state.c.fingerprint != values["fingerprint"],
                    alert_state.c.resolved_at.is_not(None),
                ),
            )
            .values(**values, resolved_at=None)
        )
        if changed.rowcount:
            return True
        exists = conn.execute(
            select(alert_state.c.problem_key).where(alert_state.c.problem_key == key)
        ).first()
    if exists:
        return False
    try:
        with engine.begin() as conn:
            conn.execute(insert(alert_state).values(problem_key=key, **values))
    except IntegrityError:  # another process claimed it first
        return False
    return True


def forget_alert(engine: Engine, key: str, earlier: RaisedAlert | None = None) -> None:
    """Undo the claim of `key` (its alert could not be sent): the next check tries again.
    `earlier`, the problem's previous alert that went out and is not resolved (as
    `raised_alerts` read it before the claim), is put back, so its 恢复 is still sent when the
    problem goes away; without one the record is dropped. A record resolved meanwhile (by
    another checker, which owns its 恢复) stays resolved."""
    with engine.begin() as conn:
        if earlier is None:
            conn.execute(delete(alert_state).where(alert_state.c.problem_key == key))
            return
        conn.execute(
            update(alert_state)
            .where(alert_state.c.problem_key == key, alert_state.c.resolved_at.is_(None))
            .values(
                fingerprint=earlier.fingerprint,
                message=earlier.message,
                raised_at=earlier.raised_at,
            )
        )


def resolve_alert(engine: Engine, key: str) -> bool:
    """Mark the problem `key` resolved; True for the one caller that did it."""
    with engine.begin() as conn:
        changed = conn.execute(
            update(alert_state)
            .where(alert_state.c.problem_key == key, alert_state.c.resolved_at.is_(None))
            .values(resolved_at=utc_now())
        )
    return bool(changed.rowcount)


def raised_alerts(engine: Engine) -> list[RaisedAlert]:
    """Problems alerted and not resolved."""
    query = select(
        alert_state.c.problem_key,
        alert_state.c.fingerprint,
        alert_state.c.message,
        alert_state.c.raised_at,
    ).where(alert_state.c.resolved_at.is_(None))
    with engine.connect() as conn:
        return [RaisedAlert(*row) for row in conn.execute(query.order_by(alert_state.c.raised_at))]
