"""The calendar page's data: schedules in words, next dates, and reach on a real SQLite file."""

from __future__ import annotations

from datetime import date, datetime, time
from pathlib import Path

import pytest

from bot.base.languages import LANGUAGES
from bot.base.settings import Settings
from bot.catalog.campaigns import Campaign, Target
from bot.catalog.schedule import QuietHours, Schedule, parse_rule
from bot.reminders.agenda import calendar_entries, next_occurrences, reach
from bot.storage import Storage
from tests.helpers.content import calendar_store, write_calendar
from tests.helpers.project import BRUSSELS, NOW
from tests.helpers.reminders import add_subscriber, shared_translator

EUPEN, KELMIS, GENT = "63023", "63040", "44021"
QUIET = QuietHours(time(21, 0), time(9, 0))
MESSAGE = """
    message:
      fr: Rappel.
      nl: Herinnering.
      de: Erinnerung.
      en: Reminder."""
CALENDAR = f"""
campaigns:
  - id: east-cantons
    target:
      municipalities: [Eupen, Kelmis]
    when:
      yearly: second monday of june
      time: "10:00"{MESSAGE}
  - id: everywhere
    target: all
    when:
      yearly: saturday before winter time
      time: "10:00"{MESSAGE}
  - id: gone
    target:
      postcodes: ["9000"]
    when:
      date: 2026-03-01
      time: "10:00"{MESSAGE}
  - id: eupen-soon
    target:
      postcodes: ["4700"]
    when:
      date: 2026-12-01
      time: "22:30"{MESSAGE}
"""


def yearly(rule: str, at: time = time(10, 0)) -> Campaign:
    return Campaign("test", {}, Target(everywhere=True), Schedule(at, yearly=parse_rule(rule)))


def days(campaign: Campaign, count: int = 3) -> list[date]:
    return [o.day for o in next_occurrences(campaign, NOW, BRUSSELS, QUIET, count)]


def test_the_next_dates_of_a_yearly_rule() -> None:
    assert days(yearly("second monday of june")) == [
        date(2027, 6, 14),
        date(2028, 6, 12),
        date(2029, 6, 11),
    ]
    assert days(yearly("1 july"), count=7) == [date(year, 7, 1) for year in range(2027, 2034)]


def test_this_years_date_counts_until_it_has_started() -> None:
    # NOW is 25 November 2026 at 14:30.
    assert days(yearly("25 november", time(15, 0)))[0] == date(2026, 11, 25)
    assert days(yearly("25 november", time(14, 0)))[0] == date(2027, 11, 25)


def test_the_next_dates_say_when_reminders_really_go_out() -> None:
    # Due in the quiet hours (21:00-09:00): sent at 09:00 the next morning.
    (first,) = next_occurrences(yearly("1 july", time(22, 30)), NOW, BRUSSELS, QUIET, 1)
    assert first.day == date(2027, 7, 1)
    assert first.send_from == datetime(2027, 7, 2, 9, 0, tzinfo=BRUSSELS)


def test_a_single_date_has_one_next_date_until_it_passes() -> None:
    coming = Campaign("test", {}, Target(everywhere=True), Schedule(time(10), date(2027, 3, 15)))
    past = Campaign("test", {}, Target(everywhere=True), Schedule(time(10), date(2026, 3, 15)))
    assert days(coming) == [date(2027, 3, 15)]
    assert days(past) == []


@pytest.fixture
async def subscribed(storage: Storage) -> Storage:
    """Chats 1-2 follow Eupen, 3 Kelmis and Eupen, 4 Gent, 5 Eupen but blocked the bot."""
    for chat, nis in [(1, EUPEN), (2, EUPEN), (3, KELMIS), (3, EUPEN), (4, GENT), (5, EUPEN)]:
        await add_subscriber(storage, chat, nis)
    await storage.users.set_active(5, False, NOW)
    return storage


async def test_the_reach_counts_active_chats_once(subscribed: Storage) -> None:
    assert await reach(subscribed, {EUPEN}) == 3
    assert await reach(subscribed, {EUPEN, KELMIS}) == 3
    assert await reach(subscribed, {KELMIS, GENT}) == 2
    assert await reach(subscribed, set()) == 0
    assert await reach(subscribed, None) == 4  # all of Belgium


async def test_the_calendar_page_data(
    subscribed: Storage, settings: Settings, tmp_path: Path
) -> None:
    content = calendar_store(write_calendar(tmp_path / "content", CALENDAR)).snapshot
    translator = shared_translator(LANGUAGES)

    entries = await calendar_entries(content, subscribed, translator, settings, "nl", NOW)

    # Soonest first; the one whose date has passed comes last.
    assert [entry.campaign.id for entry in entries] == [
        "eupen-soon",
        "east-cantons",
        "everywhere",
        "gone",
    ]
    soon, east, everywhere, gone = entries
    assert soon.schedule == "op 1 december 2026 om 22:30"
    assert [o.send_from for o in soon.next] == [datetime(2026, 12, 2, 9, 0, tzinfo=BRUSSELS)]
    assert (soon.places, soon.reach) == ({EUPEN}, 3)
    assert east.schedule == "elk jaar op de tweede maandag van juni om 10:00"
    assert [o.day for o in east.next] == [date(2027, 6, 14), date(2028, 6, 12), date(2029, 6, 11)]
    assert (east.places, east.reach) == ({EUPEN, KELMIS}, 3)
    assert everywhere.schedule.startswith("elk jaar op de zaterdag vóór de overgang")
    assert everywhere.next[0].day == date(2027, 10, 30)
    assert (everywhere.places, everywhere.reach) == (None, 4)
    assert (gone.next, gone.reach) == ((), 1)


async def test_the_calendar_in_the_readers_language(
    subscribed: Storage, settings: Settings, tmp_path: Path
) -> None:
    content = calendar_store(write_calendar(tmp_path / "content", CALENDAR)).snapshot
    translator = shared_translator(LANGUAGES)
    expected = {
        "fr": "chaque année le deuxième lundi de juin, à 10:00",
        "de": "jedes Jahr am zweiten Montag im Juni um 10:00 Uhr",
        "en": "every year on the second Monday of June at 10:00",
    }
    for language, words in expected.items():
        entries = await calendar_entries(content, subscribed, translator, settings, language, NOW)
        assert {entry.campaign.id: entry.schedule for entry in entries}["east-cantons"] == words
