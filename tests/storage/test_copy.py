"""`preventbot db copy`: a SQLite database moves to PostgreSQL without losing a row."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from bot.base.errors import StorageError
from bot.cli.main import main
from bot.storage import Storage, UserRecord
from bot.storage.copying import copy_database
from bot.storage.schema import metadata
from tests.helpers.db import open_copy, rows
from tests.helpers.legacy import legacy_copy
from tests.helpers.populate import SUPERGROUP, fill
from tests.helpers.project import NOW


async def everything(target: Path | str) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table, in key order, as Python values (flags as booleans)."""
    storage = await Storage.open(target)
    try:
        async with storage.connection.transaction() as db:
            return {
                table.name: [
                    tuple(
                        bool(v) if c.name in ("active", "helpful", "planned", "warned") else v
                        for c, v in zip(table.columns, row, strict=True)
                    )
                    for row in (await db.execute(select(table).order_by(*table.primary_key))).all()
                ]
                for table in metadata.sorted_tables
            }
    finally:
        await storage.close()


async def test_a_database_made_by_todays_code_moves_without_loss(
    tmp_path: Path, storage_template: Path, postgres_database: str
) -> None:
    source = tmp_path / "bot.sqlite3"
    storage = await open_copy(storage_template, source)
    await fill(storage)
    await storage.close()
    before = await everything(source)
    assert all(before.values())  # a row in every table

    copied = await copy_database(source, postgres_database, batch=2)  # several batches

    assert copied.rows == {table: len(rows) for table, rows in before.items()}
    after = await everything(postgres_database)
    # PostgreSQL's text cannot hold U+0000: it is stored as U+FFFD, the rest as it was.
    [question] = before["unanswered"]
    before["unanswered"] = [(*question[:1], question[1].replace("\x00", "\ufffd"), *question[2:])]
    assert after == before
    moved = await Storage.open(postgres_database)
    try:
        # The sequences moved past the copied ids: new rows get fresh ones.
        await moved.gaps.record_unanswered("nouvelle question", "fr", [], NOW)
        assert await rows(moved, "SELECT id FROM unanswered ORDER BY id") == [(1,), (2,)]
        user = await moved.users.get(SUPERGROUP)
        assert user is not None
        assert user.language == "de"
        assert user.active is True
    finally:
        await moved.close()


async def test_a_database_from_before_alembic_moves_too(
    tmp_path: Path, postgres_database: str
) -> None:
    source = legacy_copy(3, tmp_path / "old.sqlite3")
    copied = await copy_database(source, postgres_database)
    assert copied.rows["deliveries"] == 7
    assert await everything(postgres_database) == await everything(source)


async def test_a_target_with_rows_is_refused_and_left_alone(
    tmp_path: Path, storage_template: Path, postgres_database: str
) -> None:
    source = tmp_path / "bot.sqlite3"
    storage = await open_copy(storage_template, source)
    await fill(storage)
    await storage.close()
    target = await Storage.open(postgres_database)
    await target.users.save(UserRecord(1), NOW)
    await target.close()
    with pytest.raises(StorageError, match="not empty: users"):
        await copy_database(source, postgres_database)
    assert (await everything(postgres_database))["users"] == [
        (1, None, None, True, NOW.isoformat(), NOW.isoformat())
    ]


def test_the_command_copies_and_hides_the_password(
    tmp_path: Path,
    storage_template: Path,
    postgres_database: str,
    capsys: pytest.CaptureFixture[str],
) -> None:
    source = tmp_path / "bot.sqlite3"

    async def make() -> None:
        storage = await open_copy(storage_template, source)
        await fill(storage)
        await storage.close()

    asyncio.run(make())
    target = postgres_database.replace("postgres@", "postgres:hunter2@")  # trust: ignored
    assert main(["db", "copy", "--from", str(source), "--to", target]) == 0
    out, err = capsys.readouterr()
    assert "users: 6" in out
    assert "rows copied; the counts match." in out
    assert "hunter2" not in out + err
    assert main(["db", "copy", "--from", str(source), "--to", target]) == 2  # not empty now
    assert "not empty" in capsys.readouterr().err


async def test_a_missing_source_is_refused_not_created(
    tmp_path: Path, postgres_database: str
) -> None:
    with pytest.raises(StorageError, match="no database at"):
        await copy_database(tmp_path / "typo.sqlite3", postgres_database)
    assert not (tmp_path / "typo.sqlite3").exists()
