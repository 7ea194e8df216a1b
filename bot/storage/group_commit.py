"""Group commit: rows for one statement that arrive while a transaction is being written go
together in the next one, so concurrent writers share the cost of a commit."""

from __future__ import annotations

import asyncio
from typing import Any

from sqlalchemy import ClauseElement

from bot.base.errors import StorageError
from bot.storage.engine import SerialConnection

_Waiter = tuple[dict[str, Any], asyncio.Future[None]]


class GroupCommit:
    """Runs one statement for many rows (executemany), a batch per transaction.

    `put` returns only once its own row is committed: to each caller this is exactly one
    committed write, it just shares the transaction with the rows queued beside it. The
    statement runs through `SerialConnection.executemany` (see its limits on parameters).
    """

    def __init__(self, connection: SerialConnection, statement: ClauseElement) -> None:
        self._db = connection
        self._statement = statement
        self._waiting: list[_Waiter] = []
        self._writer: asyncio.Task[None] | None = None

    async def put(self, row: dict[str, Any]) -> None:
        """Queue one row and wait until it is committed (StorageError if that failed)."""
        committed = asyncio.get_running_loop().create_future()
        self._waiting.append((row, committed))
        if self._writer is None or self._writer.done():
            self._writer = asyncio.create_task(self._write())
        await committed

    async def _write(self) -> None:
        batch: list[_Waiter] = []
        try:
            while self._waiting:
                batch, self._waiting = self._waiting, []
                error: Exception | None = None
                try:
                    await self._db.executemany(self._statement, [row for row, _waiter in batch])
                except Exception as exc:
                    error = exc
                _settle(batch, error)
        finally:
            # Cancelled, e.g. the loop is closing: nobody may wait for a commit that never comes.
            _settle(batch + self._waiting, asyncio.CancelledError())


def _settle(waiters: list[_Waiter], error: BaseException | None) -> None:
    for _row, waiter in waiters:
        if waiter.done():
            continue
        if error is None:
            waiter.set_result(None)
        elif isinstance(error, asyncio.CancelledError):
            waiter.cancel()
        else:
            # A fresh error per waiter: one exception object raised in many tasks gets tangled.
            fresh = StorageError(str(error))
            fresh.__cause__ = error
            waiter.set_exception(fresh)
