"""Campaign reminders: subscriptions, runs, the delivery log, the lease, drafts (schema 3).

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.schema import SchemaItem

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

CHAT_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
ROW_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
FLAG = sa.Boolean().with_variant(sa.Integer(), "sqlite")
UNIX_TIME = sa.Double[float]().with_variant(sa.REAL(), "sqlite")


def chat_column(table: str) -> list[SchemaItem]:
    """The chat id of a row that belongs to a user, and its cascading foreign key."""
    return [
        sa.Column("chat_id", CHAT_ID, autoincrement=False, nullable=False),
        sa.ForeignKeyConstraint(
            ["chat_id"],
            ["users.chat_id"],
            name=op.f(f"fk_{table}_chat_id_users"),
            ondelete="CASCADE",
        ),
    ]


def upgrade() -> None:
    """Create the five tables of the reminders."""
    op.create_table(
        "subscriptions",
        *chat_column("subscriptions"),
        sa.Column("nis", sa.Text(), nullable=False),
        sa.Column("language", sa.Text(), nullable=False),
        sa.Column("created_at", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("chat_id", "nis", name=op.f("pk_subscriptions")),
        sqlite_with_rowid=False,
    )
    op.create_index("subscriptions_nis", "subscriptions", ["nis", "chat_id"])
    op.create_table(
        "reminder_runs",
        sa.Column("occurrence", sa.Text(), nullable=False),
        sa.Column("campaign_id", sa.Text(), nullable=False),
        sa.Column("messages", sa.Text(), nullable=False),
        sa.Column("places", sa.Text()),
        sa.Column("due_at", sa.Text(), nullable=False),
        sa.Column("expires_at", UNIX_TIME, nullable=False),
        sa.Column("planned", FLAG, server_default=sa.false(), nullable=False),
        sa.Column("created_at", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("occurrence", name=op.f("pk_reminder_runs")),
    )
    op.create_table(
        "deliveries",
        sa.Column("id", ROW_ID, nullable=False),
        sa.Column("occurrence", sa.Text(), nullable=False),
        *chat_column("deliveries"),
        sa.Column("language", sa.Text(), nullable=False),
        sa.Column("status", sa.Text(), server_default="pending", nullable=False),
        sa.Column("attempts", sa.Integer(), server_default=sa.text("0"), nullable=False),
        sa.Column("detail", sa.Text()),
        sa.Column("updated_at", sa.Text()),
        sa.ForeignKeyConstraint(
            ["occurrence"],
            ["reminder_runs.occurrence"],
            name=op.f("fk_deliveries_occurrence_reminder_runs"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_deliveries")),
        sa.UniqueConstraint(
            "occurrence", "chat_id", name=op.f("uq_deliveries_occurrence_chat_id")
        ),
    )
    pending = sa.column("status") == "pending"
    op.create_index(
        "deliveries_pending",
        "deliveries",
        ["id"],
        sqlite_where=pending,
        postgresql_where=pending,
    )
    op.create_index("deliveries_chat", "deliveries", ["chat_id"])
    op.create_table(
        "reminder_lease",
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("owner", sa.Text(), nullable=False),
        sa.Column("expires_at", UNIX_TIME, nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_reminder_lease")),
    )
    op.create_table(
        "announcement_drafts",
        *chat_column("announcement_drafts"),
        sa.Column("places", sa.Text(), nullable=False),
        sa.Column("texts", sa.Text(), nullable=False),
        sa.Column("created_at", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("chat_id", name=op.f("pk_announcement_drafts")),
    )
    legacy_version(3)


def downgrade() -> None:
    """Drop the tables of the reminders."""
    op.drop_table("announcement_drafts")
    op.drop_table("reminder_lease")
    op.drop_index("deliveries_chat", table_name="deliveries")
    op.drop_index("deliveries_pending", table_name="deliveries")
    op.drop_table("deliveries")
    op.drop_table("reminder_runs")
    op.drop_index("subscriptions_nis", table_name="subscriptions")
    op.drop_table("subscriptions")
    legacy_version(2)


def legacy_version(number: int) -> None:
    """Keep SQLite's user_version in step, as the code before Alembic counted schemas there."""
    if op.get_bind().dialect.name == "sqlite":
        op.execute(f"PRAGMA user_version = {number}")
