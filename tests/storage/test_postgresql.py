"""PostgreSQL itself: the migrated schema, wide types, and replicas migrating together."""

from __future__ import annotations

import asyncio

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Connection, inspect

from bot.storage import Storage, UserRecord
from bot.storage.engine import open_engine
from bot.storage.migrate import HEAD
from bot.storage.schema import metadata
from tests.helpers.db import rows
from tests.helpers.postgres import PostgresServer
from tests.helpers.project import NOW


def _differences(connection: Connection) -> list[object]:
    context = MigrationContext.configure(connection, opts={"compare_type": True})
    return list(compare_metadata(context, metadata))


def _column_types(connection: Connection, table: str) -> dict[str, str]:
    return {c["name"]: str(c["type"]) for c in inspect(connection).get_columns(table)}


async def test_the_migrated_schema_equals_the_tables_with_wide_types(
    postgres_database: str,
) -> None:
    engine = open_engine(postgres_database)
    try:
        async with engine.connect() as connection:
            assert await connection.run_sync(_differences) == []
            users = await connection.run_sync(_column_types, "users")
            deliveries = await connection.run_sync(_column_types, "deliveries")
            runs = await connection.run_sync(_column_types, "reminder_runs")
    finally:
        await engine.dispose()
    assert users["chat_id"] == "BIGINT"
    assert users["active"] == "BOOLEAN"
    assert users["created_at"] == "TEXT"  # ISO 8601 text, as on SQLite
    assert deliveries["id"] == "BIGINT"
    assert runs["expires_at"] == "DOUBLE PRECISION"


async def test_a_telegram_id_beyond_32_bits_is_kept(postgres_database: str) -> None:
    storage = await Storage.open(postgres_database)
    try:
        await storage.users.save(UserRecord(-1002345678901), NOW)
        assert await rows(storage, "SELECT chat_id FROM users") == [(-1002345678901,)]
    finally:
        await storage.close()


async def test_replicas_starting_together_migrate_once(postgres_server: PostgresServer) -> None:
    url = await postgres_server.create()  # empty: every replica finds work to do
    try:
        opened = await asyncio.gather(*(Storage.open(url) for _ in range(4)))
        try:
            assert [await storage.revision() for storage in opened] == [HEAD] * 4
            assert await rows(opened[0], "SELECT count(*) FROM alembic_version") == [(1,)]
        finally:
            for storage in opened:
                await storage.close()
    finally:
        await postgres_server.drop(url)


async def test_a_nul_character_is_stored_as_a_replacement_not_an_error(
    postgres_database: str,
) -> None:
    storage = await Storage.open(postgres_database)
    try:
        await storage.gaps.record_unanswered("vol\x00 de vélo", "fr", [], NOW)
        assert await rows(storage, "SELECT text FROM unanswered") == [("vol\ufffd de vélo",)]
    finally:
        await storage.close()
