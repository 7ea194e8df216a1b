"""Several bot replicas on one database: received updates, chat claims, shared limits (schema 7).

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from bot.storage.migrations.columns import CHAT_ID, FLAG, ROW_ID, UNIX_TIME

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create the five tables the replicas share."""
    op.create_table(
        "received_updates",
        sa.Column("update_id", ROW_ID, autoincrement=False, nullable=False),
        sa.Column("chat_id", CHAT_ID, nullable=False),
        sa.Column("payload", sa.Text(), nullable=False),
        sa.Column("received_at", UNIX_TIME, nullable=False),
        sa.Column("done_at", UNIX_TIME),
        sa.PrimaryKeyConstraint("update_id", name=op.f("pk_received_updates")),
    )
    op.create_index("received_updates_received", "received_updates", ["received_at"])
    pending = sa.column("done_at").is_(None)
    op.create_index(
        "received_updates_pending",
        "received_updates",
        ["chat_id", "update_id"],
        sqlite_where=pending,
        postgresql_where=pending,
    )
    op.create_table(
        "chat_claims",
        sa.Column("chat_id", CHAT_ID, autoincrement=False, nullable=False),
        sa.Column("owner", sa.Text(), nullable=False),
        sa.Column("expires_at", UNIX_TIME, nullable=False),
        sa.PrimaryKeyConstraint("chat_id", name=op.f("pk_chat_claims")),
    )
    op.create_table(
        "flood_windows",
        sa.Column("user_id", CHAT_ID, autoincrement=False, nullable=False),
        sa.Column("times", sa.Text(), nullable=False),
        sa.Column("warned", FLAG, server_default=sa.false(), nullable=False),
        sa.Column("last_at", UNIX_TIME, nullable=False),
        sa.PrimaryKeyConstraint("user_id", name=op.f("pk_flood_windows")),
    )
    op.create_index("flood_windows_last", "flood_windows", ["last_at"])
    op.create_table(
        "send_budget",
        sa.Column("second", ROW_ID, autoincrement=False, nullable=False),
        sa.Column("used", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("second", name=op.f("pk_send_budget")),
    )
    op.create_table(
        "shared_notices",
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("digest", sa.Text(), nullable=False),
        sa.Column("updated_at", UNIX_TIME, nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_shared_notices")),
    )


def downgrade() -> None:
    """Drop them."""
    for table in ("shared_notices", "send_budget", "flood_windows", "chat_claims"):
        op.drop_table(table)
    op.drop_index("received_updates_pending", table_name="received_updates")
    op.drop_index("received_updates_received", table_name="received_updates")
    op.drop_table("received_updates")
