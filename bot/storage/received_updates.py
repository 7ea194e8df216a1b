"""The updates the replicas received, and the per-chat claims that handle them one at a time.

Every replica records an update here before it answers Telegram (the update_id is the key, so a
second delivery is refused), then the replica that holds the chat's claim handles that chat's
pending updates in update_id order. A claim expires, so a replica that died mid-update holds
its chats only until then.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Final

from sqlalchemy import Insert, bindparam, delete, func, or_, select, update

from bot.storage import portable
from bot.storage.engine import SerialConnection
from bot.storage.schema import chat_claims as claims
from bot.storage.schema import received_updates as received


@dataclass(frozen=True, slots=True)
class PendingUpdate:
    """An update recorded but not yet handled: its id and its JSON."""

    update_id: int
    payload: str


_pending = received.c.done_at.is_(None)
_DONE: Final = select(received.c.done_at.is_not(None)).where(
    received.c.update_id == bindparam("update_id")
)
_NEXT: Final = (
    select(received.c.update_id, received.c.payload)
    .where(received.c.chat_id == bindparam("chat_id"), _pending)
    .order_by(received.c.update_id)
    .limit(1)
)
_MARK_DONE: Final = (
    update(received)
    .where(received.c.update_id == bindparam("id"), _pending)
    .values(done_at=bindparam("now"))
)
_STALE_CHATS: Final = (
    select(received.c.chat_id)
    .where(_pending, received.c.received_at <= bindparam("before"))
    .group_by(received.c.chat_id)
    .order_by(func.min(received.c.update_id))
    .limit(bindparam("limit"))
)
_PURGE: Final = delete(received).where(
    received.c.done_at.is_not(None), received.c.received_at <= bindparam("before")
)
_HOLDER: Final = select(claims.c.owner).where(claims.c.chat_id == bindparam("chat_id"))
_RENEW: Final = (
    update(claims)
    .where(claims.c.chat_id == bindparam("chat"), claims.c.owner == bindparam("holder"))
    .values(expires_at=bindparam("until"))
)
_RELEASE: Final = delete(claims).where(
    claims.c.chat_id == bindparam("chat_id"), claims.c.owner == bindparam("owner")
)
_EXPIRED_CLAIMS: Final = delete(claims).where(claims.c.expires_at <= bindparam("now"))


class ReceivedUpdates:
    """The received_updates and chat_claims tables."""

    def __init__(self, connection: SerialConnection) -> None:
        self._db = connection
        self._record, self._take = _statements(connection.dialect_name)

    async def record(self, update_id: int, chat_id: int, payload: str, now: float) -> bool:
        """Record a received update; False if it was recorded before (a second delivery)."""
        row = {
            "update_id": update_id,
            "chat_id": chat_id,
            "payload": payload,
            "received_at": now,
        }
        async with self._db.transaction() as db:
            result = await db.execute(self._record, row)
        return bool(result.rowcount)

    async def is_done(self, update_id: int) -> bool:
        """Whether the update was handled (an unknown update counts as not done)."""
        async with self._db.transaction() as db:
            done = (await db.execute(_DONE, {"update_id": update_id})).scalar_one_or_none()
        return bool(done)

    async def next_pending(self, chat_id: int) -> PendingUpdate | None:
        """The chat's oldest update not handled yet."""
        async with self._db.transaction() as db:
            row = (await db.execute(_NEXT, {"chat_id": chat_id})).first()
        return None if row is None else PendingUpdate(row.update_id, row.payload)

    async def mark_done(self, update_id: int, now: float) -> None:
        """Record that the update was handled."""
        async with self._db.transaction() as db:
            await db.execute(_MARK_DONE, {"id": update_id, "now": now})

    async def stale_chats(self, before: float, limit: int = 100) -> list[int]:
        """Chats with an update received at `before` or earlier and still not handled."""
        async with self._db.transaction() as db:
            result = await db.execute(_STALE_CHATS, {"before": before, "limit": limit})
            return [int(chat_id) for chat_id in result.scalars()]

    async def purge(self, before: float, now: float) -> int:
        """Forget handled updates received before `before`, and claims expired at `now`."""
        async with self._db.transaction() as db:
            result = await db.execute(_PURGE, {"before": before})
            await db.execute(_EXPIRED_CLAIMS, {"now": now})
        return int(result.rowcount or 0)

    async def claim(self, chat_id: int, owner: str, now: float, seconds: float) -> bool:
        """Take the chat's claim (free, expired or ours already) until now + seconds."""
        row = {"chat_id": chat_id, "owner": owner, "expires_at": now + seconds, "now": now}
        async with self._db.transaction() as db:
            await db.execute(self._take, row)
            holder = (await db.execute(_HOLDER, {"chat_id": chat_id})).scalar_one_or_none()
        return holder == owner

    async def renew(self, chat_id: int, owner: str, until: float) -> bool:
        """Extend our claim; False if it is not ours any more."""
        async with self._db.transaction() as db:
            result = await db.execute(_RENEW, {"chat": chat_id, "holder": owner, "until": until})
        return bool(result.rowcount)

    async def release(self, chat_id: int, owner: str) -> None:
        """Give the chat's claim back (only if still ours)."""
        async with self._db.transaction() as db:
            await db.execute(_RELEASE, {"chat_id": chat_id, "owner": owner})


@functools.cache
def _statements(dialect: str) -> tuple[Insert, Insert]:
    record = portable.insert_or_ignore(dialect, received)
    take = portable.upsert(
        dialect,
        claims,
        ["chat_id"],
        ["owner", "expires_at"],
        where=lambda new: or_(
            claims.c.owner == new.owner, claims.c.expires_at <= bindparam("now")
        ),
    )
    return record, take
