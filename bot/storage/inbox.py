"""The inbox of unanswered questions: the questions still open, and what staff did with them.

Questions are the `unanswered` rows (masked, anonymous); a question is handled once a row of
`inbox_handled` has its comparable text (the caller computes the key: storage knows no NLU).
"""

from __future__ import annotations

import json
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Final

from sqlalchemy import Row, bindparam, insert, select

from bot.storage.audit import AuditNote, write_note
from bot.storage.engine import SerialConnection
from bot.storage.schema import inbox_handled, unanswered

# The newest questions the inbox reads (grouping compares each with the groups found so far).
MAX_QUESTIONS: Final = 5000
MAX_IDS: Final = 500


@dataclass(frozen=True, slots=True)
class StoredQuestion:
    """One unanswered question as stored: masked text, language, the bot's guesses, when."""

    id: int
    text: str
    language: str
    guesses: tuple[str, ...]
    created_at: datetime


@dataclass(frozen=True, slots=True)
class Handled:
    """A question to mark as handled: its comparable text and language."""

    key: str
    language: str


_RECENT: Final = select(unanswered).order_by(unanswered.c.id.desc()).limit(bindparam("limit"))


class InboxStore:
    """Read the unanswered questions for the inbox; record what staff did with them."""

    def __init__(self, connection: SerialConnection) -> None:
        self._db = connection

    async def recent(self, limit: int = MAX_QUESTIONS) -> list[StoredQuestion]:
        """The newest unanswered questions, newest first (handled ones included)."""
        async with self._db.transaction() as db:
            rows = (await db.execute(_RECENT, {"limit": limit})).all()
        return [_question(row) for row in rows]

    async def by_ids(self, ids: Collection[int]) -> list[StoredQuestion]:
        """The questions with these ids (at most MAX_IDS), oldest first; unknown ids skipped."""
        wanted = sorted(set(ids))[:MAX_IDS]
        query = select(unanswered).where(unanswered.c.id.in_(wanted)).order_by(unanswered.c.id)
        async with self._db.transaction() as db:
            rows = (await db.execute(query)).all()
        return [_question(row) for row in rows]

    async def handled_keys(self) -> frozenset[str]:
        """The comparable texts of every handled question."""
        async with self._db.transaction() as db:
            rows = (await db.execute(select(inbox_handled.c.key).distinct())).all()
        return frozenset(row.key for row in rows)

    async def mark(
        self,
        questions: Sequence[Handled],
        action: str,
        detail: str,
        staff_id: int | None,
        now: datetime,
    ) -> None:
        """Record what was done with these questions, with its audit entry, in one unit."""
        rows = [
            {
                "key": question.key,
                "language": question.language,
                "action": action,
                "detail": detail,
                "staff_id": staff_id,
                "created_at": now.isoformat(),
            }
            for question in questions
        ]
        note = AuditNote(staff_id, f"inbox.{action}", detail or "inbox", _summary(questions))
        async with self._db.transaction() as db:
            if rows:
                await db.execute(insert(inbox_handled), rows)
            await write_note(db, note, now)


def _summary(questions: Sequence[Handled]) -> str:
    # The audit log says how many and in which languages, never the texts themselves.
    languages = sorted({question.language for question in questions})
    return f"{len(questions)} question(s), {', '.join(languages)}"


def _question(row: Row[Any]) -> StoredQuestion:
    try:
        guesses = tuple(str(guess) for guess in json.loads(row.guesses))
    except (ValueError, TypeError):
        guesses = ()  # a hand-edited row: the question still shows, without guesses
    return StoredQuestion(
        int(row.id), row.text, row.language, guesses, datetime.fromisoformat(row.created_at)
    )
