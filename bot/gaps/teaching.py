"""What staff do with the inbox's questions: add them as phrasings of an intent (the NLU's
training files), ignore them, or hand them to a new topic. Each is recorded and audited."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Final

from bot.storage import Handled, Storage, StoredQuestion
from nlu import PhrasingError, TrainingFiles, comparable

IGNORED: Final = "ignored"
PHRASING: Final = "phrasing"
NEW_TOPIC: Final = "new_topic"


@dataclass(frozen=True, slots=True)
class Learned:
    """One question offered as a phrasing: added, or refused with the refusal's code."""

    question: StoredQuestion
    refusal: str | None = None  # empty, too_long, language, intent, duplicate, evaluation...

    @property
    def added(self) -> bool:
        """Whether it is now in the training files."""
        return self.refusal is None


def distinct(questions: Sequence[StoredQuestion]) -> list[StoredQuestion]:
    """One stored question per comparable text and language, in the given order."""
    seen: dict[tuple[str, str], StoredQuestion] = {}
    for question in questions:
        seen.setdefault((comparable(question.text), question.language), question)
    return list(seen.values())


def handled(questions: Sequence[StoredQuestion]) -> list[Handled]:
    """The questions as the inbox records them: comparable text and language."""
    return [Handled(comparable(q.text), q.language) for q in distinct(questions)]


class Teacher:
    """Adds phrasings to the training files and records every action on the questions."""

    def __init__(
        self, storage: Storage, files: TrainingFiles, now: Callable[[], datetime]
    ) -> None:
        self.storage, self.files, self.now = storage, files, now

    async def add_phrasings(
        self,
        questions: Sequence[StoredQuestion],
        intent: str,
        intents: Collection[str],
        staff_id: int | None,
    ) -> list[Learned]:
        """Add each distinct question as a phrasing of `intent` in its language's file."""
        results = []
        for question in distinct(questions):
            try:
                # File work and a read of the training data (~0.3 s): off the event loop.
                await asyncio.to_thread(
                    self.files.add, question.text, intent, question.language, intents
                )
            except PhrasingError as exc:
                results.append(Learned(question, exc.code))
            else:
                results.append(Learned(question))
        added = [result.question for result in results if result.added]
        if added:
            await self.storage.inbox.mark(handled(added), PHRASING, intent, staff_id, self.now())
        return results

    async def ignore(self, questions: Sequence[StoredQuestion], staff_id: int | None) -> None:
        """Hide these questions (and the same ones asked again) from the inbox."""
        await self.storage.inbox.mark(handled(questions), IGNORED, "", staff_id, self.now())

    async def to_topic(
        self, questions: Sequence[StoredQuestion], topic_id: str, staff_id: int | None
    ) -> None:
        """Record that these questions went to the draft of a new topic."""
        now = self.now()
        await self.storage.inbox.mark(handled(questions), NEW_TOPIC, topic_id, staff_id, now)
