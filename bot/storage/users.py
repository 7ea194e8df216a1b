"""Users: a chat's language, pending step and active flag; forgetting and moving a chat."""

from __future__ import annotations

import functools
import logging
from collections import OrderedDict
from dataclasses import replace
from datetime import datetime
from typing import Final

from sqlalchemy import (
    ColumnElement,
    Delete,
    Insert,
    Select,
    Table,
    UniqueConstraint,
    Update,
    and_,
    bindparam,
    delete,
    exists,
    false,
    or_,
    select,
    true,
    update,
)

from bot.base.turns import UserRecord
from bot.storage import portable
from bot.storage.engine import SerialConnection
from bot.storage.schema import MOVED_WITH_CHAT, ChatId, users

logger = logging.getLogger(__name__)


DEFAULT_CACHE: Final = 10_000  # users kept in memory (about 200 bytes each)
_GET: Final[Select[tuple[int, str | None, str | None, bool, str]]] = select(
    users.c.chat_id, users.c.language, users.c.pending, users.c.active, users.c.created_at
).where(users.c.chat_id == bindparam("chat_id"))
# Note: an UPDATE takes parameters named like a column as new values: name them otherwise.
_SET_ACTIVE: Final[Update] = (
    update(users)
    .where(users.c.chat_id == bindparam("chat"))
    .values(active=bindparam("is_active"), updated_at=bindparam("now"))
)
_DELETE: Final[Delete] = delete(users).where(users.c.chat_id == bindparam("chat_id"))


class UserStore:
    """The users table; a user's other rows cascade away with it (see schema.py)."""

    def __init__(self, connection: SerialConnection, cache_size: int | None = None) -> None:
        self._db = connection
        self._save, self._copy = _upserts(connection.dialect_name)
        # Every message starts by reading its user: the latest users are kept here, written
        # through by every method below. This assumes one process writes the users it serves:
        # true for one bot on SQLite (the default there: DEFAULT_CACHE), false for replicas
        # sharing PostgreSQL, where another instance may change a user at any time (the
        # default there: 0, no cache).
        self._cache: OrderedDict[int, UserRecord | None] = OrderedDict()
        if cache_size is None:
            cache_size = DEFAULT_CACHE if connection.dialect_name == "sqlite" else 0
        self._cache_size = cache_size

    def stop_caching(self) -> None:
        """Read every user from the database: other processes write them too (replicas)."""
        self._cache_size = 0
        self._cache.clear()

    async def get(self, chat_id: int) -> UserRecord | None:
        """The stored user, or None if this chat never talked to the bot (or was forgotten)."""
        if chat_id in self._cache:
            self._cache.move_to_end(chat_id)
            return self._cache[chat_id]
        async with self._db.transaction() as db:
            row = (await db.execute(_GET, {"chat_id": chat_id})).first()
        user = None
        if row is not None:
            user = UserRecord(
                row.chat_id,
                row.language,
                row.pending,
                bool(row.active),
                datetime.fromisoformat(row.created_at),
            )
        self._remember(chat_id, user)
        return user

    def _remember(self, chat_id: int, user: UserRecord | None) -> None:
        if self._cache_size <= 0:
            return
        self._cache[chat_id] = user
        self._cache.move_to_end(chat_id)
        while len(self._cache) > self._cache_size:
            self._cache.popitem(last=False)

    def _forget(self, *chat_ids: int) -> None:
        for chat_id in chat_ids:
            self._cache.pop(chat_id, None)

    async def save(self, user: UserRecord, now: datetime) -> None:
        """Insert or update the user's language, pending step and active flag."""
        stamp = now.isoformat()
        values = {
            "chat_id": user.chat_id,
            "language": user.language,
            "pending": user.pending,
            "active": user.active,
            "created_at": stamp,
            "updated_at": stamp,
        }
        self._cache.pop(user.chat_id, None)  # a failed write leaves nothing cached
        async with self._db.transaction() as db:
            created = (await db.execute(self._save, values)).scalar_one()
        self._remember(user.chat_id, replace(user, created_at=datetime.fromisoformat(created)))

    async def set_active(self, chat_id: int, active: bool, now: datetime) -> None:
        """Mark a user (in)active: an inactive user, e.g. one who blocked the bot, gets nothing."""
        self._forget(chat_id)
        async with self._db.transaction() as db:
            await db.execute(
                _SET_ACTIVE, {"chat": chat_id, "is_active": active, "now": now.isoformat()}
            )

    async def delete(self, chat_id: int) -> None:
        """Forget everything stored about this chat (its rows in other tables cascade)."""
        self._forget(chat_id)
        async with self._db.transaction() as db:
            await db.execute(_DELETE, {"chat_id": chat_id})

    async def move_chat(self, old: int, new: int, now: datetime) -> bool:
        """Carry a chat's settings, subscriptions and pending reminders over to its new id.

        Telegram gives a group a new id when it becomes a supergroup. Rows the new chat already
        has win (the old row is left behind, and the old user's deletion removes it).
        """
        if old == new:
            return False
        ids = {"old": old, "new": new}
        self._forget(old, new)
        async with self._db.transaction() as db:
            if (await db.execute(_GET, {"chat_id": old})).first() is None:
                return False
            await db.execute(self._copy, {**ids, "now": now.isoformat()})
            for statement in _MOVES:
                await db.execute(statement, ids)
            await db.execute(_DELETE, {"chat_id": old})
        logger.info("Chat moved to its new id (group upgraded to a supergroup)")
        return True


def _move_rows(table: Table) -> Update:
    """UPDATE table SET chat_id = :new WHERE chat_id = :old, skipping rows that would collide
    with one the new chat already has on a unique key (portable UPDATE OR IGNORE)."""
    other = table.alias("taken")
    unique_keys = [
        {column.name for column in table.primary_key.columns},
        *(
            {column.name for column in item.columns}
            for item in table.constraints
            if isinstance(item, UniqueConstraint)
        ),
        *({column.name for column in index.columns} for index in table.indexes if index.unique),
    ]
    clashes: list[ColumnElement[bool]] = []
    for names in unique_keys:
        if "chat_id" in names:
            same = [other.c[name] == table.c[name] for name in sorted(names - {"chat_id"})]
            clashes.append(exists().where(other.c.chat_id == bindparam("new"), *same))
    collides = or_(*clashes) if clashes else false()
    return (
        update(table)
        .where(and_(table.c.chat_id == bindparam("old"), ~collides))
        .values(chat_id=bindparam("new", type_=ChatId))
    )


# Every table keyed by a chat follows it to its new id.
_MOVES: Final = tuple(_move_rows(table) for table in MOVED_WITH_CHAT)


@functools.cache
def _upserts(dialect: str) -> tuple[Insert, Insert]:
    """Save a user; copy a user to a new id unless that id has a row already."""
    # RETURNING (SQLite 3.35+, PostgreSQL): the stored creation time, so that a user just
    # saved is cached whole instead of read back by the next message.
    save = portable.upsert(
        dialect, users, ["chat_id"], ["language", "pending", "active", "updated_at"]
    ).returning(users.c.created_at)
    inherited = select(
        bindparam("new", type_=ChatId),
        users.c.language,
        users.c.pending,
        true(),
        users.c.created_at,
        bindparam("now"),
    ).where(users.c.chat_id == bindparam("old"))
    copy = portable.insert_or_ignore(dialect, users).from_select(
        ["chat_id", "language", "pending", "active", "created_at", "updated_at"], inherited
    )
    return save, copy
