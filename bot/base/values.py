"""Configuration values: each converter checks one value and says what is expected."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import time
from typing import Any, Final
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.base.clock import parse_clock
from bot.base.languages import LANGUAGES

_DOMAIN: Final = re.compile(r"^[a-z0-9-]+(?:\.[a-z0-9-]+)*$")


def language(value: Any) -> str:
    """One of the bot's languages."""
    if value not in LANGUAGES:
        raise ValueError(f"must be one of {', '.join(LANGUAGES)}")
    return str(value)


def language_list(value: Any) -> list[str]:
    """A non-empty list of the bot's languages."""
    if not isinstance(value, list) or not value:
        raise ValueError("must be a non-empty list of language codes")
    return [language(item) for item in value]


def choice(options: tuple[str, ...]) -> Callable[[Any], str]:
    """A converter accepting one of `options`."""

    def convert(value: Any) -> str:
        if value not in options:
            raise ValueError(f"must be one of {', '.join(options)}")
        return str(value)

    return convert


def fraction(value: Any) -> float:
    """A number between 0 and 1."""
    number = _number(value)
    if not 0.0 <= number <= 1.0:
        raise ValueError("must be a number between 0 and 1")
    return number


def positive_float(value: Any) -> float:
    """A number above 0."""
    number = _number(value)
    if number <= 0:
        raise ValueError("must be a positive number")
    return number


def positive_int(value: Any) -> int:
    """A whole number above 0."""
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise ValueError("must be a positive whole number")
    number = int(value)
    if number <= 0:
        raise ValueError("must be a positive whole number")
    return number


def flag(value: Any) -> bool:
    """true or false (YAML booleans, or the words from the environment)."""
    if isinstance(value, bool):
        return value
    words = {"true": True, "yes": True, "on": True, "1": True}
    words |= {"false": False, "no": False, "off": False, "0": False}
    if isinstance(value, str) and value.strip().lower() in words:
        return words[value.strip().lower()]
    raise ValueError("must be true or false")


def broadcast_rate(value: Any) -> float:
    """Messages a second for paid broadcasts: above 0, at most Telegram's 1,000."""
    number = positive_float(value)
    if number > 1000:
        raise ValueError("must be at most 1000 (Telegram's limit for paid broadcasts)")
    return number


def _number(value: Any) -> float:
    if isinstance(value, bool):
        raise ValueError("must be a number")
    try:
        return float(value)
    except (TypeError, ValueError):
        raise ValueError("must be a number") from None


def url(value: Any) -> str:
    """An http:// or https:// URL."""
    if not isinstance(value, str) or not re.match(r"^https?://[^\s/]+", value):
        raise ValueError("must be an http:// or https:// URL")
    return value


def domains(value: Any) -> tuple[str, ...]:
    """Domain names such as police.be, lower-cased."""
    if not isinstance(value, list):
        raise ValueError("must be a list of domain names such as police.be")
    for item in value:
        if not isinstance(item, str) or not _DOMAIN.match(item.lower()):
            raise ValueError(
                f"{item!r} is not a domain name such as police.be (no https://, no /)"
            )
    return tuple(item.lower() for item in value)


def clock(value: Any) -> time:
    """A time of day written HH:MM."""
    return parse_clock(str(value))


def zone(value: Any) -> ZoneInfo:
    """An IANA time zone such as Europe/Brussels."""
    try:
        return ZoneInfo(str(value))
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError("must be an IANA time zone such as Europe/Brussels") from None
