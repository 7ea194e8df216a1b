"""`preventbot db copy`: move every row of one database into another, empty one.

For moving a SQLite database to PostgreSQL without loss. Both are brought to the current
schema first (the source as the bot would at start), the target must hold no row yet, and
the tables are copied in dependency order (parents before the rows that refer to them), in
batches, in one transaction on the target: a copy that fails leaves the target empty. Then
PostgreSQL's sequences are moved past the copied ids, and the rows are counted on both sides.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

from sqlalchemy import Boolean, Table, func, insert, select, text
from sqlalchemy.ext.asyncio import AsyncConnection

from bot.base.errors import StorageError
from bot.storage.database import Storage
from bot.storage.engine import database_url, map_errors
from bot.storage.schema import metadata

logger = logging.getLogger(__name__)

BATCH: Final = 5_000


@dataclass(frozen=True, slots=True)
class Copied:
    """Rows per table, copied and counted again on the target."""

    rows: dict[str, int]

    @property
    def total(self) -> int:
        """All the rows copied."""
        return sum(self.rows.values())


def shown(target: Path | str) -> str:
    """A database path or URL as it may be printed: without its password."""
    return database_url(target).render_as_string(hide_password=True)


async def copy_database(
    source: Path | str,
    target: Path | str,
    batch: int = BATCH,
    progress: Callable[[str, int], None] | None = None,
) -> Copied:
    """Copy every row of `source` into the empty database `target`; return the counts."""
    if shown(source) == shown(target):
        raise StorageError("the source and the target are the same database")
    _require_existing(source)
    origin = await Storage.open(source)
    try:
        destination = await Storage.open(target)
        try:
            return await _copy(origin, destination, batch, progress)
        finally:
            await destination.close()
    finally:
        await origin.close()


def _require_existing(source: Path | str) -> None:
    """A SQLite source must exist: opening it would create an empty one, and copy nothing."""
    url = database_url(source)
    if url.get_backend_name() == "sqlite" and not Path(url.database or "").is_file():
        raise StorageError(f"no database at {shown(source)}")


async def _copy(
    origin: Storage,
    destination: Storage,
    batch: int,
    progress: Callable[[str, int], None] | None,
) -> Copied:
    counts: dict[str, int] = {}
    with map_errors("copy failed (the target is left as it was)"):
        async with origin.engine.connect() as reader, destination.engine.begin() as writer:
            filled = [
                table.name for table in metadata.sorted_tables if await _count(writer, table)
            ]
            if filled:
                raise StorageError(f"the target database is not empty: {', '.join(filled)}")
            for table in metadata.sorted_tables:  # parents first
                counts[table.name] = await _copy_table(reader, writer, table, batch, progress)
            if writer.dialect.name == "postgresql":
                await _reset_sequences(writer)
            for table in metadata.sorted_tables:
                if await _count(writer, table) != counts[table.name]:
                    raise StorageError(f"{table.name}: the row counts differ after the copy")
    logger.info("Copied %d rows in %d tables", sum(counts.values()), len(counts))
    return Copied(counts)


async def _count(connection: AsyncConnection, table: Table) -> int:
    return int((await connection.execute(select(func.count()).select_from(table))).scalar_one())


async def _copy_table(
    reader: AsyncConnection,
    writer: AsyncConnection,
    table: Table,
    batch: int,
    progress: Callable[[str, int], None] | None,
) -> int:
    """Stream one table's rows in key order and insert them in batches."""
    flags = [column.name for column in table.columns if _is_flag(column.type, writer)]
    ordered = select(table).order_by(*table.primary_key.columns)
    result = await reader.stream(ordered.execution_options(yield_per=batch))
    copied = 0
    async for rows in result.partitions(batch):
        values = [_row(row._asdict(), flags) for row in rows]
        await writer.execute(insert(table), values)
        copied += len(values)
        if progress is not None:
            progress(table.name, copied)
    return copied


def _is_flag(column_type: Any, writer: AsyncConnection) -> bool:
    """A Flag column: SQLite keeps 0/1, PostgreSQL wants true/false."""
    return isinstance(column_type.dialect_impl(writer.dialect), Boolean)


def _row(row: dict[str, Any], flags: list[str]) -> dict[str, Any]:
    for name in flags:
        if row[name] is not None:
            row[name] = bool(row[name])
    return row


async def _reset_sequences(writer: AsyncConnection) -> None:
    """Move each id sequence past the largest copied id (the next insert gets a fresh one)."""
    for table in metadata.sorted_tables:
        column = table.autoincrement_column
        if column is None:
            continue
        await writer.execute(
            text(
                f"SELECT setval(pg_get_serial_sequence('{table.name}', '{column.name}'), "
                f"COALESCE(MAX({column.name}), 1), MAX({column.name}) IS NOT NULL) "
                f"FROM {table.name}"
            )
        )
