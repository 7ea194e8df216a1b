"""The dashboard's numbers: one `Chart` per question it answers, from the anonymous counts.

Each builder reads storage for the filters' period and languages and returns the labels and
series that the page draws (bot/web/charts.py) and the CSV export writes, so both always show
the same numbers.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Final

from bot.base.i18n import N_, Gettext
from bot.base.languages import LANGUAGE_NAMES
from bot.base.turns import ANSWERED, OPENED, QUESTION_OUTCOMES, UNANSWERED
from bot.catalog.places import BRUSSELS, FLANDERS, Places
from bot.catalog.topics import Catalog
from bot.storage import Storage, VoteCount
from bot.web.announcements import FAILED, PENDING, SENT
from bot.web.chart_data import MISSING, Chart, Series
from bot.web.dashboard_filters import Filters

TOP_TOPICS: Final = 10
RUNS_SHOWN: Final = 12


@dataclass(frozen=True, slots=True)
class Source:
    """What the builders read: the database, the content, the reader's language and gettext."""

    storage: Storage
    catalog: Catalog
    places: Places
    language: str
    gettext: Gettext


async def questions(source: Source, filters: Filters) -> Chart:
    """Questions typed per day, a line per language."""
    counts = await source.storage.usage.by_day(filters.since, filters.until, filters.languages)
    per_day: dict[str, dict[str, float]] = {code: defaultdict(float) for code in filters.languages}
    for count in counts:
        if count.outcome in QUESTION_OUTCOMES:
            per_day[count.language][count.day.isoformat()] += count.count
    days = [day.isoformat() for day in filters.every_day()]
    series = tuple(
        Series(LANGUAGE_NAMES[code], tuple(per_day[code][day] for day in days))
        for code in filters.languages
    )
    return Chart("questions", source.gettext(N_("Questions per day")), tuple(days), series)


async def answered(source: Source, filters: Filters) -> Chart:
    """Of the questions about a subject each day, the share answered and not answered."""
    counts = await source.storage.usage.by_day(filters.since, filters.until, filters.languages)
    per_day: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for count in counts:
        per_day[count.day.isoformat()][count.outcome] += count.count
    days = [day.isoformat() for day in filters.every_day()]
    shares = [_shares(per_day[day][ANSWERED], per_day[day][UNANSWERED]) for day in days]
    _ = source.gettext
    series = (
        Series(_("Answered"), tuple(share[0] for share in shares)),
        Series(_("Not answered"), tuple(share[1] for share in shares)),
    )
    return Chart("answered", _("Answered and unanswered questions (%)"), tuple(days), series, True)


async def topics(source: Source, filters: Filters) -> Chart:
    """The topics most asked about, with how often they were opened from the menu."""
    counts = await source.storage.usage.by_topic(
        filters.since, filters.until, filters.languages, (ANSWERED, OPENED)
    )
    totals: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    for count in counts:
        totals[count.topic][count.outcome] += count.count
    ranked = sorted(totals, key=lambda topic: (-totals[topic][ANSWERED], -totals[topic][OPENED]))
    chosen = ranked[:TOP_TOPICS]
    _ = source.gettext
    series = (
        Series(_("Asked"), tuple(totals[topic][ANSWERED] for topic in chosen)),
        Series(_("Opened from a button"), tuple(totals[topic][OPENED] for topic in chosen)),
    )
    labels = tuple(_topic_title(source, topic) for topic in chosen)
    return Chart("topics", _("Most asked topics"), labels, series)


async def unhelpful(source: Source, filters: Filters) -> Chart:
    """The share of "not helpful" votes per topic, this period beside the previous one."""
    now, before = await _votes(source, filters)
    current, previous = _rates(now, lambda vote: vote.topic), _rates(before, lambda v: v.topic)
    ranked = sorted(current, key=lambda topic: (-current[topic], topic))[:TOP_TOPICS]
    return _comparison(
        source,
        "unhelpful",
        N_("“Not helpful” votes per topic (%)"),
        tuple(_topic_title(source, topic) for topic in ranked),
        [(current[topic], previous.get(topic, 0.0)) for topic in ranked],
    )


async def unhelpful_languages(source: Source, filters: Filters) -> Chart:
    """The share of "not helpful" votes per language, this period beside the previous one."""
    now, before = await _votes(source, filters)
    current, previous = _rates(now, lambda v: v.language), _rates(before, lambda v: v.language)
    shown = [code for code in filters.languages if code in current or code in previous]
    return _comparison(
        source,
        "unhelpful-languages",
        N_("“Not helpful” votes per language (%)"),
        tuple(LANGUAGE_NAMES[code] for code in shown),
        [(current.get(code, 0.0), previous.get(code, 0.0)) for code in shown],
    )


