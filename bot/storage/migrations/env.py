"""Alembic's environment: the bot's own connection, or the `alembic` command line.

The bot migrates when it opens its database (bot/storage/migrate.py passes its connection in
`config.attributes["connection"]`, inside a transaction it commits). The command line, set up
in pyproject.toml's [tool.alembic], is for writing and inspecting revisions on the database of
the settings (PREVENTBOT_DB) or another one (`-x db=path-or-url`), e.g.
`alembic -x db=/tmp/x.sqlite3 revision --autogenerate --rev-id 0004 -m "..."`.
"""

from __future__ import annotations

import asyncio

from alembic import context
from sqlalchemy import Connection

from bot.storage.schema import metadata


def target() -> str | None:
    """The database given on the command line (`alembic -x db=...`), if any."""
    given: str | None = context.get_x_argument(as_dictionary=True).get("db")
    return given


def run_on(connection: Connection) -> None:
    """Run the migrations on a connection (the bot's, already in a transaction)."""
    # render_as_batch: SQLite alters most things by copying the table; autogenerate says so.
    context.configure(connection=connection, target_metadata=metadata, render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()


async def run_from_command_line() -> None:
    """Open the configured database (or sqlalchemy.url) and run the command on it."""
    from bot.base.settings import load_settings
    from bot.storage.engine import open_engine

    engine = open_engine(target() or load_settings().database)
    try:
        async with engine.begin() as connection:
            await connection.run_sync(run_on)
    finally:
        await engine.dispose()


if (given := context.config.attributes.get("connection")) is not None:
    run_on(given)
elif context.is_offline_mode():
    context.configure(
        url=target() or "sqlite://",
        target_metadata=metadata,
        literal_binds=True,
        render_as_batch=True,
    )
    with context.begin_transaction():
        context.run_migrations()
else:
    asyncio.run(run_from_command_line())
