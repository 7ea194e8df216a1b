"""A campaign's schedule in words, in the reader's language: "every year on the second Wednesday
of October at 10:00", "on 15 March 2027 at 10:00".

Whole phrases are gettext messages (a translator sees "on the second {weekday} of {month}",
never loose words to glue together); day and month names come from babel. Each rule has two
forms: the one that follows "every year" ("on the last Sunday of October") and the one that
follows "before" or "after" ("the last Sunday of October"): languages with cases need both
(German: "am letzten Sonntag im Oktober", "vor dem letzten Sonntag im Oktober").
"""

from __future__ import annotations

import re
from typing import Final

from babel.dates import get_day_names, get_month_names

from bot.base.clock import format_clock
from bot.base.i18n import N_, Gettext
from bot.base.languages import babel_locale
from bot.catalog.schedule import (
    ALIASES,
    DayOfMonth,
    NthWeekday,
    Rule,
    Schedule,
    WeekdayBefore,
    parse_rule,
)

# (after "every year", after "before"/"after"), for each kind of rule.
NTH_WEEKDAY: Final = {
    1: (N_("on the first {weekday} of {month}"), N_("the first {weekday} of {month}")),
    2: (N_("on the second {weekday} of {month}"), N_("the second {weekday} of {month}")),
    3: (N_("on the third {weekday} of {month}"), N_("the third {weekday} of {month}")),
    4: (N_("on the fourth {weekday} of {month}"), N_("the fourth {weekday} of {month}")),
    -1: (N_("on the last {weekday} of {month}"), N_("the last {weekday} of {month}")),
}
# The first of the month apart: French writes "le 1er juillet".
FIRST_OF_MONTH: Final = (N_("on 1 {month}"), N_("1 {month}"))
DAY_OF_MONTH: Final = (N_("on {day} {month}"), N_("{day} {month}"))
WEEKDAY_BEFORE: Final = (
    N_("on the {weekday} before {anchor}"),
    N_("the {weekday} before {anchor}"),
)
WEEKDAY_AFTER: Final = (N_("on the {weekday} after {anchor}"), N_("the {weekday} after {anchor}"))
DAY_BEFORE: Final = (N_("on the day before {anchor}"), N_("the day before {anchor}"))
DAY_AFTER: Final = (N_("on the day after {anchor}"), N_("the day after {anchor}"))
DAYS_BEFORE: Final = (N_("{days} days before {anchor}"), N_("the day {days} days before {anchor}"))
DAYS_AFTER: Final = (N_("{days} days after {anchor}"), N_("the day {days} days after {anchor}"))
# The named days of bot/catalog/schedule.py's ALIASES, as an anchor ("the Saturday before ...").
ALIAS_WORDS: Final = {
    "winter time": N_("the switch to winter time"),
    "summer time": N_("the switch to summer time"),
}
EVERY_YEAR: Final = N_("every year {day} at {time}")
ON_DATE: Final = N_("on {day} {month} {year} at {time}")
ON_FIRST_OF_MONTH: Final = N_("on 1 {month} {year} at {time}")
# Words that lose their vowel before one (French "de octobre" is written "d'octobre").
ELISIONS: Final = {"fr": (re.compile(r"\b([Dd])e (?=[aeiouyàâäéèêëîïôöùûü])"), r"\1'")}

ON: Final = 0  # index of the form after "every year"
ANCHOR: Final = 1  # index of the form after "before" / "after"
_NAMED: Final = {parse_rule(name): ALIAS_WORDS[name] for name in ALIASES if name in ALIAS_WORDS}


def describe_schedule(schedule: Schedule, language: str, _: Gettext) -> str:
    """When a campaign goes out, in `language`; `_` is that language's gettext."""
    clock = format_clock(schedule.at, language)
    day = schedule.on_date
    if day is not None:
        text = _(ON_FIRST_OF_MONTH if day.day == 1 else ON_DATE).format(
            day=day.day, month=month_name(day.month, language), year=day.year, time=clock
        )
    else:
        assert schedule.yearly is not None
        text = _(EVERY_YEAR).format(day=describe_rule(schedule.yearly, language, _), time=clock)
    return elide(text, language)


def describe_rule(rule: Rule, language: str, _: Gettext, form: int = ON) -> str:
    """A yearly rule as the words after "every year" (`ON`) or after "before" (`ANCHOR`)."""
    if form == ANCHOR and rule in _NAMED:
        return _(_NAMED[rule])
    if isinstance(rule, NthWeekday):
        return _(NTH_WEEKDAY[rule.nth][form]).format(
            weekday=weekday_name(rule.weekday, language), month=month_name(rule.month, language)
        )
    if isinstance(rule, DayOfMonth):
        forms = FIRST_OF_MONTH if rule.day == 1 else DAY_OF_MONTH
        return _(forms[form]).format(day=rule.day, month=month_name(rule.month, language))
    anchor = describe_rule(rule.base, language, _, ANCHOR)
    if isinstance(rule, WeekdayBefore):
        forms = WEEKDAY_AFTER if rule.after else WEEKDAY_BEFORE
        return _(forms[form]).format(weekday=weekday_name(rule.weekday, language), anchor=anchor)
    if abs(rule.days) == 1:
        return _((DAY_BEFORE if rule.days > 0 else DAY_AFTER)[form]).format(anchor=anchor)
    forms = DAYS_BEFORE if rule.days >= 0 else DAYS_AFTER
    return _(forms[form]).format(days=abs(rule.days), anchor=anchor)


def weekday_name(weekday: int, language: str) -> str:
    """Monday (0) to Sunday (6) as written in a sentence in `language` (babel)."""
    return str(get_day_names("wide", "format", babel_locale(language))[weekday])


def month_name(month: int, language: str) -> str:
    """January (1) to December (12) as written in a date in `language` (babel)."""
    return str(get_month_names("wide", "format", babel_locale(language))[month])


def elide(text: str, language: str) -> str:
    """Apply the language's elisions, if it has any (French: "de avril" -> "d'avril")."""
    rule = ELISIONS.get(language)
    return rule[0].sub(rule[1], text) if rule else text
