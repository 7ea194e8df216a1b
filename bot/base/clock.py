"""Times of day: read as "HH:MM" in config and content files, shown as users write them."""

from __future__ import annotations

import re
from datetime import time
from typing import Final

from babel.dates import format_time

from bot.base.languages import babel_locale

_CLOCK: Final = re.compile(r"([01]?\d|2[0-3]):([0-5]\d)")


def parse_clock(text: str) -> time:
    """ "21:00" or "9:30" as a time of day; ValueError for anything else."""
    match = _CLOCK.fullmatch(text)
    if match is None:
        raise ValueError("must be a time of day as HH:MM")
    return time(int(match[1]), int(match[2]))


def format_clock(value: time, language: str) -> str:
    """A time of day the way people write it in `language` (babel's short format: 21:00)."""
    return format_time(value, format="short", locale=babel_locale(language))
