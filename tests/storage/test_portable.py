"""The repositories' statements compile for PostgreSQL too (issue #15), not only SQLite."""

from __future__ import annotations

import pytest
from sqlalchemy.dialects import postgresql
from sqlalchemy.sql import ClauseElement

from bot.base.errors import StorageError
from bot.storage import (
    claims,
    deliveries,
    drafts,
    gaps,
    planning,
    portable,
    statistics,
    subscriptions,
    usage,
    users,
)
from bot.storage.schema import MOVED_WITH_CHAT, usage_daily
from bot.storage.schema import users as users_table


def module_statements() -> list[ClauseElement]:
    """The statements the repositories build once at import."""
    found = []
    for module in (
        claims,
        deliveries,
        drafts,
        gaps,
        planning,
        statistics,
        subscriptions,
        usage,
        users,
    ):
        for name, value in vars(module).items():
            if name.isupper() and isinstance(value, ClauseElement):
                found.append(value)
    return found


@pytest.mark.parametrize("statement", module_statements(), ids=repr)
def test_module_statements_compile_for_postgresql(statement: ClauseElement) -> None:
    assert "json_each" not in str(statement.compile(dialect=postgresql.dialect()))


def test_dialect_helpers_compile_for_postgresql() -> None:
    dialect = postgresql.dialect()
    moving = str(users._move_rows(MOVED_WITH_CHAT[0]).compile(dialect=dialect))
    assert "NOT (EXISTS" in moving
    save = portable.upsert(
        "postgresql", users_table, ["chat_id"], ["language"], where=lambda new: new.language != ""
    )
    assert "ON CONFLICT (chat_id) DO UPDATE" in str(save.compile(dialect=dialect))
    plan = planning.statements("postgresql")[(False, True)]
    assert "ON CONFLICT DO NOTHING" in str(plan.compile(dialect=dialect))
    claim = str(claims._CLAIM.compile(dialect=dialect))
    assert "FOR UPDATE SKIP LOCKED" in claim
    pending = str(deliveries._PENDING.compile(dialect=dialect))
    assert "json_array_elements_text(CAST(reminder_runs.places AS JSON))" in pending


def test_an_unknown_dialect_has_no_upsert() -> None:
    with pytest.raises(StorageError, match="mysql"):
        portable.insert("mysql", users_table)


def test_the_adding_upsert_compiles_for_postgresql() -> None:
    adding = portable.upsert_adding("postgresql", usage_daily, usage.KEY, "count")
    sql = str(adding.compile(dialect=postgresql.dialect()))
    assert "ON CONFLICT (day, language, topic, outcome) DO UPDATE" in sql
    assert "SET count = (usage_daily.count + excluded.count)" in sql
