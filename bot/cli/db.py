"""`preventbot db copy --from ... --to ...`: move a database (SQLite to PostgreSQL)."""

from __future__ import annotations

import argparse
import asyncio
import sys

from bot.base.settings import Settings
from bot.storage.copying import copy_database, shown


def add_commands(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """The `db` command and its sub-commands."""
    db = commands.add_parser("db", help="database tools")
    db_commands = db.add_subparsers(dest="action", required=True)
    copy = db_commands.add_parser(
        "copy", help="copy every row into an empty database (e.g. SQLite to PostgreSQL)"
    )
    copy.add_argument(
        "--from", dest="source", help="a SQLite path or database URL (default: PREVENTBOT_DB)"
    )
    copy.add_argument("--to", dest="target", required=True, help="e.g. postgresql://...")


def run(args: argparse.Namespace, settings: Settings) -> int:
    """Dispatch the `db` sub-commands."""
    source = args.source or settings.database
    print(f"Copying {shown(source)} to {shown(args.target)}", file=sys.stderr)
    copied = asyncio.run(copy_database(source, args.target))
    for table, count in copied.rows.items():
        print(f"{table}: {count}")
    print(f"{copied.total} rows copied; the counts match.")
    return 0
