"""A per-user flood limit: at most N messages in a sliding window, "slow down" said once.

Pure logic: the caller passes `now` (seconds on a monotonic clock), so tests need no sleeping.
"""

from __future__ import annotations

import enum
from collections import deque
from dataclasses import dataclass, field
from typing import Final

# Forget idle users now and then so the table cannot grow without bound.
PRUNE_EVERY: Final = 1024


class Verdict(enum.Enum):
    """What to do with one incoming message."""

    ALLOW = "allow"  # process it
    WARN = "warn"  # over the limit: answer "slow down" once, do not process
    DROP = "drop"  # still over the limit and already warned: ignore silently


@dataclass(slots=True)
class _Window:
    times: deque[float] = field(default_factory=deque)
    warned: bool = False


class FloodGuard:
    """Counts the messages each user had processed in the last `window_seconds`."""

    def __init__(self, max_messages: int, window_seconds: float) -> None:
        if max_messages < 1 or window_seconds <= 0:
            raise ValueError("the flood limit needs max_messages >= 1 and window_seconds > 0")
        self.max_messages = max_messages
        self.window_seconds = window_seconds
        self._users: dict[int, _Window] = {}
        self._checks = 0

    def check(self, user_id: int, now: float) -> Verdict:
        """Record one message from `user_id` at `now` and say whether to process it."""
        self._checks += 1
        if self._checks % PRUNE_EVERY == 0:
            self.prune(now)
        window = self._users.setdefault(user_id, _Window())
        cutoff = now - self.window_seconds
        while window.times and window.times[0] <= cutoff:
            window.times.popleft()
        if len(window.times) < self.max_messages:
            window.times.append(now)
            window.warned = False
            return Verdict.ALLOW
        if window.warned:
            return Verdict.DROP
        window.warned = True
        return Verdict.WARN

    def prune(self, now: float) -> None:
        """Drop the users whose last processed message is older than the window."""
        cutoff = now - self.window_seconds
        idle = [uid for uid, w in self._users.items() if not w.times or w.times[-1] <= cutoff]
        for user_id in idle:
            del self._users[user_id]

    def __len__(self) -> int:
        return len(self._users)
