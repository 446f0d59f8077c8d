"""Reading and writing indicator values and load runs.

Every write belongs to a load run and happens in one transaction: a load either lands
whole or leaves the store exactly as it was, and the failed run is still recorded.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any

import pandas as pd
from sqlalchemy import Connection, Engine, func, insert, select, update

from indicators.periods import Period, PeriodError
from indicators.store.operations import record_deliveries
from indicators.store.schema import load_run, metric_value, quality_finding, rejected_row
from indicators.store.types import utc_now
from indicators.store.upsert import upsert_statement

UPSERT_BATCH = 5000
CHANGED_ON_RELOAD = ("value", "load_run_id", "loaded_at")


@dataclass(frozen=True)
class ValueRow:
    """One value as a connector delivers it, already in the indicator's unit. `origin` says
    where in the source it came from (file and row, query and row, page and item), so a
    check that refuses it later can still name that place; it is not stored."""

    indicator_code: str
    period: str
    area: str
    value: float
    origin: str = field(default="", compare=False)


@dataclass(frozen=True)
class Rejection:
    """A source row that was not loaded, and why. `location` names the file and row (or the
    query / page and item), `field` the column or key, `value` the text as the source wrote it."""

    location: str
    field: str
    value: str
    reason: str
    # The indicator the rejected value was for, where the connector knew it: a reader not
    # cleared for that indicator must not read its value (cockpit.clearance).
    indicator_code: str | None = None

    def describe(self) -> str:
        """One line naming where, which field and why (with the text, unless the reason has it)."""
        shown = "" if self.value in self.reason else f" ('{self.value}')"
        return f"{self.location}: {self.field}: {self.reason}{shown}"


@dataclass(frozen=True)
class Finding:
    """What a quality check noticed about a load (it does not stop the load)."""

    check_name: str  # row_count, missing_areas, range, jump, duplicate
    severity: str  # warning / error
    message: str
    indicator_code: str | None = None
    area: str | None = None
    period: str | None = None


WriteProgress = Callable[[int], None]  # told how many rows have been written so far


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


class MetricStore:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    # --- writing --------------------------------------------------------------
    def load(self, source: str, rows: Iterable[ValueRow], rows_read: int | None = None) -> LoadRun:
        """Write `rows` for `source` as one load run, all or nothing (see `write_run`)."""
        return self.write_run(self.start_run(source), rows, rows_read)

    def start_run(self, source: str) -> int:
        """Record a run as started; `write_run` or `fail_run` finishes it."""
        with self.engine.begin() as conn:
            result = conn.execute(
                insert(load_run).values(source=source, started_at=utc_now(), status="running")
            )
            return int(result.inserted_primary_key[0])

    def write_run(
        self,
        run_id: int,
        rows: Iterable[ValueRow],
        rows_read: int | None = None,
        rejections: Sequence[Rejection] = (),
        findings: Sequence[Finding] = (),
        progress: WriteProgress | None = None,
        city: str | None = None,
    ) -> LoadRun:
        """Write the values, the rejected rows and the findings of run `run_id` in one
        transaction and mark it succeeded. With `city`, the first arrival of each city-level
        period is recorded too (on-time delivery). On any error the values are rolled back,
        the run is recorded as failed with the reason (rejections kept), and LoadError is
        raised."""
        try:
            with self.engine.begin() as conn:
                written = self._upsert(conn, run_id, rows, progress, city)
                self._record_details(conn, run_id, rejections, findings)
                self._finish_run(
                    conn, run_id, "succeeded", rows_read or written, written, len(rejections)
                )
        except Exception as exc:
            self.fail_run(run_id, str(exc), rows_read or 0, rejections)
            source = self.run(run_id).source
            raise LoadError(f"load of {source} failed: {exc}") from exc
        return self.run(run_id)

    def fail_run(
        self, run_id: int, message: str, rows_read: int = 0, rejections: Sequence[Rejection] = ()
    ) -> LoadRun:
        """Record run `run_id` as failed with nothing written; its rejected rows are kept."""
        with self.engine.begin() as conn:
            self._record_details(conn, run_id, rejections, ())
            self._finish_run(conn, run_id, "failed", rows_read, 0, len(rejections), message)
        return self.run(run_id)

    def abandon_running(self, source: str) -> int:
        """Mark runs of `source` still 'running' as failed: called by the process that holds
        the source's refresh lock, so any such run belongs to a process that died."""
        with self.engine.begin() as conn:
            result = conn.execute(
                update(load_run)
                .where(load_run.c.source == source, load_run.c.status == "running")
                .values(
                    status="failed",
                    finished_at=utc_now(),
                    message="interrupted: the refresh ended before finishing; nothing was written",
                )
            )
            return int(result.rowcount or 0)

    @staticmethod
    def _record_details(
        conn: Connection,
        run_id: int,
        rejections: Sequence[Rejection],
        findings: Sequence[Finding],
    ) -> None:
        if rejections:
            conn.execute(insert(rejected_row), [_rejection_record(run_id, r) for r in rejections])
        if findings:
            conn.execute(
                insert(quality_finding), [{"load_run_id": run_id, **asdict(f)} for f in findings]
            )

    @staticmethod
    def _finish_run(
        conn: Connection,
        run_id: int,
        status: str,
        read: int,
        written: int,
        rejected: int,
        message: str = "",
    ) -> None:
        conn.execute(
            update(load_run)
            .where(load_run.c.id == run_id)
            .values(
                finished_at=utc_now(),
                status=status,
                rows_read=read,
                rows_written=written,
                rows_rejected=rejected,
                message=message or None,
            )
        )

    def _upsert(
        self,
        conn: Connection,
        run_id: int,
        rows: Iterable[ValueRow],
        progress: WriteProgress | None = None,
        city: str | None = None,
    ) -> int:
        loaded_at = utc_now()
        written = 0
        batch: list[dict[str, Any]] = []
        arrivals: list[dict[str, Any]] = []
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
            if row.area == city:
                arrivals.append(_arrival(batch[-1]))
            if len(batch) >= UPSERT_BATCH:
                written += self._upsert_batch(conn, batch)
                batch = []
                if progress:
                    progress(written)
        if batch:
            written += self._upsert_batch(conn, batch)
        if arrivals:
            query = select(load_run.c.source).where(load_run.c.id == run_id)
            source = conn.execute(query).scalar_one()
            record_deliveries(conn, [{**a, "source": source} for a in arrivals])
        return written

    def _upsert_batch(self, conn: Connection, batch: list[dict[str, Any]]) -> int:
        conn.execute(upsert_statement(metric_value, conn.dialect.name, CHANGED_ON_RELOAD), batch)
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

    def rejections(self, run_id: int) -> list[Rejection]:
        names = ("location", "field", "value", "reason", "indicator_code")
        columns = [rejected_row.c[name] for name in names]
        query = select(*columns).where(rejected_row.c.load_run_id == run_id)
        with self.engine.connect() as conn:
            return [Rejection(*row) for row in conn.execute(query.order_by(rejected_row.c.id))]

    def findings(self, run_id: int) -> list[Finding]:
        names = ("check_name", "severity", "message", "indicator_code", "area", "period")
        query = select(*(quality_finding.c[n] for n in names)).where(
            quality_finding.c.load_run_id == run_id
        )
        with self.engine.connect() as conn:
            return [Finding(*row) for row in conn.execute(query.order_by(quality_finding.c.id))]

    def latest_periods(self, area: str) -> dict[str, str]:
        """The latest stored period label of each indicator in `area` (labels sort within a
        frequency, and an indicator has one frequency)."""
        query = (
            select(metric_value.c.indicator_code, func.max(metric_value.c.period))
            .where(metric_value.c.area == area)
            .group_by(metric_value.c.indicator_code)
        )
        with self.engine.connect() as conn:
            return {row[0]: row[1] for row in conn.execute(query)}

    def last_runs(self) -> dict[str, tuple[LoadRun, LoadRun | None]]:
        """Per source: its most recent run and its most recent successful run."""
        latest = select(func.max(load_run.c.id)).group_by(load_run.c.source)
        succeeded = (
            select(func.max(load_run.c.id))
            .where(load_run.c.status == "succeeded")
            .group_by(load_run.c.source)
        )
        with self.engine.connect() as conn:
            last = {
                r.source: LoadRun(**r._mapping)
                for r in conn.execute(select(load_run).where(load_run.c.id.in_(latest)))
            }
            ok = {
                r.source: LoadRun(**r._mapping)
                for r in conn.execute(select(load_run).where(load_run.c.id.in_(succeeded)))
            }
        return {source: (run, ok.get(source)) for source, run in last.items()}

    def data_version(self) -> tuple[int, datetime | None]:
        """Changes whenever a load run finishes (values or freshness may have changed):
        the number of finished runs and the latest finish time. Cheap enough to ask often,
        so screens can keep computed figures until it moves."""
        query = select(func.count(), func.max(load_run.c.finished_at)).where(
            load_run.c.finished_at.is_not(None)
        )
        with self.engine.connect() as conn:
            count, latest = conn.execute(query).one()
        return int(count), latest

    def count_values(self) -> int:
        with self.engine.connect() as conn:
            return int(conn.execute(select(func.count()).select_from(metric_value)).scalar_one())


def _arrival(record: dict[str, Any]) -> dict[str, Any]:
    return {
        "indicator_code": record["indicator_code"],
        "period": record["period"],
        "delivered_at": record["loaded_at"],
        "load_run_id": record["load_run_id"],
    }


def _rejection_record(run_id: int, rejection: Rejection) -> dict[str, Any]:
    """A rejected_row record, cut to the column sizes: a long file path must not make the
    failure itself fail to be recorded (MariaDB and PostgreSQL refuse oversize strings)."""
    record = {"load_run_id": run_id, **asdict(rejection)}
    for name in ("location", "field"):
        limit = rejected_row.c[name].type.length
        if len(record[name]) > limit:
            record[name] = record[name][: limit - 1] + "…"
    return record
