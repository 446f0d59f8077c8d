"""What operators need beyond the loads: first arrival of each period (on-time delivery),
reviews of quality findings, and the alerts already sent.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-26
"""

import sqlalchemy as sa
from alembic import op

from indicators.store.types import UTCDateTime

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "delivery",
        sa.Column("indicator_code", sa.String(64), primary_key=True),
        sa.Column("period", sa.String(10), primary_key=True),
        sa.Column("source", sa.String(64), nullable=False),
        sa.Column("delivered_at", UTCDateTime, nullable=False),
        sa.Column("load_run_id", sa.Integer),
    )
    op.create_index("ix_delivery_source", "delivery", ["source"])
    op.create_table(
        "finding_review",
        sa.Column("finding_key", sa.String(255), primary_key=True),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("reviewed_by", sa.String(64), nullable=False),
        sa.Column("reviewed_at", UTCDateTime, nullable=False),
        sa.Column("note", sa.Text),
    )
    op.create_table(
        "alert_state",
        sa.Column("problem_key", sa.String(255), primary_key=True),
        sa.Column("fingerprint", sa.String(255), nullable=False),
        sa.Column("message", sa.Text, nullable=False),
        sa.Column("raised_at", UTCDateTime, nullable=False),
        sa.Column("resolved_at", UTCDateTime),
    )


def downgrade() -> None:
    op.drop_table("alert_state")
    op.drop_table("finding_review")
    op.drop_index("ix_delivery_source", table_name="delivery")
    op.drop_table("delivery")
