"""The durable delivery log: planned runs and one row per (occurrence, chat).

Every row is planned before anything is sent (bot/storage/planning.py), claimed by one worker
(bot/storage/claims.py) and marked right after its own send, so a pass that stops anywhere
resumes exactly (bot/reminders/delivery.py explains the guarantees).
"""

from __future__ import annotations

import functools
import json
from collections.abc import Collection
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Final

from sqlalchemy import Insert, bindparam, delete, exists, func, null, select, update

from bot.storage import planning, portable
from bot.storage.claims import DETAILS, PENDING, Claims, Delivery
from bot.storage.engine import SerialConnection
from bot.storage.group_commit import GroupCommit
from bot.storage.schema import deliveries as d
from bot.storage.schema import reminder_runs as r

__all__ = [
    "EXPIRED",
    "FAILED",
    "FORBIDDEN",
    "INACTIVE",
    "PENDING",
    "SENT",
    "UNSUBSCRIBED",
    "Delivery",
    "DeliveryLog",
    "Run",
    "RunProgress",
]

SENT: Final = "sent"
FAILED: Final = "failed"
FORBIDDEN: Final = "forbidden"
INACTIVE: Final = "inactive"
UNSUBSCRIBED: Final = "unsubscribed"
EXPIRED: Final = "expired"


@dataclass(frozen=True, slots=True)
class Run:
    """One campaign occurrence (or announcement) to deliver: texts, places and deadline."""

    occurrence: str
    campaign_id: str
    messages: dict[str, str]
    places: frozenset[str] | None
    due_at: datetime
    expires_at: datetime


@dataclass(frozen=True, slots=True)
class RunProgress:
    """A planned run and its rows per status (pending, sent, failed...), for the workspace."""

    run: Run
    created_at: datetime
    counts: dict[str, int]

    def count(self, *statuses: str) -> int:
        """How many rows are in any of `statuses`."""
        return sum(self.counts.get(status, 0) for status in statuses)


_row = d.c.id == bindparam("row_id")
# An ended row is nobody's claim any more (NULL literals: the marks bypass parameter handling).
_unclaimed: Final = {"claimed_by": null(), "claimed_until": null()}
_EXPIRE: Final = (
    update(d)
    .where(
        d.c.status == PENDING,
        d.c.occurrence.in_(select(r.c.occurrence).where(r.c.expires_at <= bindparam("now"))),
    )
    .values(status=EXPIRED, updated_at=bindparam("stamp"), **_unclaimed)
)
_PURGE: Final = delete(r).where(r.c.expires_at < bindparam("before"))
_OPEN_RUNS: Final = select(r).where(
    exists().where(d.c.occurrence == r.c.occurrence, d.c.status == PENDING)
)
_PENDING: Final = DETAILS.where(d.c.id > bindparam("after")).limit(bindparam("limit"))
_MARK: Final = (
    update(d)
    .where(_row)
    .values(
        status=bindparam("new_status"),
        attempts=d.c.attempts + bindparam("tries"),
        detail=bindparam("why"),
        updated_at=bindparam("stamp"),
        **_unclaimed,
    )
)
_MARK_MANY: Final = (
    update(d)
    .where(_row)
    .values(status=bindparam("new_status"), updated_at=bindparam("stamp"), **_unclaimed)
)
_CHAT_OF: Final = select(d.c.chat_id).where(_row)
_counts = select(d.c.status, func.count()).group_by(d.c.status)
_COUNTS_ALL: Final = _counts
_COUNTS_SOME: Final = _counts.where(d.c.occurrence.in_(bindparam("runs", expanding=True)))
_RECENT_RUNS: Final = (
    select(r).order_by(r.c.created_at.desc(), r.c.occurrence.desc()).limit(bindparam("limit"))
)
_COUNTS_BY_RUN: Final = (
    select(d.c.occurrence, d.c.status, func.count())
    .where(d.c.occurrence.in_(bindparam("runs", expanding=True)))
    .group_by(d.c.occurrence, d.c.status)
)


