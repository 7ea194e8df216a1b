"""One sending budget for every replica: Telegram's ~30 messages/s, with a share kept for replies.

Each whole second (Unix time) has a counter in the database that every replica increments
before it sends a message. A broadcast message (reminders, announcements) may be counted while
the second holds fewer than `broadcast_rate`; a reply to a user while it holds fewer than
`total_rate`. So broadcasts never take more than `broadcast_rate` a second, and
`total_rate - broadcast_rate` a second stay free for replies however long a broadcast runs.
With `paid_broadcasts` (Telegram's allow_paid_broadcast, `reminders.paid_broadcast`) broadcasts
are paid for beyond the free limit: they are not counted here, and replies keep all of it.
The clock and the sleep are injected, as in `TokenBucket`, so tests never wait.
"""

from __future__ import annotations

import asyncio
import enum
import math
import time
from typing import Final

from bot.reminders.ratelimit import Clock, Sleep
from bot.storage.shared_state import SendBudget

KEEP_SECONDS: Final = 60  # past seconds' counters are deleted after this


class Traffic(enum.Enum):
    """Who a message is for."""

    REPLY = "reply"  # an answer to someone who wrote: may use the whole budget
    BROADCAST = "broadcast"  # reminders and announcements: at most broadcast_rate


class SharedSendingBudget:
    """Waits until a message fits in the current second's shared budget, then counts it."""

    def __init__(
        self,
        store: SendBudget,
        total_rate: float,
        broadcast_rate: float,
        clock: Clock = time.time,
        sleep: Sleep = asyncio.sleep,
        paid_broadcasts: bool = False,
    ) -> None:
        if total_rate < 1:
            raise ValueError("the sending budget needs at least 1 message a second")
        self.store = store
        self.total = math.floor(total_rate)
        # At least 1, or broadcasts would never go; never above the whole budget.
        self.broadcast = max(1, min(self.total, math.floor(broadcast_rate)))
        self._clock = clock
        self._sleep = sleep
        self.paid_broadcasts = paid_broadcasts
        self._last_second = 0

    @property
    def reserved_for_replies(self) -> int:
        """Messages a second that broadcasts can never take."""
        return self.total - self.broadcast

    async def acquire(self, traffic: Traffic) -> None:
        """Wait until one message of this kind may go out, and count it."""
        if traffic is Traffic.BROADCAST and self.paid_broadcasts:
            return  # paid beyond the free limit (the reminder pass keeps its own pace)
        limit = self.total if traffic is Traffic.REPLY else self.broadcast
        while True:
            now = self._clock()
            second = math.floor(now)
            if second != self._last_second:
                self._last_second = second
                await self.store.forget_before(second - KEEP_SECONDS)
            if await self.store.take(second, limit):
                return
            await self._sleep(second + 1 - now)  # the next second's budget
