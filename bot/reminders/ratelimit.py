"""A token bucket for broadcast sending, with an injectable clock and sleep for tests."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable

Clock = Callable[[], float]
_EPSILON = 1e-9
Sleep = Callable[[float], Awaitable[None]]


class TokenBucket:
    """At most `rate` acquisitions per second on average, bursts up to `capacity`.

    `rate=None` turns the limit off; `pause` (Telegram's retry_after) applies in both cases.
    """

    def __init__(
        self,
        rate: float | None,
        capacity: float | None = None,
        clock: Clock = time.monotonic,
        sleep: Sleep = asyncio.sleep,
    ) -> None:
        self.rate = rate
        self.capacity = max(1.0, capacity if capacity is not None else (rate or 1.0))
        self._clock = clock
        self._sleep = sleep
        self._tokens = self.capacity
        self._stamp = clock()
        self._paused_until = 0.0

    async def acquire(self) -> None:
        """Wait until one message may go out, then take its token."""
        while True:
            now = self._clock()
            if now < self._paused_until:
                await self._sleep(self._paused_until - now)
                continue
            if self.rate is None:
                return
            self._refill(now)
            if self._tokens >= 1.0 - _EPSILON:  # float sums may fall a hair short of 1
                self._tokens = max(0.0, self._tokens - 1.0)
                return
            await self._sleep((1.0 - self._tokens) / self.rate)

    def pause(self, seconds: float) -> None:
        """Hold every sender for `seconds` (flood control), and start again without a burst."""
        now = self._clock()
        self._paused_until = max(self._paused_until, now + seconds)
        self._tokens = 0.0
        self._stamp = self._paused_until  # no tokens pile up while paused

    def _refill(self, now: float) -> None:
        if self.rate is not None:
            elapsed = max(0.0, now - self._stamp)
            self._tokens = min(self.capacity, self._tokens + elapsed * self.rate)
        self._stamp = now
