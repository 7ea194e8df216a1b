"""SQLite storage through aiosqlite: users, unanswered questions, votes; all SQL lives here."""

from __future__ import annotations

import json
import logging
import sqlite3
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Final

import aiosqlite

from bot.base.errors import StorageError
from bot.base.turns import UserRecord

logger = logging.getLogger(__name__)

# Each entry moves the schema one version up; never edit a released entry, append a new one.
MIGRATIONS: Final[tuple[str, ...]] = (
    # 1: users and their conversation state
    """
    CREATE TABLE users (
        chat_id INTEGER PRIMARY KEY,
        language TEXT,
        pending TEXT,
        active INTEGER NOT NULL DEFAULT 1,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
    );
    """,
    # 2: questions the bot could not answer, and answer votes (no user identity in either)
    """
    CREATE TABLE unanswered (
        id INTEGER PRIMARY KEY,
        text TEXT NOT NULL,
        language TEXT NOT NULL,
        guesses TEXT NOT NULL,
        created_at TEXT NOT NULL
    );
    CREATE INDEX unanswered_created ON unanswered(created_at);
    CREATE TABLE votes (
        id INTEGER PRIMARY KEY,
        topic_id TEXT NOT NULL,
        language TEXT NOT NULL,
        helpful INTEGER NOT NULL,
        created_at TEXT NOT NULL
    );
    """,
    # 3: campaign reminders (bot/subscription_store.py, bot/delivery_log.py): the places each
    # chat follows, the delivery log (one row per campaign occurrence and chat, never two), the
    # sender's lease and admins' announcement drafts. Rows of a forgotten user cascade away.
    """
    CREATE TABLE subscriptions (
        chat_id INTEGER NOT NULL REFERENCES users(chat_id) ON DELETE CASCADE,
        nis TEXT NOT NULL,
        language TEXT NOT NULL,
        created_at TEXT NOT NULL,
        PRIMARY KEY (chat_id, nis)
    ) WITHOUT ROWID;
    CREATE INDEX subscriptions_nis ON subscriptions(nis, chat_id);
    CREATE TABLE reminder_runs (
        occurrence TEXT PRIMARY KEY,
        campaign_id TEXT NOT NULL,
        messages TEXT NOT NULL,
        places TEXT,
        due_at TEXT NOT NULL,
        expires_at REAL NOT NULL,
        planned INTEGER NOT NULL DEFAULT 0,
        created_at TEXT NOT NULL
    );
    CREATE TABLE deliveries (
        id INTEGER PRIMARY KEY,
        occurrence TEXT NOT NULL REFERENCES reminder_runs(occurrence) ON DELETE CASCADE,
        chat_id INTEGER NOT NULL REFERENCES users(chat_id) ON DELETE CASCADE,
        language TEXT NOT NULL,
        status TEXT NOT NULL DEFAULT 'pending',
        attempts INTEGER NOT NULL DEFAULT 0,
        detail TEXT,
        updated_at TEXT,
        UNIQUE (occurrence, chat_id)
    );
    CREATE INDEX deliveries_pending ON deliveries(id) WHERE status = 'pending';
    CREATE INDEX deliveries_chat ON deliveries(chat_id);
    CREATE TABLE reminder_lease (
        name TEXT PRIMARY KEY,
        owner TEXT NOT NULL,
        expires_at REAL NOT NULL
    );
    CREATE TABLE announcement_drafts (
        chat_id INTEGER PRIMARY KEY REFERENCES users(chat_id) ON DELETE CASCADE,
        places TEXT NOT NULL,
        texts TEXT NOT NULL,
        created_at TEXT NOT NULL
    );
    """,
)
# The tables keyed by a chat: a group that becomes a supergroup takes its rows along. A test
# checks that every table referencing users(chat_id) is listed here.
MOVED_WITH_CHAT: Final = ("subscriptions", "deliveries", "announcement_drafts")


@dataclass(frozen=True, slots=True)
class Gap:
    """An unanswered question, counted over identical masked texts."""

    text: str
    language: str
    count: int
    guesses: tuple[str, ...]
    last_seen: datetime


