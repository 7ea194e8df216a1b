"""The reminder sender's lease: one pass at a time, across processes, until it expires."""

from __future__ import annotations

import functools
from typing import Final

from sqlalchemy import Insert, bindparam, delete, or_, select

from bot.storage import portable
from bot.storage.engine import SerialConnection
from bot.storage.schema import reminder_lease as lease

NAME: Final = "delivery"
_HOLDER: Final = select(lease.c.owner).where(lease.c.name == NAME)
_RELEASE: Final = delete(lease).where(lease.c.name == NAME, lease.c.owner == bindparam("owner"))


class Lease:
    """The reminder_lease table: who may send reminders now."""

    def __init__(self, connection: SerialConnection) -> None:
        self._db = connection
        self._take, self._force = _upserts(connection.dialect_name)

    async def take(self, owner: str, now: float, seconds: float, force: bool = False) -> str:
        """Take or renew the lease; return the owner holding it afterwards.

        It is taken if free, expired or ours already; `force` takes it from a dead process.
        """
        row = {"name": NAME, "owner": owner, "expires_at": now + seconds, "now": now}
        async with self._db.transaction() as db:
            await db.execute(self._force if force else self._take, row)
            holder = (await db.execute(_HOLDER)).scalar_one_or_none()
        return holder or ""

    async def release(self, owner: str) -> None:
        """Give the lease back (only if still ours)."""
        async with self._db.transaction() as db:
            await db.execute(_RELEASE, {"owner": owner})


@functools.cache
def _upserts(dialect: str) -> tuple[Insert, Insert]:
    take = portable.upsert(
        dialect,
        lease,
        ["name"],
        ["owner", "expires_at"],
        where=lambda new: or_(lease.c.owner == new.owner, lease.c.expires_at <= bindparam("now")),
    )
    return take, portable.upsert(dialect, lease, ["name"], ["owner", "expires_at"])
