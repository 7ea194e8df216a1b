"""Users on a real SQLite file: round trip, forget, deactivate, and a chat that moves."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from bot.base.settings import Settings
from bot.storage import Storage, UserRecord, UserStore
from tests.helpers.db import execute, rows
from tests.helpers.project import NOW


async def test_user_round_trip_and_update(storage: Storage) -> None:
    assert await storage.users.get(7) is None
    await storage.users.save(UserRecord(7, language="nl"), NOW)
    await storage.users.save(UserRecord(7, language="de", pending="subscribe"), NOW)
    user = await storage.users.get(7)
    assert user is not None
    assert (user.language, user.pending, user.active) == ("de", "subscribe", True)
    assert user.created_at == NOW


async def test_a_supergroup_id_fits(storage: Storage) -> None:
    await storage.users.save(UserRecord(-1001234567890123, language="fr"), NOW)
    assert await storage.users.get(-1001234567890123) is not None


async def test_forget_and_deactivate(storage: Storage) -> None:
    await storage.users.save(UserRecord(9, language="fr"), NOW)
    await storage.users.set_active(9, False, NOW)
    user = await storage.users.get(9)
    assert user is not None
    assert not user.active
    await storage.users.delete(9)
    assert await storage.users.get(9) is None


async def test_moving_a_chat_carries_every_row_keyed_by_it(storage: Storage) -> None:
    await storage.users.save(UserRecord(-5, language="de", pending="subscribe"), NOW)
    await storage.users.save(UserRecord(-9, language="fr"), NOW)  # the new id already talked
    for chat, nis in ((-5, "63023"), (-5, "44021"), (-9, "44021")):
        await storage.subscriptions.add(chat, nis, "de", NOW, 5)
    assert await storage.users.move_chat(-5, -9, NOW)
    assert await storage.users.get(-5) is None
    user = await storage.users.get(-9)
    assert user is not None
    assert user.language == "fr"  # what the new id already had wins
    assert await rows(storage, "SELECT chat_id, nis FROM subscriptions ORDER BY nis") == [
        (-9, "44021"),
        (-9, "63023"),
    ]
    assert not await storage.users.move_chat(-5, -9, NOW)  # the second service message: no-op
    assert not await storage.users.move_chat(-9, -9, NOW)


async def test_a_moved_chat_keeps_its_draft_and_deliveries(storage: Storage) -> None:
    await storage.users.save(UserRecord(-5, language="de"), NOW)
    await execute(
        storage,
        "INSERT INTO reminder_runs (occurrence, campaign_id, messages, due_at, expires_at, "
        "created_at) VALUES ('r', 'c', '{}', :now, 0, :now)",
        now=NOW.isoformat(),
    )
    await execute(
        storage, "INSERT INTO deliveries (occurrence, chat_id, language) VALUES ('r', -5, 'de')"
    )
    await execute(
        storage,
        "INSERT INTO announcement_drafts VALUES (-5, '[]', '{}', :now)",
        now=NOW.isoformat(),
    )
    assert await storage.users.move_chat(-5, -1005, NOW)
    assert await rows(storage, "SELECT chat_id FROM deliveries") == [(-1005,)]
    assert await rows(storage, "SELECT chat_id FROM announcement_drafts") == [(-1005,)]
    moved = await storage.users.get(-1005)
    assert moved is not None
    assert (moved.language, moved.created_at) == ("de", NOW)


async def test_the_user_cache_follows_every_write(storage: Storage) -> None:
    users = storage.users
    assert await users.get(5) is None
    await users.save(UserRecord(5, language="fr"), NOW)
    stored = await users.get(5)
    assert stored is not None
    assert (stored.language, stored.created_at) == ("fr", NOW)
    await users.save(replace(stored, pending="subscribe"), NOW)
    assert (await users.get(5)) == replace(stored, pending="subscribe")
    await users.set_active(5, False, NOW)
    again = await users.get(5)
    assert again is not None
    assert not again.active
    await users.move_chat(5, 6, NOW)
    assert await users.get(5) is None
    moved = await users.get(6)
    assert moved is not None
    assert moved.language == "fr"
    await users.delete(6)
    assert await users.get(6) is None


async def test_a_user_saved_is_cached_with_its_stored_creation_time(storage: Storage) -> None:
    users = UserStore(storage.connection, cache_size=10)
    later = NOW + timedelta(days=3)
    await users.save(UserRecord(5, language="fr"), NOW)  # new: created now
    await users.save(UserRecord(5, language="nl"), later)  # a write that does not know it
    assert users._cache[5] == UserRecord(5, language="nl", created_at=NOW)
    assert await users.get(5) == UserRecord(5, language="nl", created_at=NOW)


async def test_the_user_cache_is_bounded_and_can_be_off(storage: Storage) -> None:
    small = UserStore(storage.connection, cache_size=2)
    off = UserStore(storage.connection, cache_size=0)
    for chat_id in (1, 2, 3):
        await small.save(UserRecord(chat_id, language="nl", created_at=NOW), NOW)
    assert len(small._cache) == 2
    await small.save(UserRecord(1, language="de", created_at=NOW), NOW)
    seen = await off.get(1)  # another instance (as another process would) reads the database
    assert seen is not None
    assert seen.language == "de"
    assert off._cache == {}


async def test_the_user_cache_is_kept_on_sqlite_only(storage: Storage, settings: Settings) -> None:
    other = await Storage.open(settings.database)  # another instance on the same database
    try:
        await storage.users.save(UserRecord(5, language="fr"), NOW)
        await storage.users.get(5)
        await other.users.save(UserRecord(5, language="nl"), NOW)
        seen = await storage.users.get(5)
    finally:
        await other.close()
    assert seen is not None
    # One process on SQLite serves from its cache; replicas on PostgreSQL read every time.
    expected = "fr" if storage.connection.dialect_name == "sqlite" else "nl"
    assert seen.language == expected