class Storage:
    """Owns one aiosqlite connection; translates `sqlite3.Error` into `StorageError`."""

    def __init__(self, connection: aiosqlite.Connection) -> None:
        self._db = connection

    @classmethod
    async def open(cls, path: Path | str) -> Storage:
        """Open (creating if needed) the database at `path` and migrate it to the latest schema."""
        if str(path) != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        try:
            connection = await aiosqlite.connect(str(path))
            connection.row_factory = sqlite3.Row
            await connection.execute("PRAGMA journal_mode=WAL")
            await connection.execute("PRAGMA foreign_keys=ON")
            await connection.execute("PRAGMA busy_timeout=5000")
        except sqlite3.Error as exc:
            raise StorageError(f"cannot open the database {path}: {exc}") from exc
        storage = cls(connection)
        try:
            await storage.migrate()
        except StorageError:
            await connection.close()
            raise
        return storage

    @property
    def connection(self) -> aiosqlite.Connection:
        """The raw connection, for modules that own their own tables' SQL (reminders)."""
        return self._db

    async def close(self) -> None:
        """Close the connection."""
        await self._db.close()

    async def schema_version(self) -> int:
        """The schema version recorded in the database (SQLite's user_version)."""
        async with self._guard():
            cursor = await self._db.execute("PRAGMA user_version")
            row = await cursor.fetchone()
        return int(row[0]) if row else 0

    async def migrate(self, migrations: Sequence[str] = MIGRATIONS) -> None:
        """Apply every migration above the stored version, each in its own transaction."""
        current = await self.schema_version()
        if current > len(migrations):
            raise StorageError(f"database schema {current} is newer than this code knows")
        for version, script in enumerate(migrations[current:], start=current + 1):
            try:
                await self._db.executescript(
                    f"BEGIN;\n{script}\nPRAGMA user_version = {version};\nCOMMIT;"
                )
            except sqlite3.Error as exc:
                # Note: executescript leaves the failed transaction open; undo all of it.
                if self._db.in_transaction:
                    await self._db.rollback()
                raise StorageError(f"migration to schema {version} failed: {exc}") from exc
            logger.info("Database migrated to schema version %d", version)

    @asynccontextmanager
    async def _guard(self) -> AsyncIterator[None]:
        try:
            yield
        except sqlite3.Error as exc:
            raise StorageError(f"database error: {exc}") from exc

    # Users -----------------------------------------------------------------------------------

    async def get_user(self, chat_id: int) -> UserRecord | None:
        """The stored user, or None if this chat never talked to the bot (or was forgotten)."""
        async with self._guard():
            cursor = await self._db.execute(
                "SELECT chat_id, language, pending, active, created_at FROM users "
                "WHERE chat_id = ?",
                (chat_id,),
            )
            row = await cursor.fetchone()
        if row is None:
            return None
        return UserRecord(
            row["chat_id"],
            row["language"],
            row["pending"],
            bool(row["active"]),
            datetime.fromisoformat(row["created_at"]),
        )

    async def save_user(self, user: UserRecord, now: datetime) -> None:
        """Insert or update the user's language, pending step and active flag."""
        async with self._guard():
            await self._db.execute(
                "INSERT INTO users (chat_id, language, pending, active, created_at, updated_at) "
                "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT(chat_id) DO UPDATE SET "
                "language = excluded.language, pending = excluded.pending, "
                "active = excluded.active, updated_at = excluded.updated_at",
                (
                    user.chat_id,
                    user.language,
                    user.pending,
                    int(user.active),
                    now.isoformat(),
                    now.isoformat(),
                ),
            )
            await self._db.commit()

    async def set_active(self, chat_id: int, active: bool, now: datetime) -> None:
        """Mark a user (in)active: an inactive user, e.g. one who blocked the bot, gets nothing."""
        async with self._guard():
            await self._db.execute(
                "UPDATE users SET active = ?, updated_at = ? WHERE chat_id = ?",
                (int(active), now.isoformat(), chat_id),
            )
            await self._db.commit()

    async def delete_user(self, chat_id: int) -> None:
        """Forget everything stored about this chat (tables of later schemas cascade)."""
        async with self._guard():
            await self._db.execute("DELETE FROM users WHERE chat_id = ?", (chat_id,))
            await self._db.commit()

    async def move_chat(self, old: int, new: int, now: datetime) -> bool:
        """Carry a chat's settings, subscriptions and pending reminders over to its new id.

        Telegram gives a group a new id when it becomes a supergroup. Rows the new chat already
        has win (a UNIQUE conflict leaves the old row, which the old user's deletion removes).
        """
        if old == new:
            return False
        async with self._guard():
            if await self.get_user(old) is None:
                return False
            try:
                await self._db.execute(
                    "INSERT OR IGNORE INTO users "
                    "(chat_id, language, pending, active, created_at, updated_at) "
                    "SELECT ?, language, pending, 1, created_at, ? FROM users WHERE chat_id = ?",
                    (new, now.isoformat(), old),
                )
                for table in MOVED_WITH_CHAT:
                    await self._db.execute(
                        f"UPDATE OR IGNORE {table} SET chat_id = ? WHERE chat_id = ?", (new, old)
                    )
                await self._db.execute("DELETE FROM users WHERE chat_id = ?", (old,))
                await self._db.commit()
            except sqlite3.Error:
                await self._db.rollback()
                raise
        logger.info("Chat moved to its new id (group upgraded to a supergroup)")
        return True

    # Unanswered questions and votes ------------------------------------------------------------

    async def record_unanswered(
        self, text: str, language: str, guesses: Sequence[str], now: datetime
    ) -> None:
        """Store an already-masked question with the classifier's best guesses; no identity."""
        async with self._guard():
            await self._db.execute(
                "INSERT INTO unanswered (text, language, guesses, created_at) VALUES (?, ?, ?, ?)",
                (text, language, json.dumps(list(guesses)), now.isoformat()),
            )
            await self._db.commit()

    async def record_vote(
        self, topic_id: str, language: str, helpful: bool, now: datetime
    ) -> None:
        """Store a "was this helpful?" vote without the voter's identity."""
        async with self._guard():
            await self._db.execute(
                "INSERT INTO votes (topic_id, language, helpful, created_at) VALUES (?, ?, ?, ?)",
                (topic_id, language, int(helpful), now.isoformat()),
            )
            await self._db.commit()

    async def purge_unanswered(self, now: datetime, retention_days: int) -> int:
        """Delete questions and votes older than the retention period; return how many."""
        cutoff = (now - timedelta(days=retention_days)).isoformat()
        async with self._guard():
            cursor = await self._db.execute(
                "DELETE FROM unanswered WHERE created_at < ?", (cutoff,)
            )
            await self._db.execute("DELETE FROM votes WHERE created_at < ?", (cutoff,))
            await self._db.commit()
        return int(cursor.rowcount)

    async def top_unanswered(self, limit: int = 20) -> list[Gap]:
        """The most frequent unanswered questions (identical masked texts counted together)."""
        async with self._guard():
            cursor = await self._db.execute(
                "SELECT lower(text) AS key, min(text) AS text, language, count(*) AS n, "
                "max(created_at) AS last, max(guesses) AS guesses FROM unanswered "
                "GROUP BY key, language ORDER BY n DESC, last DESC LIMIT ?",
                (limit,),
            )
            rows = await cursor.fetchall()
        return [
            Gap(
                row["text"],
                row["language"],
                row["n"],
                tuple(json.loads(row["guesses"])),
                datetime.fromisoformat(row["last"]),
            )
            for row in rows
        ]

    async def unhelpful_topics(self, limit: int = 20) -> list[tuple[str, str, int, int]]:
        """Topics by "not helpful" votes: (topic, language, not helpful, helpful)."""
        async with self._guard():
            cursor = await self._db.execute(
                "SELECT topic_id, language, sum(helpful = 0) AS bad, sum(helpful = 1) AS good "
                "FROM votes GROUP BY topic_id, language HAVING bad > 0 "
                "ORDER BY bad DESC LIMIT ?",
                (limit,),
            )
            rows = await cursor.fetchall()
        return [(row[0], row[1], int(row[2]), int(row[3])) for row in rows]
