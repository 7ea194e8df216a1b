"""The async engine (a path or URL in, SQLite pragmas on every connection) and error mapping.

SQLite (aiosqlite) is the embedded default; a `postgresql://` URL opens PostgreSQL (asyncpg).

Every database call of the package runs inside `map_errors`, so SQLAlchemy's and the driver's
exceptions leave the package as `StorageError` (as httpx's `map_exceptions`; migrate.py adds
Alembic's).
"""

from __future__ import annotations

import asyncio
import logging
import sqlite3
from collections.abc import AsyncIterator, Iterator, Mapping, Sequence
from contextlib import asynccontextmanager, contextmanager
from pathlib import Path
from typing import Any, Final

from sqlalchemy import ClauseElement, Executable, event
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import DBAPIError, SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, create_async_engine
from sqlalchemy.pool import ConnectionPoolEntry
from sqlalchemy.sql.compiler import SQLCompiler

from bot.base.errors import StorageError
from bot.storage.portable import no_nul

logger = logging.getLogger(__name__)

# Set on every new connection: what the bot relied on before the storage package too.
SQLITE_PRAGMAS: Final = ("journal_mode=WAL", "foreign_keys=ON", "busy_timeout=5000")
SQLITE_DRIVER: Final = "sqlite+aiosqlite"
POSTGRESQL_DRIVER: Final = "postgresql+asyncpg"
POSTGRESQL_SCHEMES: Final = ("postgresql", "postgres")


@contextmanager
def map_errors(action: str) -> Iterator[None]:
    """Turn database library errors raised inside into `StorageError("<action>: ...")`."""
    try:
        yield
    except (SQLAlchemyError, sqlite3.Error, OSError) as exc:
        # The driver's message, not SQLAlchemy's: that one repeats the SQL and its parameters,
        # which may hold what a user wrote.
        detail = exc.orig if isinstance(exc, DBAPIError) and exc.orig is not None else exc
        raise StorageError(f"{action}: {detail}") from exc


def database_url(target: Path | str) -> URL:
    """The SQLAlchemy URL of a file path, ":memory:", a `sqlite://` or a `postgresql://` URL."""
    text = str(target)
    if "://" not in text:
        if text == ":memory:":
            return make_url(f"{SQLITE_DRIVER}://")
        return make_url(f"{SQLITE_DRIVER}:///{Path(text).expanduser()}")
    scheme = text.partition("://")[0].partition("+")[0].lower()
    if scheme in POSTGRESQL_SCHEMES:
        # Rewritten to SQLAlchemy's name before parsing: it knows "postgresql", not "postgres".
        text = f"{POSTGRESQL_DRIVER}://{text.partition('://')[2]}"
    try:
        url = make_url(text)
    except (SQLAlchemyError, ValueError):
        # Not the text: a URL may hold a password.
        raise StorageError(
            "invalid database URL (expected a path, sqlite:// or postgresql://)"
        ) from None
    if url.get_backend_name() == "postgresql":
        return url
    if url.get_backend_name() != "sqlite":
        raise StorageError(
            f"unsupported database {url.get_backend_name()!r}: SQLite or PostgreSQL only"
        )
    return url.set(drivername=SQLITE_DRIVER)


def in_memory(url: URL) -> bool:
    """Whether the URL names a private in-memory SQLite database (one connection sees it)."""
    return url.get_backend_name() == "sqlite" and url.database in (None, "", ":memory:")


def open_engine(target: Path | str) -> AsyncEngine:
    """An engine for the database at `target`, creating the file's folder if needed."""
    url = database_url(target)
    if url.get_backend_name() == "postgresql":
        with map_errors("cannot create the database engine"):
            # pre_ping: a replica outlives a restart of the server without a failed request.
            engine = create_async_engine(url, pool_pre_ping=True)
        event.listen(engine.sync_engine, "before_cursor_execute", no_nul, retval=True)
        return engine
    if url.database and not in_memory(url):
        path = Path(url.database)
        if path.is_dir():  # checked here: aiosqlite leaves a thread behind when connect fails
            raise StorageError(f"cannot open the database {path}: it is a folder")
        with map_errors(f"cannot create the folder of {path}"):
            path.parent.mkdir(parents=True, exist_ok=True)
    with map_errors("cannot create the database engine"):
        engine = create_async_engine(url)
    event.listen(engine.sync_engine, "connect", _sqlite_pragmas)
    return engine


def _sqlite_pragmas(dbapi_connection: Any, _record: ConnectionPoolEntry) -> None:
    cursor = dbapi_connection.cursor()
    try:
        for pragma in SQLITE_PRAGMAS:
            cursor.execute(f"PRAGMA {pragma}")
    finally:
        cursor.close()


