"""The dashboard over HTTP: each chart's numbers from the counts, filters, CSV, odd input."""

from __future__ import annotations

import csv
import io
import xml.etree.ElementTree as ET
from datetime import timedelta

import httpx
import pytest
from starlette.applications import Starlette

from bot.base.turns import ANSWERED, EMERGENCY, OPENED, OTHER, UNANSWERED
from bot.storage import Run, Storage
from bot.web.dashboard_charts import BUILDERS
from tests.helpers.project import NOW
from tests.helpers.reminders import add_subscriber
from tests.helpers.web import add_staff, open_session, sign_in_as

TODAY = NOW.date()
YESTERDAY = TODAY - timedelta(days=1)
EUPEN, KELMIS, GENT, IXELLES = "63023", "63040", "44021", "21009"


async def seed(storage: Storage) -> None:
    """Two days of questions, votes in this week and the one before, subscribers, a reminder."""
    usage = storage.usage
    await usage.add(YESTERDAY, "fr", "plp.join", ANSWERED, 3)
    await usage.add(YESTERDAY, "fr", "", UNANSWERED, 1)
    await usage.add(TODAY, "fr", "plp.join", ANSWERED, 1)
    await usage.add(TODAY, "nl", "burglary.doors_locks", ANSWERED, 2)
    await usage.add(TODAY, "nl", "", UNANSWERED, 2)
    await usage.add(TODAY, "nl", "", EMERGENCY, 1)
    await usage.add(TODAY, "de", "greet", OTHER, 1)
    await usage.add(TODAY, "de", "plp.join", OPENED, 5)  # a button: not a question
    for helpful in (False, False, True, True):
        await storage.gaps.record_vote("plp.join", "fr", helpful, NOW)
    await storage.gaps.record_vote("plp.join", "fr", True, NOW - timedelta(days=8))
    for chat, nis, language in ((1, EUPEN, "fr"), (2, KELMIS, "de"), (3, GENT, "nl")):
        await add_subscriber(storage, chat, nis, language)
    await add_subscriber(storage, 4, IXELLES, "fr")
    run = Run(
        "dark-season@2026-11-24",
        "dark-season",
        {"fr": "Texte"},
        None,
        NOW,
        NOW + timedelta(days=2),
    )
    await storage.deliveries.plan(run, NOW, "fr")
    pending = await storage.deliveries.pending(0, 10)
    await storage.deliveries.mark(pending[0].id, "sent", NOW)
    await storage.deliveries.mark(pending[1].id, "failed", NOW)


async def chart_rows(
    client: httpx.AsyncClient, key: str, query: str = "period=7"
) -> list[list[str]]:
    """A chart's CSV, parsed."""
    answer = await client.get(f"/dashboard/{key}.csv?{query}")
    assert answer.status_code == 200
    assert answer.headers["content-type"] == "text/csv; charset=utf-8"
    assert f"preventbot-{key}-" in answer.headers["content-disposition"]
    return list(csv.reader(io.StringIO(answer.text)))


@pytest.fixture
async def editor(web: Starlette, client: httpx.AsyncClient, storage: Storage) -> httpx.AsyncClient:
    """A signed-in editor's browser over the seeded database."""
    await seed(storage)
    await sign_in_as(client, web, "editor")
    return client


async def test_the_page_shows_every_chart_as_svg(editor: httpx.AsyncClient) -> None:
    answer = await editor.get("/dashboard")
    assert answer.status_code == 200
    html = answer.text
    assert "<script>" not in html.split("</head>")[1]  # no inline script (the CSP)
    assert html.count('<svg xmlns="http://www.w3.org/2000/svg"') == len(BUILDERS)
    for key in BUILDERS:
        assert f'href="/dashboard/{key}.csv?period=30"' in html
    start = html.index("<svg", html.index('id="chart-topics"'))
    ET.fromstring(html[start : html.index("</svg>", start) + 6])  # well-formed in the page


