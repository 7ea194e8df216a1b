"""Several replicas behind one webhook behave as one bot: what they share, wired in one place.

With `telegram.replicas` on, the application is built with a recording update queue, the chat
order processor and the shared rate limiter (`replica_parts`); once the services exist,
`attach_replicas` points them at the database: the received updates and chat claims, the flood
windows, the sending budget and the admin notices. The user cache is turned off, since another
replica may change a user (a pending step, a language) at any time.
"""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass
from typing import Any, Final

from telegram.ext import Application, BaseRateLimiter

from bot.channels.telegram.flood import SharedFloodGuard
from bot.channels.telegram.ordering import ChatOrder, ChatOrderProcessor, RecordingQueue
from bot.channels.telegram.ratelimit import SharedRateLimiter
from bot.dialogue.services import Services
from bot.reminders.budget import SharedSendingBudget
from bot.storage.received_updates import ReceivedUpdates
from bot.storage.shared_state import FloodWindows, SendBudget, SharedNotices

CONTENT_PROBLEMS: Final = "content-problems"


@dataclass(frozen=True, slots=True)
class ReplicaParts:
    """What the application is built with when it runs as one of several replicas."""

    queue: RecordingQueue
    processor: ChatOrderProcessor
    limiter: SharedRateLimiter


@dataclass(frozen=True, slots=True)
class Shared:
    """The shared state the handlers and jobs use."""

    order: ChatOrder
    flood: SharedFloodGuard
    notices: SharedNotices
    budget: SharedSendingBudget

    async def first_to_announce(self, problems: tuple[str, ...]) -> bool:
        """Whether this replica is the one to tell the admins about these content problems."""
        return await first_to_announce(self.notices, problems, time.time())


async def first_to_announce(notices: SharedNotices, problems: tuple[str, ...], now: float) -> bool:
    """True for the one replica that records these problems first; none (fixed) resets the
    record, so that the same problems coming back are told again."""
    digest = hashlib.sha256("\n".join(problems).encode()).hexdigest() if problems else ""
    changed = await notices.change(CONTENT_PROBLEMS, digest, now)
    return changed and bool(problems)


def replica_parts(limiter: BaseRateLimiter[Any]) -> ReplicaParts:
    """The queue, processor and limiter of a replica, before its services exist."""
    return ReplicaParts(RecordingQueue(), ChatOrderProcessor(), SharedRateLimiter(limiter))


def attach_replicas(
    application: Application[Any, Any, Any, Any, Any, Any], services: Services
) -> Shared:
    """Point the replica's parts at the shared database; return the shared state."""
    settings = services.settings
    connection = services.storage.connection
    services.storage.users.stop_caching()
    order = ChatOrder(ReceivedUpdates(connection), application.bot, application.process_update)
    queue, processor = application.update_queue, application.update_processor
    limiter = application.bot.rate_limiter
    if not isinstance(queue, RecordingQueue) or not isinstance(processor, ChatOrderProcessor):
        raise RuntimeError("a replica's application must be built with replica_parts")
    if not isinstance(limiter, SharedRateLimiter):
        raise RuntimeError("a replica's application must be built with replica_parts")
    queue.order = processor.order = order
    limiter.budget = SharedSendingBudget(
        SendBudget(connection),
        settings.telegram.messages_per_second,
        settings.reminders.messages_per_second,
        paid_broadcasts=settings.reminders.paid_broadcast,
    )
    flood = SharedFloodGuard(
        FloodWindows(connection),
        settings.telegram.flood_max_messages,
        settings.telegram.flood_window_seconds,
    )
    return Shared(order, flood, SharedNotices(connection), limiter.budget)
