"""Tables of the metric store. Changes to these go with an Alembic migration."""

from __future__ import annotations

from sqlalchemy import (
    Column,
    Double,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
)

from indicators.store.types import UTCDateTime

metadata = MetaData()

load_run = Table(
    "load_run",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("source", String(64), nullable=False),
    Column("started_at", UTCDateTime, nullable=False),
    Column("finished_at", UTCDateTime),
    Column("status", String(16), nullable=False),  # running / succeeded / failed
    Column("rows_read", Integer, nullable=False, default=0),
    Column("rows_written", Integer, nullable=False, default=0),
    Column("rows_rejected", Integer, nullable=False, default=0),
    Column("message", Text),
    Index("ix_load_run_source_started", "source", "started_at"),
)

metric_value = Table(
    "metric_value",
    metadata,
    Column("indicator_code", String(64), primary_key=True),
    Column("period", String(10), primary_key=True),  # canonical label: 2026-10, 2026Q3, 2026
    Column("area", String(32), primary_key=True),
    Column("value", Double, nullable=False),
    Column("load_run_id", Integer, ForeignKey("load_run.id"), nullable=False),
    Column("loaded_at", UTCDateTime, nullable=False),
    Index("ix_metric_value_load_run", "load_run_id"),
    Index("ix_metric_value_area_period", "area", "period"),
)

rejected_row = Table(
    "rejected_row",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("load_run_id", Integer, ForeignKey("load_run.id"), nullable=False),
    Column("location", String(255), nullable=False),  # file and row, query, or page and item
    Column("field", String(128), nullable=False),
    Column("value", Text),  # the text as the source wrote it
    Column("reason", Text, nullable=False),
    Index("ix_rejected_row_load_run", "load_run_id"),
)

quality_finding = Table(
    "quality_finding",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("load_run_id", Integer, ForeignKey("load_run.id"), nullable=False),
    Column("check_name", String(32), nullable=False),  # row_count, missing_areas, range, jump, …
    Column("severity", String(8), nullable=False),  # warning / error
    Column("indicator_code", String(64)),
    Column("area", String(32)),
    Column("period", String(10)),
    Column("message", Text, nullable=False),
    Index("ix_quality_finding_load_run", "load_run_id"),
)
