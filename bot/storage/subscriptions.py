"""Subscriptions: the places (municipality NIS codes) each chat follows for reminders."""

from __future__ import annotations

import enum
from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Final

from sqlalchemy import Select, bindparam, delete, func, select, true

from bot.storage import portable
from bot.storage.engine import SerialConnection
from bot.storage.schema import ChatId, subscriptions, users


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


_chat = subscriptions.c.chat_id == bindparam("chat_id")
_FOLLOWS: Final = select(subscriptions.c.nis).where(_chat, subscriptions.c.nis == bindparam("nis"))
_PLACES: Final = (
    select(subscriptions).where(_chat).order_by(subscriptions.c.created_at, subscriptions.c.nis)
)
_REMOVE_ALL: Final = delete(subscriptions).where(_chat)
_REMOVE_ONE: Final = delete(subscriptions).where(_chat, subscriptions.c.nis == bindparam("nis"))
_reach = (
    select(func.count(subscriptions.c.chat_id.distinct()))
    .join(users, users.c.chat_id == subscriptions.c.chat_id)
    .where(users.c.active == true())
)
# The new row, only while the chat follows fewer than `limit` places (one statement).
_BELOW_LIMIT: Final[Select[Any]] = select(
    bindparam("chat_id", type_=ChatId),
    bindparam("nis"),
    bindparam("language"),
    bindparam("now"),
).where(select(func.count()).where(_chat).scalar_subquery() < bindparam("limit"))
_REACH_ALL: Final = _reach
_REACH_SOME: Final = _reach.where(subscriptions.c.nis.in_(bindparam("places", expanding=True)))


class SubscriptionStore:
    """The subscriptions table; a forgotten user's rows cascade away."""

    def __init__(self, connection: SerialConnection) -> None:
        self._db = connection
        self._add = portable.insert_or_ignore(connection.dialect_name, subscriptions).from_select(
            ["chat_id", "nis", "language", "created_at"], _BELOW_LIMIT
        )

    async def add(self, chat_id: int, nis: str, language: str, now: datetime, limit: int) -> Added:
        """Follow a place, unless already followed or the chat follows `limit` places."""
        values = {
            "chat_id": chat_id,
            "nis": nis,
            "language": language,
            "now": now.isoformat(),
            "limit": limit,
        }
        async with self._db.transaction() as db:
            if (await db.execute(self._add, values)).rowcount == 1:
                return Added.ADDED
            followed = (await db.execute(_FOLLOWS, values)).first() is not None
        return Added.ALREADY if followed else Added.FULL

    async def remove(self, chat_id: int, nis: str | None = None) -> int:
        """Stop following one place (or every place when `nis` is None); return how many."""
        statement = _REMOVE_ALL if nis is None else _REMOVE_ONE
        async with self._db.transaction() as db:
            removed = (await db.execute(statement, {"chat_id": chat_id, "nis": nis})).rowcount
        return int(removed)

    async def places_of(self, chat_id: int) -> list[Subscription]:
        """The places a chat follows, oldest first."""
        async with self._db.transaction() as db:
            rows = (await db.execute(_PLACES, {"chat_id": chat_id})).all()
        return [
            Subscription(
                row.chat_id, row.nis, row.language, datetime.fromisoformat(row.created_at)
            )
            for row in rows
        ]

    async def reach(self, places: Collection[str] | None) -> int:
        """How many active chats follow at least one of `places` (None: anywhere)."""
        async with self._db.transaction() as db:
            if places is None:
                count = (await db.execute(_REACH_ALL)).scalar_one()
            else:
                count = (await db.execute(_REACH_SOME, {"places": sorted(places)})).scalar_one()
        return int(count)
