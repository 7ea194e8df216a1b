"""The database schema, defined once: SQLAlchemy Core tables that the migrations reproduce.

A change here needs a new revision in `migrations/versions/` (a test compares the migrated
schema with these tables). Types are chosen so that SQLite gets exactly the columns the first
schemas had (INTEGER keys that alias the rowid, REAL for Unix times, INTEGER flags) and
PostgreSQL gets the wide types it needs (BIGINT chat ids, DOUBLE PRECISION, BOOLEAN).
Timestamps shown to people are ISO 8601 text with their offset, as always.
"""

from __future__ import annotations

from typing import Final

from sqlalchemy import (
    REAL,
    BigInteger,
    Boolean,
    Column,
    Double,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    PrimaryKeyConstraint,
    Table,
    Text,
    UniqueConstraint,
    false,
    text,
    true,
)
from sqlalchemy.types import TypeEngine

# Constraint names follow this pattern, so a later migration can name what it drops. Databases
# made before Alembic have unnamed constraints; batch migrations on SQLite rebuild the table
# and pass this convention (alembic's `batch_alter_table(naming_convention=...)`).
NAMING_CONVENTION: Final = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

metadata: Final = MetaData(naming_convention=NAMING_CONVENTION)

# Telegram ids do not fit 32 bits; SQLite's INTEGER is 64-bit and only the exact name INTEGER
# makes a primary key an alias of the rowid.
ChatId: Final[TypeEngine[int]] = BigInteger().with_variant(Integer(), "sqlite")
RowId: Final[TypeEngine[int]] = BigInteger().with_variant(Integer(), "sqlite")
Flag: Final[TypeEngine[bool]] = Boolean().with_variant(Integer(), "sqlite")
UnixTime: Final[TypeEngine[float]] = Double[float]().with_variant(REAL(), "sqlite")


def _chat(*, primary_key: bool = False) -> Column[int]:
    """A chat id that belongs to a user: forgetting the user deletes the row (ON DELETE)."""
    return Column(
        "chat_id",
        ChatId,
        ForeignKey("users.chat_id", ondelete="CASCADE"),
        nullable=False,
        autoincrement=False,
        primary_key=primary_key,
    )


# Schema 1: users and their conversation state.
users: Final = Table(
    "users",
    metadata,
    Column("chat_id", ChatId, primary_key=True, autoincrement=False),
    Column("language", Text),
    Column("pending", Text),
    Column("active", Flag, nullable=False, server_default=true()),
    Column("created_at", Text, nullable=False),
    Column("updated_at", Text, nullable=False),
)

# Schema 2: questions the bot could not answer, and answer votes (no user identity in either).
unanswered: Final = Table(
    "unanswered",
    metadata,
    Column("id", RowId, primary_key=True),
    Column("text", Text, nullable=False),
    Column("language", Text, nullable=False),
    Column("guesses", Text, nullable=False),  # a JSON list of intents
    Column("created_at", Text, nullable=False),
    Index("unanswered_created", "created_at"),
)

votes: Final = Table(
    "votes",
    metadata,
    Column("id", RowId, primary_key=True),
    Column("topic_id", Text, nullable=False),
    Column("language", Text, nullable=False),
    Column("helpful", Flag, nullable=False),
    Column("created_at", Text, nullable=False),
)

# Schema 3: campaign reminders. The places each chat follows, the delivery log (one row per
# campaign occurrence and chat, never two) and admins' announcement drafts.
subscriptions: Final = Table(
    "subscriptions",
    metadata,
    _chat(),
    Column("nis", Text, nullable=False),
    Column("language", Text, nullable=False),
    Column("created_at", Text, nullable=False),
    PrimaryKeyConstraint("chat_id", "nis"),
    Index("subscriptions_nis", "nis", "chat_id"),
    # Incremental planning reads the subscriptions created since a run was planned.
    Index("subscriptions_created", "created_at"),
    sqlite_with_rowid=False,
)

reminder_runs: Final = Table(
    "reminder_runs",
    metadata,
    Column("occurrence", Text, primary_key=True),
    Column("campaign_id", Text, nullable=False),
    Column("messages", Text, nullable=False),  # JSON: language -> text
    Column("places", Text),  # JSON list of NIS codes; NULL: every place
    Column("due_at", Text, nullable=False),
    Column("expires_at", UnixTime, nullable=False),
    Column("planned", Flag, nullable=False, server_default=false()),
    Column("created_at", Text, nullable=False),
    # When it was last planned: later passes add only subscriptions created since (0008).
    Column("planned_at", Text),
)

