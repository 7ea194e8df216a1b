"""The dashboard's filters from a query string: periods, dates, languages, and odd input."""

from __future__ import annotations

from datetime import date

import pytest

from bot.web.dashboard_filters import read_filters

TODAY = date(2026, 11, 25)
LANGUAGES = ("fr", "nl", "de", "en")


def test_the_default_is_the_last_30_days_in_every_language() -> None:
    filters, problem = read_filters({}, TODAY, LANGUAGES)
    assert (filters.since, filters.until, filters.days) == (date(2026, 10, 27), TODAY, 30)
    assert filters.languages == LANGUAGES
    assert problem is None
    assert filters.query() == "period=30"
    assert filters.previous() == (date(2026, 9, 27), date(2026, 10, 26))


def test_a_period_and_a_language() -> None:
    filters, problem = read_filters({"period": "7", "language": "nl"}, TODAY, LANGUAGES)
    assert (filters.since, filters.until) == (date(2026, 11, 19), TODAY)
    assert filters.languages == ("nl",)
    assert problem is None
    assert filters.query() == "language=nl&period=7"
    assert len(filters.every_day()) == 7


def test_from_and_to_dates_win_over_the_period() -> None:
    params = {"period": "7", "from": "2026-01-01", "to": "2026-01-31"}
    filters, _problem = read_filters(params, TODAY, LANGUAGES)
    assert (filters.since, filters.until, filters.period) == (
        date(2026, 1, 1),
        date(2026, 1, 31),
        None,
    )
    assert filters.query() == "from=2026-01-01&to=2026-01-31"
    only_from, _ = read_filters({"from": "2026-11-01"}, TODAY, LANGUAGES)
    assert (only_from.since, only_from.until) == (date(2026, 11, 1), TODAY)


@pytest.mark.parametrize(
    ("params", "why"),
    [
        ({"from": "yesterday"}, "YYYY-MM-DD"),
        ({"from": "2026-11-25", "to": "2026-11-01"}, "ends before it starts"),
        ({"from": "2020-01-01", "to": "2026-01-01"}, "at most 366 days"),
        ({"to": "9" * 5000}, "YYYY-MM-DD"),
        ({"language": "xx"}, "Unknown language"),
    ],
)
def test_odd_input_falls_back_and_says_why(params: dict[str, str], why: str) -> None:
    filters, problem = read_filters(params, TODAY, LANGUAGES)
    assert problem is not None
    assert why in problem
    assert filters.until == TODAY
    assert filters.days == 30
    assert filters.languages == LANGUAGES


def test_an_unknown_period_is_the_default() -> None:
    filters, problem = read_filters({"period": "-3"}, TODAY, LANGUAGES)
    assert filters.days == 30
    assert problem is None
