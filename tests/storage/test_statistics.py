"""Dashboard sums: votes per topic and language in a period, subscribers per area."""

from __future__ import annotations

from datetime import timedelta

from bot.base.turns import UserRecord
from bot.storage import Storage, VoteCount
from tests.helpers.project import NOW
from tests.helpers.reminders import add_subscriber

TODAY = NOW.date()
ALL = ("fr", "nl", "de", "en")
EUPEN, KELMIS, GENT = "63023", "63040", "44021"
AREA = {EUPEN: "liege", KELMIS: "liege", GENT: "east-flanders"}


async def test_votes_per_topic_and_language_in_the_period(storage: Storage) -> None:
    await storage.gaps.record_vote("plp.join", "fr", False, NOW)
    await storage.gaps.record_vote("plp.join", "fr", True, NOW)
    await storage.gaps.record_vote("plp.join", "nl", False, NOW - timedelta(days=1))
    await storage.gaps.record_vote("alarm", "fr", True, NOW - timedelta(days=8))
    votes = await storage.statistics.votes(TODAY - timedelta(days=6), TODAY, ALL)
    assert votes == [VoteCount("plp.join", "fr", 1, 2), VoteCount("plp.join", "nl", 1, 1)]
    older = await storage.statistics.votes(TODAY - timedelta(days=13), TODAY - timedelta(7), ALL)
    assert older == [VoteCount("alarm", "fr", 0, 1)]
    assert await storage.statistics.votes(TODAY, TODAY, ("de",)) == []


async def test_subscribers_count_once_per_area(storage: Storage) -> None:
    await add_subscriber(storage, 1, EUPEN, "fr")
    await add_subscriber(storage, 1, KELMIS, "fr")  # two places, one province: counted once
    await add_subscriber(storage, 2, KELMIS, "de")
    await add_subscriber(storage, 3, GENT, "nl")
    await add_subscriber(storage, 4, "99999", "nl")  # a place without an area: left out
    await add_subscriber(storage, 5, GENT, "nl")
    await storage.users.save(UserRecord(5, language="nl", active=False), NOW)  # blocked the bot
    assert await storage.statistics.subscribers(AREA, ALL) == {"liege": 2, "east-flanders": 1}
    assert await storage.statistics.subscribers(AREA, ("de",)) == {"liege": 1}
