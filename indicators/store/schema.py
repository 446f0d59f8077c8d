"""Tables of the metric store. Changes to these go with an Alembic migration."""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    Column,
    Double,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    false,
)
from sqlalchemy.dialects import mysql

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
    Column("indicator_code", String(64)),  # when the source row was for a known indicator
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

# When each city-level period of an indicator first arrived: metric_value.loaded_at moves on
# every reload, so on-time delivery (the operators' KPI) needs its own record.
delivery = Table(
    "delivery",
    metadata,
    Column("indicator_code", String(64), primary_key=True),
    Column("period", String(10), primary_key=True),
    Column("source", String(64), nullable=False),
    Column("delivered_at", UTCDateTime, nullable=False),
    Column("load_run_id", Integer),  # none for history recorded outside a load
    Index("ix_delivery_source", "source"),
)

# An operator's verdict on a quality finding, keyed by what the finding is about (source,
# check, indicator, area, period), so it holds across reloads that find the same thing.
finding_review = Table(
    "finding_review",
    metadata,
    Column("finding_key", String(255), primary_key=True),
    Column("state", String(16), nullable=False),  # acknowledged / resolved
    Column("reviewed_by", String(64), nullable=False),
    Column("reviewed_at", UTCDateTime, nullable=False),
    Column("note", Text),
)

# Problems an alert has been sent for: one alert per problem until it changes or is resolved,
# also with several app servers and cron checking at once (the row is the claim).
alert_state = Table(
    "alert_state",
    metadata,
    Column("problem_key", String(255), primary_key=True),
    Column("fingerprint", String(255), nullable=False),
    Column("message", Text, nullable=False),
    Column("raised_at", UTCDateTime, nullable=False),
    Column("resolved_at", UTCDateTime),
)

# Every briefing generated, with what it was made from, so any app server behind the proxy can
# list and hand it out again. MySQL/MariaDB's plain BLOB stops at 64 KB: LONGBLOB there.
BRIEFING_CONTENT = LargeBinary().with_variant(mysql.LONGBLOB(), "mysql", "mariadb")

briefing = Table(
    "briefing",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("template", String(64), nullable=False),  # the template's name
    Column("template_text", Text, nullable=False),  # the YAML as it was when built
    Column("period", String(10), nullable=False),  # the briefing's month, 2026-10
    Column("author", String(64), nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("format", String(8), nullable=False),  # pdf, …
    Column("load_runs", Text, nullable=False),  # ids of the runs behind its figures: "3,7,12"
    Column("file_name", String(255), nullable=False),
    Column("size", Integer, nullable=False),
    Column("sha256", String(64), nullable=False),  # of content
    Column("content", BRIEFING_CONTENT, nullable=False),
    Column("bureau", String(64)),  # the bureau it was made for (None: city-wide)
    Index("ix_briefing_template_period", "template", "period"),
)

# Local users (sign-in). A password hash is argon2id; None for users who only sign in
# through the site's single sign-on.
app_user = Table(
    "app_user",
    metadata,
    Column("username", String(64), primary_key=True),
    Column("display_name", String(64), nullable=False),
    Column("role", String(16), nullable=False),
    Column("bureau", String(64)),  # 责任单位 a bureau head answers for
    Column("password_hash", String(255)),
    Column("disabled", Boolean, nullable=False, server_default=false()),
    Column("created_at", UTCDateTime, nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
)

# What matters, on record. Append-only: triggers (migration 0007) refuse UPDATE and DELETE.
audit_log = Table(
    "audit_log",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("at", UTCDateTime, nullable=False),
    Column("actor", String(64), nullable=False),  # a username, or "cli:<os user>"
    Column("action", String(32), nullable=False),  # sign_in, briefing_export, upload, …
    Column("target", String(255), nullable=False),
    Column("outcome", String(16), nullable=False),  # ok / failed / refused
    Column("detail", Text, nullable=False),  # JSON, secrets never
    Index("ix_audit_log_actor_action_at", "actor", "action", "at"),
    Index("ix_audit_log_at", "at"),
)
