"""Usage counts: added up per day, language, topic and outcome, read back per period, purged."""

from __future__ import annotations

import asyncio
from datetime import date, timedelta

from sqlalchemy import text

from bot.base.turns import ANSWERED, OPENED, UNANSWERED
from bot.storage import DayCount, Storage, TopicCount
from tests.helpers.project import NOW

TODAY = NOW.date()
ALL = ("fr", "nl", "de", "en")


async def test_counts_add_up_per_key(storage: Storage) -> None:
    await storage.usage.add(TODAY, "fr", "plp.join", ANSWERED)
    await storage.usage.add(TODAY, "fr", "plp.join", ANSWERED)
    await storage.usage.add(TODAY, "fr", "plp.join", OPENED)
    await storage.usage.add(TODAY, "nl", "", UNANSWERED, count=3)
    assert await storage.usage.by_day(TODAY, TODAY, ALL) == [
        DayCount(TODAY, "fr", ANSWERED, 2),
        DayCount(TODAY, "fr", OPENED, 1),
        DayCount(TODAY, "nl", UNANSWERED, 3),
    ]


async def test_concurrent_turns_lose_no_count(storage: Storage) -> None:
    await asyncio.gather(*(storage.usage.add(TODAY, "de", "alarm", ANSWERED) for _ in range(50)))
    assert await storage.usage.by_day(TODAY, TODAY, ALL) == [DayCount(TODAY, "de", ANSWERED, 50)]


async def test_a_period_includes_both_ends_and_only_its_languages(storage: Storage) -> None:
    for offset in range(5):
        await storage.usage.add(TODAY - timedelta(days=offset), "fr", "alarm", ANSWERED)
        await storage.usage.add(TODAY - timedelta(days=offset), "en", "alarm", ANSWERED)
    since, until = TODAY - timedelta(days=3), TODAY - timedelta(days=1)
    counts = await storage.usage.by_day(since, until, ("fr",))
    assert [count.day for count in counts] == [since, since + timedelta(days=1), until]
    assert {count.language for count in counts} == {"fr"}
    assert await storage.usage.by_day(TODAY, TODAY, ()) == []


async def test_topics_are_summed_over_the_period_largest_first(storage: Storage) -> None:
    yesterday = TODAY - timedelta(days=1)
    await storage.usage.add(yesterday, "fr", "alarm", ANSWERED, count=2)
    await storage.usage.add(TODAY, "nl", "alarm", ANSWERED, count=2)
    await storage.usage.add(TODAY, "fr", "plp.join", ANSWERED, count=3)
    await storage.usage.add(TODAY, "fr", "plp.join", OPENED, count=9)
    await storage.usage.add(TODAY, "fr", "", UNANSWERED, count=9)  # no topic: never listed
    topics = await storage.usage.by_topic(yesterday, TODAY, ALL, (ANSWERED,))
    assert topics == [TopicCount("alarm", ANSWERED, 4), TopicCount("plp.join", ANSWERED, 3)]
    only_today = await storage.usage.by_topic(TODAY, TODAY, ("fr",), (ANSWERED, OPENED))
    assert only_today == [
        TopicCount("plp.join", OPENED, 9),
        TopicCount("plp.join", ANSWERED, 3),
    ]


async def test_days_past_the_retention_are_purged(storage: Storage) -> None:
    await storage.usage.add(TODAY - timedelta(days=91), "fr", "alarm", ANSWERED)
    await storage.usage.add(TODAY - timedelta(days=90), "fr", "alarm", ANSWERED)
    assert await storage.usage.purge(NOW, retention_days=90) == 1
    kept = await storage.usage.by_day(date.min, TODAY, ALL)
    assert [count.day for count in kept] == [TODAY - timedelta(days=90)]


async def test_the_table_has_no_room_for_a_chat_or_a_text(storage: Storage) -> None:
    async with storage.connection.transaction() as db:
        columns = set((await db.execute(text("SELECT * FROM usage_daily WHERE 1 = 0"))).keys())
    assert columns == {"day", "language", "topic", "outcome", "count"}
