"""The audit log: who did what, when, to what, and how it ended. Append-only in the
database itself (migration 0007's triggers), so this module only adds and reads.

Details are JSON. A key that names a secret (password, token, secret, key, authorization)
is never written, whatever a caller passes."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Engine, func, insert, select

from indicators.store.schema import audit_log

SECRET_KEY = re.compile(r"pass|secret|token|key|auth|cookie|credential", re.IGNORECASE)
REDACTED = "（已隐去）"


@dataclass(frozen=True)
class AuditEvent:
    at: datetime  # aware
    actor: str
    action: str
    target: str
    outcome: str = "ok"  # ok / failed / refused
    detail: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class AuditEntry(AuditEvent):
    id: int = 0


def without_secrets(detail: Any) -> Any:
    """`detail` with the value of every secret-named key replaced, at any depth."""
    if isinstance(detail, dict):
        return {
            k: REDACTED if SECRET_KEY.search(str(k)) else without_secrets(v)
            for k, v in detail.items()
        }
    if isinstance(detail, list | tuple):
        return [without_secrets(v) for v in detail]
    return detail


def record(engine: Engine, event: AuditEvent) -> int:
    """Append one event; its id."""
    if event.at.tzinfo is None:
        raise ValueError(f"audit time {event.at!r} must be timezone-aware")
    values = {
        "at": event.at,
        "actor": event.actor[:64],
        "action": event.action[:32],
        "target": event.target[:255],
        "outcome": event.outcome[:16],
        "detail": json.dumps(without_secrets(event.detail), ensure_ascii=False, default=str),
    }
    with engine.begin() as conn:
        return int(conn.execute(insert(audit_log).values(**values)).inserted_primary_key[0])


def log(
    engine: Engine, actor: str, action: str, target: str, outcome: str = "ok", **detail: Any
) -> int:
    """`record` of an event happening now."""
    return record(engine, AuditEvent(datetime.now(UTC), actor, action, target, outcome, detail))


def entries(
    engine: Engine,
    *,
    since: datetime | None = None,
    until: datetime | None = None,
    actor: str | None = None,
    action: str | None = None,
    limit: int = 5000,
) -> list[AuditEntry]:
    """Newest first, at most `limit`."""
    query = select(audit_log).order_by(audit_log.c.at.desc(), audit_log.c.id.desc()).limit(limit)
    if since is not None:
        query = query.where(audit_log.c.at >= since)
    if until is not None:
        query = query.where(audit_log.c.at < until)
    if actor:
        query = query.where(audit_log.c.actor == actor)
    if action:
        query = query.where(audit_log.c.action == action)
    with engine.connect() as conn:
        rows = conn.execute(query).all()
    return [_entry(row._mapping) for row in rows]


def _entry(row: Any) -> AuditEntry:
    return AuditEntry(
        at=row["at"], actor=row["actor"], action=row["action"], target=row["target"],
        outcome=row["outcome"], detail=json.loads(row["detail"]), id=row["id"],
    )  # fmt: skip


def count_since(engine: Engine, actor: str, action: str, outcome: str, since: datetime) -> int:
    """How many `action` events of `actor` ended in `outcome` at or after `since`."""
    query = select(func.count()).where(
        audit_log.c.actor == actor,
        audit_log.c.action == action,
        audit_log.c.outcome == outcome,
        audit_log.c.at >= since,
    )
    with engine.connect() as conn:
        return int(conn.execute(query).scalar_one())


def last_at(engine: Engine, actor: str, action: str, outcome: str) -> datetime | None:
    query = select(func.max(audit_log.c.at)).where(
        audit_log.c.actor == actor, audit_log.c.action == action, audit_log.c.outcome == outcome
    )
    with engine.connect() as conn:
        return conn.execute(query).scalar_one()
