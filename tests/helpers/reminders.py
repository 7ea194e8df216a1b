"""Fakes for the reminders: a settable clock, a recording sender, fake sleep, a mute NLU."""

from __future__ import annotations

import asyncio
import functools
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from bot.base.i18n import Translator
from bot.base.turns import Incoming, Reply, UserRecord
from bot.dialogue.router import Dialogue
from bot.reminders.sender import SendResult, SendStatus
from bot.storage import Storage
from nlu import Parse
from tests.helpers.project import NOW

ADMIN = 42


@dataclass(slots=True)
class Clock:
    """A clock the test moves by hand."""

    now: datetime = NOW

    def __call__(self) -> datetime:
        return self.now


class FakeNLU:
    """Understands nothing (the tests here use commands, steps and buttons)."""

    async def parse(self, text: str, language_hint: str | None = None) -> Parse:
        return Parse(text, language_hint or "fr", "out_of_scope", 0.0)


@dataclass(slots=True)
class FakeSender:
    """Records every message that reached "Telegram"; scripted failures per chat."""

    delivered: list[tuple[int, str]] = field(default_factory=list)
    script: dict[int, list[SendResult]] = field(default_factory=dict)
    calls: int = 0
    hang_after: int | None = None  # from this many deliveries on, deliver but never answer
    crash_at_in_flight: int = 1  # `crashed` is set when this many sends hang
    crashed: asyncio.Event = field(default_factory=asyncio.Event)
    in_flight: int = 0
    after_send: Callable[[int], None] | None = None  # e.g. to move the clock

    async def send(self, chat_id: int, reply: Reply) -> SendResult:
        self.calls += 1
        scripted = self.script.get(chat_id)
        if scripted:
            return scripted.pop(0)
        self.delivered.append((chat_id, reply.text))
        if self.hang_after is not None and len(self.delivered) > self.hang_after:
            # The message went out but the answer never comes: the process "crashes" now.
            self.in_flight += 1
            if self.in_flight >= self.crash_at_in_flight:
                self.crashed.set()
            await asyncio.Event().wait()
        if self.after_send is not None:
            self.after_send(len(self.delivered))
        await asyncio.sleep(0)
        return SendResult(SendStatus.SENT)

    def chats(self) -> list[int]:
        """The chat ids that received something, in order."""
        return [chat_id for chat_id, _text in self.delivered]


class FakeSleep:
    """An asyncio.sleep stand-in that moves a monotonic clock instead of waiting."""

    def __init__(self) -> None:
        self.time = 0.0
        self.waits: list[float] = []

    def clock(self) -> float:
        return self.time

    async def __call__(self, seconds: float) -> None:
        self.waits.append(seconds)
        self.time += seconds
        await asyncio.sleep(0)


@functools.cache
def shared_translator(languages: tuple[str, ...]) -> Translator:
    """The real catalogs, loaded once."""
    return Translator(languages)


async def add_subscriber(
    storage: Storage, chat_id: int, nis: str, language: str = "fr", now: datetime = NOW
) -> None:
    """A user following one place, stored the way the dialogue stores them."""
    if await storage.users.get(chat_id) is None:
        await storage.users.save(UserRecord(chat_id, language=language), now)
    await storage.subscriptions.add(chat_id, nis, language, now, 5)


async def say(dialogue: Dialogue, chat_id: int, text: str) -> tuple[Reply, ...]:
    """Send a text (or command) to the dialogue."""
    return await dialogue.process(chat_id, Incoming(text=text, language_code="fr"))


async def press(dialogue: Dialogue, chat_id: int, data: str) -> tuple[Reply, ...]:
    """Press a button."""
    return await dialogue.process(chat_id, Incoming(callback=data, language_code="fr"))


def buttons(reply: Reply) -> dict[str, str]:
    """Button label -> callback data."""
    return {button.label: button.data for row in reply.buttons for button in row}
