"""SQL for the durable delivery log: planned runs, one row per (occurrence, chat), the lease."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Collection
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, datetime

import aiosqlite

from bot.storage import Storage
from bot.subscription_store import guarded

PENDING = "pending"
SENT = "sent"
FAILED = "failed"
FORBIDDEN = "forbidden"
INACTIVE = "inactive"
UNSUBSCRIBED = "unsubscribed"
EXPIRED = "expired"
LEASE = "delivery"


@dataclass(frozen=True, slots=True)
class Run:
    """One campaign occurrence (or announcement) to deliver: texts, places and deadline."""

    occurrence: str
    campaign_id: str
    messages: dict[str, str]
    places: frozenset[str] | None
    due_at: datetime
    expires_at: datetime


@dataclass(frozen=True, slots=True)
class Delivery:
    """A pending row, with whether its chat is still active and still follows the target."""

    id: int
    occurrence: str
    chat_id: int
    language: str
    active: bool
    subscribed: bool


@asynccontextmanager
async def pass_connection(storage: Storage) -> AsyncIterator[aiosqlite.Connection]:
    """A second connection to the same file, for a pass: its own thread, so the bot's replies
    never queue behind thousands of delivery writes, and commits without fsync.

    synchronous=NORMAL in WAL mode survives a crash of the process (what resuming relies on);
    a power cut may lose the last commits, which can only cause resends, never misses.
    An in-memory database has no file to share: the storage's connection is used then.
    """
    rows = await storage.connection.execute_fetchall("PRAGMA database_list")
    path = next((str(row[2]) for row in rows if row[1] == "main"), "")
    if not path:
        yield storage.connection
        return
    async with guarded():
        db = await aiosqlite.connect(path)
    try:
        async with guarded():
            for pragma in ("foreign_keys=ON", "busy_timeout=5000", "synchronous=NORMAL"):
                await db.execute(f"PRAGMA {pragma}")
        yield db
    finally:
        await db.close()


class DeliveryLog:
    """The delivery log on a connection (the storage's, or a pass's own)."""

    def __init__(self, storage: Storage | aiosqlite.Connection) -> None:
        self._db = storage.connection if isinstance(storage, Storage) else storage

    async def plan(self, run: Run, now: datetime, default_language: str) -> int:
        """Insert one pending row per following active chat; return how many are new."""
        # Note: order matters. The connection is shared, so another task's commit may land
        # between these statements; `planned` is set last and re-planning is idempotent
        # (INSERT OR IGNORE on UNIQUE (occurrence, chat_id)), so a crash anywhere is harmless.
        places = None if run.places is None else json.dumps(sorted(run.places))
        async with guarded():
            await self._db.execute(
                "INSERT OR IGNORE INTO reminder_runs (occurrence, campaign_id, messages, places, "
                "due_at, expires_at, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (
                    run.occurrence,
                    run.campaign_id,
                    json.dumps(run.messages, ensure_ascii=False),
                    places,
                    run.due_at.isoformat(),
                    run.expires_at.timestamp(),
                    now.isoformat(),
                ),
            )
            cursor = await self._db.execute(
                "INSERT OR IGNORE INTO deliveries (occurrence, chat_id, language, updated_at) "
                "SELECT ?, s.chat_id, coalesce(min(u.language), min(s.language), ?), ? "
                "FROM subscriptions s JOIN users u ON u.chat_id = s.chat_id "
                "WHERE u.active = 1 AND (? IS NULL OR s.nis IN (SELECT value FROM json_each(?))) "
                "GROUP BY s.chat_id ORDER BY s.chat_id",
                (run.occurrence, default_language, now.isoformat(), places, places),
            )
            added = int(cursor.rowcount)
            await self._db.execute(
                "UPDATE reminder_runs SET planned = 1 WHERE occurrence = ?", (run.occurrence,)
            )
            await self._db.commit()
        return added

    async def expire(self, now: datetime) -> int:
        """Give up the pending rows of runs past their deadline; return how many."""
        async with guarded():
            cursor = await self._db.execute(
                "UPDATE deliveries SET status = ?, updated_at = ? WHERE status = ? AND "
                "occurrence IN (SELECT occurrence FROM reminder_runs WHERE expires_at <= ?)",
                (EXPIRED, now.isoformat(), PENDING, now.timestamp()),
            )
            await self._db.commit()
        return int(cursor.rowcount)

    async def purge(self, before: datetime) -> int:
        """Delete runs (and their rows) that expired before `before`; return how many runs."""
        async with guarded():
            cursor = await self._db.execute(
                "DELETE FROM reminder_runs WHERE expires_at < ?", (before.timestamp(),)
            )
            await self._db.commit()
        return int(cursor.rowcount)

    async def open_runs(self) -> dict[str, Run]:
        """The runs that still have pending rows, by occurrence."""
        async with guarded():
            cursor = await self._db.execute(
                "SELECT occurrence, campaign_id, messages, places, due_at, expires_at "
                "FROM reminder_runs r WHERE EXISTS (SELECT 1 FROM deliveries d "
                "WHERE d.occurrence = r.occurrence AND d.status = ?)",
                (PENDING,),
            )
            rows = await cursor.fetchall()
        return {
            row[0]: Run(
                row[0],
                row[1],
                dict(json.loads(row[2])),
                None if row[3] is None else frozenset(json.loads(row[3])),
                datetime.fromisoformat(row[4]),
                datetime.fromtimestamp(row[5], UTC),
            )
            for row in rows
        }

    async def pending(self, after_id: int, limit: int) -> list[Delivery]:
        """The next pending rows in id order, checked against the users and subscriptions now."""
        async with guarded():
            cursor = await self._db.execute(
                "SELECT d.id, d.occurrence, d.chat_id, d.language, u.active, EXISTS ("
                " SELECT 1 FROM subscriptions s WHERE s.chat_id = d.chat_id AND (r.places IS NULL"
                " OR s.nis IN (SELECT value FROM json_each(r.places)))) "
                "FROM deliveries d JOIN reminder_runs r ON r.occurrence = d.occurrence "
                "JOIN users u ON u.chat_id = d.chat_id "
                "WHERE d.status = ? AND d.id > ? ORDER BY d.id LIMIT ?",
                (PENDING, after_id, limit),
            )
            rows = await cursor.fetchall()
        return [
            Delivery(row[0], row[1], row[2], row[3], bool(row[4]), bool(row[5])) for row in rows
        ]

    async def mark(
        self, delivery_id: int, status: str, now: datetime, attempts: int = 1, detail: str = ""
    ) -> None:
        """Record how one row ended, committed at once (this is what makes resuming exact)."""
        async with guarded():
            await self._db.execute(
                "UPDATE deliveries SET status = ?, attempts = attempts + ?, detail = ?, "
                "updated_at = ? WHERE id = ?",
                (status, attempts, detail or None, now.isoformat(), delivery_id),
            )
            await self._db.commit()

    async def chat_of(self, delivery_id: int) -> int | None:
        """The chat a row is for now (None if the row is gone, e.g. its chat was forgotten)."""
        async with guarded():
            cursor = await self._db.execute(
                "SELECT chat_id FROM deliveries WHERE id = ?", (delivery_id,)
            )
            row = await cursor.fetchone()
        return None if row is None else int(row[0])

    async def mark_many(self, ids: Collection[int], status: str, now: datetime) -> None:
        """Record the same end for rows that were never sent (inactive, unsubscribed)."""
        async with guarded():
            await self._db.executemany(
                "UPDATE deliveries SET status = ?, updated_at = ? WHERE id = ?",
                [(status, now.isoformat(), delivery_id) for delivery_id in ids],
            )
            await self._db.commit()

    async def counts(self, occurrences: Collection[str] | None = None) -> dict[str, int]:
        """Rows per status, for the given occurrences or all."""
        query = "SELECT status, count(*) FROM deliveries"
        params: tuple[str, ...] = ()
        if occurrences is not None:
            query += " WHERE occurrence IN (SELECT value FROM json_each(?))"
            params = (json.dumps(sorted(occurrences)),)
        async with guarded():
            cursor = await self._db.execute(query + " GROUP BY status", params)
            rows = await cursor.fetchall()
        return {row[0]: int(row[1]) for row in rows}

    async def take_lease(self, owner: str, now: float, seconds: float, force: bool = False) -> str:
        """Take or renew the sender's lease; return the owner holding it afterwards."""
        async with guarded():
            await self._db.execute(
                "INSERT INTO reminder_lease (name, owner, expires_at) VALUES (?, ?, ?) "
                "ON CONFLICT(name) DO UPDATE SET owner = excluded.owner, "
                "expires_at = excluded.expires_at WHERE reminder_lease.owner = excluded.owner "
                "OR reminder_lease.expires_at <= ? OR ?",
                (LEASE, owner, now + seconds, now, int(force)),
            )
            await self._db.commit()
            cursor = await self._db.execute(
                "SELECT owner FROM reminder_lease WHERE name = ?", (LEASE,)
            )
            row = await cursor.fetchone()
        return str(row[0]) if row else ""

    async def release_lease(self, owner: str) -> None:
        """Give the lease back (only if still ours)."""
        async with guarded():
            await self._db.execute(
                "DELETE FROM reminder_lease WHERE name = ? AND owner = ?", (LEASE, owner)
            )
            await self._db.commit()
