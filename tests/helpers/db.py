"""Database helpers for tests: a migrated template to copy, and raw SQL for checks."""

from __future__ import annotations

import asyncio
import shutil
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, create_engine, inspect, text

from bot.storage import Storage


def make_template(folder: Path) -> Path:
    """A database migrated to the head revision, made once per session and copied per test.

    Copying it takes well under a millisecond; running the migrations takes about 0.1 s.
    """
    path = folder / "template.sqlite3"

    async def migrate() -> None:
        storage = await Storage.open(path)
        await storage.close()

    asyncio.run(migrate())
    return path


async def open_copy(template: Path, path: Path) -> Storage:
    """Open a fresh database at `path`: a copy of the migrated template."""
    path.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(template, path)
    return await Storage.open(path)


async def rows(storage: Storage, sql: str, **params: Any) -> list[tuple[Any, ...]]:
    """The rows of a raw SQL query on the storage's connection."""
    async with storage.connection.transaction() as db:
        return [tuple(row) for row in (await db.execute(text(sql), params)).all()]


async def execute(storage: Storage, sql: str, **params: Any) -> None:
    """Run one raw SQL statement on the storage's connection, committed."""
    async with storage.connection.transaction() as db:
        await db.execute(text(sql), params)


def describe_schema(path: Path, *, loose: bool = False) -> dict[str, Any]:
    """The schema of a SQLite file as plain data, to compare two databases.

    Tables with their columns (type, nullability, default, primary key position), foreign keys
    (with ON DELETE), unique keys, indexes (with a partial index's WHERE), and whether the
    table has a rowid. `loose` leaves out what the DDL before Alembic did not say: the names
    of constraints, and NOT NULL on primary keys (which SQLite does not imply for a TEXT key).
    """
    engine = create_engine(f"sqlite:///{path}")
    try:
        with engine.connect() as connection:
            inspector = inspect(connection)
            master = dict(
                connection.exec_driver_sql(
                    "SELECT name, sql FROM sqlite_master WHERE sql IS NOT NULL"
                ).all()
            )
            return {
                table: _describe_table(connection, table, master, loose)
                for table in sorted(inspector.get_table_names())
            }
    finally:
        engine.dispose()


def _describe_table(
    connection: Connection, table: str, master: dict[str, str], loose: bool
) -> dict[str, Any]:
    inspector = inspect(connection)

    def name(item: Any) -> Any:
        return None if loose else item.get("name")

    def squeeze(sql: str) -> str:
        return "".join(sql.split()).lower()

    pk = inspector.get_pk_constraint(table)
    pragma = connection.exec_driver_sql(f"PRAGMA foreign_key_list({table})").mappings()
    on_delete = {(row["from"],): row["on_delete"] for row in pragma}
    return {
        "columns": [
            (
                c["name"],
                str(c["type"]),
                c["nullable"] and not (loose and c.get("primary_key")),
                c.get("default"),
                c.get("primary_key"),
            )
            for c in inspector.get_columns(table)
        ],
        "primary_key": (name(pk), tuple(pk["constrained_columns"])),
        # From SQLite itself: SQLAlchemy reads ON DELETE of table constraints only.
        "foreign_keys": sorted(
            (
                name(fk),
                tuple(fk["constrained_columns"]),
                fk["referred_table"],
                tuple(fk["referred_columns"]),
                on_delete[tuple(fk["constrained_columns"])],
            )
            for fk in inspector.get_foreign_keys(table)
        ),
        "unique": sorted(
            (name(uq), tuple(uq["column_names"])) for uq in inspector.get_unique_constraints(table)
        ),
        "indexes": sorted(
            (
                ix["name"],
                tuple(ix["column_names"]),
                bool(ix["unique"]),
                squeeze(master[ix["name"]]),
            )
            for ix in inspector.get_indexes(table)
        ),
        "without_rowid": "withoutrowid" in squeeze(master[table]),
    }
