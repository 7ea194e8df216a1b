"""Updates as every handler may assume them: valid Unicode in all their text, from one place.

Telegram sends JSON, and JSON can spell a lone UTF-16 surrogate (`"\\ud83d"`) that no real
client sends but a forged update can. Python decodes it into a `str` that cannot be encoded
back, so the first `encode()` fails: PTB's `parse_entities` (UTF-16 offsets), a log handler,
httpx sending it back. `CleanApplication.process_update` makes the whole update valid before
any handler runs, whether it came from polling, the webhook or a test.
"""

from __future__ import annotations

import logging
import operator
import re
from collections.abc import Callable, Iterator, Mapping
from typing import Any, Final, TypeAlias

from telegram import Bot, TelegramObject, Update
from telegram.ext import Application, ExtBot, JobQueue

from bot.channels.telegram.context import BotContext, BotData

logger = logging.getLogger(__name__)

JSON: TypeAlias = Any
_LONE_SURROGATE: Final = re.compile("[\ud800-\udfff]")
_SCALARS: Final = frozenset({type(None), bool, int, float})


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


Getter: TypeAlias = Callable[[object], tuple[object, ...]]
_GETTERS: Final[dict[type, Getter]] = {}


def _attributes(cls: type) -> Getter:
    """Reads the data attributes of a Telegram class: its public slots, as `to_dict` does."""
    if cls not in _GETTERS:
        names = {name for klass in cls.__mro__ for name in getattr(klass, "__slots__", ())}
        public = sorted(name for name in names if not name.startswith("_"))
        # Note: attrgetter returns a tuple only for two names or more.
        if len(public) > 1:
            _GETTERS[cls] = operator.attrgetter(*public)
        else:
            _GETTERS[cls] = lambda value: tuple(getattr(value, name) for name in public)
    return _GETTERS[cls]


def _strings(update: Update) -> Iterator[str]:
    """Every string an update holds: values of its objects and of `api_kwargs`, keys included."""
    stack: list[object] = [update]
    while stack:
        value = stack.pop()
        if type(value) in _SCALARS:
            continue  # most attributes are None: the cheapest test first
        if isinstance(value, str):
            yield value
        elif isinstance(value, TelegramObject):
            stack.extend(_attributes(type(value))(value))
        elif isinstance(value, list | tuple):
            stack.extend(value)
        elif isinstance(value, Mapping):  # api_kwargs is a read-only mapping proxy
            stack.extend(value)
            stack.extend(value.values())


def has_invalid_unicode(update: Update) -> bool:
    """Whether any string of the update holds a lone surrogate."""
    return any(
        not text.isascii() and _LONE_SURROGATE.search(text) is not None
        for text in _strings(update)
    )


def clean_update(update: Update, bot: Bot) -> Update:
    """`update` itself when all its text is valid Unicode, else a copy (for `bot`) where it is."""
    # Note: nearly every update is clean, so the check walks the objects' slots directly:
    # `to_dict()` first cost about a third of a millisecond per update (bench/telegram.py).
    if not has_invalid_unicode(update):
        return update
    cleaned = clean_json(update.to_dict())
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
