"""Index values by (area, period): screens read one area's recent periods of every indicator.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25
"""

from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_metric_value_area_period", "metric_value", ["area", "period"])


def downgrade() -> None:
    op.drop_index("ix_metric_value_area_period", table_name="metric_value")
