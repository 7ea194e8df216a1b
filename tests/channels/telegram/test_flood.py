"""The per-user flood limit: pure logic, time passed in."""

from __future__ import annotations

import pytest

from bot.channels.telegram.flood import PRUNE_EVERY, FloodGuard, Verdict


def test_allows_up_to_the_limit_then_warns_once_then_drops() -> None:
    guard = FloodGuard(max_messages=3, window_seconds=10)
    verdicts = [guard.check(1, now=0.1 * i) for i in range(8)]
    assert verdicts == [Verdict.ALLOW] * 3 + [Verdict.WARN] + [Verdict.DROP] * 4


def test_the_window_slides() -> None:
    guard = FloodGuard(max_messages=2, window_seconds=10)
    assert guard.check(1, now=0) is Verdict.ALLOW
    assert guard.check(1, now=5) is Verdict.ALLOW
    assert guard.check(1, now=9) is Verdict.WARN
    assert guard.check(1, now=10.5) is Verdict.ALLOW  # the message at 0 left the window
    assert guard.check(1, now=11) is Verdict.WARN  # a new flood: warned again


def test_users_are_counted_separately() -> None:
    guard = FloodGuard(max_messages=1, window_seconds=10)
    assert guard.check(1, now=0) is Verdict.ALLOW
    assert guard.check(2, now=0) is Verdict.ALLOW
    assert guard.check(1, now=1) is Verdict.WARN


def test_hundreds_of_messages_are_answered_once() -> None:
    guard = FloodGuard(max_messages=8, window_seconds=10)
    verdicts = [guard.check(1, now=i * 0.01) for i in range(500)]
    assert verdicts.count(Verdict.ALLOW) == 8
    assert verdicts.count(Verdict.WARN) == 1


def test_idle_users_are_forgotten() -> None:
    guard = FloodGuard(max_messages=5, window_seconds=10)
    for user in range(PRUNE_EVERY - 1):
        guard.check(user, now=0)
    assert len(guard) == PRUNE_EVERY - 1
    guard.check(-1, now=100)  # the PRUNE_EVERY-th check prunes
    assert len(guard) == 1


def test_bad_limits_are_refused() -> None:
    with pytest.raises(ValueError, match="flood limit"):
        FloodGuard(0, 10)