async def test_questions_per_day_by_language(editor: httpx.AsyncClient) -> None:
    rows = await chart_rows(editor, "questions")
    assert rows[0] == ["Day", "Français", "Nederlands", "Deutsch", "English"]
    assert len(rows) == 1 + 7
    assert rows[-2] == [YESTERDAY.isoformat(), "4", "0", "0", "0"]
    assert rows[-1] == [TODAY.isoformat(), "1", "5", "1", "0"]  # buttons are not questions


async def test_answered_and_unanswered_shares(editor: httpx.AsyncClient) -> None:
    rows = await chart_rows(editor, "answered")
    assert rows[0] == ["Day", "Answered", "Not answered"]
    assert rows[-2] == [YESTERDAY.isoformat(), "75", "25"]
    assert rows[-1] == [TODAY.isoformat(), "60", "40"]
    assert rows[1][1:] == ["", ""]  # a day without questions has no share


async def test_most_asked_topics_with_their_titles(editor: httpx.AsyncClient) -> None:
    rows = await chart_rows(editor, "topics")
    assert rows[0] == ["Topic", "Asked", "Opened from a button"]
    assert rows[1][1:] == ["4", "5"]
    assert "PLP" in rows[1][0]
    assert rows[2][1:] == ["2", "0"]
    french = await chart_rows(editor, "topics", "period=7&language=fr")
    assert [row[1:] for row in french[1:]] == [["4", "0"]]


async def test_not_helpful_votes_this_period_and_the_previous(editor: httpx.AsyncClient) -> None:
    topics = await chart_rows(editor, "unhelpful")
    assert topics[0] == ["Topic", "This period", "Previous period"]
    assert topics[1][1:] == ["50", "0"]
    languages = await chart_rows(editor, "unhelpful-languages")
    assert languages[1:] == [["Français", "50", "0"]]


async def test_subscribers_per_province_and_region(editor: httpx.AsyncClient) -> None:
    provinces = await chart_rows(editor, "provinces")
    assert provinces[0] == ["Province", "Subscribers"]
    assert provinces[1:] == [
        ["Province de Liège", "2"],
        ["Provincie Oost-Vlaanderen", "1"],
        ["Région de Bruxelles-Capitale / Brussels Hoofdstedelijk Gewest", "1"],
    ]
    regions = await chart_rows(editor, "regions", "period=7&language=de")
    assert regions[1:] == [["Région wallonne", "1"]]


async def test_reminders_per_occurrence(editor: httpx.AsyncClient) -> None:
    rows = await chart_rows(editor, "reminders")
    assert rows == [
        ["Campaign occurrence", "Sent", "Pending", "Failed"],
        [f"dark-season {TODAY.isoformat()}", "1", "2", "1"],
    ]
    earlier = await chart_rows(editor, "reminders", "from=2026-01-01&to=2026-01-31")
    assert earlier == [rows[0]]


async def test_the_page_is_in_the_readers_language(
    web: Starlette, client: httpx.AsyncClient, storage: Storage
) -> None:
    await seed(storage)
    await open_session(client, web, await add_staff(web, "editor", language="nl"))
    html = (await client.get("/dashboard")).text
    assert "Vragen per dag" in html
    rows = await chart_rows(client, "provinces")
    assert rows[1] == ["Provincie Luik", "2"]


async def test_odd_filters_are_refused_with_a_reason_not_an_error(
    editor: httpx.AsyncClient,
) -> None:
    answer = await editor.get("/dashboard?from=2026-13-45&language=%3Cscript%3E")
    assert answer.status_code == 200
    assert "Write the dates as YYYY-MM-DD" in answer.text
    assert "<script>" not in answer.text.split("</head>")[1]
    long = await editor.get("/dashboard?from=2000-01-01")
    assert "at most 366 days" in long.text


async def test_an_unknown_chart_has_no_csv(editor: httpx.AsyncClient) -> None:
    assert (await editor.get("/dashboard/nothing.csv")).status_code == 404
    assert (await editor.get("/dashboard/..%2Fqueries.csv")).status_code == 404


async def test_an_empty_database_draws_empty_charts(
    web: Starlette, client: httpx.AsyncClient
) -> None:
    await sign_in_as(client, web, "editor")
    html = (await client.get("/dashboard")).text
    assert html.count("No data for this period</text>") == len(BUILDERS)
