"""The briefing archive: every generated briefing kept in the store (so every app server
behind the proxy sees the same archive), with what it was made from: the template and its
text, the month, who built it and when, and the load runs behind its figures.

Size and sha256 are computed here from the content, so a row can never disagree with its
file; reading a briefing back checks the sha256 again.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Engine, insert, or_, select

from indicators.store.schema import briefing


class BriefingNotFound(LookupError):
    """No archived briefing has that id."""


class BriefingCorrupt(RuntimeError):
    """The stored bytes no longer match the sha256 recorded with them."""


@dataclass(frozen=True)
class BriefingRecord:
    """A briefing to archive: the file and what it was made from."""

    template: str  # the template's name
    template_text: str  # its YAML as used
    period: str  # the month, 2026-10
    author: str
    created_at: datetime  # aware
    format: str  # pdf, …
    load_runs: tuple[int, ...]
    file_name: str
    content: bytes
    bureau: str | None = None  # the bureau it was made for; None: city-wide


@dataclass(frozen=True)
class ArchivedBriefing:
    """An archived briefing without its bytes (see `briefing_content`)."""

    id: int
    template: str
    template_text: str
    period: str
    author: str
    created_at: datetime  # aware UTC
    format: str
    load_runs: tuple[int, ...]
    file_name: str
    size: int
    sha256: str
    bureau: str | None = None


def encode_runs(runs: Iterable[int]) -> str:
    """Run ids as stored: sorted, distinct, comma-separated ("" for none)."""
    return ",".join(str(run) for run in sorted({int(run) for run in runs}))


def decode_runs(text: str) -> tuple[int, ...]:
    return tuple(int(part) for part in text.split(",") if part.strip())


def archive_briefing(engine: Engine, record: BriefingRecord) -> int:
    """Store the briefing in one transaction; its id."""
    if record.created_at.tzinfo is None:
        raise ValueError(f"created_at {record.created_at!r} must be timezone-aware")
    values = {
        "template": record.template[:64],
        "template_text": record.template_text,
        "period": record.period,
        "author": record.author[:64],
        "created_at": record.created_at,
        "format": record.format,
        "load_runs": encode_runs(record.load_runs),
        "file_name": record.file_name[:255],
        "size": len(record.content),
        "sha256": hashlib.sha256(record.content).hexdigest(),
        "content": record.content,
        "bureau": record.bureau,
    }
    with engine.begin() as conn:
        result = conn.execute(insert(briefing).values(**values))
        return int(result.inserted_primary_key[0])


_LISTED = [c for c in briefing.c if c.name != "content"]


def _archived(fields: dict[str, Any]) -> ArchivedBriefing:
    return ArchivedBriefing(**{**fields, "load_runs": decode_runs(fields["load_runs"])})


def briefings(
    engine: Engine,
    template: str | None = None,
    period: str | None = None,
    limit: int = 50,
    mine: tuple[str, str | None] | None = None,
) -> list[ArchivedBriefing]:
    """Archived briefings, newest first, optionally of one template and/or month; no bytes.
    `mine` = (author, bureau): only those that author made or that were made for that
    bureau (a bureau head's own)."""
    query = select(*_LISTED).order_by(briefing.c.created_at.desc(), briefing.c.id.desc())
    if mine is not None:
        author, bureau = mine
        query = query.where(or_(briefing.c.author == author, briefing.c.bureau == bureau))
    if template is not None:
        query = query.where(briefing.c.template == template)
    if period is not None:
        query = query.where(briefing.c.period == period)
    with engine.connect() as conn:
        return [_archived(dict(row._mapping)) for row in conn.execute(query.limit(limit))]


def briefing_content(engine: Engine, briefing_id: int) -> tuple[ArchivedBriefing, bytes]:
    """One archived briefing and its bytes, checked against the recorded sha256."""
    query = select(*_LISTED, briefing.c.content).where(briefing.c.id == briefing_id)
    with engine.connect() as conn:
        row = conn.execute(query).first()
    if row is None:
        raise BriefingNotFound(f"no archived briefing {briefing_id}")
    fields = dict(row._mapping)
    content = bytes(fields.pop("content"))
    archived = _archived(fields)
    if hashlib.sha256(content).hexdigest() != archived.sha256:
        raise BriefingCorrupt(f"archived briefing {briefing_id}: content does not match its sha256")
    return archived, content
