"""Migrations: a new database reaches the head revision, reopening does nothing, a later
revision upgrades in place, a newer database is refused and a failed revision rolls back."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from bot.base.errors import StorageError
from bot.storage import Storage, UserRecord
from bot.storage.migrate import HEAD, head_revision
from tests.helpers.db import rows
from tests.helpers.project import NOW

EXTRA_REVISION = '''
"""A table added after the head (written by the test)."""
import sqlalchemy as sa
from alembic import op

revision = "9001"
down_revision = "{head}"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table("extra", sa.Column("id", sa.Integer, primary_key=True))
    {more}


def downgrade() -> None:
    op.drop_table("extra")
'''


def extra_revision(folder: Path, more: str = "pass") -> Path:
    """A version folder with one revision above the head; `more` runs after its table."""
    folder.mkdir()
    text = EXTRA_REVISION.format(head=head_revision(), more=more)
    (folder / "9001_extra.py").write_text(text, encoding="utf-8")
    return folder


async def test_new_database_is_migrated_to_the_latest_schema(tmp_path: Path) -> None:
    storage = await Storage.open(tmp_path / "sub" / "bot.db")
    try:
        assert await storage.revision() == head_revision() == "0008"
        # Code from before Alembic could still open it: user_version says schema 3.
        assert await rows(storage, "PRAGMA user_version") == [(3,)]
    finally:
        await storage.close()


async def test_reopening_keeps_data_and_does_not_migrate_again(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = tmp_path / "bot.db"
    first = await Storage.open(path)
    await first.users.save(UserRecord(1, language="fr"), NOW)
    await first.close()
    caplog.clear()
    second = await Storage.open(path)
    try:
        user = await second.users.get(1)
        assert user is not None
        assert user.language == "fr"
        assert await second.revision() == head_revision()
        assert not [record for record in caplog.records if "migrated" in record.getMessage()]
    finally:
        await second.close()


async def test_a_later_migration_adds_a_table_without_losing_data(tmp_path: Path) -> None:
    path = tmp_path / "bot.db"
    storage = await Storage.open(path)
    await storage.users.save(UserRecord(5, language="en"), NOW)
    await storage.close()
    storage = await Storage.open(path, extra_versions=[extra_revision(tmp_path / "extra")])
    try:
        assert await storage.revision() == "9001"
        assert await storage.users.get(5) is not None
        assert await rows(storage, "SELECT count(*) FROM extra") == [(0,)]
    finally:
        await storage.close()


async def test_a_database_from_a_newer_version_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "bot.db"
    with sqlite3.connect(path) as raw:
        raw.execute("PRAGMA user_version = 999")
    raw.close()
    with pytest.raises(StorageError, match="newer"):
        await Storage.open(path)


async def test_a_database_at_an_unknown_revision_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "bot.db"
    storage = await Storage.open(path, extra_versions=[extra_revision(tmp_path / "extra")])
    await storage.close()
    with pytest.raises(StorageError, match="revision 9001 is newer"):
        await Storage.open(path)  # this code does not know revision 9001


async def test_a_failed_migration_rolls_back_and_raises(tmp_path: Path) -> None:
    path = tmp_path / "bot.db"
    storage = await Storage.open(path)
    await storage.users.save(UserRecord(5, language="en"), NOW)
    await storage.close()
    broken = extra_revision(tmp_path / "broken", more='op.execute("THIS IS NOT SQL")')
    with pytest.raises(StorageError, match="migration failed"):
        await Storage.open(path, extra_versions=[broken])
    reopened = await Storage.open(path)
    try:
        assert await reopened.revision() == head_revision()
        assert await reopened.users.get(5) is not None
        tables = await rows(reopened, "SELECT name FROM sqlite_master WHERE name = 'extra'")
        assert tables == []  # the revision's first statement was undone too
    finally:
        await reopened.close()


async def test_a_new_database_whose_migration_fails_stays_empty(tmp_path: Path) -> None:
    path = tmp_path / "bot.db"
    broken = extra_revision(tmp_path / "broken", more='op.execute("THIS IS NOT SQL")')
    with pytest.raises(StorageError):
        await Storage.open(path, extra_versions=[broken])
    with sqlite3.connect(path) as raw:
        assert raw.execute("SELECT name FROM sqlite_master").fetchall() == []
        assert raw.execute("PRAGMA user_version").fetchone() == (0,)
    raw.close()


def test_the_head_named_by_the_files_is_alembics() -> None:
    assert head_revision() == HEAD


def test_a_database_at_the_head_opens_without_importing_alembic(storage_template: Path) -> None:
    script = (
        "import asyncio, sys\n"
        "from bot.storage import Storage\n"
        "async def main():\n"
        f"    storage = await Storage.open({str(storage_template)!r})\n"
        "    await storage.close()\n"
        "asyncio.run(main())\n"
        "print(sorted(name for name in sys.modules if name.startswith('alembic')))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, timeout=60
    )
    assert result.stdout.strip() == "[]"
