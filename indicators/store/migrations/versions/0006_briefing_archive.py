"""The briefing archive: every generated briefing with its template, month, author, time,
the load runs behind its figures, and the file itself (LONGBLOB on MySQL/MariaDB).

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-27
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import mysql

from indicators.store.types import UTCDateTime

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "briefing",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("template", sa.String(64), nullable=False),
        sa.Column("template_text", sa.Text, nullable=False),
        sa.Column("period", sa.String(10), nullable=False),
        sa.Column("author", sa.String(64), nullable=False),
        sa.Column("created_at", UTCDateTime, nullable=False),
        sa.Column("format", sa.String(8), nullable=False),
        sa.Column("load_runs", sa.Text, nullable=False),
        sa.Column("file_name", sa.String(255), nullable=False),
        sa.Column("size", sa.Integer, nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column(
            "content",
            sa.LargeBinary().with_variant(mysql.LONGBLOB(), "mysql", "mariadb"),
            nullable=False,
        ),
    )
    op.create_index("ix_briefing_template_period", "briefing", ["template", "period"])


def downgrade() -> None:
    op.drop_index("ix_briefing_template_period", table_name="briefing")
    op.drop_table("briefing")
