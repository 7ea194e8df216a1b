"""Replicas' messages under one budget (replies and broadcasts told apart), and admin notices
told by one replica only."""

from __future__ import annotations

import pytest
from telegram.ext import AIORateLimiter

from bot.base.settings import Settings
from bot.channels.telegram.ratelimit import SharedRateLimiter, broadcasting, sends_message
from bot.channels.telegram.replicas import first_to_announce
from bot.reminders.budget import SharedSendingBudget
from bot.storage.shared_state import SendBudget, SharedNotices
from tests.helpers.postgres import parametrize_backends
from tests.helpers.replicas import SleepingClock, storages


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """On SQLite and on PostgreSQL."""
    parametrize_backends(metafunc)


def test_only_requests_that_send_a_message_count() -> None:
    assert sends_message("sendMessage")
    assert sends_message("editMessageText")
    assert sends_message("copyMessage")
    assert not sends_message("sendChatAction")
    assert not sends_message("answerCallbackQuery")
    assert not sends_message("getMe")


async def test_the_limiter_counts_replies_and_broadcasts_apart(settings: Settings) -> None:
    clock = SleepingClock()
    async with storages(settings.database, count=1) as [storage]:
        limiter = SharedRateLimiter(AIORateLimiter(overall_max_rate=0, group_max_rate=0))
        limiter.budget = SharedSendingBudget(
            SendBudget(storage.connection), 4, 2, clock, clock.sleep
        )
        sent: list[tuple[str, float]] = []

        async def request(endpoint: str) -> None:
            async def call(*_args: object, **_kwargs: object) -> bool:
                sent.append((endpoint, clock()))
                return True

            await limiter.process_request(call, (), {}, endpoint, {"chat_id": 5}, None)

        start = clock()
        with broadcasting():
            for _ in range(3):
                await request("sendMessage")  # the third broadcast waits for the next second
        assert [at - start for _e, at in sent] == [0, 0, 1]
        for _ in range(10):
            await request("getMe")  # not a message: not counted, never waits
        await request("answerCallbackQuery")
        for _ in range(3):
            await request("sendMessage")  # replies: 3 more fit beside the broadcast's 1
        assert clock() - start == 1
        await request("sendMessage")
        assert clock() - start == 2


async def test_content_problems_are_told_by_one_replica(settings: Settings) -> None:
    async with storages(settings.database) as pair:
        one, two = (SharedNotices(storage.connection) for storage in pair)
        problems = ("content/topics/x.yml:3: no title",)
        assert await first_to_announce(one, problems, 1.0)
        assert not await first_to_announce(two, problems, 2.0)  # the same problems
        assert not await first_to_announce(two, (), 3.0)  # fixed: nothing to tell
        assert await first_to_announce(two, problems, 4.0)  # broken again: told again
        assert await first_to_announce(one, ("another",), 5.0)