class SerialConnection:
    """One connection whose units of work run one at a time, in arrival order.

    SQLite takes one writer at a time anyway; one long-lived connection keeps the per-call cost
    at what aiosqlite alone costs (no pool checkout, no reset on return). With PostgreSQL
    `open` returns a `PooledConnection`: a connection per unit of work from the pool.
    """

    def __init__(self, connection: AsyncConnection) -> None:
        self._connection = connection
        self._lock = asyncio.Lock()
        self._driver_sql: dict[ClauseElement, tuple[str, tuple[str, ...]]] = {}

    @classmethod
    async def open(cls, engine: AsyncEngine) -> SerialConnection:
        """Check a connection out of the engine's pool for as long as this object lives
        (SQLite), or one per unit of work (PostgreSQL)."""
        if engine.dialect.name != "sqlite":
            return PooledConnection(engine)
        with map_errors("cannot open the database"):
            return cls(await engine.connect())

    @property
    def dialect_name(self) -> str:
        """ "sqlite" or "postgresql": repositories build their upserts for it."""
        return self._connection.dialect.name

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[AsyncConnection]:
        """A unit of work: committed when the block ends, rolled back if it (or the commit)
        raises."""
        async with self._lock:
            with map_errors("database error"):
                try:
                    yield self._connection
                    if await self._wrote():
                        await self._connection.commit()
                except BaseException:
                    await self._rollback()
                    raise

    async def _wrote(self) -> bool:
        """Whether the unit left a transaction open in the driver.

        A unit that only read has nothing to commit: this skips the round trip to aiosqlite's
        thread (pysqlite begins a transaction only before a write). Asked each time: after a
        lost connection SQLAlchemy reconnects with a new driver connection.
        """
        raw = await self._connection.get_raw_connection()
        return bool(getattr(raw.driver_connection, "in_transaction", True))

    async def _rollback(self) -> None:
        try:
            await self._connection.rollback()
            if await self._wrote():
                # A COMMIT that failed (e.g. a deferred constraint) ends SQLAlchemy's
                # transaction but leaves SQLite's open: end that one at the driver.
                raw = await self._connection.get_raw_connection()
                if raw.driver_connection is not None:
                    await raw.driver_connection.rollback()
        except (SQLAlchemyError, sqlite3.Error):
            # The error being raised matters more; SQLAlchemy reconnects on the next use.
            logger.warning("Rollback failed", exc_info=True)

    async def execute_pragma(self, pragma: str) -> Any:
        """Run `PRAGMA <pragma>`; return the first value it answers, if any."""
        async with self.transaction() as connection:
            result = await connection.exec_driver_sql(f"PRAGMA {pragma}")
            row = result.first() if result.returns_rows else None
        return None if row is None else row[0]

    async def executemany(
        self, statement: ClauseElement, rows: Sequence[Mapping[str, Any]]
    ) -> None:
        """Run one statement for many rows and commit, straight through the driver.

        For the hottest path (the delivery marks): SQLAlchemy compiles the statement once for
        this dialect, and the rows skip its per-call work, which costs four times what SQLite
        does here (two round trips to aiosqlite's thread instead of four, no parameter
        processing). So the parameters must need no conversion: text, numbers, None.
        """
        sql, names = self._compiled(statement)
        values = [tuple(row[name] for name in names) for row in rows]
        async with self._lock:
            with map_errors("database error"):
                raw = await self._connection.get_raw_connection()
                driver = raw.driver_connection
                if driver is None:
                    raise StorageError("database error: the connection is closed")
                try:
                    await driver.executemany(sql, values)
                    await driver.commit()
                except BaseException:
                    if driver.in_transaction:
                        await driver.rollback()
                    raise

    def _compiled(self, statement: ClauseElement) -> tuple[str, tuple[str, ...]]:
        """The SQL text of a statement for this connection's dialect, and its parameters'
        names in positional order."""
        if statement not in self._driver_sql:
            compiled = statement.compile(dialect=self._connection.dialect)
            if not isinstance(compiled, SQLCompiler) or compiled.positiontup is None:
                raise StorageError(f"no positional parameters in {self.dialect_name}")
            self._driver_sql[statement] = (str(compiled), tuple(compiled.positiontup))
        return self._driver_sql[statement]

    async def close(self) -> None:
        """Give the connection back to the pool."""
        async with self._lock:
            with map_errors("cannot close the database"):
                await self._connection.close()


class PooledConnection(SerialConnection):
    """PostgreSQL: each unit of work on a connection of the engine's pool, side by side.

    The server takes many writers at once, so units of work do not queue behind one another;
    nothing is held between them (several processes share the database).
    """

    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine
        self._driver_sql = {}

    @property
    def dialect_name(self) -> str:
        """The engine's dialect ("postgresql")."""
        return self._engine.dialect.name

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[AsyncConnection]:
        """A unit of work on a pooled connection: committed at the end, rolled back if it
        raises."""
        with map_errors("database error"):
            async with self._engine.connect() as connection:
                yield connection
                if connection.in_transaction():
                    await connection.commit()
            # Leaving `connect` on an error rolls the transaction back and returns the
            # connection to the pool.

    async def execute_pragma(self, pragma: str) -> Any:
        """SQLite's PRAGMA: PostgreSQL has none."""
        raise StorageError(f"PRAGMA {pragma}: not a PostgreSQL statement")

    async def executemany(
        self, statement: ClauseElement, rows: Sequence[Mapping[str, Any]]
    ) -> None:
        """Run one statement for many rows in one transaction (asyncpg's executemany)."""
        if not isinstance(statement, Executable):
            raise StorageError("executemany needs an executable statement")
        async with self.transaction() as connection:
            await connection.execute(statement, [dict(row) for row in rows])

    async def close(self) -> None:
        """Nothing is held between units of work: the engine's pool closes with the engine."""
