"""The few SQL constructs SQLite and PostgreSQL spell differently, behind one name each.

Repositories build their statements once per dialect with these; everything else they write is
plain SQLAlchemy Core, which both databases understand.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, Final

from sqlalchemy import ColumnElement, Table
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.base import ReadOnlyColumnCollection
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.functions import FunctionElement

from bot.base.errors import StorageError

Insert = sqlite.Insert | postgresql.Insert


def insert(dialect_name: str, table: Table) -> Insert:
    """An INSERT that accepts ON CONFLICT clauses (both databases share that syntax)."""
    if dialect_name == "sqlite":
        return sqlite.insert(table)
    if dialect_name == "postgresql":
        return postgresql.insert(table)
    raise StorageError(f"no upsert for the {dialect_name} dialect")


def insert_or_ignore(dialect_name: str, table: Table) -> Insert:
    """INSERT ... ON CONFLICT DO NOTHING: rows that would break a unique key are skipped."""
    return insert(dialect_name, table).on_conflict_do_nothing()


def upsert(
    dialect_name: str,
    table: Table,
    key: Iterable[str],
    update: Iterable[str],
    where: Callable[[ReadOnlyColumnCollection[str, Any]], ColumnElement[bool]] | None = None,
) -> Insert:
    """INSERT ... ON CONFLICT (key) DO UPDATE SET each `update` column to the new value.

    `where`, given the row that was to be inserted (`excluded`), returns a condition on it and
    the stored row (`table.c`): the update happens only when it holds.
    """
    statement = insert(dialect_name, table)
    new = statement.excluded
    return statement.on_conflict_do_update(
        index_elements=list(key),
        set_={name: new[name] for name in update},
        where=None if where is None else where(new),
    )


def upsert_adding(dialect_name: str, table: Table, key: Iterable[str], counter: str) -> Insert:
    """INSERT ... ON CONFLICT (key) DO UPDATE SET counter = counter + the new row's counter."""
    statement = insert(dialect_name, table)
    added = table.c[counter] + statement.excluded[counter]
    return statement.on_conflict_do_update(index_elements=list(key), set_={counter: added})


class json_array_values(FunctionElement[Any]):  # noqa: N801 (a SQL function's name)
    """The elements of a JSON array as rows of one text column, `value`.

    Use as `json_array_values(column).table_valued("value")`.
    """

    inherit_cache = True
    name = "json_array_values"


@compiles(json_array_values, "sqlite")
def _json_each(element: json_array_values, compiler: SQLCompiler, **kw: Any) -> str:
    return f"json_each({compiler.process(element.clauses, **kw)})"


@compiles(json_array_values, "postgresql")
def _json_array_elements(element: json_array_values, compiler: SQLCompiler, **kw: Any) -> str:
    return f"json_array_elements_text(CAST({compiler.process(element.clauses, **kw)} AS JSON))"


NUL: Final = "\x00"
NUL_STORED_AS: Final = "\ufffd"  # U+FFFD REPLACEMENT CHARACTER


def no_nul(
    _connection: Any,
    _cursor: Any,
    statement: str,
    parameters: Any,
    _context: Any,
    executemany: bool,
) -> tuple[str, Any]:
    """PostgreSQL's text cannot hold U+0000 (SQLite's can): a user's message with one would
    fail to store; it is stored with U+FFFD in its place instead (a `before_cursor_execute`
    listener of PostgreSQL engines, so every statement is covered)."""
    if executemany:
        return statement, [_clean(row) for row in parameters]
    return statement, _clean(parameters)


def _clean(parameters: Any) -> Any:
    if not isinstance(parameters, tuple | list) or not any(
        isinstance(value, str) and NUL in value for value in parameters
    ):
        return parameters
    cleaned = [
        value.replace(NUL, NUL_STORED_AS) if isinstance(value, str) else value
        for value in parameters
    ]
    return type(parameters)(cleaned)
