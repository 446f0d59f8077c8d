"""Keep what a load could not use and what its quality checks found, per load run.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-25
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "rejected_row",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("load_run_id", sa.Integer, sa.ForeignKey("load_run.id"), nullable=False),
        sa.Column("location", sa.String(255), nullable=False),
        sa.Column("field", sa.String(128), nullable=False),
        sa.Column("value", sa.Text),
        sa.Column("reason", sa.Text, nullable=False),
    )
    op.create_index("ix_rejected_row_load_run", "rejected_row", ["load_run_id"])
    op.create_table(
        "quality_finding",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("load_run_id", sa.Integer, sa.ForeignKey("load_run.id"), nullable=False),
        sa.Column("check_name", sa.String(32), nullable=False),
        sa.Column("severity", sa.String(8), nullable=False),
        sa.Column("indicator_code", sa.String(64)),
        sa.Column("area", sa.String(32)),
        sa.Column("period", sa.String(10)),
        sa.Column("message", sa.Text, nullable=False),
    )
    op.create_index("ix_quality_finding_load_run", "quality_finding", ["load_run_id"])


def downgrade() -> None:
    op.drop_index("ix_quality_finding_load_run", table_name="quality_finding")
    op.drop_table("quality_finding")
    op.drop_index("ix_rejected_row_load_run", table_name="rejected_row")
    op.drop_table("rejected_row")
