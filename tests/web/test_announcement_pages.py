"""Local announcements over HTTP: places, reach, confirmation, the delivery log, progress."""

from __future__ import annotations

import re
from datetime import timedelta

import httpx
import pytest
from starlette.applications import Starlette

from bot.base.settings import Settings
from bot.reminders.delivery import run_due_pass
from bot.reminders.ratelimit import TokenBucket
from bot.reminders.sender import SendResult, SendStatus
from bot.storage import Storage
from bot.web.app import create_app
from tests.helpers.db import rows
from tests.helpers.project import NOW
from tests.helpers.reminders import FakeSender, add_subscriber
from tests.helpers.web import browser, services_of, sign_in_as, web_services

EUPEN, KELMIS, GENT = "63023", "63040", "44021"
NASTY = '<script>alert("x")</script><b onmouseover=alert(1)>Bob</b>'
TEXTS = {
    "text_fr": "Action de marquage de vélos samedi.",
    "text_de": "Fahrradcodierung am Samstag.",
}


@pytest.fixture
async def subscribers(storage: Storage) -> None:
    """Two chats in Eupen (4700), one in Kelmis, one in Gent (not reached)."""
    await add_subscriber(storage, 1, EUPEN, "fr")
    await add_subscriber(storage, 2, EUPEN, "de")
    await add_subscriber(storage, 3, KELMIS, "nl")
    await add_subscriber(storage, 4, GENT, "nl")


def htmx(csrf: str) -> dict[str, str]:
    return {"HX-Request": "true", "X-CSRF-Token": csrf}


async def test_places_that_are_not_found_are_shown_next_to_the_field(
    web: Starlette, client: httpx.AsyncClient
) -> None:
    csrf = await sign_in_as(client, web, "admin")
    form = {"csrf": csrf, "action": "check", "places": "4700, Atlantis", **TEXTS}
    answer = await client.post("/announcements/new", data=form)
    assert answer.status_code == 400
    error = answer.text.split('id="places-error"', 1)[1].split("</div>", 1)[0]
    assert "<li>Atlantis: ?</li>" in error
    assert 'aria-describedby="places-hint places-error" aria-invalid="true"' in answer.text
    assert 'value="4700, Atlantis"' in answer.text  # what was typed stays
    assert "Action de marquage de vélos samedi.</textarea>" in answer.text


async def test_at_least_one_text_and_one_place_are_needed(
    web: Starlette, client: httpx.AsyncClient
) -> None:
    csrf = await sign_in_as(client, web, "admin")
    answer = await client.post("/announcements/new", data={"csrf": csrf, "places": " "})
    assert answer.status_code == 400
    assert "Give at least one postcode or municipality." in answer.text
    assert "Write the text in at least one language." in answer.text
    assert 'id="texts-error"' in answer.text
    assert all(f'lang="{code}"' in answer.text for code in ("fr", "nl", "de", "en"))


@pytest.mark.usefixtures("subscribers")
async def test_the_reach_preview_counts_the_subscribers_of_the_places(
    web: Starlette, client: httpx.AsyncClient
) -> None:
    csrf = await sign_in_as(client, web, "admin")
    answer = await client.post(
        "/announcements/reach", data={"places": "4700, Kelmis"}, headers=htmx(csrf)
    )
    assert answer.status_code == 200
    assert "<html" not in answer.text  # a fragment for htmx
    assert '<span class="reach__count">3</span>' in answer.text
    assert "Eupen, Kelmis" in answer.text
    unknown = await client.post(
        "/announcements/reach", data={"places": "Atlantis"}, headers=htmx(csrf)
    )
    assert "<li>Atlantis: ?</li>" in unknown.text
    refused = await client.post("/announcements/reach", data={"places": "4700"})
    assert refused.status_code == 403  # no token


