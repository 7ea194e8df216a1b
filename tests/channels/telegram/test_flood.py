"""The per-user flood limit: pure logic, time passed in."""

from __future__ import annotations

import pytest

from bot.base.settings import Settings
from bot.channels.telegram.flood import (
    PRUNE_EVERY,
    FloodGuard,
    SharedFloodGuard,
    Verdict,
    decide,
)
from bot.storage.shared_state import FloodWindows
from tests.helpers.postgres import parametrize_backends
from tests.helpers.replicas import storages


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """The shared guard runs on SQLite and on PostgreSQL."""
    parametrize_backends(metafunc)


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


async def test_replicas_count_a_users_messages_together(settings: Settings) -> None:
    async with storages(settings.database, count=3) as opened:
        guards = [SharedFloodGuard(FloodWindows(s.connection), 3, 10) for s in opened]
        verdicts = [await guards[i % 3].verdict(1, now=100 + 0.1 * i) for i in range(6)]
        assert verdicts == [Verdict.ALLOW] * 3 + [Verdict.WARN] + [Verdict.DROP] * 2
        assert await guards[0].verdict(2, now=101) is Verdict.ALLOW  # another user
        assert await guards[1].verdict(1, now=110.05) is Verdict.ALLOW  # the window slid


async def test_the_shared_and_the_local_guard_agree() -> None:
    local = FloodGuard(max_messages=2, window_seconds=10)
    moments = [0, 1, 2, 3, 10.5, 11, 12, 30]
    expected = [local.check(1, now) for now in moments]
    times: list[float] = []
    warned = False
    got = []
    for now in moments:
        verdict, times, warned = decide(times, warned, now, 2, 10)
        got.append(verdict)
    assert got == expected
    assert await FloodGuard(2, 10).verdict(1, 0) is Verdict.ALLOW
