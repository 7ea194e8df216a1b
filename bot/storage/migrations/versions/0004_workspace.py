"""The web workspace: staff, sign-in links, sessions, topic drafts and versions, audit (schema 4).

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

CHAT_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
ROW_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
FLAG = sa.Boolean().with_variant(sa.Integer(), "sqlite")
UNIX_TIME = sa.Double[float]().with_variant(sa.REAL(), "sqlite")


def staff_key(table: str, column: str = "staff_id", ondelete: str = "CASCADE") -> sa.Constraint:
    """A foreign key to a staff member."""
    return sa.ForeignKeyConstraint(
        [column], ["staff.id"], name=op.f(f"fk_{table}_{column}_staff"), ondelete=ondelete
    )


def upgrade() -> None:
    """Create the six tables of the workspace."""
    op.create_table(
        "staff",
        sa.Column("id", ROW_ID, nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("role", sa.Text(), nullable=False),
        sa.Column("language", sa.Text(), server_default="fr", nullable=False),
        sa.Column("telegram_id", CHAT_ID),
        sa.Column("active", FLAG, server_default=sa.true(), nullable=False),
        sa.Column("created_at", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_staff")),
        sa.UniqueConstraint("telegram_id", name=op.f("uq_staff_telegram_id")),
    )
    op.create_table(
        "signin_links",
        sa.Column("token_hash", sa.Text(), nullable=False),
        sa.Column("staff_id", ROW_ID, nullable=False),
        sa.Column("expires_at", UNIX_TIME, nullable=False),
        sa.Column("used_at", sa.Text()),
        sa.Column("created_at", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("token_hash", name=op.f("pk_signin_links")),
        staff_key("signin_links"),
    )
    op.create_table(
        "staff_sessions",
        sa.Column("id_hash", sa.Text(), nullable=False),
        sa.Column("staff_id", ROW_ID, nullable=False),
        sa.Column("csrf", sa.Text(), nullable=False),
        sa.Column("expires_at", UNIX_TIME, nullable=False),
        sa.Column("created_at", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id_hash", name=op.f("pk_staff_sessions")),
        staff_key("staff_sessions"),
    )
    op.create_table(
        "topic_drafts",
        sa.Column("id", ROW_ID, nullable=False),
        sa.Column("topic_id", sa.Text(), nullable=False),
        sa.Column("base_hash", sa.Text()),
        sa.Column("content", sa.Text(), nullable=False),
        sa.Column("status", sa.Text(), nullable=False),
        sa.Column("author_id", ROW_ID),
        sa.Column("reviewer_id", ROW_ID),
        sa.Column("comment", sa.Text()),
        sa.Column("review_comment", sa.Text()),
        sa.Column("revision", sa.Integer(), server_default=sa.text("1"), nullable=False),
        sa.Column("created_at", sa.Text(), nullable=False),
        sa.Column("updated_at", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_topic_drafts")),
        staff_key("topic_drafts", "author_id", "SET NULL"),
        staff_key("topic_drafts", "reviewer_id", "SET NULL"),
    )
    op.create_index("topic_drafts_topic", "topic_drafts", ["topic_id", "status"])
    op.create_table(
        "topic_versions",
        sa.Column("id", ROW_ID, nullable=False),
        sa.Column("topic_id", sa.Text(), nullable=False),
        sa.Column("content", sa.Text(), nullable=False),
        sa.Column("content_hash", sa.Text(), nullable=False),
        sa.Column("draft_id", ROW_ID),
        sa.Column("author_id", ROW_ID),
        sa.Column("reviewer_id", ROW_ID),
        sa.Column("published_at", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_topic_versions")),
        sa.ForeignKeyConstraint(
            ["draft_id"],
            ["topic_drafts.id"],
            name=op.f("fk_topic_versions_draft_id_topic_drafts"),
            ondelete="SET NULL",
        ),
        staff_key("topic_versions", "author_id", "SET NULL"),
        staff_key("topic_versions", "reviewer_id", "SET NULL"),
    )
    op.create_index("topic_versions_topic", "topic_versions", ["topic_id", "id"])
    op.create_table(
        "audit_log",
        sa.Column("id", ROW_ID, nullable=False),
        sa.Column("at", sa.Text(), nullable=False),
        sa.Column("staff_id", ROW_ID),
        sa.Column("action", sa.Text(), nullable=False),
        sa.Column("subject", sa.Text(), nullable=False),
        sa.Column("detail", sa.Text(), server_default="", nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_log")),
        staff_key("audit_log", "staff_id", "SET NULL"),
    )
    op.create_index("audit_log_at", "audit_log", ["at"])


def downgrade() -> None:
    """Drop them again, dependants first."""
    for table in (
        "audit_log",
        "topic_versions",
        "topic_drafts",
        "staff_sessions",
        "signin_links",
        "staff",
    ):
        op.drop_table(table)
