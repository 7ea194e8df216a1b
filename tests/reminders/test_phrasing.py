"""A campaign's schedule in words: every kind of rule, in every language, from the catalogs."""

from __future__ import annotations

from datetime import date, time

import pytest

from bot.base.languages import LANGUAGES
from bot.catalog.schedule import DayOfMonth, DaysBefore, NthWeekday, Schedule, parse_rule
from bot.reminders.phrasing import ANCHOR, ON, describe_rule, describe_schedule, elide
from tests.helpers.content import real_content
from tests.helpers.reminders import shared_translator

TEN = time(10, 0)
# rule -> the words in fr, nl, de, en (the schedule at 10:00)
YEARLY = {
    "second wednesday of october": (
        "chaque année le deuxième mercredi d'octobre, à 10:00",
        "elk jaar op de tweede woensdag van oktober om 10:00",
        "jedes Jahr am zweiten Mittwoch im Oktober um 10:00 Uhr",
        "every year on the second Wednesday of October at 10:00",
    ),
    "last sunday of march": (
        "chaque année le dernier dimanche de mars, à 10:00",
        "elk jaar op de laatste zondag van maart om 10:00",
        "jedes Jahr am letzten Sonntag im März um 10:00 Uhr",
        "every year on the last Sunday of March at 10:00",
    ),
    "fourth thursday of april": (
        "chaque année le quatrième jeudi d'avril, à 10:00",
        "elk jaar op de vierde donderdag van april om 10:00",
        "jedes Jahr am vierten Donnerstag im April um 10:00 Uhr",
        "every year on the fourth Thursday of April at 10:00",
    ),
    "15 march": (
        "chaque année le 15 mars, à 10:00",
        "elk jaar op 15 maart om 10:00",
        "jedes Jahr am 15. März um 10:00 Uhr",
        "every year on 15 March at 10:00",
    ),
    "1 july": (
        "chaque année le 1er juillet, à 10:00",
        "elk jaar op 1 juli om 10:00",
        "jedes Jahr am 1. Juli um 10:00 Uhr",
        "every year on 1 July at 10:00",
    ),
    "saturday before winter time": (
        "chaque année le samedi précédant le passage à l'heure d'hiver, à 10:00",
        "elk jaar op de zaterdag vóór de overgang naar het winteruur om 10:00",
        "jedes Jahr am Samstag vor der Umstellung auf die Winterzeit um 10:00 Uhr",
        "every year on the Saturday before the switch to winter time at 10:00",
    ),
    "monday after first sunday of september": (
        "chaque année le lundi suivant le premier dimanche de septembre, à 10:00",
        "elk jaar op de maandag na de eerste zondag van september om 10:00",
        "jedes Jahr am Montag nach dem ersten Sonntag im September um 10:00 Uhr",
        "every year on the Monday after the first Sunday of September at 10:00",
    ),
    "13 days before winter time": (
        "chaque année 13 jours avant le passage à l'heure d'hiver, à 10:00",
        "elk jaar 13 dagen vóór de overgang naar het winteruur om 10:00",
        "jedes Jahr 13 Tage vor der Umstellung auf die Winterzeit um 10:00 Uhr",
        "every year 13 days before the switch to winter time at 10:00",
    ),
    "2 days after summer time": (
        "chaque année 2 jours après le passage à l'heure d'été, à 10:00",
        "elk jaar 2 dagen na de overgang naar het zomeruur om 10:00",
        "jedes Jahr 2 Tage nach der Umstellung auf die Sommerzeit um 10:00 Uhr",
        "every year 2 days after the switch to summer time at 10:00",
    ),
    "1 day before 1 august": (
        "chaque année le jour précédant le 1er août, à 10:00",
        "elk jaar op de dag vóór 1 augustus om 10:00",
        "jedes Jahr am Tag vor dem 1. August um 10:00 Uhr",
        "every year on the day before 1 August at 10:00",
    ),
    "1 day after third friday of august": (
        "chaque année le jour suivant le troisième vendredi d'août, à 10:00",
        "elk jaar op de dag na de derde vrijdag van augustus om 10:00",
        "jedes Jahr am Tag nach dem dritten Freitag im August um 10:00 Uhr",
        "every year on the day after the third Friday of August at 10:00",
    ),
    # Rules inside rules: the inner one in its "after before/after" form.
    "14 days before saturday before winter time": (
        "chaque année 14 jours avant le samedi précédant le passage à l'heure d'hiver, à 10:00",
        "elk jaar 14 dagen vóór de zaterdag vóór de overgang naar het winteruur om 10:00",
        "jedes Jahr 14 Tage vor dem Samstag vor der Umstellung auf die Winterzeit um 10:00 Uhr",
        "every year 14 days before the Saturday before the switch to winter time at 10:00",
    ),
    "sunday after 10 days before 1 july": (
        "chaque année le dimanche suivant le jour situé 10 jours avant le 1er juillet, à 10:00",
        "elk jaar op de zondag na de dag 10 dagen vóór 1 juli om 10:00",
        "jedes Jahr am Sonntag nach dem Tag 10 Tage vor dem 1. Juli um 10:00 Uhr",
        "every year on the Sunday after the day 10 days before 1 July at 10:00",
    ),
}
ONE_DAY = {
    (date(2027, 3, 15), time(10, 0)): (
        "le 15 mars 2027 à 10:00",
        "op 15 maart 2027 om 10:00",
        "am 15. März 2027 um 10:00 Uhr",
        "on 15 March 2027 at 10:00",
    ),
    (date(2027, 4, 1), time(9, 30)): (
        "le 1er avril 2027 à 09:30",
        "op 1 april 2027 om 09:30",
        "am 1. April 2027 um 09:30 Uhr",
        "on 1 April 2027 at 09:30",
    ),
}
ORDER = ("fr", "nl", "de", "en")


