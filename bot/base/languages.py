"""The languages the bot speaks: one list, their own names, and Telegram's codes mapped to them."""

from __future__ import annotations

from typing import Final

LANGUAGES: Final = ("fr", "nl", "de", "en")
LANGUAGE_NAMES: Final = {"fr": "Français", "nl": "Nederlands", "de": "Deutsch", "en": "English"}
# For the messages of `content check`, which are in English.
ENGLISH_NAMES: Final = {"fr": "French", "nl": "Dutch", "de": "German", "en": "English"}
# Belgian variants: dates and numbers as people write them in Belgium.
BABEL_LOCALES: Final = {"fr": "fr_BE", "nl": "nl_BE", "de": "de_BE", "en": "en_BE"}
FALLBACK_LOCALE: Final = "en"


def babel_locale(language: str) -> str:
    """The babel locale for one of our languages (English for any other code)."""
    return BABEL_LOCALES.get(language, FALLBACK_LOCALE)


def short_code(language_code: str | None) -> str | None:
    """`nl-BE`, `fr_be` or `de` as one of our language codes, or None for any other language."""
    if not language_code:
        return None
    code = language_code.split("-")[0].split("_")[0].lower()
    return code if code in LANGUAGES else None
