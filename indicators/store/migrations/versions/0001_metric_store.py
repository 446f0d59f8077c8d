"""Metric store: load runs and indicator values.

Revision ID: 0001
Revises:
Create Date: 2026-11-25
"""

import sqlalchemy as sa
from alembic import op

from indicators.store.types import UTCDateTime

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "load_run",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("source", sa.String(64), nullable=False),
        sa.Column("started_at", UTCDateTime, nullable=False),
        sa.Column("finished_at", UTCDateTime),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("rows_read", sa.Integer, nullable=False, server_default="0"),
        sa.Column("rows_written", sa.Integer, nullable=False, server_default="0"),
        sa.Column("rows_rejected", sa.Integer, nullable=False, server_default="0"),
        sa.Column("message", sa.Text),
    )
    op.create_index("ix_load_run_source_started", "load_run", ["source", "started_at"])
    op.create_table(
        "metric_value",
        sa.Column("indicator_code", sa.String(64), primary_key=True),
        sa.Column("period", sa.String(10), primary_key=True),
        sa.Column("area", sa.String(32), primary_key=True),
        sa.Column("value", sa.Double, nullable=False),
        sa.Column("load_run_id", sa.Integer, sa.ForeignKey("load_run.id"), nullable=False),
        sa.Column("loaded_at", UTCDateTime, nullable=False),
    )
    op.create_index("ix_metric_value_load_run", "metric_value", ["load_run_id"])


def downgrade() -> None:
    op.drop_table("metric_value")
    op.drop_table("load_run")
