"""What replicas of the bot must share besides users: flood windows, the sending budget, notices.

Each is one small table whose rows are changed in one statement or one locked transaction, so
two replicas deciding at the same moment cannot both win.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Final, TypeVar

from sqlalchemy import Insert, bindparam, delete, select

from bot.storage import portable
from bot.storage.engine import SerialConnection
from bot.storage.schema import flood_windows as floods
from bot.storage.schema import send_budget as budget
from bot.storage.schema import shared_notices as notices

T = TypeVar("T")
# Decides from a user's stored window (message times, warned) what to answer and what to store.
FloodDecision = Callable[[list[float], bool], tuple[T, list[float], bool]]

_WINDOW: Final = (
    select(floods.c.times, floods.c.warned)
    .where(floods.c.user_id == bindparam("user_id"))
    .with_for_update()  # PostgreSQL: the row stays ours until the commit (SQLite: a no-op)
)
_FORGET_FLOODS: Final = delete(floods).where(floods.c.last_at <= bindparam("before"))
_FORGET_SECONDS: Final = delete(budget).where(budget.c.second < bindparam("before"))


class FloodWindows:
    """The flood_windows table: each user's recent message times, shared by the replicas."""

    def __init__(self, connection: SerialConnection) -> None:
        self._db = connection
        self._touch, self._save = _flood_statements(connection.dialect_name)

    async def decide(self, user_id: int, now: float, decision: FloodDecision[T]) -> T:
        """Apply `decision` to the user's stored window and store what it returns, atomically."""
        row = {"user_id": user_id, "times": "", "warned": False, "last_at": now}
        async with self._db.transaction() as db:
            # A write first: on SQLite it takes the database's write lock before the read, so a
            # replica deciding at the same time waits instead of failing on its own write.
            await db.execute(self._touch, row)
            stored = (await db.execute(_WINDOW, {"user_id": user_id})).one()
            times = [float(value) for value in stored.times.split()]
            verdict, times, warned = decision(times, bool(stored.warned))
            text = " ".join(repr(value) for value in times)
            await db.execute(self._save, {**row, "times": text, "warned": warned})
        return verdict

    async def forget_before(self, before: float) -> None:
        """Drop the windows of users idle since `before`."""
        async with self._db.transaction() as db:
            await db.execute(_FORGET_FLOODS, {"before": before})


class SendBudget:
    """The send_budget table: messages sent per whole second, by every replica together."""

    def __init__(self, connection: SerialConnection) -> None:
        self._db = connection
        self._take = _budget_statement(connection.dialect_name)

    async def take(self, second: int, limit: int) -> bool:
        """Count one message in `second` if fewer than `limit` were counted there."""
        async with self._db.transaction() as db:
            result = await db.execute(self._take, {"second": second, "used": 1, "limit": limit})
        return bool(result.rowcount)

    async def forget_before(self, second: int) -> None:
        """Drop the counts of the seconds before `second`."""
        async with self._db.transaction() as db:
            await db.execute(_FORGET_SECONDS, {"before": second})


class SharedNotices:
    """The shared_notices table: a notice (e.g. content problems to the admins) is sent once."""

    def __init__(self, connection: SerialConnection) -> None:
        self._db = connection
        self._change = _notice_statement(connection.dialect_name)

    async def change(self, name: str, digest: str, now: float) -> bool:
        """Store `digest` under `name`; True only for the one caller that changed it."""
        row = {"name": name, "digest": digest, "updated_at": now}
        async with self._db.transaction() as db:
            result = await db.execute(self._change, row)
        return bool(result.rowcount)


@functools.cache
def _flood_statements(dialect: str) -> tuple[Insert, Insert]:
    touch = portable.insert_or_ignore(dialect, floods)
    save = portable.upsert(dialect, floods, ["user_id"], ["times", "warned", "last_at"])
    return touch, save


@functools.cache
def _budget_statement(dialect: str) -> Insert:
    statement = portable.insert(dialect, budget)
    return statement.on_conflict_do_update(
        index_elements=["second"],
        set_={"used": budget.c.used + 1},
        where=budget.c.used < bindparam("limit"),
    )


@functools.cache
def _notice_statement(dialect: str) -> Insert:
    return portable.upsert(
        dialect,
        notices,
        ["name"],
        ["digest", "updated_at"],
        where=lambda new: notices.c.digest != new.digest,
    )
