"""Writes legacy_v1/v2/v3.sqlite3: databases made by the code before the storage package.

Kept as a record of how the files were made; it runs only on a checkout from before the
`bot/storage/` package (commit 51f47bf, where bot/storage.py held the schema as
`PRAGMA user_version` migrations):

    git archive 51f47bf | tar -x -C /tmp/old && cd /tmp/old
    cp /path/to/this/file . && python make_legacy_databases.py /path/to/tests/helpers/data

The rows cover every table and the awkward values: a supergroup id past 32 bits, text outside
ASCII, NULL columns, every delivery status, a run for all places and one for a few.
"""
# ruff: noqa
# mypy: ignore-errors

from __future__ import annotations

import asyncio
import sqlite3
import sys
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from bot.delivery_log import DeliveryLog, Run
from bot.storage import MIGRATIONS, Storage, UserRecord
from bot.subscription_store import Draft, SubscriptionStore

NOW = datetime(2026, 11, 25, 14, 30, tzinfo=ZoneInfo("Europe/Brussels"))
SUPERGROUP = -1001234567890123


async def users_and_gaps(storage: Storage, version: int) -> None:
    """Rows of schema 1 (users) and, from 2 on, unanswered questions and votes."""
    await storage.save_user(UserRecord(7, language="nl"), NOW)
    await storage.save_user(UserRecord(8, language="fr", pending="subscribe"), NOW)
    await storage.save_user(UserRecord(9), NOW - timedelta(days=3))
    await storage.set_active(9, False, NOW)
    await storage.save_user(UserRecord(SUPERGROUP, language="de"), NOW)
    await storage.save_user(UserRecord(42, language="en", pending="announce:text"), NOW)
    if version < 2:
        return
    await storage.record_unanswered("Où déposer «plainte» ? 🚲", "fr", ["plp.join", "x"], NOW)
    await storage.record_unanswered("wat is een kot", "nl", [], NOW - timedelta(days=100))
    await storage.record_vote("plp.join", "fr", False, NOW)
    await storage.record_vote("burglary.holiday", "nl", True, NOW - timedelta(days=1))


async def reminders(storage: Storage) -> None:
    """Rows of schema 3: subscriptions, two runs, deliveries in every status, lease, draft."""
    subscriptions = SubscriptionStore(storage)
    for chat, nis, language in (
        (7, "44021", "nl"),
        (7, "11002", "nl"),
        (8, "21004", "fr"),
        (9, "21004", "fr"),
        (SUPERGROUP, "63023", "de"),
        (42, "44021", "en"),
    ):
        await subscriptions.add(chat, nis, language, NOW, 5)
    await subscriptions.save_draft(42, Draft(("44021", "63023"), {"fr": "Été", "de": "Ö"}), NOW)
    log = DeliveryLog(storage)
    everywhere = Run(
        "c1@2026-11-25",
        "c1",
        {"fr": "Rappel é", "nl": "Herinnering"},
        None,
        NOW,
        NOW + timedelta(days=1),
    )
    local = Run(
        "announce-1",
        "announcement",
        {"de": "Ärger"},
        frozenset({"63023", "44021"}),
        NOW,
        NOW + timedelta(hours=2),
    )
    await log.plan(everywhere, NOW, "fr")
    await log.plan(local, NOW, "fr")
    rows = await log.pending(0, 100)
    await log.mark(rows[0].id, "sent", NOW)
    await log.mark(rows[1].id, "failed", NOW, 5, "Bad Request: chat not found")
    await log.mark(rows[2].id, "forbidden", NOW, 1, "Forbidden: bot was blocked")
    await log.mark_many([rows[3].id], "inactive", NOW)
    await log.take_lease("host:123:abcd", NOW.timestamp(), 120)


async def make(path: Path, version: int) -> None:
    path.unlink(missing_ok=True)
    storage = await Storage.open(path) if version == len(MIGRATIONS) else None
    if storage is None:
        raw = await __import__("aiosqlite").connect(path)
        await raw.execute("PRAGMA journal_mode=WAL")
        await raw.close()
        storage = Storage(await __import__("aiosqlite").connect(path))
        storage.connection.row_factory = sqlite3.Row
        await storage.connection.execute("PRAGMA foreign_keys=ON")
        await storage.migrate(MIGRATIONS[:version])
    try:
        await users_and_gaps(storage, version)
        if version >= 3:
            await reminders(storage)
    finally:
        await storage.close()
    with sqlite3.connect(path) as db:  # checkpoint the WAL into the file, then shrink it
        db.execute("VACUUM")
    db.close()


async def main(folder: Path) -> None:
    for version in range(1, len(MIGRATIONS) + 1):
        await make(folder / f"legacy_v{version}.sqlite3", version)


if __name__ == "__main__":
    asyncio.run(main(Path(sys.argv[1])))
