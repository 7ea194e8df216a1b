"""Users and their conversation state (legacy schema 1).

Revision ID: 0001
Revises:
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

# Frozen here on purpose: a revision must keep creating what it created when it was written.
CHAT_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
FLAG = sa.Boolean().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    """Create the users table."""
    op.create_table(
        "users",
        sa.Column("chat_id", CHAT_ID, autoincrement=False, nullable=False),
        sa.Column("language", sa.Text()),
        sa.Column("pending", sa.Text()),
        sa.Column("active", FLAG, server_default=sa.true(), nullable=False),
        sa.Column("created_at", sa.Text(), nullable=False),
        sa.Column("updated_at", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("chat_id", name=op.f("pk_users")),
    )
    legacy_version(1)


def downgrade() -> None:
    """Drop the users table."""
    op.drop_table("users")
    legacy_version(0)


def legacy_version(number: int) -> None:
    """Keep SQLite's user_version in step, as the code before Alembic counted schemas there."""
    if op.get_bind().dialect.name == "sqlite":
        op.execute(f"PRAGMA user_version = {number}")
