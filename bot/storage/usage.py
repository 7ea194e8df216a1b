"""Anonymous usage counts: one row per day, language, topic and outcome, incremented per turn.

No chat id and no text ever reach this table: the dialogue adds 1 to a count (bot/dialogue/
router.py), the workspace's dashboard reads sums over days.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any, Final

from sqlalchemy import bindparam, delete, func, select

from bot.storage import portable
from bot.storage.engine import SerialConnection
from bot.storage.group_commit import GroupCommit
from bot.storage.schema import usage_daily as u

KEY: Final = ("day", "language", "topic", "outcome")


@dataclass(frozen=True, slots=True)
class DayCount:
    """How many turns of one day, in one language, came to one outcome."""

    day: date
    language: str
    outcome: str
    count: int


@dataclass(frozen=True, slots=True)
class TopicCount:
    """How many turns of a period came to one outcome with one topic."""

    topic: str
    outcome: str
    count: int


_in_period = (u.c.day >= bindparam("since"), u.c.day <= bindparam("until"))
_of_language = u.c.language.in_(bindparam("languages", expanding=True))
_of_outcome = u.c.outcome.in_(bindparam("outcomes", expanding=True))
_total = func.sum(u.c.count).label("total")
_BY_DAY: Final = (
    select(u.c.day, u.c.language, u.c.outcome, _total)
    .where(*_in_period, _of_language)
    .group_by(u.c.day, u.c.language, u.c.outcome)
    .order_by(u.c.day, u.c.language, u.c.outcome)
)
_BY_TOPIC: Final = (
    select(u.c.topic, u.c.outcome, _total)
    .where(*_in_period, _of_language, _of_outcome, u.c.topic != "")
    .group_by(u.c.topic, u.c.outcome)
    .order_by(_total.desc(), u.c.topic)
)
_PURGE: Final = delete(u).where(u.c.day < bindparam("cutoff"))


class UsageStore:
    """The usage_daily table: counts added by the dialogue, sums read by the dashboard."""

    def __init__(self, connection: SerialConnection) -> None:
        self._db = connection
        # Turns that arrive together share one commit (as the delivery marks do).
        self._adds = GroupCommit(
            connection, portable.upsert_adding(connection.dialect_name, u, KEY, "count")
        )

    async def add(
        self, day: date, language: str, topic: str, outcome: str, count: int = 1
    ) -> None:
        """Add `count` to the day's count of turns in `language` with `topic` and `outcome`."""
        row = {"day": day.isoformat(), "language": language, "topic": topic}
        await self._adds.put(row | {"outcome": outcome, "count": count})

    async def purge(self, now: datetime, retention_days: int) -> int:
        """Delete the days older than the retention period; return how many rows."""
        cutoff = (now.date() - timedelta(days=retention_days)).isoformat()
        async with self._db.transaction() as db:
            removed = (await db.execute(_PURGE, {"cutoff": cutoff})).rowcount
        return int(removed)

    async def by_day(self, since: date, until: date, languages: Collection[str]) -> list[DayCount]:
        """Counts per day, language and outcome from `since` to `until` (both included)."""
        async with self._db.transaction() as db:
            rows = (await db.execute(_BY_DAY, _period(since, until, languages))).all()
        return [
            DayCount(date.fromisoformat(row.day), row.language, row.outcome, int(row.total))
            for row in rows
        ]

    async def by_topic(
        self, since: date, until: date, languages: Collection[str], outcomes: Collection[str]
    ) -> list[TopicCount]:
        """Counts per topic and outcome over the period, the largest first."""
        values = _period(since, until, languages) | {"outcomes": sorted(outcomes)}
        async with self._db.transaction() as db:
            rows = (await db.execute(_BY_TOPIC, values)).all()
        return [TopicCount(row.topic, row.outcome, int(row.total)) for row in rows]


def _period(since: date, until: date, languages: Collection[str]) -> dict[str, Any]:
    return {"since": since.isoformat(), "until": until.isoformat(), "languages": sorted(languages)}
