"""The workspace's inbox: what staff did with unanswered questions (schema 6).

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from bot.storage.migrations.columns import ROW_ID

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create the inbox_handled table."""
    op.create_table(
        "inbox_handled",
        sa.Column("id", ROW_ID, nullable=False),
        sa.Column("key", sa.Text(), nullable=False),
        sa.Column("language", sa.Text(), nullable=False),
        sa.Column("action", sa.Text(), nullable=False),
        sa.Column("detail", sa.Text(), server_default="", nullable=False),
        sa.Column("staff_id", ROW_ID),
        sa.Column("created_at", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["staff_id"],
            ["staff.id"],
            name=op.f("fk_inbox_handled_staff_id_staff"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_inbox_handled")),
    )
    op.create_index("inbox_handled_key", "inbox_handled", ["key"])


def downgrade() -> None:
    """Drop the inbox_handled table."""
    op.drop_index("inbox_handled_key", table_name="inbox_handled")
    op.drop_table("inbox_handled")
