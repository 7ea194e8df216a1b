"""Due-time maths for campaign reminders: yearly rules, quiet hours, occurrences due at `now`.

Pure functions of their arguments (no clock, no I/O); `bot/reminders/delivery.py` does the sending.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo
from typing import Final

WEEKDAYS: Final = tuple(name.lower() for name in calendar.day_name)  # monday .. sunday
MONTHS: Final = tuple(name.lower() for name in calendar.month_name)  # "", january .. december
ORDINALS: Final = {"first": 1, "second": 2, "third": 3, "fourth": 4, "last": -1}
# The EU rule (directive 2000/84/EC): summer time ends on the last Sunday of October and starts
# on the last Sunday of March. If the rule changes, change these two lines.
ALIASES: Final = {
    "winter time": "last sunday of october",
    "summer time": "last sunday of march",
}


class RuleError(ValueError):
    """A yearly rule that cannot be understood; the message says what is expected."""


@dataclass(frozen=True, slots=True)
class NthWeekday:
    """The nth (or last: -1) weekday of a month, e.g. the third Wednesday of June."""

    nth: int
    weekday: int
    month: int

    def on(self, year: int) -> date:
        """The date in `year`."""
        days = [
            day
            for day in calendar.Calendar().itermonthdates(year, self.month)
            if day.month == self.month and day.weekday() == self.weekday
        ]
        return days[self.nth - 1] if self.nth > 0 else days[self.nth]


@dataclass(frozen=True, slots=True)
class DayOfMonth:
    """A fixed day every year, e.g. 1 July."""

    month: int
    day: int

    def on(self, year: int) -> date:
        """The date in `year` (29 February becomes 28 February in other years)."""
        last = calendar.monthrange(year, self.month)[1]
        return date(year, self.month, min(self.day, last))


@dataclass(frozen=True, slots=True)
class WeekdayBefore:
    """The closest given weekday strictly before (or after) another rule's date."""

    weekday: int
    base: Rule
    after: bool = False

    def on(self, year: int) -> date:
        """The date in `year`."""
        anchor = self.base.on(year)
        if self.after:
            return anchor + timedelta(days=(self.weekday - anchor.weekday() - 1) % 7 + 1)
        return anchor - timedelta(days=(anchor.weekday() - self.weekday - 1) % 7 + 1)


@dataclass(frozen=True, slots=True)
class DaysBefore:
    """N days before (negative: after) another rule's date."""

    days: int
    base: Rule

    def on(self, year: int) -> date:
        """The date in `year`."""
        return self.base.on(year) - timedelta(days=self.days)


Rule = NthWeekday | DayOfMonth | WeekdayBefore | DaysBefore


def parse_rule(text: str) -> Rule:
    """Parse "third wednesday of june", "saturday before winter time", "14 days before 1 july"."""
    words = " ".join(text.lower().replace(",", " ").split())
    words = ALIASES.get(words, words)
    match = re.fullmatch(r"(\d+) days? (before|after) (.+)", words)
    if match:
        days = int(match[1]) if match[2] == "before" else -int(match[1])
        return DaysBefore(days, parse_rule(match[3]))
    match = re.fullmatch(r"(\w+) (before|after) (.+)", words)
    if match and match[1] in WEEKDAYS:
        return WeekdayBefore(WEEKDAYS.index(match[1]), parse_rule(match[3]), match[2] == "after")
    match = re.fullmatch(r"(\w+) (\w+) of (\w+)", words)
    if match and match[1] in ORDINALS and match[2] in WEEKDAYS and match[3] in MONTHS:
        return NthWeekday(ORDINALS[match[1]], WEEKDAYS.index(match[2]), MONTHS.index(match[3]))
    match = re.fullmatch(r"(\d{1,2}) (\w+)|(\w+) (\d{1,2})", words)
    if match:
        day, month = (match[1], match[2]) if match[1] else (match[4], match[3])
        if (
            month in MONTHS[1:]
            and 1 <= int(day) <= calendar.monthrange(2024, MONTHS.index(month))[1]
        ):
            return DayOfMonth(MONTHS.index(month), int(day))
    raise RuleError(
        f"cannot read the rule {text!r}: expected e.g. 'third wednesday of june', '1 july', "
        "'saturday before winter time' or '14 days before 1 july'"
    )


@dataclass(frozen=True, slots=True)
class QuietHours:
    """No reminder goes out between `start` and `end` local time (the span may cross midnight)."""

    start: time
    end: time

    def contains(self, moment: datetime, zone: tzinfo) -> bool:
        """True if `moment` falls in the quiet hours, in local time."""
        local = moment.astimezone(zone).time()
        if self.start == self.end:
            return False
        if self.start < self.end:
            return self.start <= local < self.end
        return local >= self.start or local < self.end

    def next_allowed(self, moment: datetime, zone: tzinfo) -> datetime:
        """`moment` itself, or the end of the quiet hours it falls in (e.g. 09:00 next morning)."""
        if not self.contains(moment, zone):
            return moment
        local = moment.astimezone(zone)
        day = local.date() if local.time() < self.end else local.date() + timedelta(days=1)
        return datetime.combine(day, self.end, tzinfo=zone)


@dataclass(frozen=True, slots=True)
class Schedule:
    """When a campaign goes out: one date or a yearly rule, at a local time, valid some days."""

    at: time
    on_date: date | None = None
    yearly: Rule | None = None
    valid_days: int = 3

    def dates(self, around: int) -> list[date]:
        """The occurrence dates in the years around `around` (the one before, that one, next)."""
        if self.on_date is not None:
            return [self.on_date]
        assert self.yearly is not None
        return [self.yearly.on(year) for year in (around - 1, around, around + 1)]


@dataclass(frozen=True, slots=True)
class Occurrence:
    """One due sending of a campaign: its key in the delivery log and its time window."""

    key: str
    campaign_id: str
    day: date
    send_from: datetime
    expires: datetime


def occurrences(
    campaign_id: str, schedule: Schedule, around: datetime, zone: tzinfo, quiet: QuietHours
) -> list[Occurrence]:
    """The campaign's occurrences near `around`, moved out of the quiet hours."""
    found = []
    for day in schedule.dates(around.astimezone(zone).year):
        due = datetime.combine(day, schedule.at, tzinfo=zone)
        start = quiet.next_allowed(due, zone)
        expires = start + timedelta(days=schedule.valid_days)
        found.append(
            Occurrence(f"{campaign_id}@{day.isoformat()}", campaign_id, day, start, expires)
        )
    return found


def due(
    campaign_id: str, schedule: Schedule, now: datetime, zone: tzinfo, quiet: QuietHours
) -> Occurrence | None:
    """The occurrence to send at `now`, if one has started and not yet expired."""
    for occurrence in occurrences(campaign_id, schedule, now, zone, quiet):
        if occurrence.send_from <= now < occurrence.expires:
            return occurrence
    return None


def upcoming(
    campaign_id: str, schedule: Schedule, now: datetime, zone: tzinfo, quiet: QuietHours
) -> Occurrence | None:
    """The next occurrence that starts after `now` (for listings)."""
    later = [
        occurrence
        for occurrence in occurrences(campaign_id, schedule, now, zone, quiet)
        if occurrence.send_from > now
    ]
    return min(later, key=lambda occurrence: occurrence.send_from, default=None)
