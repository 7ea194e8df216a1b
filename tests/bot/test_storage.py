"""Storage on a real SQLite file: users, schema versions, reopening, gaps and votes."""

from __future__ import annotations

import sqlite3
from datetime import timedelta
from pathlib import Path

import pytest

from bot.base.errors import StorageError
from bot.base.turns import UserRecord
from bot.storage import MIGRATIONS, MOVED_WITH_CHAT, Storage
from tests.conftest import NOW


async def test_new_database_is_migrated_to_the_latest_schema(tmp_path: Path) -> None:
    storage = await Storage.open(tmp_path / "sub" / "bot.db")
    try:
        assert await storage.schema_version() == len(MIGRATIONS)
    finally:
        await storage.close()


async def test_user_round_trip_and_update(storage: Storage) -> None:
    assert await storage.get_user(7) is None
    await storage.save_user(UserRecord(7, language="nl"), NOW)
    await storage.save_user(UserRecord(7, language="de", pending="subscribe"), NOW)
    user = await storage.get_user(7)
    assert user is not None
    assert (user.language, user.pending, user.active) == ("de", "subscribe", True)
    assert user.created_at == NOW


async def test_reopening_keeps_data_and_does_not_migrate_again(tmp_path: Path) -> None:
    path = tmp_path / "bot.db"
    first = await Storage.open(path)
    await first.save_user(UserRecord(1, language="fr"), NOW)
    await first.close()
    second = await Storage.open(path)
    try:
        user = await second.get_user(1)
        assert user is not None
        assert user.language == "fr"
        assert await second.schema_version() == len(MIGRATIONS)
    finally:
        await second.close()


async def test_a_later_migration_adds_a_table_without_losing_data(tmp_path: Path) -> None:
    path = tmp_path / "bot.db"
    storage = await Storage.open(path)
    await storage.save_user(UserRecord(5, language="en"), NOW)
    extra = (*MIGRATIONS, "CREATE TABLE extra (id INTEGER PRIMARY KEY);")
    await storage.migrate(extra)
    assert await storage.schema_version() == len(extra)
    assert await storage.get_user(5) is not None
    await storage.close()


async def test_a_database_from_a_newer_version_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "bot.db"
    with sqlite3.connect(path) as raw:
        raw.execute("PRAGMA user_version = 999")
    with pytest.raises(StorageError, match="newer"):
        await Storage.open(path)


async def test_a_failed_migration_rolls_back_and_raises(tmp_path: Path) -> None:
    storage = await Storage.open(tmp_path / "bot.db")
    broken = (*MIGRATIONS, "CREATE TABLE ok (id INTEGER); THIS IS NOT SQL;")
    with pytest.raises(StorageError):
        await storage.migrate(broken)
    await storage.close()
    reopened = await Storage.open(tmp_path / "bot.db")
    assert await reopened.schema_version() == len(MIGRATIONS)
    await reopened.close()


async def test_forget_and_deactivate(storage: Storage) -> None:
    await storage.save_user(UserRecord(9, language="fr"), NOW)
    await storage.set_active(9, False, NOW)
    user = await storage.get_user(9)
    assert user is not None
    assert not user.active
    await storage.delete_user(9)
    assert await storage.get_user(9) is None


async def test_unanswered_questions_hold_no_identity_and_expire(storage: Storage) -> None:
    old = NOW - timedelta(days=91)
    await storage.record_unanswered("quel temps demain", "fr", ["out_of_scope"], old)
    await storage.record_unanswered("Quel temps demain", "fr", ["out_of_scope"], NOW)
    await storage.record_unanswered("quel temps demain", "fr", ["greet"], NOW)
    await storage.record_unanswered("wat is een kot", "nl", ["plp.join"], NOW)
    gaps = await storage.top_unanswered()
    assert (gaps[0].text.lower(), gaps[0].count) == ("quel temps demain", 3)
    columns = {
        row[1]
        for row in await (
            await storage.connection.execute("PRAGMA table_info(unanswered)")
        ).fetchall()
    }
    assert not columns & {"chat_id", "user_id", "user"}
    assert await storage.purge_unanswered(NOW, retention_days=90) == 1
    gaps = await storage.top_unanswered()
    assert gaps[0].count == 2


async def test_votes_are_counted_per_topic(storage: Storage) -> None:
    await storage.record_vote("plp.join", "fr", False, NOW)
    await storage.record_vote("plp.join", "fr", False, NOW)
    await storage.record_vote("plp.join", "fr", True, NOW)
    assert await storage.unhelpful_topics() == [("plp.join", "fr", 2, 1)]


async def test_moving_a_chat_carries_every_row_keyed_by_it(storage: Storage) -> None:
    db = storage.connection
    await storage.save_user(UserRecord(-5, language="de", pending="subscribe"), NOW)
    await storage.save_user(UserRecord(-9, language="fr"), NOW)  # the new id already talked
    for chat, nis in ((-5, "63023"), (-5, "44021"), (-9, "44021")):
        await db.execute(
            "INSERT INTO subscriptions (chat_id, nis, language, created_at) "
            "VALUES (?, ?, 'de', ?)",
            (chat, nis, NOW.isoformat()),
        )
    await db.commit()
    assert await storage.move_chat(-5, -9, NOW)
    assert await storage.get_user(-5) is None
    user = await storage.get_user(-9)
    assert user is not None
    assert user.language == "fr"  # what the new id already had wins
    rows = await db.execute_fetchall("SELECT chat_id, nis FROM subscriptions ORDER BY nis")
    assert [tuple(row) for row in rows] == [(-9, "44021"), (-9, "63023")]
    assert not await storage.move_chat(-5, -9, NOW)  # the second service message: no-op
    assert not await storage.move_chat(-9, -9, NOW)


async def test_every_table_keyed_by_a_chat_moves_with_it(storage: Storage) -> None:
    rows = await storage.connection.execute_fetchall(
        "SELECT name, sql FROM sqlite_master WHERE type = 'table'"
    )
    keyed = {name for name, sql in rows if "REFERENCES users(chat_id)" in sql}
    assert keyed == set(MOVED_WITH_CHAT)
