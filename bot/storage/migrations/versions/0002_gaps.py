"""Unanswered questions and answer votes, with no user identity (legacy schema 2).

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

ROW_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
FLAG = sa.Boolean().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    """Create the unanswered and votes tables."""
    op.create_table(
        "unanswered",
        sa.Column("id", ROW_ID, nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("language", sa.Text(), nullable=False),
        sa.Column("guesses", sa.Text(), nullable=False),
        sa.Column("created_at", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_unanswered")),
    )
    op.create_index("unanswered_created", "unanswered", ["created_at"])
    op.create_table(
        "votes",
        sa.Column("id", ROW_ID, nullable=False),
        sa.Column("topic_id", sa.Text(), nullable=False),
        sa.Column("language", sa.Text(), nullable=False),
        sa.Column("helpful", FLAG, nullable=False),
        sa.Column("created_at", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_votes")),
    )
    legacy_version(2)


def downgrade() -> None:
    """Drop the unanswered and votes tables."""
    op.drop_table("votes")
    op.drop_index("unanswered_created", table_name="unanswered")
    op.drop_table("unanswered")
    legacy_version(1)


def legacy_version(number: int) -> None:
    """Keep SQLite's user_version in step, as the code before Alembic counted schemas there."""
    if op.get_bind().dialect.name == "sqlite":
        op.execute(f"PRAGMA user_version = {number}")
