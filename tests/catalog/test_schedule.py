"""Due-time maths: yearly rules across years, summer/winter time, quiet hours, windows."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.catalog.schedule import (
    DayOfMonth,
    NthWeekday,
    QuietHours,
    RuleError,
    Schedule,
    due,
    occurrences,
    parse_rule,
    upcoming,
)

BRUSSELS = ZoneInfo("Europe/Brussels")
QUIET = QuietHours(time(21, 0), time(9, 0))


@pytest.mark.parametrize(
    ("year", "expected"),
    [(2025, date(2025, 10, 26)), (2026, date(2026, 10, 25)), (2027, date(2027, 10, 31))],
)
def test_last_sunday_of_october_across_years(year: int, expected: date) -> None:
    assert parse_rule("last sunday of october").on(year) == expected
    assert parse_rule("winter time").on(year) == expected


@pytest.mark.parametrize(
    ("year", "expected"),
    [(2025, date(2025, 10, 25)), (2026, date(2026, 10, 24)), (2027, date(2027, 10, 30))],
)
def test_the_saturday_before_the_switch_to_winter_time(year: int, expected: date) -> None:
    assert parse_rule("Saturday before winter time").on(year) == expected


@pytest.mark.parametrize(
    ("year", "expected"),
    [(2021, date(2021, 6, 16)), (2026, date(2026, 6, 17)), (2027, date(2027, 6, 16))],
)
def test_third_wednesday_of_june(year: int, expected: date) -> None:
    # 16 June 2021 is the European focus day found in the research (facts.md CAM-8).
    assert parse_rule("third wednesday of june").on(year) == expected


def test_days_before_a_date_and_weekday_after_a_rule() -> None:
    assert parse_rule("14 days before 1 july").on(2026) == date(2026, 6, 17)
    assert parse_rule("14 days before july 1").on(2026) == date(2026, 6, 17)
    assert parse_rule("3 days after 31 december").on(2026) == date(2027, 1, 3)
    assert parse_rule("monday after first sunday of september").on(2026) == date(2026, 9, 7)
    assert parse_rule("13 days before winter time").on(2026) == date(2026, 10, 12)
    assert parse_rule("saturday before 10 october").on(2026) == date(2026, 10, 3)  # a Saturday


def test_rule_shapes_and_leap_days() -> None:
    assert parse_rule("first monday of march") == NthWeekday(1, 0, 3)
    assert parse_rule("29 february") == DayOfMonth(2, 29)
    assert parse_rule("29 february").on(2027) == date(2027, 2, 28)
    assert parse_rule("29 february").on(2028) == date(2028, 2, 29)


@pytest.mark.parametrize(
    "text", ["", "sometime in june", "fifth monday of may", "31 february", "14 days before"]
)
def test_bad_rules_say_what_is_expected(text: str) -> None:
    with pytest.raises(RuleError, match=r"expected e\.g\."):
        parse_rule(text)


@pytest.mark.parametrize(
    ("day", "utc_hour"),
    [
        (date(2026, 3, 28), 9),  # the day before summer time: UTC+1
        (date(2026, 3, 29), 8),  # summer time starts at 02:00 that night: UTC+2
        (date(2026, 10, 25), 9),  # winter time again (03:00 -> 02:00): UTC+1
        (date(2026, 10, 24), 8),
    ],
)
def test_ten_oclock_local_on_the_switch_days(day: date, utc_hour: int) -> None:
    schedule = Schedule(time(10, 0), on_date=day)
    [occurrence] = occurrences(
        "c", schedule, datetime(2026, 6, 1, tzinfo=BRUSSELS), BRUSSELS, QUIET
    )
    assert occurrence.send_from.astimezone(UTC).hour == utc_hour
    assert occurrence.send_from.astimezone(BRUSSELS).time() == time(10, 0)


def test_yearly_rule_at_ten_on_the_winter_time_day_itself() -> None:
    schedule = Schedule(time(10, 0), yearly=parse_rule("winter time"))
    found = occurrences("c", schedule, datetime(2026, 1, 1, tzinfo=BRUSSELS), BRUSSELS, QUIET)
    utc = [o.send_from.astimezone(UTC) for o in found]
    assert utc == [
        datetime(2025, 10, 26, 9, 0, tzinfo=UTC),
        datetime(2026, 10, 25, 9, 0, tzinfo=UTC),
        datetime(2027, 10, 31, 9, 0, tzinfo=UTC),
    ]


def test_quiet_hours_move_a_late_campaign_to_the_next_morning() -> None:
    schedule = Schedule(time(22, 0), on_date=date(2026, 11, 25))
    at = datetime(2026, 11, 25, 22, 5, tzinfo=BRUSSELS)
    assert due("c", schedule, at, BRUSSELS, QUIET) is None
    assert due("c", schedule, at.replace(hour=23, minute=59), BRUSSELS, QUIET) is None
    assert (
        due("c", schedule, datetime(2026, 11, 26, 8, 59, tzinfo=BRUSSELS), BRUSSELS, QUIET) is None
    )
    morning = datetime(2026, 11, 26, 9, 0, tzinfo=BRUSSELS)
    occurrence = due("c", schedule, morning, BRUSSELS, QUIET)
    assert occurrence is not None
    assert occurrence.send_from == morning
    assert occurrence.key == "c@2026-11-25"


def test_quiet_hours_edges_and_the_same_day_before_the_end() -> None:
    assert QUIET.contains(datetime(2026, 11, 25, 21, 0, tzinfo=BRUSSELS), BRUSSELS)
    assert not QUIET.contains(datetime(2026, 11, 25, 20, 59, tzinfo=BRUSSELS), BRUSSELS)
    assert not QUIET.contains(datetime(2026, 11, 25, 9, 0, tzinfo=BRUSSELS), BRUSSELS)
    early = datetime(2026, 11, 25, 3, 0, tzinfo=BRUSSELS)
    assert QUIET.next_allowed(early, BRUSSELS) == datetime(2026, 11, 25, 9, 0, tzinfo=BRUSSELS)
    # A moment given in UTC is judged in Brussels time (20:30 UTC is 21:30 in winter).
    evening_utc = datetime(2026, 11, 25, 20, 30, tzinfo=UTC)
    assert QUIET.contains(evening_utc, BRUSSELS)
    assert not QuietHours(time(9), time(9)).contains(early, BRUSSELS)
    day_quiet = QuietHours(time(12), time(14))
    assert day_quiet.contains(datetime(2026, 1, 1, 13, tzinfo=BRUSSELS), BRUSSELS)


def test_due_window_opens_at_the_time_and_closes_after_valid_days() -> None:
    schedule = Schedule(time(10, 0), yearly=parse_rule("third wednesday of june"), valid_days=2)
    start = datetime(2026, 6, 17, 10, 0, tzinfo=BRUSSELS)
    assert due("c", schedule, start - timedelta(minutes=1), BRUSSELS, QUIET) is None
    assert due("c", schedule, start, BRUSSELS, QUIET) is not None
    assert due("c", schedule, start + timedelta(days=2) - timedelta(seconds=1), BRUSSELS, QUIET)
    assert due("c", schedule, start + timedelta(days=2), BRUSSELS, QUIET) is None


def test_a_window_across_new_year_uses_the_previous_years_date() -> None:
    schedule = Schedule(time(10, 0), yearly=parse_rule("31 december"), valid_days=3)
    occurrence = due("c", schedule, datetime(2027, 1, 1, 12, tzinfo=BRUSSELS), BRUSSELS, QUIET)
    assert occurrence is not None
    assert occurrence.key == "c@2026-12-31"


def test_upcoming_is_the_next_start_after_now() -> None:
    schedule = Schedule(time(10, 0), yearly=parse_rule("saturday before winter time"))
    after = upcoming("c", schedule, datetime(2026, 10, 24, 11, tzinfo=BRUSSELS), BRUSSELS, QUIET)
    assert after is not None
    assert after.day == date(2027, 10, 30)
