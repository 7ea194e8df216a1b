"""Reminder workers side by side for tests: senders that meet, and a worker process to kill.

a, b = meeting_senders()          # each one's first send waits until the other sends too
sent = await killed_worker(settings, options, hang_after=50)   # chats it reached, then
                                                               # SIGKILL (no clean-up)
"""

from __future__ import annotations

import asyncio
import multiprocessing
import os
import signal
from multiprocessing.connection import Connection
from pathlib import Path

from bot.base.i18n import Translator
from bot.base.settings import Settings
from bot.base.turns import Reply
from bot.cli.reminders import CliServices
from bot.reminders.delivery import DeliveryOptions, run_due_pass
from bot.reminders.ratelimit import TokenBucket
from bot.reminders.sender import SendResult
from bot.storage import Storage
from tests.helpers.content import calendar_store
from tests.helpers.project import NOW
from tests.helpers.reminders import FakeSender

WAIT_SECONDS = 60.0  # an upper bound for a child to start and reach its crash point


class MeetingSender(FakeSender):
    """A FakeSender whose first send waits until its partner has a send of its own under way:
    proof that two workers held claims at the same time."""

    def __init__(self, mine: asyncio.Event, other: asyncio.Event) -> None:
        super().__init__()
        self._mine = mine
        self._other = other

    async def send(self, chat_id: int, reply: Reply) -> SendResult:
        self._mine.set()
        async with asyncio.timeout(WAIT_SECONDS):
            await self._other.wait()
        return await super().send(chat_id, reply)


def meeting_senders() -> tuple[MeetingSender, MeetingSender]:
    """Two senders that wait for each other once."""
    first, second = asyncio.Event(), asyncio.Event()
    return MeetingSender(first, second), MeetingSender(second, first)


def _worker(
    settings: Settings, options: DeliveryOptions, hang_after: int, pipe: Connection
) -> None:
    """In a child process: a pass at NOW whose sender hangs with every sender in flight, then
    reports the chats it reached and waits to be killed."""

    async def main() -> None:
        storage = await Storage.open(settings.database)
        content = calendar_store(Path(settings.content_dir))
        translator = Translator(settings.languages)
        services = CliServices(settings, content, storage, translator, lambda: NOW)
        sender = FakeSender(hang_after=hang_after, crash_at_in_flight=options.concurrency)

        async def report() -> None:
            await sender.crashed.wait()
            pipe.send(sender.chats())

        watcher = asyncio.create_task(report())
        await run_due_pass(services, sender, NOW, TokenBucket(None), options)
        await watcher

    asyncio.run(main())


async def killed_worker(
    settings: Settings, options: DeliveryOptions, hang_after: int
) -> list[int]:
    """Run a worker process until its senders hang, SIGKILL it; the chats it reached."""
    context = multiprocessing.get_context("spawn")
    receiver, sender = context.Pipe(duplex=False)
    process = context.Process(target=_worker, args=(settings, options, hang_after, sender))
    process.start()
    try:
        if not await asyncio.to_thread(receiver.poll, WAIT_SECONDS):
            raise AssertionError("the worker process never reached its crash point")
        chats: list[int] = receiver.recv()
    finally:
        if process.pid is not None and process.is_alive():
            os.kill(process.pid, signal.SIGKILL)  # a crash: no finally, no release of claims
        await asyncio.to_thread(process.join, WAIT_SECONDS)
    return chats
