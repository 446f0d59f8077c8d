"""Reading and writing indicator values and load runs.

Every write belongs to a load run and happens in one transaction: a load either lands
whole or leaves the store exactly as it was, and the failed run is still recorded.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import pandas as pd
from sqlalchemy import Connection, Engine, func, insert, select, update
from sqlalchemy.dialects import mysql, postgresql, sqlite

from indicators.periods import Period, PeriodError
from indicators.store.schema import load_run, metric_value

UPSERT_BATCH = 5000


@dataclass(frozen=True)
class ValueRow:
    """One value as a connector delivers it, already in the indicator's unit."""

    indicator_code: str
    period: str
    area: str
    value: float


@dataclass(frozen=True)
class LoadRun:
    id: int
    source: str
    started_at: datetime
    finished_at: datetime | None
    status: str
    rows_read: int
    rows_written: int
    rows_rejected: int
    message: str | None


class LoadError(RuntimeError):
    """A load that was rolled back; the run is recorded as failed with this message."""


def utc_now() -> datetime:
    return datetime.now(UTC)


class MetricStore:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    # --- writing --------------------------------------------------------------
    def load(self, source: str, rows: Iterable[ValueRow], rows_read: int | None = None) -> LoadRun:
        """Write `rows` for `source` as one load run, all or nothing.

        On any error the values are rolled back, the run is recorded as failed with the
        reason, and LoadError is raised."""
        run_id = self._start_run(source)
        try:
            with self.engine.begin() as conn:
                written = self._upsert(conn, run_id, rows)
                self._finish_run(conn, run_id, "succeeded", rows_read or written, written)
        except Exception as exc:
            with self.engine.begin() as conn:
                self._finish_run(conn, run_id, "failed", rows_read or 0, 0, str(exc))
            raise LoadError(f"load of {source} failed: {exc}") from exc
        return self.run(run_id)

    def _start_run(self, source: str) -> int:
        with self.engine.begin() as conn:
            result = conn.execute(
                insert(load_run).values(source=source, started_at=utc_now(), status="running")
            )
            return int(result.inserted_primary_key[0])

    @staticmethod
    def _finish_run(
        conn: Connection, run_id: int, status: str, read: int, written: int, message: str = ""
    ) -> None:
        conn.execute(
            update(load_run)
            .where(load_run.c.id == run_id)
            .values(
                finished_at=utc_now(),
                status=status,
                rows_read=read,
                rows_written=written,
                message=message or None,
            )
        )

    def _upsert(self, conn: Connection, run_id: int, rows: Iterable[ValueRow]) -> int:
        loaded_at = utc_now()
        written = 0
        batch: list[dict[str, Any]] = []
        for row in rows:
            key = f"{row.indicator_code} {row.period} {row.area}"
            if not math.isfinite(row.value):
                raise ValueError(f"{key}: value {row.value} is not a number")
            try:
                label = Period.parse(row.period).label  # one spelling per period: 2026-1 → 2026-01
            except PeriodError as exc:
                raise ValueError(f"{key}: {exc}") from None
            batch.append(
                {
                    "indicator_code": row.indicator_code,
                    "period": label,
                    "area": row.area,
                    "value": float(row.value),
                    "load_run_id": run_id,
                    "loaded_at": loaded_at,
                }
            )
            if len(batch) >= UPSERT_BATCH:
                written += self._upsert_batch(conn, batch)
                batch = []
        if batch:
            written += self._upsert_batch(conn, batch)
        return written

    def _upsert_batch(self, conn: Connection, batch: list[dict[str, Any]]) -> int:
        conn.execute(_upsert_statement(conn.dialect.name), batch)
        return len(batch)

    # --- reading --------------------------------------------------------------
    def run(self, run_id: int) -> LoadRun:
        with self.engine.connect() as conn:
            row = conn.execute(select(load_run).where(load_run.c.id == run_id)).one()
        return LoadRun(**row._mapping)

    def runs(self, source: str | None = None, limit: int = 100) -> list[LoadRun]:
        """Most recent load runs first."""
        query = select(load_run).order_by(load_run.c.id.desc()).limit(limit)
        if source:
            query = query.where(load_run.c.source == source)
        with self.engine.connect() as conn:
            return [LoadRun(**row._mapping) for row in conn.execute(query)]

    def values(
        self,
        codes: Sequence[str] | None = None,
        areas: Sequence[str] | None = None,
        periods: Sequence[str] | None = None,
        since: str | None = None,
    ) -> pd.DataFrame:
        """Stored values as a frame: indicator_code, period, area, value, load_run_id, loaded_at.

        `since` keeps period labels that sort at or after it; a year such as '2024' keeps
        every day, month, quarter and year label of 2024 onwards."""
        query = select(metric_value)
        if since is not None:
            query = query.where(metric_value.c.period >= since)
        if codes is not None:
            query = query.where(metric_value.c.indicator_code.in_(list(codes)))
        if areas is not None:
            query = query.where(metric_value.c.area.in_(list(areas)))
        if periods is not None:
            query = query.where(metric_value.c.period.in_(list(periods)))
        with self.engine.connect() as conn:
            rows = conn.execute(query).all()
        columns = [c.name for c in metric_value.columns]
        return pd.DataFrame([tuple(r) for r in rows], columns=columns)

    def count_values(self) -> int:
        with self.engine.connect() as conn:
            return int(conn.execute(select(func.count()).select_from(metric_value)).scalar_one())


def _upsert_statement(dialect: str) -> Any:
    """INSERT … ON CONFLICT/DUPLICATE KEY UPDATE for the store's dialect."""
    changed = ("value", "load_run_id", "loaded_at")
    if dialect == "mysql" or dialect == "mariadb":
        stmt = mysql.insert(metric_value)
        return stmt.on_duplicate_key_update({c: stmt.inserted[c] for c in changed})
    if dialect not in {"postgresql", "sqlite"}:
        raise NotImplementedError(f"the metric store does not support {dialect}")
    module = postgresql if dialect == "postgresql" else sqlite
    stmt = module.insert(metric_value)
    return stmt.on_conflict_do_update(
        index_elements=[c.name for c in metric_value.primary_key],
        set_={c: stmt.excluded[c] for c in changed},
    )