def words(schedule: Schedule, language: str) -> str:
    return describe_schedule(schedule, language, shared_translator(LANGUAGES).gettext(language))


@pytest.mark.parametrize("language", ORDER)
@pytest.mark.parametrize("rule", list(YEARLY))
def test_a_yearly_rule_in_words(rule: str, language: str) -> None:
    schedule = Schedule(TEN, yearly=parse_rule(rule))
    assert words(schedule, language) == YEARLY[rule][ORDER.index(language)]


@pytest.mark.parametrize("language", ORDER)
@pytest.mark.parametrize(("day", "at"), list(ONE_DAY))
def test_a_single_date_in_words(day: date, at: time, language: str) -> None:
    schedule = Schedule(at, on_date=day)
    assert words(schedule, language) == ONE_DAY[day, at][ORDER.index(language)]


def test_the_languages_tested_are_the_bots_languages() -> None:
    assert set(ORDER) == set(LANGUAGES)


@pytest.mark.parametrize("language", ORDER)
def test_every_form_of_every_rule_is_filled_in(language: str) -> None:
    # Both forms (after "every year" and after "before") of every ordinal, every day count.
    _ = shared_translator(LANGUAGES).gettext(language)
    rules = [NthWeekday(nth, 2, 11) for nth in (1, 2, 3, 4, -1)]
    rules += [DayOfMonth(11, day) for day in (1, 11)]
    rules += [DaysBefore(days, DayOfMonth(7, 1)) for days in (-3, -1, 0, 1, 3)]
    rules += [parse_rule(f"tuesday {way} 1 july") for way in ("before", "after")]
    for form in (ON, ANCHOR):
        texts = [describe_rule(rule, language, _, form) for rule in rules]
        assert [text for text in texts if "{" in text or text != text.strip()] == []
        assert len(set(texts)) == len(rules)  # two different rules never read the same


@pytest.mark.parametrize("language", ORDER)
def test_the_real_calendar_reads_well(language: str) -> None:
    for campaign in real_content().calendar:
        text = words(campaign.schedule, language)
        assert "{" not in text
        assert "  " not in text


def test_french_elides_de_before_a_vowel_only() -> None:
    assert elide("le premier lundi de août", "fr") == "le premier lundi d'août"
    assert elide("le premier lundi de mai", "fr") == "le premier lundi de mai"
    assert elide("de overgang naar het winteruur", "nl") == "de overgang naar het winteruur"
