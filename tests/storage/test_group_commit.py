"""Marks from concurrent senders share transactions, and each returns once it is committed."""

from __future__ import annotations

import asyncio
from collections.abc import Mapping, Sequence
from typing import Any

import pytest
from sqlalchemy import ClauseElement, text

from bot.base.errors import StorageError
from bot.storage import Storage
from bot.storage.group_commit import GroupCommit
from tests.helpers.db import execute, rows

INSERT = text(
    "INSERT INTO reminder_runs (occurrence, campaign_id, messages, due_at, expires_at, created_at)"
    " VALUES (:name, 'c', '{}', 't', 0, 't')"
)


def batch_sizes(storage: Storage, monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """A list that gets the number of rows of every transaction the queue writes."""
    sizes: list[int] = []
    write = storage.connection.executemany

    async def counted(statement: ClauseElement, rows: Sequence[Mapping[str, Any]]) -> None:
        sizes.append(len(rows))
        await write(statement, rows)

    monkeypatch.setattr(storage.connection, "executemany", counted)
    return sizes


async def test_concurrent_rows_share_a_transaction_and_all_are_committed(
    storage: Storage, monkeypatch: pytest.MonkeyPatch
) -> None:
    batches = batch_sizes(storage, monkeypatch)
    group = GroupCommit(storage.connection, INSERT)
    await asyncio.gather(*(group.put({"name": f"n{i}"}) for i in range(20)))
    assert await rows(storage, "SELECT count(*) FROM reminder_runs") == [(20,)]
    assert batches == [20]  # all twenty were queued before the first write


async def test_rows_arriving_during_a_write_go_in_the_next(
    storage: Storage, monkeypatch: pytest.MonkeyPatch
) -> None:
    batches = batch_sizes(storage, monkeypatch)
    group = GroupCommit(storage.connection, INSERT)
    first = asyncio.create_task(group.put({"name": "a"}))
    await asyncio.sleep(0)  # the writer starts with "a" only
    await asyncio.gather(first, group.put({"name": "b"}), group.put({"name": "c"}))
    assert batches == [1, 2]
    assert await rows(storage, "SELECT occurrence FROM reminder_runs ORDER BY occurrence") == [
        ("a",),
        ("b",),
        ("c",),
    ]


async def test_a_failed_batch_fails_each_of_its_waiters(storage: Storage) -> None:
    await execute(storage, INSERT.text, name="taken")
    commits = GroupCommit(storage.connection, INSERT)
    results = await asyncio.gather(
        commits.put({"name": "new"}), commits.put({"name": "taken"}), return_exceptions=True
    )
    assert all(isinstance(result, StorageError) for result in results)
    assert results[0] is not results[1]
    await commits.put({"name": "later"})  # the queue keeps working
    with pytest.raises(StorageError):
        await commits.put({"name": "later"})
