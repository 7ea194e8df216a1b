"""Keep what the bot could not answer, and answer votes, without anyone's identity."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Final

from bot.gaps.privacy import mask_personal_data
from bot.storage import Storage

MAX_STORED_CHARS: Final = 500


class GapRecorder:
    """Stores unanswered questions (masked, no chat id) and helpful/not-helpful votes."""

    def __init__(self, storage: Storage) -> None:
        self.storage = storage

    async def unanswered(
        self, text: str, language: str, guesses: Sequence[str], now: datetime
    ) -> None:
        """Keep a question the bot could not answer, masked, with its best guesses."""
        masked = mask_personal_data(text.strip())[:MAX_STORED_CHARS]
        await self.storage.gaps.record_unanswered(masked, language, list(guesses), now)

    async def vote(self, topic_id: str, language: str, helpful: bool, now: datetime) -> None:
        """Count one vote on an answer."""
        await self.storage.gaps.record_vote(topic_id, language, helpful, now)
