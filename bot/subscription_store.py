"""SQL for reminder subscriptions and admin announcement drafts (tables of migration 3)."""

from __future__ import annotations

import enum
import json
import sqlite3
from collections.abc import AsyncIterator, Collection
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import datetime

import aiosqlite

from bot.base.errors import StorageError
from bot.storage import Storage


@asynccontextmanager
async def guarded() -> AsyncIterator[None]:
    """Turn `sqlite3.Error` into `StorageError` (as `Storage` does for its own tables)."""
    try:
        yield
    except sqlite3.Error as exc:
        raise StorageError(f"database error: {exc}") from exc


class Added(enum.Enum):
    """What subscribing to a place did."""

    ADDED = "added"
    ALREADY = "already"
    FULL = "full"


@dataclass(frozen=True, slots=True)
class Subscription:
    """One place (municipality NIS code) a chat follows."""

    chat_id: int
    nis: str
    language: str
    created_at: datetime


@dataclass(frozen=True, slots=True)
class Draft:
    """An announcement an admin is writing: target NIS codes and texts per language."""

    places: tuple[str, ...]
    texts: dict[str, str]


class SubscriptionStore:
    """Subscriptions and drafts on the shared connection; users' rows cascade on /forget."""

    def __init__(self, storage: Storage) -> None:
        self._storage = storage

    @property
    def _db(self) -> aiosqlite.Connection:
        return self._storage.connection

    async def add(self, chat_id: int, nis: str, language: str, now: datetime, limit: int) -> Added:
        """Follow a place, unless already followed or the chat follows `limit` places."""
        async with guarded():
            cursor = await self._db.execute(
                "INSERT OR IGNORE INTO subscriptions (chat_id, nis, language, created_at) "
                "SELECT ?, ?, ?, ? "
                "WHERE (SELECT count(*) FROM subscriptions WHERE chat_id = ?) < ?",
                (chat_id, nis, language, now.isoformat(), chat_id, limit),
            )
            await self._db.commit()
        if cursor.rowcount == 1:
            return Added.ADDED
        followed = {subscription.nis for subscription in await self.places_of(chat_id)}
        return Added.ALREADY if nis in followed else Added.FULL

    async def remove(self, chat_id: int, nis: str | None = None) -> int:
        """Stop following one place (or every place when `nis` is None); return how many."""
        query = "DELETE FROM subscriptions WHERE chat_id = ?"
        params: tuple[object, ...] = (chat_id,)
        if nis is not None:
            query, params = query + " AND nis = ?", (chat_id, nis)
        async with guarded():
            cursor = await self._db.execute(query, params)
            await self._db.commit()
        return int(cursor.rowcount)

    async def places_of(self, chat_id: int) -> list[Subscription]:
        """The places a chat follows, oldest first."""
        async with guarded():
            cursor = await self._db.execute(
                "SELECT chat_id, nis, language, created_at FROM subscriptions "
                "WHERE chat_id = ? ORDER BY created_at, nis",
                (chat_id,),
            )
            rows = await cursor.fetchall()
        return [
            Subscription(row[0], row[1], row[2], datetime.fromisoformat(row[3])) for row in rows
        ]

    async def reach(self, places: Collection[str] | None) -> int:
        """How many active chats follow at least one of `places` (None: anywhere)."""
        query = (
            "SELECT count(DISTINCT s.chat_id) FROM subscriptions s "
            "JOIN users u ON u.chat_id = s.chat_id WHERE u.active = 1"
        )
        params: tuple[str, ...] = ()
        if places is not None:
            query += " AND s.nis IN (SELECT value FROM json_each(?))"
            params = (json.dumps(sorted(places)),)
        async with guarded():
            cursor = await self._db.execute(query, params)
            row = await cursor.fetchone()
        return int(row[0]) if row else 0

    async def save_draft(self, chat_id: int, draft: Draft, now: datetime) -> None:
        """Store (or replace) an admin's announcement draft."""
        async with guarded():
            await self._db.execute(
                "INSERT OR REPLACE INTO announcement_drafts (chat_id, places, texts, created_at) "
                "VALUES (?, ?, ?, ?)",
                (chat_id, json.dumps(draft.places), json.dumps(draft.texts), now.isoformat()),
            )
            await self._db.commit()

    async def draft(self, chat_id: int) -> Draft | None:
        """The admin's current draft, if any."""
        async with guarded():
            cursor = await self._db.execute(
                "SELECT places, texts FROM announcement_drafts WHERE chat_id = ?", (chat_id,)
            )
            row = await cursor.fetchone()
        if row is None:
            return None
        return Draft(tuple(json.loads(row[0])), dict(json.loads(row[1])))

    async def delete_draft(self, chat_id: int) -> None:
        """Drop the admin's draft (sent or cancelled)."""
        async with guarded():
            await self._db.execute("DELETE FROM announcement_drafts WHERE chat_id = ?", (chat_id,))
            await self._db.commit()
