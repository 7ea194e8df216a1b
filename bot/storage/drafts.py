"""Announcement drafts: the places and texts an admin is putting together, one per admin."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Final

from sqlalchemy import bindparam, delete, select

from bot.storage import portable
from bot.storage.engine import SerialConnection
from bot.storage.schema import announcement_drafts as drafts


@dataclass(frozen=True, slots=True)
class Draft:
    """An announcement an admin is writing: target NIS codes and texts per language."""

    places: tuple[str, ...]
    texts: dict[str, str]


_GET: Final = select(drafts.c.places, drafts.c.texts).where(
    drafts.c.chat_id == bindparam("chat_id")
)
_DELETE: Final = delete(drafts).where(drafts.c.chat_id == bindparam("chat_id"))


class DraftStore:
    """The announcement_drafts table (a forgotten admin's draft cascades away)."""

    def __init__(self, connection: SerialConnection) -> None:
        self._db = connection
        self._save = portable.upsert(
            connection.dialect_name, drafts, ["chat_id"], ["places", "texts", "created_at"]
        )

    async def save(self, chat_id: int, draft: Draft, now: datetime) -> None:
        """Store (or replace) an admin's announcement draft."""
        row = {
            "chat_id": chat_id,
            "places": json.dumps(draft.places),
            "texts": json.dumps(draft.texts),
            "created_at": now.isoformat(),
        }
        async with self._db.transaction() as db:
            await db.execute(self._save, row)

    async def get(self, chat_id: int) -> Draft | None:
        """The admin's current draft, if any."""
        async with self._db.transaction() as db:
            row = (await db.execute(_GET, {"chat_id": chat_id})).first()
        if row is None:
            return None
        return Draft(tuple(json.loads(row.places)), dict(json.loads(row.texts)))

    async def delete(self, chat_id: int) -> None:
        """Drop the admin's draft (sent or cancelled)."""
        async with self._db.transaction() as db:
            await db.execute(_DELETE, {"chat_id": chat_id})
