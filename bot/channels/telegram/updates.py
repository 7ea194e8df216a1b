"""Updates as every handler may assume them: valid Unicode in all their text, from one place.

Telegram sends JSON, and JSON can spell a lone UTF-16 surrogate (`"\\ud83d"`) that no real
client sends but a forged update can. Python decodes it into a `str` that cannot be encoded
back, so the first `encode()` fails: PTB's `parse_entities` (UTF-16 offsets), a log handler,
httpx sending it back. `CleanApplication.process_update` makes the whole update valid before
any handler runs, whether it came from polling, the webhook or a test.
"""

from __future__ import annotations

import logging
import re
from typing import Any, Final, TypeAlias

from telegram import Bot, Update
from telegram.ext import Application, ExtBot, JobQueue

from bot.channels.telegram.context import BotContext, BotData

logger = logging.getLogger(__name__)

JSON: TypeAlias = Any
_LONE_SURROGATE: Final = re.compile("[\ud800-\udfff]")


def clean(text: str) -> str:
    """Valid Unicode only: a lone UTF-16 surrogate (possible in forged JSON) becomes U+FFFD.

    Each UTF-16 code unit stays one code unit, so Telegram's entity offsets still hold.
    """
    if text.isascii():
        return text
    return text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")


def clean_json(value: JSON) -> JSON:
    """A copy of decoded JSON with every string, keys included, made valid Unicode."""
    if isinstance(value, str):
        return clean(value)
    if isinstance(value, dict):
        return {clean_json(key): clean_json(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [clean_json(item) for item in value]
    return value


def needs_cleaning(value: JSON) -> bool:
    """Whether decoded JSON holds a string (key or value) that is not valid Unicode."""
    if isinstance(value, str):
        return not value.isascii() and _LONE_SURROGATE.search(value) is not None
    if isinstance(value, dict):
        return any(needs_cleaning(key) or needs_cleaning(item) for key, item in value.items())
    if isinstance(value, list | tuple):
        return any(needs_cleaning(item) for item in value)
    return False


def clean_update(update: Update, bot: Bot) -> Update:
    """`update` itself when all its text is valid Unicode, else a copy (for `bot`) where it is."""
    data = update.to_dict()
    # Note: a scan without copying first; nearly every update is clean.
    if not needs_cleaning(data):
        return update
    cleaned = clean_json(data)
    logger.info("Update %s carried invalid Unicode; it was replaced", update.update_id)
    return Update.de_json(cleaned, bot)


class CleanApplication(
    Application[ExtBot[Any], BotContext, dict[Any, Any], dict[Any, Any], BotData, JobQueue[Any]]
):
    """PTB's application, but no handler (nor the error handler) sees invalid Unicode."""

    __slots__ = ()

    async def process_update(self, update: object) -> None:
        """Clean the update, then hand it to the handlers (every update passes here)."""
        if isinstance(update, Update):
            update = clean_update(update, self.bot)
        await super().process_update(update)
