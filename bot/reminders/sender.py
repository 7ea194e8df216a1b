"""What a channel must offer to push messages that nobody asked for (campaign reminders)."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import Protocol

from bot.base.turns import Reply


class SendStatus(enum.Enum):
    """How one push ended."""

    SENT = "sent"
    FORBIDDEN = "forbidden"  # the user blocked the bot or the chat is gone: deactivate
    RETRY_LATER = "retry_later"  # flood control or a network error: try again later
    FAILED = "failed"  # a permanent error for this message (e.g. bad request)
    MOVED = "moved"  # the group became a supergroup: `new_chat_id` is where it lives now


@dataclass(frozen=True, slots=True)
class SendResult:
    """The status; for RETRY_LATER how long to wait, for MOVED the chat's new id."""

    status: SendStatus
    retry_after: float = 0.0
    detail: str = ""
    new_chat_id: int | None = None


class Sender(Protocol):
    """Push one reply to one chat; never raises for Telegram errors, returns a status."""

    async def send(self, chat_id: int, reply: Reply) -> SendResult:
        """Send `reply` to `chat_id`."""
        ...
