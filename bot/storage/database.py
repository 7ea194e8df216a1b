"""`Storage`: the engine and the bot's connection, migrated at open, with the repositories."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from pathlib import Path

from sqlalchemy.ext.asyncio import AsyncEngine

from bot.storage.audit import AuditLog
from bot.storage.deliveries import DeliveryLog
from bot.storage.drafts import DraftStore
from bot.storage.engine import SerialConnection, in_memory, map_errors, open_engine
from bot.storage.gaps import GapStore
from bot.storage.inbox import InboxStore
from bot.storage.migrate import current_revision, migrate
from bot.storage.staff import StaffStore
from bot.storage.statistics import Statistics
from bot.storage.subscriptions import SubscriptionStore
from bot.storage.topic_drafts import TopicDraftStore
from bot.storage.usage import UsageStore
from bot.storage.users import UserStore

logger = logging.getLogger(__name__)


class Storage:
    """The database: one repository per feature, all on the bot's connection."""

    def __init__(self, engine: AsyncEngine, connection: SerialConnection) -> None:
        self.engine = engine
        self.connection = connection
        self.users = UserStore(connection)
        self.gaps = GapStore(connection)
        self.subscriptions = SubscriptionStore(connection)
        self.drafts = DraftStore(connection)
        self.deliveries = DeliveryLog(connection)
        # The prevention services' web workspace.
        self.staff = StaffStore(connection)
        self.topic_drafts = TopicDraftStore(connection)
        self.audit = AuditLog(connection)
        # Anonymous counts for the workspace's dashboard.
        self.usage = UsageStore(connection)
        self.statistics = Statistics(connection)
        self.inbox = InboxStore(connection)

    @classmethod
    async def open(cls, target: Path | str, extra_versions: Sequence[Path] = ()) -> Storage:
        """Open (creating if needed) the database at `target`, a path, a `sqlite://` or a
        `postgresql://` URL, and migrate it to the latest revision (`extra_versions`: more
        revisions, for tests)."""
        engine = open_engine(target)
        try:
            await migrate(engine, extra_versions)
            connection = await SerialConnection.open(engine)
        except BaseException:
            await engine.dispose()
            raise
        return cls(engine, connection)

    async def close(self) -> None:
        """Close the connection and the engine's pool."""
        try:
            await self.connection.close()
        finally:
            with map_errors("cannot close the database"):
                await self.engine.dispose()

    async def revision(self) -> str | None:
        """The schema revision recorded in the database."""
        return await current_revision(self.engine)

    @asynccontextmanager
    async def delivery_pass(self) -> AsyncIterator[DeliveryLog]:
        """The delivery log on a connection of its own, for a reminder pass.

        Its own connection is its own thread, so the bot's replies never queue behind thousands
        of delivery writes; and it commits without waiting for the disk (synchronous=NORMAL):
        in WAL mode that survives a crash of the process, which is what resuming relies on; a
        power cut may lose the last commits, which can only cause resends, never misses.
        An in-memory database exists on one connection only: the bot's is used then.
        On PostgreSQL every unit of work takes a pooled connection anyway: a log of its own
        (its own group commit) on the same pool.
        """
        if in_memory(self.engine.url):
            yield self.deliveries
            return
        if self.engine.dialect.name != "sqlite":
            yield DeliveryLog(self.connection)
            return
        connection = await SerialConnection.open(self.engine)
        try:
            default = int(await connection.execute_pragma("synchronous"))
            await connection.execute_pragma("synchronous=NORMAL")
            try:
                yield DeliveryLog(connection)
            finally:
                # Back to what the pool's next user of this connection expects.
                await connection.execute_pragma(f"synchronous={default}")
        finally:
            await connection.close()
