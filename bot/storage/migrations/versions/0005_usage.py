"""Anonymous usage counts per day, language, topic and outcome, for the dashboard (schema 5).

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create the usage_daily table."""
    op.create_table(
        "usage_daily",
        sa.Column("day", sa.Text(), nullable=False),
        sa.Column("language", sa.Text(), nullable=False),
        sa.Column("topic", sa.Text(), nullable=False),
        sa.Column("outcome", sa.Text(), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint(
            "day", "language", "topic", "outcome", name=op.f("pk_usage_daily")
        ),
    )


def downgrade() -> None:
    """Drop it again."""
    op.drop_table("usage_daily")