async def provinces(source: Source, filters: Filters) -> Chart:
    """Subscribers per province (Brussels, which has none, as its region)."""
    area_of = {
        nis: place.province_nis or place.region_nis
        for nis, place in source.places.municipalities.items()
    }
    title = source.gettext(N_("Subscribers per province"))
    return await _subscribers(source, filters, "provinces", title, area_of)


async def regions(source: Source, filters: Filters) -> Chart:
    """Subscribers per region."""
    area_of = {nis: place.region_nis for nis, place in source.places.municipalities.items()}
    title = source.gettext(N_("Subscribers per region"))
    return await _subscribers(source, filters, "regions", title, area_of)


async def reminders(source: Source, filters: Filters) -> Chart:
    """Reminders sent, pending and failed for each campaign occurrence due in the period."""
    runs = [
        item
        for item in await source.storage.deliveries.progress()
        if filters.since <= item.run.due_at.date() <= filters.until
    ][:RUNS_SHOWN]
    _ = source.gettext
    labels = tuple(f"{item.run.campaign_id} {item.run.due_at.date().isoformat()}" for item in runs)
    series = tuple(
        Series(_(name), tuple(float(item.count(*statuses)) for item in runs))
        for name, statuses in (
            (N_("Sent"), SENT),
            (N_("Pending"), PENDING),
            (N_("Failed"), FAILED),
        )
    )
    return Chart("reminders", _("Reminders per campaign occurrence"), labels, series)


Builder = Callable[[Source, Filters], Awaitable[Chart]]
# The charts in the page's order, by the key of their CSV address.
BUILDERS: Final[dict[str, Builder]] = {
    "questions": questions,
    "answered": answered,
    "topics": topics,
    "unhelpful": unhelpful,
    "unhelpful-languages": unhelpful_languages,
    "provinces": provinces,
    "regions": regions,
    "reminders": reminders,
}


def _shares(yes: int, no: int) -> tuple[float, float]:
    """Percentages of `yes` and `no`; missing on a day without either (a gap in the line)."""
    total = yes + no
    return (100 * yes / total, 100 * no / total) if total else (MISSING, MISSING)


async def _votes(source: Source, filters: Filters) -> tuple[list[VoteCount], list[VoteCount]]:
    statistics = source.storage.statistics
    now = await statistics.votes(filters.since, filters.until, filters.languages)
    before = await statistics.votes(*filters.previous(), filters.languages)
    return now, before


def _rates(votes: list[VoteCount], key: Callable[[VoteCount], str]) -> dict[str, float]:
    """The percentage of "not helpful" among the votes, per key."""
    bad: dict[str, int] = defaultdict(int)
    total: dict[str, int] = defaultdict(int)
    for vote in votes:
        bad[key(vote)] += vote.unhelpful
        total[key(vote)] += vote.total
    return {name: 100 * bad[name] / total[name] for name in total if total[name]}


def _comparison(
    source: Source, key: str, title: str, labels: tuple[str, ...], pairs: list[tuple[float, float]]
) -> Chart:
    _ = source.gettext
    series = (
        Series(_("This period"), tuple(pair[0] for pair in pairs)),
        Series(_("Previous period"), tuple(pair[1] for pair in pairs)),
    )
    return Chart(key, _(title), labels, series, percent=True)


async def _subscribers(
    source: Source, filters: Filters, key: str, title: str, area_of: dict[str, str]
) -> Chart:
    counted = await source.storage.statistics.subscribers(area_of, filters.languages)
    names = {area: _area_name(source, area) for area in counted}
    areas = sorted(counted, key=lambda area: (-counted[area], names[area]))
    labels = tuple(names[area] for area in areas)
    _ = source.gettext
    series = (Series(_("Subscribers"), tuple(float(counted[area]) for area in areas)),)
    return Chart(key, title, labels, series)


def _area_name(source: Source, area: str) -> str:
    """A province's or region's name in the reader's language (English: the local one)."""
    names = source.places.area_names.get(area, {})
    if source.language in names:
        return names[source.language]
    if area == BRUSSELS:
        return f"{names.get('fr', area)} / {names.get('nl', area)}"
    region = next(
        (m.region_nis for m in source.places.municipalities.values() if m.province_nis == area),
        area,
    )
    return names.get("nl" if region == FLANDERS else "fr", area)


def _topic_title(source: Source, topic_id: str) -> str:
    topic = source.catalog.topics.get(topic_id)
    return topic.text(source.language).title if topic is not None else topic_id
