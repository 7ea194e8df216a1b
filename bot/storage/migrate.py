"""Bring a database to the latest revision with Alembic when it opens, in one transaction,
under a lock (SQLite's write lock, PostgreSQL's advisory lock): instances starting together
migrate one after the other.

A database from before Alembic has no `alembic_version` table but counts its schema in
`PRAGMA user_version`; schema N is revision N (`LEGACY_REVISIONS`), so it is stamped at that
revision and upgraded from there. Revisions 0001-0003 also keep user_version in step.

Alembic is imported only when there is something to do: a database already at the head is
recognised with one query (the bot and the cron command start faster and lighter).
"""

from __future__ import annotations

import logging
import os
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Final

from sqlalchemy import Connection, inspect
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.base.errors import StorageError
from bot.storage.engine import map_errors

if TYPE_CHECKING:
    from alembic.config import Config
    from alembic.script import ScriptDirectory

logger = logging.getLogger(__name__)

MIGRATIONS_DIR: Final = Path(__file__).with_name("migrations")
VERSIONS_DIR: Final = MIGRATIONS_DIR / "versions"
# Revisions are numbered (`alembic revision --rev-id 0004`) and their files named after them,
# so the head is the highest number; a test checks that Alembic agrees.
HEAD: Final = max(path.name.partition("_")[0] for path in VERSIONS_DIR.glob("[0-9]*_*.py"))
# PRAGMA user_version N (the schemas before Alembic) is revision LEGACY_REVISIONS[N - 1].
LEGACY_REVISIONS: Final = ("0001", "0002", "0003")
VERSION_TABLE: Final = "alembic_version"
# PostgreSQL: replicas starting together migrate in turn under this advisory lock (any fixed
# 64-bit number; "preventb" in ASCII). It is a transaction lock: the commit releases it.
MIGRATION_LOCK: Final = 0x7072_6576_656E_7462


def alembic_config(extra_versions: Sequence[Path] = ()) -> Config:
    """Alembic's configuration, in code (no alembic.ini); tests may add version folders."""
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.set_main_option("path_separator", "os")
    folders = [VERSIONS_DIR, *extra_versions]
    config.set_main_option("version_locations", os.pathsep.join(str(f) for f in folders))
    return config


def head_revision(extra_versions: Sequence[Path] = ()) -> str | None:
    """The revision a migrated database is at, according to Alembic."""
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(alembic_config(extra_versions)).get_current_head()


async def migrate(engine: AsyncEngine, extra_versions: Sequence[Path] = ()) -> None:
    """Upgrade the database to the head revision; refuse one newer than this code."""
    with map_errors("database migration failed"):
        async with engine.connect() as connection:
            if not extra_versions and await connection.run_sync(_recorded_revision) == HEAD:
                return  # the usual case: no Alembic, no write lock
            await connection.rollback()  # ends the read, so the isolation level may change
            if engine.dialect.name == "sqlite":
                # pysqlite opens a transaction only before INSERT/UPDATE/DELETE, so each DDL
                # statement would commit alone: take over and BEGIN ourselves (see _migrate).
                connection = await connection.execution_options(isolation_level="AUTOCOMMIT")
            await connection.run_sync(_migrate, alembic_config(extra_versions))


async def current_revision(engine: AsyncEngine) -> str | None:
    """The revision recorded in the database (None if it has none)."""
    with map_errors("cannot read the schema revision"):
        async with engine.connect() as connection:
            return await connection.run_sync(_recorded_revision)


def _migrate(connection: Connection, config: Config) -> None:
    from alembic import command
    from alembic.runtime.migration import MigrationContext
    from alembic.script import ScriptDirectory
    from alembic.util.exc import CommandError

    script = ScriptDirectory.from_config(config)
    head = script.get_current_head()
    if connection.dialect.name == "sqlite":
        # IMMEDIATE: the write lock now, so two processes starting together migrate in turn.
        connection.exec_driver_sql("BEGIN IMMEDIATE")
    else:
        # PostgreSQL's DDL is transactional too; the lock makes the others wait, then they
        # read the revision the first one committed.
        connection.exec_driver_sql(f"SELECT pg_advisory_xact_lock({MIGRATION_LOCK})")
    try:
        current, legacy = _revision(connection, script)  # read under the lock
        if legacy and current is not None:
            logger.info("Database from before Alembic: stamped at revision %s", current)
            MigrationContext.configure(connection).stamp(script, current)
        if current != head:
            config.attributes["connection"] = connection
            command.upgrade(config, "head")
            logger.info("Database migrated from revision %s to %s", current, head)
        connection.commit()
    except BaseException as exc:
        # SQLite's and PostgreSQL's DDL is transactional: the database is back where it was,
        # stamp included.
        connection.rollback()
        if isinstance(exc, CommandError):
            raise StorageError(f"database migration failed: {exc}") from exc
        raise


def _revision(connection: Connection, script: ScriptDirectory) -> tuple[str | None, bool]:
    """The database's revision, and whether it comes from a legacy user_version."""
    recorded = _recorded_revision(connection)
    if recorded is not None:
        if recorded not in {item.revision for item in script.walk_revisions()}:
            raise StorageError(f"database schema revision {recorded} is newer than this code")
        return recorded, False
    version = _legacy_version(connection)
    if version > len(LEGACY_REVISIONS):
        raise StorageError(f"database schema {version} is newer than this code knows")
    return (LEGACY_REVISIONS[version - 1], True) if version else (None, False)


def _recorded_revision(connection: Connection) -> str | None:
    """What `alembic_version` says (one row, as this project has one branch)."""
    if not inspect(connection).has_table(VERSION_TABLE):
        return None
    row = connection.exec_driver_sql(f"SELECT version_num FROM {VERSION_TABLE}").first()
    return None if row is None else str(row[0])


def _legacy_version(connection: Connection) -> int:
    if connection.dialect.name != "sqlite":
        return 0
    return int(connection.exec_driver_sql("PRAGMA user_version").scalar_one())
