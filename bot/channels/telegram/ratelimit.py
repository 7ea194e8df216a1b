"""The Bot API requests of every replica under one shared sending budget, replies first.

`SharedRateLimiter` wraps PTB's own limiter (which still waits out Telegram's RetryAfter): once
a budget is attached (several replicas), every request that sends a message first takes its
place in the shared budget, as a reply, or as a broadcast while `broadcasting()` is active
(the reminder sender sets it around each push).
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Coroutine, Iterator
from contextvars import ContextVar
from typing import Any, Final, TypeAlias

from telegram.ext import BaseRateLimiter

from bot.reminders.budget import SharedSendingBudget, Traffic

JSONDict: TypeAlias = dict[str, Any]
_BROADCASTING: Final[ContextVar[bool]] = ContextVar("preventbot_broadcasting", default=False)
# Requests that put a message in a chat (what Telegram's ~30 messages/s counts).
_NOT_MESSAGES: Final = frozenset({"sendChatAction"})
_MESSAGE_PREFIXES: Final = ("send", "copy", "forward", "edit")


@contextlib.contextmanager
def broadcasting() -> Iterator[None]:
    """Inside this block (and the tasks it starts), messages count as broadcast traffic."""
    token = _BROADCASTING.set(True)
    try:
        yield
    finally:
        _BROADCASTING.reset(token)


def sends_message(endpoint: str) -> bool:
    """Whether a Bot API method puts a message in a chat."""
    return endpoint.startswith(_MESSAGE_PREFIXES) and endpoint not in _NOT_MESSAGES


class SharedRateLimiter(BaseRateLimiter[Any]):
    """PTB's limiter, plus the shared budget once `budget` is set."""

    def __init__(self, inner: BaseRateLimiter[Any]) -> None:
        self.inner = inner
        self.budget: SharedSendingBudget | None = None

    async def initialize(self) -> None:
        """Initialise the wrapped limiter."""
        await self.inner.initialize()

    async def shutdown(self) -> None:
        """Shut the wrapped limiter down."""
        await self.inner.shutdown()

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, bool | JSONDict | list[JSONDict]]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: Any,
    ) -> bool | JSONDict | list[JSONDict]:
        """Take the message's place in the shared budget, then let PTB's limiter send it."""
        if self.budget is not None and sends_message(endpoint):
            traffic = Traffic.BROADCAST if _BROADCASTING.get() else Traffic.REPLY
            await self.budget.acquire(traffic)
        return await self.inner.process_request(
            callback, args, kwargs, endpoint, data, rate_limit_args
        )
