"""The engine and its connection: paths and URLs, pragmas, units of work, errors mapped."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import text

from bot.base.errors import StorageError
from bot.storage import Run, Storage, UserRecord
from bot.storage.engine import database_url
from tests.helpers.db import execute, rows
from tests.helpers.project import NOW
from tests.helpers.reminders import add_subscriber


def test_paths_and_urls_become_aiosqlite_urls(tmp_path: Path) -> None:
    assert str(database_url(tmp_path / "a.db")) == f"sqlite+aiosqlite:///{tmp_path}/a.db"
    assert str(database_url(":memory:")) == "sqlite+aiosqlite://"
    assert str(database_url("sqlite:///var/x.db")) == "sqlite+aiosqlite:///var/x.db"
    with pytest.raises(StorageError, match="SQLite or PostgreSQL only"):
        database_url("mysql://bot@localhost/preventbot")


def test_postgresql_urls_use_asyncpg() -> None:
    for given in ("postgresql://bot:pw@db:5432/x", "postgres://bot:pw@db:5432/x"):
        url = database_url(given)
        assert url.drivername == "postgresql+asyncpg"
        assert (url.username, url.password, url.host, url.port) == ("bot", "pw", "db", 5432)
        assert "pw" not in repr(url)


def test_an_invalid_url_is_refused_without_showing_it() -> None:
    with pytest.raises(StorageError, match="invalid database URL") as caught:
        database_url("postgresql://bot:s3cret@db:notaport/x")
    assert "s3cret" not in str(caught.value)


@pytest.mark.backends("sqlite")
async def test_the_pragmas_are_set_on_the_connection(storage: Storage) -> None:
    assert await rows(storage, "PRAGMA journal_mode") == [("wal",)]
    assert await rows(storage, "PRAGMA foreign_keys") == [(1,)]
    assert await rows(storage, "PRAGMA busy_timeout") == [(5000,)]


async def test_a_unit_of_work_that_raises_is_rolled_back(storage: Storage) -> None:
    async def half_done() -> None:
        async with storage.connection.transaction() as db:
            await db.execute(
                text("INSERT INTO users (chat_id, created_at, updated_at) VALUES (1, 'x', 'x')")
            )
            raise ValueError("half way")

    with pytest.raises(ValueError, match="half way"):
        await half_done()
    assert await storage.users.get(1) is None
    await storage.users.save(UserRecord(2), NOW)  # the connection is still usable
    assert await storage.users.get(2) is not None


@pytest.mark.backends("sqlite")  # PostgreSQL's foreign keys here are not deferrable
async def test_a_failed_commit_is_rolled_back_and_the_connection_recovers(
    storage: Storage,
) -> None:
    async def orphan_row() -> None:
        async with storage.connection.transaction() as db:
            await db.execute(
                text("INSERT INTO users (chat_id, created_at, updated_at) VALUES (1, 't', 't')")
            )
            await db.exec_driver_sql("PRAGMA defer_foreign_keys = ON")  # checked at COMMIT
            await db.execute(text("INSERT INTO subscriptions VALUES (999, '1', 'fr', 't')"))

    with pytest.raises(StorageError, match="FOREIGN KEY constraint failed"):
        await orphan_row()
    assert await rows(storage, "SELECT count(*) FROM subscriptions") == [(0,)]
    assert await storage.users.get(1) is None
    await storage.users.save(UserRecord(4), NOW)
    assert await storage.users.get(4) is not None


async def test_database_errors_become_storage_errors_without_the_values(
    storage: Storage,
) -> None:
    await storage.users.save(UserRecord(3), NOW)
    unique = "UNIQUE constraint failed|duplicate key value violates unique constraint"
    with pytest.raises(StorageError, match=unique) as raised:
        await execute(
            storage,
            "INSERT INTO users (chat_id, created_at, updated_at) VALUES (3, :t, :t)",
            t="secret text a user wrote",
        )
    assert "secret" not in str(raised.value)


async def test_a_file_that_is_not_a_database_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "bot.db"
    path.write_bytes(b"certainly not SQLite " * 100)
    with pytest.raises(StorageError, match="not a database"):
        await Storage.open(path)


async def test_a_folder_cannot_be_a_database(tmp_path: Path) -> None:
    with pytest.raises(StorageError, match="is a folder"):
        await Storage.open(tmp_path)


async def test_an_in_memory_database_works_and_passes_share_its_connection() -> None:
    storage = await Storage.open(":memory:")
    try:
        await storage.users.save(UserRecord(1, language="nl"), NOW)
        async with storage.delivery_pass() as log:
            assert log is storage.deliveries
        assert await storage.users.get(1) is not None
    finally:
        await storage.close()


@pytest.mark.backends("sqlite")
async def test_a_pass_commits_without_waiting_for_the_disk_then_restores(
    storage: Storage,
) -> None:
    before = await storage.connection.execute_pragma("synchronous")
    async with storage.delivery_pass() as log:
        assert log is not storage.deliveries
        assert await log._db.execute_pragma("synchronous") == 1  # NORMAL
        await add_subscriber(storage, 1, "63023")
        await log.plan(Run("r", "c", {"fr": "x"}, None, NOW, NOW + timedelta(days=1)), NOW, "fr")
        assert len(await log.claims.claim("me", NOW.timestamp(), NOW.timestamp() + 60, 10)) == 1
    # Committed: the bot's own connection sees the claim.
    assert await storage.deliveries.claims.claim("other", NOW.timestamp(), 0, 10) == []
    assert await storage.connection.execute_pragma("synchronous") == before


@pytest.mark.backends("postgresql")
async def test_on_postgresql_units_of_work_run_side_by_side_on_the_pool(
    storage: Storage,
) -> None:
    assert storage.connection.dialect_name == "postgresql"
    started = asyncio.Event()

    async def holder() -> None:
        async with storage.connection.transaction() as db:
            await db.execute(text("SELECT 1"))
            started.set()
            await asyncio.sleep(0)  # another unit of work runs meanwhile, on another connection
            await db.execute(
                text("INSERT INTO users (chat_id, created_at, updated_at) VALUES (5, 't', 't')")
            )

    async def other() -> None:
        await started.wait()
        await storage.users.save(UserRecord(6), NOW)

    await asyncio.wait_for(asyncio.gather(holder(), other()), timeout=30)
    assert await rows(storage, "SELECT chat_id FROM users ORDER BY chat_id") == [(5,), (6,)]
    with pytest.raises(StorageError, match="PRAGMA"):
        await storage.connection.execute_pragma("synchronous")
    async with storage.delivery_pass() as log:
        assert log is not storage.deliveries
        assert await log.claims.reap(NOW.timestamp()) == 0
