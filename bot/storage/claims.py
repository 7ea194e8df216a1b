"""Workers' claims on pending delivery rows: many workers share one pass, none waits.

A worker claims a batch of pending rows in one statement (`claimed_by` = the worker,
`claimed_until` = now + the claim's lifetime). On PostgreSQL the candidates are locked
`FOR UPDATE SKIP LOCKED`, so concurrent workers take disjoint batches without waiting for one
another; SQLite runs the same statement under its single write lock, which makes it just as
exclusive (SQLAlchemy leaves FOR UPDATE out there). A worker renews its claims while it
sends; a claim past `claimed_until` belongs to a worker taken for dead: the next claim may
take the row, and `reap` frees all such rows at once (a pass does it first, and logs it).
Sending a row and marking it ends its claim (bot/storage/deliveries.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from sqlalchemy import bindparam, exists, null, or_, select, update

from bot.storage import portable
from bot.storage.engine import SerialConnection
from bot.storage.schema import deliveries as d
from bot.storage.schema import reminder_runs as r
from bot.storage.schema import subscriptions as s
from bot.storage.schema import users

PENDING: Final = "pending"


@dataclass(frozen=True, slots=True)
class Delivery:
    """A pending row, with whether its chat is still active and still follows the target."""

    id: int
    occurrence: str
    chat_id: int
    language: str
    active: bool
    subscribed: bool


# Still following: the run's places are a JSON list in the row (NULL: everywhere).
_places = portable.json_array_values(r.c.places).table_valued("value")
_follows = exists().where(
    s.c.chat_id == d.c.chat_id,
    or_(r.c.places.is_(None), s.c.nis.in_(select(_places.c.value))),
)
DETAILS: Final = (
    select(d.c.id, d.c.occurrence, d.c.chat_id, d.c.language, users.c.active, _follows)
    .join_from(d, r, r.c.occurrence == d.c.occurrence)
    .join(users, users.c.chat_id == d.c.chat_id)
    .where(d.c.status == PENDING)
    .order_by(d.c.id)
)
_free = or_(d.c.claimed_by.is_(None), d.c.claimed_until < bindparam("now"))
_CANDIDATES: Final = (
    select(d.c.id)
    .where(d.c.status == PENDING, _free)
    .order_by(d.c.id)
    .limit(bindparam("limit"))
    .with_for_update(skip_locked=True)
)
_CLAIM: Final = (
    update(d)
    .where(d.c.id.in_(_CANDIDATES))
    .values(claimed_by=bindparam("owner"), claimed_until=bindparam("until"))
    .returning(d.c.id)
)
_CLAIMED: Final = DETAILS.where(d.c.id.in_(bindparam("ids", expanding=True)))
_mine = (d.c.claimed_by == bindparam("owner"), d.c.status == PENDING)
_RENEW: Final = update(d).where(*_mine).values(claimed_until=bindparam("until")).returning(d.c.id)
_RELEASE: Final = update(d).where(*_mine).values(claimed_by=null(), claimed_until=null())
_REAP: Final = (
    update(d)
    .where(d.c.claimed_by.isnot(None), d.c.claimed_until < bindparam("now"))
    .values(claimed_by=null(), claimed_until=null())
)


class Claims:
    """Claim, renew, release and reap pending rows (times are Unix seconds)."""

    def __init__(self, connection: SerialConnection) -> None:
        self._db = connection

    async def claim(self, owner: str, now: float, until: float, limit: int) -> list[Delivery]:
        """Claim up to `limit` free pending rows (unclaimed, or their claim expired) in id
        order; return them, checked against the users and subscriptions now."""
        async with self._db.transaction() as db:
            params = {"owner": owner, "now": now, "until": until, "limit": limit}
            ids = list((await db.execute(_CLAIM, params)).scalars())
            if not ids:
                return []
            rows = (await db.execute(_CLAIMED, {"ids": ids})).all()
        return [
            Delivery(row[0], row[1], row[2], row[3], bool(row[4]), bool(row[5])) for row in rows
        ]

    async def renew(self, owner: str, until: float) -> set[int]:
        """Extend the owner's claims on its pending rows; return the rows still its own."""
        async with self._db.transaction() as db:
            result = await db.execute(_RENEW, {"owner": owner, "until": until})
            return set(result.scalars())

    async def release(self, owner: str) -> int:
        """Give the owner's pending rows back at once (a pass that ends or stops)."""
        async with self._db.transaction() as db:
            result = await db.execute(_RELEASE, {"owner": owner})
        return int(result.rowcount)

    async def reap(self, now: float) -> int:
        """Free the rows whose claim expired (their worker crashed); return how many."""
        async with self._db.transaction() as db:
            result = await db.execute(_REAP, {"now": now})
        return int(result.rowcount)
