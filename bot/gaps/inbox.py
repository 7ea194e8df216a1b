"""The inbox of unanswered questions: identical questions counted together, then grouped by
meaning across languages with the NLU's sentence embeddings, the most asked first."""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Final

from bot.storage import Storage, StoredQuestion
from nlu import OUT_OF_SCOPE_INTENT, SentenceGrouper, comparable

MAX_GUESSES: Final = 3
# The most asked distinct questions that are grouped and shown: a new sentence costs ~14 ms to
# embed once (then kept in memory), so a first visit stays under about 15 s on 2 cores.
MAX_DISTINCT: Final = 1000


@dataclass(frozen=True, slots=True)
class Question:
    """One question as asked (identical texts, once compared, counted together)."""

    id: int  # the newest stored row: what a form sends back
    key: str  # the comparable text
    text: str
    language: str
    count: int
    first_seen: datetime
    last_seen: datetime
    guesses: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class QuestionGroup:
    """Questions of one meaning, in any language, the most asked first."""

    questions: tuple[Question, ...]

    @property
    def count(self) -> int:
        """How many times these questions were asked."""
        return sum(question.count for question in self.questions)

    @property
    def languages(self) -> tuple[str, ...]:
        """Their languages, the most asked first."""
        counts = Counter[str]()
        for question in self.questions:
            counts[question.language] += question.count
        return tuple(language for language, _n in counts.most_common())

    @property
    def first_seen(self) -> datetime:
        """When one of them was first asked."""
        return min(question.first_seen for question in self.questions)

    @property
    def last_seen(self) -> datetime:
        """When one of them was last asked."""
        return max(question.last_seen for question in self.questions)

    @property
    def guesses(self) -> tuple[str, ...]:
        """The bot's best guesses for them (topics and actions, not "out of scope"), weighted
        by how often each question was asked."""
        votes = Counter[str]()
        for question in self.questions:
            guesses = [g for g in question.guesses if g != OUT_OF_SCOPE_INTENT][:MAX_GUESSES]
            for rank, intent in enumerate(guesses):
                votes[intent] += question.count * (MAX_GUESSES - rank)
        return tuple(intent for intent, _n in votes.most_common(MAX_GUESSES))


def distinct_questions(rows: Sequence[StoredQuestion], handled: frozenset[str]) -> list[Question]:
    """Identical questions (once compared) counted together, handled ones left out, the most
    asked first (then the most recent)."""
    by_key: dict[tuple[str, str], list[StoredQuestion]] = {}
    for row in rows:
        key = comparable(row.text)
        if key and key not in handled:
            by_key.setdefault((key, row.language), []).append(row)
    questions = [_question(key, same) for (key, _language), same in by_key.items()]
    return sorted(questions, key=lambda q: (-q.count, -q.last_seen.timestamp(), q.key))


def _question(key: str, rows: list[StoredQuestion]) -> Question:
    newest = max(rows, key=lambda row: row.id)
    oldest = min(rows, key=lambda row: row.id)
    return Question(
        newest.id,
        key,
        newest.text,
        newest.language,
        len(rows),
        oldest.created_at,
        newest.created_at,
        newest.guesses,
    )


class Inbox:
    """Reads the open questions and groups them; the grouper remembers vectors in memory."""

    def __init__(self, storage: Storage, grouper: SentenceGrouper | None) -> None:
        self.storage = storage
        self.grouper = grouper

    async def groups(self) -> list[QuestionGroup]:
        """The open questions grouped by meaning, the most asked groups first."""
        rows = await self.storage.inbox.recent()
        handled = await self.storage.inbox.handled_keys()
        questions = distinct_questions(rows, handled)[:MAX_DISTINCT]
        if self.grouper is None or not questions:
            indices = [[index] for index in range(len(questions))]
        else:
            texts = [question.text for question in questions]
            # About 14 ms a new sentence, on the embedding model's lock: off the event loop.
            indices = await asyncio.to_thread(self.grouper.group, texts)
        groups = [QuestionGroup(tuple(questions[i] for i in members)) for members in indices]
        return sorted(groups, key=lambda group: (-group.count, -group.last_seen.timestamp()))
