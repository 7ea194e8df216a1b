"""The dashboard's filters: a period (the last 7, 30 or 90 days, or from/to dates) and a language.

Read from the query string of a GET form. Anything odd (a date that is not one, a period
backwards or too long, an unknown language) falls back to the default and says why, never
a server error.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Final
from urllib.parse import urlencode

from bot.base.i18n import N_

PERIODS: Final = (7, 30, 90)
DEFAULT_PERIOD: Final = 30
MAX_DAYS: Final = 366
MAX_FIELD: Final = 20  # characters read from a field; a date is 10


@dataclass(frozen=True, slots=True)
class Filters:
    """The days shown (both ends included) and the languages counted."""

    since: date
    until: date
    language: str  # "" for every language
    languages: tuple[str, ...]
    period: int | None  # 7, 30 or 90; None for from/to dates

    @property
    def days(self) -> int:
        """How many days the period has."""
        return (self.until - self.since).days + 1

    def previous(self) -> tuple[date, date]:
        """The period of the same length just before this one."""
        return self.since - timedelta(days=self.days), self.since - timedelta(days=1)

    def every_day(self) -> list[date]:
        """The period's days, oldest first."""
        return [self.since + timedelta(days=offset) for offset in range(self.days)]

    def query(self) -> str:
        """The query string that selects these filters again (for the CSV links)."""
        values = {"language": self.language} if self.language else {}
        if self.period is None:
            values |= {"from": self.since.isoformat(), "to": self.until.isoformat()}
        else:
            values["period"] = str(self.period)
        return urlencode(values)


def read_filters(
    params: Mapping[str, str], today: date, languages: tuple[str, ...]
) -> tuple[Filters, str | None]:
    """The filters a query string asks for, and the reason (a msgid) if some were refused."""
    language = params.get("language", "")[:MAX_FIELD]
    problem = None
    if language and language not in languages:
        language, problem = "", N_("Unknown language: every language is shown.")
    chosen = (language,) if language else languages
    first, last = params.get("from", "").strip(), params.get("to", "").strip()
    if first or last:
        dates, refused = _dates(first[:MAX_FIELD], last[:MAX_FIELD], today)
        if dates is not None:
            return Filters(dates[0], dates[1], language, chosen, None), problem
        problem = refused
    period = _period(params.get("period", "")[:MAX_FIELD])
    since = today - timedelta(days=period - 1)
    return Filters(since, today, language, chosen, period), problem


def _period(text: str) -> int:
    """7, 30 or 90 days; the default for anything else."""
    return int(text) if text.isdigit() and int(text) in PERIODS else DEFAULT_PERIOD


def _dates(first: str, last: str, today: date) -> tuple[tuple[date, date] | None, str | None]:
    """From/to dates (one may be missing), or why they are refused."""
    try:
        until = date.fromisoformat(last) if last else today
        since = date.fromisoformat(first) if first else until - timedelta(days=DEFAULT_PERIOD - 1)
    except ValueError:
        return None, N_("Write the dates as YYYY-MM-DD: the last 30 days are shown.")
    if since > until:
        return None, N_("The period ends before it starts: the last 30 days are shown.")
    if (until - since).days + 1 > MAX_DAYS:
        return None, N_("A period is at most 366 days long: the last 30 days are shown.")
    return (since, until), None
