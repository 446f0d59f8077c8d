"""Timestamps keep microseconds on MySQL/MariaDB, as they do on PostgreSQL and SQLite (a
plain DATETIME there rounds to the second, so two events within one second tie).

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-26
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import mysql

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

TIMESTAMPS = {
    "load_run": {"started_at": False, "finished_at": True},
    "metric_value": {"loaded_at": False},
    "delivery": {"delivered_at": False},
    "finding_review": {"reviewed_at": False},
    "alert_state": {"raised_at": False, "resolved_at": True},
}


def _alter(kind: sa.types.TypeEngine) -> None:
    if op.get_bind().dialect.name not in ("mysql", "mariadb"):
        return
    for table, columns in TIMESTAMPS.items():
        for column, nullable in columns.items():
            op.alter_column(table, column, type_=kind, existing_nullable=nullable)


def upgrade() -> None:
    _alter(mysql.DATETIME(fsp=6))


def downgrade() -> None:
    _alter(mysql.DATETIME())
