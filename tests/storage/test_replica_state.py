"""What replicas share in the database: received updates, chat claims, flood windows, the
sending budget and notices, each seen through two connections as two replicas see it."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from bot.base.settings import Settings
from bot.storage import Storage
from bot.storage.received_updates import ReceivedUpdates
from bot.storage.shared_state import FloodWindows, SendBudget, SharedNotices
from tests.helpers.replicas import storages


@pytest.fixture
async def pair(settings: Settings) -> AsyncIterator[list[Storage]]:
    """Two replicas' connections to one database (SQLite file, PostgreSQL database)."""
    async with storages(settings.database) as opened:
        yield opened


async def test_an_update_is_recorded_once(pair: list[Storage]) -> None:
    one, two = (ReceivedUpdates(storage.connection) for storage in pair)
    assert await one.record(10, 7, '{"update_id": 10}', now=100.0)
    assert not await two.record(10, 7, '{"update_id": 10}', now=100.5)  # the second delivery
    assert not await two.is_done(10)
    await one.mark_done(10, now=101.0)
    assert await two.is_done(10)
    assert not await one.is_done(11)  # never received


async def test_pending_updates_come_in_update_id_order_per_chat(pair: list[Storage]) -> None:
    one, two = (ReceivedUpdates(storage.connection) for storage in pair)
    await two.record(12, 7, "twelve", now=100.0)
    await one.record(11, 7, "eleven", now=100.0)
    await one.record(13, 8, "other chat", now=100.0)
    pending = await two.next_pending(7)
    assert pending is not None
    assert (pending.update_id, pending.payload) == (11, "eleven")
    await one.mark_done(11, now=101.0)
    second = await one.next_pending(7)
    assert second is not None
    assert second.update_id == 12
    await one.mark_done(12, now=101.0)
    assert await two.next_pending(7) is None


async def test_a_chat_claim_is_held_by_one_until_released_or_expired(pair: list[Storage]) -> None:
    one, two = (ReceivedUpdates(storage.connection) for storage in pair)
    assert await one.claim(7, "a", now=100.0, seconds=60)
    assert await one.claim(7, "a", now=110.0, seconds=60)  # ours already: renewed
    assert not await two.claim(7, "b", now=150.0, seconds=60)
    assert await two.claim(8, "b", now=150.0, seconds=60)  # other chats are free
    assert await one.renew(7, "a", until=300.0)
    assert not await two.renew(7, "b", until=300.0)
    assert not await two.claim(7, "b", now=299.0, seconds=60)
    assert await two.claim(7, "b", now=300.0, seconds=60)  # expired: a dead replica's
    assert not await one.renew(7, "a", until=400.0)  # and "a" knows it lost it
    await one.release(7, "a")  # not ours: nothing happens
    assert not await one.claim(7, "a", now=301.0, seconds=60)
    await two.release(7, "b")
    assert await one.claim(7, "a", now=301.0, seconds=60)


async def test_stale_chats_and_purge(pair: list[Storage]) -> None:
    one, _two = (ReceivedUpdates(storage.connection) for storage in pair)
    await one.record(1, 7, "old, pending", now=100.0)
    await one.record(2, 8, "old, done", now=100.0)
    await one.record(3, 9, "new, pending", now=200.0)
    await one.mark_done(2, now=101.0)
    assert await one.stale_chats(before=150.0) == [7]
    await one.claim(7, "gone", now=100.0, seconds=60)
    assert await one.purge(before=150.0, now=200.0) == 1  # the handled old update
    assert await one.next_pending(7) is not None  # pending ones are kept
    assert not await one.record(1, 7, "again", now=201.0)
    assert await one.claim(7, "alive", now=200.0, seconds=60)  # the expired claim was purged


async def test_flood_windows_are_shared(pair: list[Storage]) -> None:
    one, two = (FloodWindows(storage.connection) for storage in pair)

    def count(times: list[float], warned: bool) -> tuple[int, list[float], bool]:
        return len(times), [*times, 100.0 + len(times)], not warned

    assert await one.decide(5, 100.0, count) == 0
    assert await two.decide(5, 101.0, count) == 1
    assert await one.decide(5, 102.0, count) == 2
    assert await two.decide(6, 102.0, count) == 0  # another user
    await one.forget_before(150.0)
    assert await two.decide(5, 200.0, count) == 0


async def test_the_send_budget_counts_every_replica(pair: list[Storage]) -> None:
    one, two = (SendBudget(storage.connection) for storage in pair)
    taken = [await (one if i % 2 else two).take(1000, limit=5) for i in range(8)]
    assert taken == [True] * 5 + [False] * 3
    assert await one.take(1001, limit=5)  # the next second starts afresh
    assert not await two.take(1000, limit=5)
    assert await two.take(1000, limit=6)  # a higher limit (replies) still fits
    await one.forget_before(1001)
    assert await two.take(1000, limit=1)


async def test_a_notice_is_sent_by_one_replica_per_change(pair: list[Storage]) -> None:
    one, two = (SharedNotices(storage.connection) for storage in pair)
    assert await one.change("content", "abc", now=1.0)
    assert not await two.change("content", "abc", now=2.0)
    assert await two.change("content", "", now=3.0)
    assert await one.change("content", "abc", now=4.0)  # broken again: told again
    assert await one.change("other", "abc", now=4.0)
