"""Reminders shared by many workers: row claims, incremental planning; the lease goes.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-07

Workers (the replicas' jobs, `preventbot reminders run-due`) share one pass by claiming
batches of pending rows (`claimed_by`, `claimed_until`) instead of taking turns under the
lease. A run remembers when it was planned (`planned_at`) so that the next passes plan only
the subscriptions created since (indexed by `created_at`).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from bot.storage.migrations.columns import UNIX_TIME

revision = "0008"
down_revision = "0007"  # re-chained after the replicas' 0007 (merge)
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Add the claim and planning columns and their indexes; drop the lease."""
    op.add_column("deliveries", sa.Column("claimed_by", sa.Text()))
    op.add_column("deliveries", sa.Column("claimed_until", UNIX_TIME))
    claimed = sa.column("claimed_by").isnot(None)
    op.create_index(
        "deliveries_claimed",
        "deliveries",
        ["claimed_until"],
        sqlite_where=claimed,
        postgresql_where=claimed,
    )
    op.add_column("reminder_runs", sa.Column("planned_at", sa.Text()))
    op.create_index("subscriptions_created", "subscriptions", ["created_at"])
    op.drop_table("reminder_lease")


def downgrade() -> None:
    """Back to one pass at a time under the lease."""
    op.create_table(
        "reminder_lease",
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("owner", sa.Text(), nullable=False),
        sa.Column("expires_at", UNIX_TIME, nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_reminder_lease")),
    )
    op.drop_index("subscriptions_created", table_name="subscriptions")
    with op.batch_alter_table("reminder_runs") as batch:
        batch.drop_column("planned_at")
    op.drop_index("deliveries_claimed", table_name="deliveries")
    with op.batch_alter_table("deliveries") as batch:
        batch.drop_column("claimed_until")
        batch.drop_column("claimed_by")