class DeliveryLog:
    """The delivery log on one connection (the storage's, or a pass's own)."""

    def __init__(self, connection: SerialConnection) -> None:
        self._db = connection
        self._add_run = _add_run(connection.dialect_name)
        self._plans = planning.statements(connection.dialect_name)
        self.claims = Claims(connection)
        self._marks = GroupCommit(connection, _MARK)

    async def plan(self, run: Run, now: datetime, default_language: str) -> int:
        """Insert one pending row per following active chat; return how many are new.

        In full the first time, then only for the subscriptions created since the last plan
        (bot/storage/planning.py): calling it from every pass is cheap and idempotent.
        """
        places = None if run.places is None else sorted(run.places)
        row = planning.run_row(
            run.occurrence,
            run.campaign_id,
            run.messages,
            places,
            run.due_at,
            run.expires_at,
            now,
        )
        chosen: dict[str, Any] = {
            "run": run.occurrence,
            "language": default_language,
            "stamp": now.isoformat(),
        }
        if places is not None:
            chosen["places"] = places
        async with self._db.transaction() as db:
            await db.execute(self._add_run, row)
            state = (await db.execute(planning.STATE, {"run": run.occurrence})).one()
            since = planning.since(state.planned, state.planned_at)
            if since is not None:
                chosen["since"] = since
            statement = self._plans[(places is None, since is not None)]
            added = (await db.execute(statement, chosen)).rowcount
            await db.execute(
                planning.SET_PLANNED, {"run": run.occurrence, "stamp": now.isoformat()}
            )
        return int(added)

    async def expire(self, now: datetime) -> int:
        """Give up the pending rows of runs past their deadline; return how many."""
        async with self._db.transaction() as db:
            result = await db.execute(_EXPIRE, {"now": now.timestamp(), "stamp": now.isoformat()})
        return int(result.rowcount)

    async def purge(self, before: datetime) -> int:
        """Delete runs (and their rows) that expired before `before`; return how many runs."""
        async with self._db.transaction() as db:
            result = await db.execute(_PURGE, {"before": before.timestamp()})
        return int(result.rowcount)

    async def open_runs(self) -> dict[str, Run]:
        """The runs that still have pending rows, by occurrence."""
        async with self._db.transaction() as db:
            rows = (await db.execute(_OPEN_RUNS)).all()
        return {row.occurrence: _run(row) for row in rows}

    async def progress(self, limit: int = 50) -> list[RunProgress]:
        """The newest runs (announcements and campaign occurrences) with their rows per status."""
        async with self._db.transaction() as db:
            runs = (await db.execute(_RECENT_RUNS, {"limit": limit})).all()
            keys = [row.occurrence for row in runs]
            counted = (await db.execute(_COUNTS_BY_RUN, {"runs": keys})).all() if keys else []
        counts: dict[str, dict[str, int]] = {key: {} for key in keys}
        for occurrence, status, count in counted:
            counts[occurrence][status] = int(count)
        return [
            RunProgress(_run(row), datetime.fromisoformat(row.created_at), counts[row.occurrence])
            for row in runs
        ]

    async def pending(self, after_id: int, limit: int) -> list[Delivery]:
        """The next pending rows in id order, checked against the users and subscriptions now."""
        async with self._db.transaction() as db:
            rows = (await db.execute(_PENDING, {"after": after_id, "limit": limit})).all()
        return [
            Delivery(row[0], row[1], row[2], row[3], bool(row[4]), bool(row[5])) for row in rows
        ]

    async def mark(
        self, delivery_id: int, status: str, now: datetime, attempts: int = 1, detail: str = ""
    ) -> None:
        """Record how one row ended; returns once that is committed (what makes resuming exact)."""
        await self._marks.put(_mark(delivery_id, status, now, attempts, detail or None))

    async def mark_many(self, ids: Collection[int], status: str, now: datetime) -> None:
        """Record the same end for rows that were never sent (inactive, unsubscribed)."""
        stamp = now.isoformat()
        rows = [{"row_id": row, "new_status": status, "stamp": stamp} for row in ids]
        if rows:
            async with self._db.transaction() as db:
                await db.execute(_MARK_MANY, rows)

    async def chat_of(self, delivery_id: int) -> int | None:
        """The chat a row is for now (None if the row is gone, e.g. its chat was forgotten)."""
        async with self._db.transaction() as db:
            chat = (await db.execute(_CHAT_OF, {"row_id": delivery_id})).scalar_one_or_none()
        return None if chat is None else int(chat)

    async def counts(self, occurrences: Collection[str] | None = None) -> dict[str, int]:
        """Rows per status, for the given occurrences or all."""
        async with self._db.transaction() as db:
            if occurrences is None:
                rows = (await db.execute(_COUNTS_ALL)).all()
            else:
                rows = (await db.execute(_COUNTS_SOME, {"runs": sorted(occurrences)})).all()
        return {status: int(count) for status, count in rows}


def _run(row: Any) -> Run:
    """A reminder_runs row as a Run."""
    return Run(
        row.occurrence,
        row.campaign_id,
        dict(json.loads(row.messages)),
        None if row.places is None else frozenset(json.loads(row.places)),
        datetime.fromisoformat(row.due_at),
        datetime.fromtimestamp(row.expires_at, UTC),
    )


@functools.cache
def _add_run(dialect: str) -> Insert:
    """Add a run unless it is there already."""
    return portable.insert_or_ignore(dialect, r)


def _mark(
    delivery_id: int, status: str, now: datetime, attempts: int, detail: str | None
) -> dict[str, Any]:
    return {
        "row_id": delivery_id,
        "new_status": status,
        "tries": attempts,
        "why": detail,
        "stamp": now.isoformat(),
    }