deliveries: Final = Table(
    "deliveries",
    metadata,
    Column("id", RowId, primary_key=True),
    Column(
        "occurrence",
        Text,
        ForeignKey("reminder_runs.occurrence", ondelete="CASCADE"),
        nullable=False,
    ),
    _chat(),
    Column("language", Text, nullable=False),
    Column("status", Text, nullable=False, server_default="pending"),
    Column("attempts", Integer, nullable=False, server_default=text("0")),
    Column("detail", Text),
    Column("updated_at", Text),
    # A worker's claim on a pending row (0008): who sends it, and until when the claim holds
    # (a Unix time; past it, the row is free again: its worker is taken for dead).
    Column("claimed_by", Text),
    Column("claimed_until", UnixTime),
    UniqueConstraint("occurrence", "chat_id"),
    Index("deliveries_chat", "chat_id"),
)
# The pass reads pending rows in id order: a partial index keeps that cheap as rows pile up.
Index(
    "deliveries_pending",
    deliveries.c.id,
    sqlite_where=deliveries.c.status == "pending",
    postgresql_where=deliveries.c.status == "pending",
)

# Only the claimed rows (a few batches per worker): the reaper finds expired claims here.
Index(
    "deliveries_claimed",
    deliveries.c.claimed_until,
    sqlite_where=deliveries.c.claimed_by.isnot(None),
    postgresql_where=deliveries.c.claimed_by.isnot(None),
)

announcement_drafts: Final = Table(
    "announcement_drafts",
    metadata,
    _chat(primary_key=True),
    Column("places", Text, nullable=False),  # JSON list of NIS codes
    Column("texts", Text, nullable=False),  # JSON: language -> text
    Column("created_at", Text, nullable=False),
)

# Schema 4: the web workspace of the prevention services. Staff accounts sign in with one-time
# links (only a hash of the token is stored), sessions are kept here (only a hash of the id),
# topic edits are drafts until a reviewer approves them, and every action is audited.
staff: Final = Table(
    "staff",
    metadata,
    Column("id", RowId, primary_key=True),
    Column("name", Text, nullable=False),
    Column("role", Text, nullable=False),  # editor, reviewer or admin
    Column("language", Text, nullable=False, server_default="fr"),
    Column("telegram_id", ChatId, unique=True),  # linked Telegram account, for /signin
    Column("active", Flag, nullable=False, server_default=true()),
    Column("created_at", Text, nullable=False),
)

signin_links: Final = Table(
    "signin_links",
    metadata,
    Column("token_hash", Text, primary_key=True),
    Column("staff_id", RowId, ForeignKey("staff.id", ondelete="CASCADE"), nullable=False),
    Column("expires_at", UnixTime, nullable=False),
    Column("used_at", Text),
    Column("created_at", Text, nullable=False),
)

staff_sessions: Final = Table(
    "staff_sessions",
    metadata,
    Column("id_hash", Text, primary_key=True),
    Column("staff_id", RowId, ForeignKey("staff.id", ondelete="CASCADE"), nullable=False),
    Column("csrf", Text, nullable=False),
    Column("expires_at", UnixTime, nullable=False),
    Column("created_at", Text, nullable=False),
)

topic_drafts: Final = Table(
    "topic_drafts",
    metadata,
    Column("id", RowId, primary_key=True),
    Column("topic_id", Text, nullable=False),
    Column("base_hash", Text),  # the published file it started from; NULL: a new topic
    Column("content", Text, nullable=False),  # the topic as YAML, as the editor left it
    Column("status", Text, nullable=False),  # draft, submitted, returned, published, discarded
    Column("author_id", RowId, ForeignKey("staff.id", ondelete="SET NULL")),
    Column("reviewer_id", RowId, ForeignKey("staff.id", ondelete="SET NULL")),
    Column("comment", Text),  # the author's note to the reviewer
    Column("review_comment", Text),  # the reviewer's answer when sending it back
    Column("revision", Integer, nullable=False, server_default=text("1")),  # optimistic lock
    Column("created_at", Text, nullable=False),
    Column("updated_at", Text, nullable=False),
    Index("topic_drafts_topic", "topic_id", "status"),
)

topic_versions: Final = Table(
    "topic_versions",
    metadata,
    Column("id", RowId, primary_key=True),
    Column("topic_id", Text, nullable=False),
    Column("content", Text, nullable=False),  # the published file, as written
    Column("content_hash", Text, nullable=False),
    Column("draft_id", RowId, ForeignKey("topic_drafts.id", ondelete="SET NULL")),
    Column("author_id", RowId, ForeignKey("staff.id", ondelete="SET NULL")),
    Column("reviewer_id", RowId, ForeignKey("staff.id", ondelete="SET NULL")),
    Column("published_at", Text, nullable=False),
    Index("topic_versions_topic", "topic_id", "id"),
)

