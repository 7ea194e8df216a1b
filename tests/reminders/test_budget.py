"""The sending budget shared by replicas: broadcasts keep to their share, replies get the rest.

Two replicas' budgets on two connections to one database, one injected clock; sleeping moves
the clock, so nothing waits for real.
"""

from __future__ import annotations

import math
from collections import Counter

import pytest

from bot.base.settings import Settings
from bot.reminders.budget import SharedSendingBudget, Traffic
from bot.storage.shared_state import SendBudget
from tests.helpers.replicas import SleepingClock, storages


async def test_broadcasts_of_two_replicas_keep_to_their_share(settings: Settings) -> None:
    clock = SleepingClock()
    async with storages(settings.database) as pair:
        budgets = [
            SharedSendingBudget(SendBudget(s.connection), 30, 25, clock, clock.sleep) for s in pair
        ]
        start = clock()
        seconds: Counter[int] = Counter()
        for index in range(200):
            await budgets[index % 2].acquire(Traffic.BROADCAST)
            seconds[math.floor(clock())] += 1
        assert max(seconds.values()) == 25  # both replicas together, never above the share
        assert 7.0 <= clock() - start <= 8.0  # 200 messages at 25 a second


async def test_replies_are_never_starved_by_a_broadcast(settings: Settings) -> None:
    clock = SleepingClock()
    async with storages(settings.database) as pair:
        broadcaster, replier = (
            SharedSendingBudget(SendBudget(s.connection), 30, 25, clock, clock.sleep) for s in pair
        )
        assert replier.reserved_for_replies == 5
        for _ in range(25):  # the broadcast takes its whole share of this second
            await broadcaster.acquire(Traffic.BROADCAST)
        second = math.floor(clock())
        slept = clock.slept
        for _ in range(5):
            await replier.acquire(Traffic.REPLY)
        assert (math.floor(clock()), clock.slept) == (second, slept)  # at once, same second
        await replier.acquire(Traffic.REPLY)  # the 31st message of the second waits
        assert math.floor(clock()) == second + 1
        # Replies first: a second full of replies leaves nothing for broadcasts.
        for _ in range(29):
            await replier.acquire(Traffic.REPLY)
        await broadcaster.acquire(Traffic.BROADCAST)
        assert math.floor(clock()) == second + 2


async def test_the_shares_are_whole_messages_within_the_total(settings: Settings) -> None:
    async with storages(settings.database, count=1) as [storage]:
        with pytest.raises(ValueError, match="sending budget"):
            SharedSendingBudget(SendBudget(storage.connection), 0.5, 0.5)
        budget = SharedSendingBudget(SendBudget(storage.connection), 30, 100)
        assert (budget.broadcast, budget.reserved_for_replies) == (30, 0)
        tiny = SharedSendingBudget(SendBudget(storage.connection), 30, 0.2)
        assert tiny.broadcast == 1  # broadcasts still go, slowly


async def test_paid_broadcasts_leave_the_free_budget_to_replies(settings: Settings) -> None:
    clock = SleepingClock()
    async with storages(settings.database, count=1) as [storage]:
        store = SendBudget(storage.connection)
        budget = SharedSendingBudget(store, 30, 25, clock, clock.sleep, paid_broadcasts=True)
        for _ in range(100):
            await budget.acquire(Traffic.BROADCAST)
        for _ in range(30):
            await budget.acquire(Traffic.REPLY)
        assert clock.slept == 0  # 100 paid broadcasts and 30 replies in one second
        assert not await store.take(int(clock()), 30)
