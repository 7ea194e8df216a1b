"""The campaign calendar as the workspace shows it: each campaign's schedule in words, its next
dates and how many subscribers it would reach.

The dates come from the same due-time maths as the sending (`bot/catalog/schedule.py`), quiet
hours included, so the page shows when reminders really go out.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime, tzinfo
from typing import Final

from bot.base.i18n import Translator
from bot.base.settings import Settings
from bot.catalog.campaigns import Campaign
from bot.catalog.schedule import Occurrence, QuietHours, occurrences
from bot.catalog.store import Snapshot
from bot.reminders.delivery import quiet_hours
from bot.reminders.phrasing import describe_schedule
from bot.storage import Storage

NEXT_DATES: Final = 3


@dataclass(frozen=True, slots=True)
class CalendarEntry:
    """One campaign on the calendar page."""

    campaign: Campaign
    schedule: str  # in the reader's language: "every year on the second Wednesday of October..."
    next: tuple[Occurrence, ...]  # soonest first; empty once a one-off date has passed
    places: frozenset[str] | None  # the NIS codes it targets; None for all of Belgium
    reach: int  # active chats following at least one of those places now


async def calendar_entries(
    content: Snapshot,
    storage: Storage,
    translator: Translator,
    settings: Settings,
    language: str,
    now: datetime,
    count: int = NEXT_DATES,
) -> list[CalendarEntry]:
    """Every campaign of `content`, the soonest first (those with no date to come last)."""
    _ = translator.gettext(language)
    quiet = quiet_hours(settings)
    entries = []
    for campaign in content.calendar:
        places = campaign.target.resolve(content.places)
        entries.append(
            CalendarEntry(
                campaign,
                describe_schedule(campaign.schedule, language, _),
                next_occurrences(campaign, now, settings.timezone, quiet, count),
                places,
                await reach(storage, places),
            )
        )
    return sorted(entries, key=_soonest)


def next_occurrences(
    campaign: Campaign, now: datetime, zone: tzinfo, quiet: QuietHours, count: int = NEXT_DATES
) -> tuple[Occurrence, ...]:
    """The campaign's next `count` occurrences that start after `now`, soonest first."""
    found: dict[str, Occurrence] = {}
    year = now.astimezone(zone).year
    # `occurrences` covers three years around the one it is given: step three years at a time.
    for around in range(year, year + 3 * (count // 3 + 2), 3):
        middle = datetime(around, 7, 1, tzinfo=zone)
        for occurrence in occurrences(campaign.id, campaign.schedule, middle, zone, quiet):
            if occurrence.send_from > now:
                found[occurrence.key] = occurrence
        if campaign.schedule.on_date is not None or len(found) >= count:
            break
    return tuple(sorted(found.values(), key=lambda occurrence: occurrence.send_from)[:count])


async def reach(storage: Storage, places: Collection[str] | None) -> int:
    """How many active chats follow at least one of `places` (None: anywhere in Belgium).

    The one place the calendar asks the subscriptions (the storage API may move again).
    """
    return await storage.subscriptions.reach(places)


def _soonest(entry: CalendarEntry) -> tuple[bool, datetime | None]:
    first = entry.next[0].send_from if entry.next else None
    return (first is None, first)
