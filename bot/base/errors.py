"""One exception base for the bot package, as httpx does."""

from __future__ import annotations


class PreventbotError(Exception):
    """Base of every error raised by the bot package."""


class ConfigError(PreventbotError):
    """A setting is missing or invalid; the message names the key."""


class StorageError(PreventbotError):
    """The database could not be read or written."""


class ContentError(PreventbotError):
    """The curated content is structurally broken (file and line in the message)."""


class BotError(PreventbotError):
    """A failure the user must hear about; `text` is an interface message id to translate."""

    def __init__(self, text: str) -> None:
        super().__init__(text)
        self.text = text