@pytest.mark.usefixtures("subscribers")
async def test_an_announcement_from_the_form_to_the_subscribers(
    web: Starlette, client: httpx.AsyncClient, storage: Storage
) -> None:
    csrf = await sign_in_as(client, web, "admin", "Ada")
    form = {"csrf": csrf, "action": "check", "places": "4700, Kelmis", **TEXTS}
    confirmation = await client.post("/announcements/new", data=form)
    assert confirmation.status_code == 200
    page = confirmation.text
    assert "Send to 3 subscribers" in page
    assert "🔔 Action de marquage de vélos samedi." in page
    # Each language as its subscribers get it: the footer and button in that language too.
    assert "<i>Vous recevez ce message parce que vous suivez les rappels" in page
    assert "<i>Sie erhalten diese Nachricht" in page
    assert "<span>🔕 Erinnerungen beenden</span>" in page  # the button under the German text
    previews = page.split("What subscribers will receive", 1)[1].split("<form", 1)[0]
    assert 'lang="nl"' not in previews  # no Dutch text: Dutch readers get the French one
    assert "With the bot's next reminder pass (every 5 minutes)." in page
    assert await rows(storage, "SELECT * FROM deliveries") == []  # nothing planned yet

    hidden = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)">', page))
    confirmed = await client.post("/announcements/confirm", data=hidden)
    assert confirmed.headers["location"] == "/announcements?done=planned"
    planned = await rows(storage, "SELECT chat_id, status FROM deliveries ORDER BY chat_id")
    assert planned == [(1, "pending"), (2, "pending"), (3, "pending")]
    audit = await rows(storage, "SELECT action, detail FROM audit_log WHERE action LIKE 'ann%'")
    assert audit == [
        ("announcement.plan", f"3 messages; places: {EUPEN}, {KELMIS}; languages: de, fr")
    ]

    listing = (await client.get(confirmed.headers["location"])).text
    assert "The announcement is planned" in listing
    assert 'hx-get="/announcements/progress" hx-trigger="every 5s"' in listing
    assert re.search(r'<td class="number">0</td>\s*<td class="number">3</td>', listing)

    sender = FakeSender(script={3: [SendResult(SendStatus.FAILED, detail="Bad Request")]})
    report = await run_due_pass(services_of(web), sender, NOW, TokenBucket(None))
    assert (report.sent, report.failed) == (2, 1)
    assert dict(sender.delivered)[2].startswith("🔔 Fahrradcodierung am Samstag.")
    assert dict(sender.delivered)[1].startswith("🔔 Action de marquage")

    fragment = await client.get("/announcements/progress", headers={"HX-Request": "true"})
    assert "<html" not in fragment.text
    assert "hx-trigger" not in fragment.text  # nothing pending: the polling stops
    numbers = re.findall(r'<td class="number">(\d+)</td>', fragment.text)
    assert numbers == ["2", "0", "1", "0"]  # sent, pending, failed, not sent
    assert "Eupen, Kelmis" in fragment.text


@pytest.mark.usefixtures("subscribers")
async def test_an_announcement_confirmed_at_night_waits_for_the_morning(
    settings: Settings, storage: Storage
) -> None:
    night = NOW.replace(hour=22, minute=15)
    app = create_app(web_services(settings, storage, lambda: night))
    async with browser(app) as client:
        csrf = await sign_in_as(client, app, "admin")
        form = {"csrf": csrf, "places": "4700", "text_fr": "Demain matin."}
        page = (await client.post("/announcements/new", data=form)).text
        assert "After the quiet hours: from Thursday, 26 November 2026, 09:00." in page
        await client.post("/announcements/confirm", data=form)
        listing = (await client.get("/announcements")).text
        assert "Sent from Thursday, 26 November 2026, 09:00" in listing
    due = await rows(storage, "SELECT due_at FROM reminder_runs")
    assert due == [((night + timedelta(days=1)).replace(hour=9, minute=0).isoformat(),)]


@pytest.mark.usefixtures("subscribers")
async def test_html_in_announcement_texts_is_escaped_on_every_page(
    web: Starlette, client: httpx.AsyncClient, storage: Storage
) -> None:
    csrf = await sign_in_as(client, web, "admin")
    form = {"csrf": csrf, "action": "check", "places": "4700", "text_en": NASTY}
    pages = [(await client.post("/announcements/new", data=form)).text]
    await client.post("/announcements/confirm", data=form)
    pages.append((await client.get("/announcements")).text)
    pages.append((await client.get("/announcements/progress")).text)
    form["action"] = "change"
    pages.append((await client.post("/announcements/new", data=form)).text)
    for page in pages:
        assert "<script>" not in page
        assert "<b onmouseover" not in page
        assert "&lt;script&gt;" in page
    sent = await rows(storage, "SELECT messages FROM reminder_runs")
    assert NASTY.replace('"', '\\"') in sent[0][0]  # stored as typed, escaped when shown


async def test_confirming_needs_the_csrf_token_and_an_admin(
    web: Starlette, client: httpx.AsyncClient, storage: Storage
) -> None:
    csrf = await sign_in_as(client, web, "admin")
    form = {"places": "4700", "text_fr": "Texte."}
    assert (await client.post("/announcements/confirm", data=form)).status_code == 403
    async with browser(web) as reviewer:
        token = await sign_in_as(reviewer, web, "reviewer")
        answer = await reviewer.post("/announcements/confirm", data=form | {"csrf": token})
        assert answer.status_code == 403
    assert await rows(storage, "SELECT * FROM reminder_runs") == []
    assert csrf
