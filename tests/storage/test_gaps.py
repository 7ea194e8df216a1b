"""Unanswered questions and votes: counted together, no identity, gone after the retention."""

from __future__ import annotations

from datetime import timedelta

from bot.storage import Storage
from tests.helpers.project import NOW


async def test_unanswered_questions_are_counted_and_expire(storage: Storage) -> None:
    old = NOW - timedelta(days=91)
    await storage.gaps.record_unanswered("quel temps demain", "fr", ["out_of_scope"], old)
    await storage.gaps.record_unanswered("Quel temps demain", "fr", ["out_of_scope"], NOW)
    await storage.gaps.record_unanswered("quel temps demain", "fr", ["greet"], NOW)
    await storage.gaps.record_unanswered("wat is een kot", "nl", ["plp.join"], NOW)
    gaps = await storage.gaps.top_unanswered()
    assert (gaps[0].text.lower(), gaps[0].count, gaps[0].last_seen) == (
        "quel temps demain",
        3,
        NOW,
    )
    assert await storage.gaps.purge(NOW, retention_days=90) == 1
    gaps = await storage.gaps.top_unanswered()
    assert gaps[0].count == 2
    assert len(await storage.gaps.top_unanswered(limit=1)) == 1


async def test_votes_are_counted_per_topic(storage: Storage) -> None:
    await storage.gaps.record_vote("plp.join", "fr", False, NOW)
    await storage.gaps.record_vote("plp.join", "fr", False, NOW)
    await storage.gaps.record_vote("plp.join", "fr", True, NOW)
    await storage.gaps.record_vote("burglary", "nl", True, NOW)  # only helpful: not listed
    assert await storage.gaps.unhelpful_topics() == [("plp.join", "fr", 2, 1)]


async def test_old_votes_are_purged_too(storage: Storage) -> None:
    await storage.gaps.record_vote("plp.join", "fr", False, NOW - timedelta(days=100))
    await storage.gaps.purge(NOW, retention_days=90)
    assert await storage.gaps.unhelpful_topics() == []
