"""A database filled through today's repositories: rows in every table, odd values included."""

from __future__ import annotations

from datetime import timedelta

from bot.base.turns import UserRecord
from bot.storage import Draft, Handled, Run, Storage
from bot.storage import deliveries as status
from bot.storage.received_updates import ReceivedUpdates
from bot.storage.shared_state import FloodWindows, SendBudget, SharedNotices
from tests.helpers.project import NOW

SUPERGROUP = -1001234567890123  # past 32 bits


async def fill(storage: Storage) -> None:
    """Users (one inactive), gaps and votes, subscriptions, a draft, runs and deliveries in
    several statuses, staff with links and sessions, topic drafts and versions, audit, usage
    counts, handled inbox questions."""
    for chat, language in ((7, "nl"), (8, "fr"), (9, "de"), (SUPERGROUP, "de"), (42, "en")):
        await storage.users.save(UserRecord(chat, language=language, pending=None), NOW)
    await storage.users.save(UserRecord(10, language="fr", pending="subscribe:place"), NOW)
    await storage.users.set_active(9, False, NOW)
    await storage.gaps.record_unanswered("Où déposer «plainte» ? 🚲\x00?", "fr", ["a", "b"], NOW)
    await storage.gaps.record_vote("plp.join", "fr", False, NOW)
    await storage.gaps.record_vote("burglary.holiday", "nl", True, NOW)
    for chat, nis in (
        (7, "44021"),
        (7, "11002"),
        (8, "21004"),
        (9, "21004"),
        (SUPERGROUP, "63023"),
    ):
        await storage.subscriptions.add(chat, nis, "fr", NOW, 5)
    await storage.drafts.save(42, Draft(("44021", "63023"), {"fr": "Été", "de": "Ö"}), NOW)
    run = Run("c1@2026-11-25", "c1", {"fr": "Rappel é", "nl": "Ñ"}, None, NOW, NOW + timedelta(1))
    log = storage.deliveries
    await log.plan(run, NOW, "fr")
    pending = await log.pending(0, 100)
    await log.mark(pending[0].id, status.SENT, NOW)
    await log.mark(pending[1].id, status.FAILED, NOW, 5, "Bad Request: chat not found")
    await log.claims.claim("host:1:x", NOW.timestamp(), NOW.timestamp() + 60, 1)
    editor = await storage.staff.invite("Éditrice", "editor", "fr", ("hash-1", 1e10), NOW)
    reviewer = await storage.staff.add("Reviewer", "reviewer", "nl", NOW)
    await storage.staff.add_session("session-hash", reviewer.id, "csrf", 1e10, NOW)
    draft = await storage.topic_drafts.create("plp.join", "title: x\n", None, editor.id, NOW)
    await storage.topic_drafts.add_version(
        "plp.join", "title: x\n", "abc", draft, reviewer.id, NOW
    )
    await storage.audit.record(editor.id, "topic.submit", "plp.join", NOW, "détail")
    # The dashboard's counts and the inbox's handled questions.
    await storage.usage.add(NOW.date(), "fr", "plp.join", "answered", 3)
    await storage.usage.add(NOW.date(), "nl", "", "unanswered")
    await storage.inbox.mark([Handled("ou deposer plainte", "fr")], "ignored", "", editor.id, NOW)
    # What replicas share (bot/storage/received_updates.py, shared_state.py).
    stamp = NOW.timestamp()
    received = ReceivedUpdates(storage.connection)
    await received.record(900_000_001, SUPERGROUP, '{"update_id": 900000001, "x": "é"}', stamp)
    await received.record(900_000_002, 7, '{"update_id": 900000002}', stamp)
    await received.mark_done(900_000_002, stamp + 1)
    await received.claim(SUPERGROUP, "host:1:abc", stamp, 60)
    await FloodWindows(storage.connection).decide(7, stamp, lambda t, w: (None, [stamp], True))
    await SendBudget(storage.connection).take(int(stamp), 30)
    await SharedNotices(storage.connection).change("content-problems", "abc", stamp)
