"""Times of day: one reader for config and content files, babel for what users read."""

from __future__ import annotations

from datetime import time

import pytest

from bot.base.clock import format_clock, parse_clock
from bot.base.languages import LANGUAGES


@pytest.mark.parametrize(("text", "value"), [("21:00", time(21)), ("9:05", time(9, 5))])
def test_a_time_of_day_is_read(text: str, value: time) -> None:
    assert parse_clock(text) == value


@pytest.mark.parametrize("text", ["24:00", "21:60", "21h00", "2100", " 21:00", "21:00:00", ""])
def test_anything_else_is_refused(text: str) -> None:
    with pytest.raises(ValueError, match="HH:MM"):
        parse_clock(text)


@pytest.mark.parametrize("language", LANGUAGES)
def test_users_read_times_the_belgian_way(language: str) -> None:
    assert format_clock(time(21), language) == "21:00"
    assert format_clock(time(9), language) == "09:00"
