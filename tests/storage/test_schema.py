"""The one schema: the migrations build exactly the tables of bot/storage/schema.py."""

from __future__ import annotations

from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import create_engine

from bot.storage.schema import MOVED_WITH_CHAT, metadata
from tests.helpers.db import describe_schema


def create_all(path: Path) -> Path:
    """A database made straight from the tables, without migrations."""
    engine = create_engine(f"sqlite:///{path}")
    metadata.create_all(engine)
    engine.dispose()
    return path


def test_migrated_schema_equals_the_tables(storage_template: Path, tmp_path: Path) -> None:
    migrated = describe_schema(storage_template)
    migrated.pop("alembic_version")
    assert migrated == describe_schema(create_all(tmp_path / "direct.sqlite3"))


def test_alembic_finds_nothing_to_generate(storage_template: Path) -> None:
    engine = create_engine(f"sqlite:///{storage_template}")
    try:
        with engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            assert compare_metadata(context, metadata) == []
    finally:
        engine.dispose()


def test_constraints_are_named(storage_template: Path) -> None:
    schema = describe_schema(storage_template)
    assert schema["deliveries"]["unique"] == [
        ("uq_deliveries_occurrence_chat_id", ("occurrence", "chat_id"))
    ]
    assert schema["subscriptions"]["primary_key"] == ("pk_subscriptions", ("chat_id", "nis"))


def test_every_table_keyed_by_a_chat_moves_with_it(storage_template: Path) -> None:
    keyed = {
        table
        for table, described in describe_schema(storage_template).items()
        if any(fk[2:4] == ("users", ("chat_id",)) for fk in described["foreign_keys"])
    }
    assert keyed == {table.name for table in MOVED_WITH_CHAT}


def test_no_table_of_gaps_holds_an_identity(storage_template: Path) -> None:
    schema = describe_schema(storage_template)
    for table in ("unanswered", "votes"):
        columns = {column[0] for column in schema[table]["columns"]}
        assert not columns & {"chat_id", "user_id", "user"}
