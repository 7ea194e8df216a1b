"""Databases written before Alembic (tests/helpers/data) open with every row intact.

Each is stamped at the revision of its `PRAGMA user_version` and upgraded to the head.
"""

from __future__ import annotations

import sqlite3
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from bot.storage import Draft, Storage
from bot.storage.migrate import LEGACY_REVISIONS, head_revision
from tests.helpers.db import describe_schema
from tests.helpers.legacy import LEGACY_VERSIONS, legacy_copy
from tests.helpers.project import NOW

SUPERGROUP = -1001234567890123  # past 32 bits


# Dropped on purpose by a later revision (0008: reminder passes share the work by claims).
DROPPED = {"reminder_lease"}


def dump(path: Path, only: dict[str, list[str]] | None = None) -> dict[str, list[Any]]:
    """Every row of every table (as SQLite returns them, sorted), or of `only`'s columns."""
    with sqlite3.connect(path) as db:
        tables = [
            name
            for (name,) in db.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name != 'alembic_version'"
            )
        ]
        content: dict[str, list[Any]] = {}
        for table in tables:
            if only is not None and table not in only:
                continue
            columns = ", ".join(only[table]) if only is not None else "*"
            content[table] = sorted(db.execute(f"SELECT {columns} FROM {table}"))
    db.close()
    return content


def columns(path: Path) -> dict[str, list[str]]:
    """The columns of each table."""
    with sqlite3.connect(path) as db:
        tables = [n for (n,) in db.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        found = {t: [row[1] for row in db.execute(f"PRAGMA table_info({t})")] for t in tables}
    db.close()
    return found


@pytest.mark.parametrize("version", LEGACY_VERSIONS)
async def test_every_row_survives_the_upgrade(
    version: int, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = legacy_copy(version, tmp_path / "old.sqlite3")
    before = dump(path)
    old_columns = columns(path)
    assert all(before.values())  # the fixture has rows in every table of its schema
    caplog.set_level("INFO", logger="bot.storage.migrate")
    storage = await Storage.open(path)
    try:
        assert await storage.revision() == head_revision()
    finally:
        await storage.close()
    kept = {table: names for table, names in old_columns.items() if table not in DROPPED}
    after = dump(path, kept)
    assert after == {table: rows for table, rows in before.items() if table not in DROPPED}
    assert not DROPPED & set(dump(path))
    assert f"stamped at revision {LEGACY_REVISIONS[version - 1]}" in caplog.text
    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA user_version").fetchone() == (len(LEGACY_REVISIONS),)
    db.close()


@pytest.mark.parametrize("version", LEGACY_VERSIONS)
async def test_the_upgraded_schema_is_the_new_one(
    version: int, tmp_path: Path, storage_template: Path
) -> None:
    path = legacy_copy(version, tmp_path / "old.sqlite3")
    storage = await Storage.open(path)
    await storage.close()
    # The old DDL named no constraint and left NOT NULL off its TEXT primary keys (which
    # SQLite then lets hold NULL; no code ever wrote one): that is all that differs.
    assert describe_schema(path, loose=True) == describe_schema(storage_template, loose=True)


async def test_the_rows_read_back_through_the_repositories(tmp_path: Path) -> None:
    storage = await Storage.open(legacy_copy(3, tmp_path / "old.sqlite3"))
    try:
        group = await storage.users.get(SUPERGROUP)
        assert group is not None
        assert (group.language, group.active, group.created_at) == ("de", True, NOW)
        blocked = await storage.users.get(9)
        assert blocked is not None
        assert (blocked.language, blocked.active) == (None, False)
        assert [s.nis for s in await storage.subscriptions.places_of(7)] == ["11002", "44021"]
        assert await storage.subscriptions.reach({"21004"}) == 1  # chat 9 is inactive
        assert await storage.drafts.get(42) == Draft(("44021", "63023"), {"fr": "Été", "de": "Ö"})
        [gap, _old] = await storage.gaps.top_unanswered()
        assert (gap.text, gap.guesses) == ("Où déposer «plainte» ? 🚲", ("plp.join", "x"))
        assert await storage.gaps.unhelpful_topics() == [("plp.join", "fr", 1, 0)]
        counts = Counter(await storage.deliveries.counts())
        assert counts == Counter(sent=1, failed=1, forbidden=1, inactive=1, pending=3)
        runs = await storage.deliveries.open_runs()
        assert runs["announce-1"].places == frozenset({"44021", "63023"})
        assert runs["announce-1"].messages == {"de": "Ärger"}
        pending = await storage.deliveries.pending(0, 10)
        assert [(row.chat_id, row.subscribed) for row in pending] == [
            (SUPERGROUP, True),
            (7, True),
            (42, True),
        ]
        claimed = await storage.deliveries.claims.claim("me", NOW.timestamp(), 0, 10)
        assert [row.chat_id for row in claimed] == [SUPERGROUP, 7, 42]
    finally:
        await storage.close()
