"""Gaps in the content: questions the bot could not answer and "was this helpful?" votes.

Neither table holds who asked or voted; the question text is masked before it gets here.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Final

from sqlalchemy import bindparam, case, delete, false, func, insert, select, true

from bot.storage.engine import SerialConnection
from bot.storage.schema import inbox_handled, unanswered, votes


@dataclass(frozen=True, slots=True)
class Gap:
    """An unanswered question, counted over identical masked texts."""

    text: str
    language: str
    count: int
    guesses: tuple[str, ...]
    last_seen: datetime


_key = func.lower(unanswered.c.text).label("key")
_count = func.count().label("n")
_last = func.max(unanswered.c.created_at).label("last")
_TOP: Final = (
    select(
        _key,
        func.min(unanswered.c.text).label("text"),
        unanswered.c.language,
        _count,
        _last,
        func.max(unanswered.c.guesses).label("guesses"),
    )
    .group_by(_key, unanswered.c.language)
    .order_by(_count.desc(), _last.desc())
    .limit(bindparam("limit"))
)
_bad = func.sum(case((votes.c.helpful == false(), 1), else_=0)).label("bad")
_good = func.sum(case((votes.c.helpful == true(), 1), else_=0)).label("good")
_UNHELPFUL: Final = (
    select(votes.c.topic_id, votes.c.language, _bad, _good)
    .group_by(votes.c.topic_id, votes.c.language)
    .having(_bad > 0)
    .order_by(_bad.desc())
    .limit(bindparam("limit"))
)
_PURGE_QUESTIONS: Final = delete(unanswered).where(unanswered.c.created_at < bindparam("cutoff"))
_PURGE_VOTES: Final = delete(votes).where(votes.c.created_at < bindparam("cutoff"))
_PURGE_HANDLED: Final = delete(inbox_handled).where(
    inbox_handled.c.created_at < bindparam("cutoff")
)


class GapStore:
    """The unanswered and votes tables."""

    def __init__(self, connection: SerialConnection) -> None:
        self._db = connection

    async def record_unanswered(
        self, text: str, language: str, guesses: Sequence[str], now: datetime
    ) -> None:
        """Store an already-masked question with the classifier's best guesses; no identity."""
        row = {
            "text": text,
            "language": language,
            "guesses": json.dumps(list(guesses)),
            "created_at": now.isoformat(),
        }
        async with self._db.transaction() as db:
            await db.execute(insert(unanswered), row)

    async def record_vote(
        self, topic_id: str, language: str, helpful: bool, now: datetime
    ) -> None:
        """Store a "was this helpful?" vote without the voter's identity."""
        row = {
            "topic_id": topic_id,
            "language": language,
            "helpful": helpful,
            "created_at": now.isoformat(),
        }
        async with self._db.transaction() as db:
            await db.execute(insert(votes), row)

    async def purge(self, now: datetime, retention_days: int) -> int:
        """Delete questions and votes older than the retention period; return how many
        questions."""
        cutoff = {"cutoff": (now - timedelta(days=retention_days)).isoformat()}
        async with self._db.transaction() as db:
            removed = (await db.execute(_PURGE_QUESTIONS, cutoff)).rowcount
            await db.execute(_PURGE_VOTES, cutoff)
            # What the inbox did with questions keeps their (masked) text: the same period.
            await db.execute(_PURGE_HANDLED, cutoff)
        return int(removed)

    async def top_unanswered(self, limit: int = 20) -> list[Gap]:
        """The most frequent unanswered questions (identical masked texts counted together)."""
        async with self._db.transaction() as db:
            rows = (await db.execute(_TOP, {"limit": limit})).all()
        return [
            Gap(
                row.text,
                row.language,
                int(row.n),
                tuple(json.loads(row.guesses)),
                datetime.fromisoformat(row.last),
            )
            for row in rows
        ]

    async def unhelpful_topics(self, limit: int = 20) -> list[tuple[str, str, int, int]]:
        """Topics by "not helpful" votes: (topic, language, not helpful, helpful)."""
        async with self._db.transaction() as db:
            rows = (await db.execute(_UNHELPFUL, {"limit": limit})).all()
        return [(row.topic_id, row.language, int(row.bad), int(row.good)) for row in rows]
