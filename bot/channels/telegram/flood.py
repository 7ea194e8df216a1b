"""A per-user flood limit: at most N messages in a sliding window, "slow down" said once.

The rule is pure logic (`decide`): the caller passes `now`, so tests need no sleeping.
`FloodGuard` keeps the windows in memory (one bot process); `SharedFloodGuard` keeps them in the
database, so that replicas behind one webhook count a user's messages together.
"""

from __future__ import annotations

import enum
from collections.abc import Sequence
from typing import Final

from bot.storage.shared_state import FloodWindows

# Forget idle users now and then so the table cannot grow without bound.
PRUNE_EVERY: Final = 1024


class Verdict(enum.Enum):
    """What to do with one incoming message."""

    ALLOW = "allow"  # process it
    WARN = "warn"  # over the limit: answer "slow down" once, do not process
    DROP = "drop"  # still over the limit and already warned: ignore silently


def decide(
    times: Sequence[float], warned: bool, now: float, max_messages: int, window_seconds: float
) -> tuple[Verdict, list[float], bool]:
    """The verdict for a message at `now`, given the user's processed messages' `times` and
    whether they were warned; with the times and warned flag to keep."""
    cutoff = now - window_seconds
    recent = [moment for moment in times if moment > cutoff]
    if len(recent) < max_messages:
        return Verdict.ALLOW, [*recent, now], False
    if warned:
        return Verdict.DROP, recent, True
    return Verdict.WARN, recent, True


def _check_limits(max_messages: int, window_seconds: float) -> None:
    if max_messages < 1 or window_seconds <= 0:
        raise ValueError("the flood limit needs max_messages >= 1 and window_seconds > 0")


class FloodGuard:
    """Counts the messages each user had processed in the last `window_seconds`, in memory."""

    def __init__(self, max_messages: int, window_seconds: float) -> None:
        _check_limits(max_messages, window_seconds)
        self.max_messages = max_messages
        self.window_seconds = window_seconds
        self._users: dict[int, tuple[list[float], bool]] = {}
        self._checks = 0

    async def verdict(self, user_id: int, now: float) -> Verdict:
        """`check`, with the shared guard's signature."""
        return self.check(user_id, now)

    def check(self, user_id: int, now: float) -> Verdict:
        """Record one message from `user_id` at `now` and say whether to process it."""
        self._checks += 1
        if self._checks % PRUNE_EVERY == 0:
            self.prune(now)
        times, warned = self._users.get(user_id, ([], False))
        verdict, times, warned = decide(times, warned, now, self.max_messages, self.window_seconds)
        self._users[user_id] = (times, warned)
        return verdict

    def prune(self, now: float) -> None:
        """Drop the users whose last processed message is older than the window."""
        cutoff = now - self.window_seconds
        idle = [uid for uid, (times, _) in self._users.items() if not times or times[-1] <= cutoff]
        for user_id in idle:
            del self._users[user_id]

    def __len__(self) -> int:
        return len(self._users)


class SharedFloodGuard:
    """The same limit, counted in the database: every replica sees every message of a user."""

    def __init__(self, windows: FloodWindows, max_messages: int, window_seconds: float) -> None:
        _check_limits(max_messages, window_seconds)
        self.windows = windows
        self.max_messages = max_messages
        self.window_seconds = window_seconds
        self._checks = 0

    async def verdict(self, user_id: int, now: float) -> Verdict:
        """Record one message from `user_id` at `now` (Unix time) and say whether to process it."""
        self._checks += 1
        if self._checks % PRUNE_EVERY == 0:
            await self.windows.forget_before(now - self.window_seconds)
        return await self.windows.decide(
            user_id,
            now,
            lambda times, warned: decide(
                times, warned, now, self.max_messages, self.window_seconds
            ),
        )