audit_log: Final = Table(
    "audit_log",
    metadata,
    Column("id", RowId, primary_key=True),
    Column("at", Text, nullable=False),
    Column("staff_id", RowId, ForeignKey("staff.id", ondelete="SET NULL")),
    Column("action", Text, nullable=False),  # e.g. topic.submit, staff.invite
    Column("subject", Text, nullable=False),  # e.g. plp.join, staff:3
    Column("detail", Text, nullable=False, server_default=""),
    Index("audit_log_at", "at"),
)

# Schema 5: what the bot's turns came to, counted per day, language, topic and outcome (for the
# workspace's dashboard). Counts only: no chat id, no text.
usage_daily: Final = Table(
    "usage_daily",
    metadata,
    Column("day", Text, nullable=False),  # YYYY-MM-DD in the bot's time zone
    Column("language", Text, nullable=False),
    Column("topic", Text, nullable=False),  # a topic id, an intent, or "" (none)
    Column("outcome", Text, nullable=False),  # bot/base/turns.py: answered, unanswered...
    Column("count", Integer, nullable=False),
    PrimaryKeyConstraint("day", "language", "topic", "outcome"),
)

# Schema 6: the workspace's inbox of unanswered questions. What staff did with a question
# (ignored, added as a phrasing, sent to a new topic), keyed by its comparable text so that
# the same question asked again stays handled. The text is the stored, masked one: no identity.
inbox_handled: Final = Table(
    "inbox_handled",
    metadata,
    Column("id", RowId, primary_key=True),
    Column("key", Text, nullable=False),  # the question as compared (nlu.comparable)
    Column("language", Text, nullable=False),
    Column("action", Text, nullable=False),  # ignored, phrasing or new_topic
    Column("detail", Text, nullable=False, server_default=""),  # the intent or topic id
    Column("staff_id", RowId, ForeignKey("staff.id", ondelete="SET NULL")),
    Column("created_at", Text, nullable=False),
    Index("inbox_handled_key", "key"),
)

# Several replicas of the bot behind one webhook share these (bot/storage/received_updates.py,
# bot/storage/shared_state.py). No foreign key to users: an update may come before its user.
received_updates: Final = Table(
    "received_updates",
    metadata,
    Column(
        "update_id", RowId, primary_key=True, autoincrement=False
    ),  # Telegram's: a second delivery is refused
    Column("chat_id", ChatId, nullable=False),  # the chat (else the user, else 0): one at a time
    Column("payload", Text, nullable=False),  # the update's JSON, for another replica to handle
    Column("received_at", UnixTime, nullable=False),
    Column("done_at", UnixTime),  # NULL while pending
    Index("received_updates_received", "received_at"),
)
Index(
    "received_updates_pending",
    received_updates.c.chat_id,
    received_updates.c.update_id,
    sqlite_where=received_updates.c.done_at.is_(None),
    postgresql_where=received_updates.c.done_at.is_(None),
)

chat_claims: Final = Table(
    "chat_claims",
    metadata,
    Column("chat_id", ChatId, primary_key=True, autoincrement=False),
    Column("owner", Text, nullable=False),  # host:pid:random of the replica's worker
    Column("expires_at", UnixTime, nullable=False),
)

flood_windows: Final = Table(
    "flood_windows",
    metadata,
    Column("user_id", ChatId, primary_key=True, autoincrement=False),
    Column("times", Text, nullable=False),  # the processed messages' Unix times, space-separated
    Column("warned", Flag, nullable=False, server_default=false()),
    Column("last_at", UnixTime, nullable=False),
    Index("flood_windows_last", "last_at"),
)

send_budget: Final = Table(
    "send_budget",
    metadata,
    Column("second", RowId, primary_key=True, autoincrement=False),  # a whole Unix second
    Column("used", Integer, nullable=False),  # messages sent (replies and broadcasts)
)

shared_notices: Final = Table(
    "shared_notices",
    metadata,
    Column("name", Text, primary_key=True),
    Column("digest", Text, nullable=False),  # what was last announced; a change is sent once
    Column("updated_at", UnixTime, nullable=False),
)

# The tables keyed by a chat, found from their foreign keys: a group that becomes a supergroup
# takes their rows along (bot/storage/users.py `move_chat`).
MOVED_WITH_CHAT: Final = tuple(
    table
    for table in metadata.sorted_tables
    if any(fk.column is users.c.chat_id for fk in table.foreign_keys)
)
