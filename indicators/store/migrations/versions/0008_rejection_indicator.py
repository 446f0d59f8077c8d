"""A rejected row names the indicator it was for, when the connector knew it, so a reader
not cleared for a restricted indicator is not shown its rejected values.

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-26
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("rejected_row") as table:
        table.add_column(sa.Column("indicator_code", sa.String(64)))


def downgrade() -> None:
    with op.batch_alter_table("rejected_row") as table:
        table.drop_column("indicator_code")
