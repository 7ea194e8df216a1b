"""Several real bot replicas in webhook mode on loopback, sharing one database, for tests.

Each replica is a real PTB application built by `bot.channels.telegram.app.build_application`
with `telegram.replicas` on, serving its webhook on its own port; the fake Bot API delivers to
them in turn (`FakeBotAPI.deliver`). A `Journal` shared by the replicas records which replica
fully handled which update (after every real handler), and a replica can hold an update at its
door (`gate`) to make "mid-update" moments happen on purpose, then be killed there.
"""

from __future__ import annotations

import asyncio
import contextlib
import socket
from collections.abc import AsyncIterator, Callable, Iterable
from dataclasses import dataclass, field, replace
from typing import Any

from telegram import Update
from telegram.ext import Application, CallbackContext, TypeHandler

from bot.base.settings import Settings
from bot.channels.telegram.app import webhook_options
from bot.storage import Storage
from tests.helpers.fake_bot_api import FakeBotAPI
from tests.helpers.telegram_bot import webhook

PUBLIC_URL = "https://bot.example.be/telegram"
GATE_GROUP = -1  # before every real handler
JOURNAL_GROUP = 10_001  # after every real handler (and telegram_bot's DONE_GROUP)


class FakeClock:
    """Unix time that moves only when the test says so (claims expire on it)."""

    def __init__(self, start: float = 1_800_000_000.0) -> None:
        self.now = start

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        """Let `seconds` pass."""
        self.now += seconds


class SleepingClock(FakeClock):
    """A fake clock whose sleep lets the time pass at once (for `SharedSendingBudget`)."""

    def __init__(self) -> None:
        super().__init__()
        self.slept = 0.0

    async def sleep(self, seconds: float) -> None:
        """Advance instead of waiting."""
        self.slept += seconds
        self.advance(seconds)


@dataclass
class Journal:
    """Which replica fully handled which update, in the order they finished."""

    handled: list[tuple[int, int, str]] = field(default_factory=list)  # update, chat, replica
    _changed: asyncio.Event = field(default_factory=asyncio.Event)

    def note(self, update: Update, replica: str) -> None:
        """Record that `replica` handled `update`."""
        chat = update.effective_chat.id if update.effective_chat else 0
        self.handled.append((update.update_id, chat, replica))
        self._changed.set()

    def handled_ids(self) -> list[int]:
        """The update ids fully handled, in order, repeats included."""
        return [update_id for update_id, _chat, _replica in self.handled]

    async def wait_handled(self, update_ids: Iterable[int], within: float = 30.0) -> None:
        """Wait until every update in `update_ids` was fully handled by some replica."""
        wanted = set(update_ids)
        async with asyncio.timeout(within):
            while not wanted <= set(self.handled_ids()):
                self._changed.clear()
                await self._changed.wait()


class Replica:
    """One running replica: its application, webhook URL, gates and blocked tasks."""

    def __init__(
        self, name: str, application: Application[Any, Any, Any, Any, Any, Any], port: int
    ) -> None:
        self.name = name
        self.application = application
        self.url = f"http://127.0.0.1:{port}/telegram"
        self.gates: dict[int, asyncio.Event] = {}  # update_id -> opened when set
        self.held: dict[int, asyncio.Task[Any]] = {}  # update_id -> the task waiting at the gate
        self._arrived = asyncio.Event()

    def gate(self, update_id: int) -> asyncio.Event:
        """Hold this update before any real handler until the returned event is set."""
        self.gates[update_id] = asyncio.Event()
        return self.gates[update_id]

    async def wait_held(self, update_id: int, within: float = 10.0) -> None:
        """Wait until the update is held at its gate (the replica holds the chat's claim)."""
        async with asyncio.timeout(within):
            while update_id not in self.held:
                self._arrived.clear()
                await self._arrived.wait()

    async def at_gate(self, update: Update, _context: CallbackContext[Any, Any, Any, Any]) -> None:
        """The gate handler (group -1)."""
        gate = self.gates.get(update.update_id)
        if gate is not None:
            task = asyncio.current_task()
            assert task is not None
            self.held[update.update_id] = task
            self._arrived.set()
            await gate.wait()

    async def kill(self) -> None:
        """Die abruptly, as a killed or hung process: the webhook server, the jobs and the
        database connection go, and the updates held at the gate never go on, so nothing they
        hold is released: their chat claims stay until they expire."""
        updater, jobs = self.application.updater, self.application.job_queue
        assert updater is not None
        assert jobs is not None
        await updater.stop()
        await jobs.stop(wait=False)
        await self.application.bot_data.services.storage.close()

    async def bury(self) -> None:
        """After the test: end the tasks a kill left hanging, so the application can stop."""
        for task in self.held.values():
            task.cancel()
        await asyncio.gather(*self.held.values(), return_exceptions=True)


@contextlib.asynccontextmanager
async def storages(target: Any, count: int = 2) -> AsyncIterator[list[Storage]]:
    """`count` separate connections (as separate replicas have) to one database."""
    opened: list[Storage] = []
    try:
        for _ in range(count):
            opened.append(await Storage.open(target))
        yield opened
    finally:
        for storage in opened:
            await storage.close()


def free_port() -> int:
    """A TCP port free on 127.0.0.1 now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def replica_settings(settings: Settings) -> Settings:
    """Settings for replicas: shared state on, no throughput cap (tests chat fast)."""
    telegram = replace(
        settings.telegram,
        replicas=True,
        messages_per_second=10_000,
        flood_max_messages=1000,
    )
    return replace(settings, telegram=telegram)


@contextlib.asynccontextmanager
async def running_replicas(
    make_app: Callable[[Settings], Application[Any, Any, Any, Any, Any, Any]],
    settings: Settings,
    api: FakeBotAPI,
    count: int,
    journal: Journal,
    clock: FakeClock,
) -> AsyncIterator[list[Replica]]:
    """`count` replicas on one database (`settings.database`), webhooks registered with `api`."""
    async with contextlib.AsyncExitStack() as stack:
        replicas: list[Replica] = []
        for index in range(count):
            name = f"replica-{index}"
            application = make_app(settings)
            port = free_port()
            replica = Replica(name, application, port)
            application.add_handler(TypeHandler(Update, replica.at_gate), group=GATE_GROUP)

            async def finished(
                update: Update, _context: CallbackContext[Any, Any, Any, Any], name: str = name
            ) -> None:
                journal.note(update, name)

            application.add_handler(TypeHandler(Update, finished), group=JOURNAL_GROUP)
            options = webhook_options(settings, PUBLIC_URL, "127.0.0.1", port, {})
            await stack.enter_async_context(webhook(application, api, **options))
            application.bot_data.shared.order.clock = clock
            replicas.append(replica)
        api.use_webhooks([replica.url for replica in replicas], options["secret_token"])
        try:
            yield replicas
        finally:
            for replica in replicas:
                await replica.bury()
