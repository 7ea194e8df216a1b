"""The campaign calendar page and campaign texts changed through review, over HTTP."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Callable
from dataclasses import replace
from datetime import datetime
from pathlib import Path

import httpx
import pytest
from starlette.applications import Starlette

from bot.base.i18n import Translator
from bot.base.languages import LANGUAGES
from bot.base.settings import Settings
from bot.catalog.campaigns import CALENDAR_FILE
from bot.reminders.agenda import calendar_entries
from bot.storage import Storage
from bot.web.app import create_app
from bot.web.services import WebServices
from bot.web.signing import Signer
from tests.helpers.content import calendar_store, write_calendar
from tests.helpers.db import rows
from tests.helpers.project import NOW, project_path
from tests.helpers.reminders import add_subscriber
from tests.helpers.web import TEST_KEY, add_staff, browser, open_session

REAL = project_path("content", CALENDAR_FILE).read_text(encoding="utf-8")
EUPEN = "63023"
NASTY = '<script>alert("x")</script><b onmouseover=alert(1)>Bob</b>'
NEW = {code: f"Nouveau texte ({code}) pour la saison sombre." for code in LANGUAGES}


@pytest.fixture
def content_dir(tmp_path: Path) -> Path:
    """A content folder whose campaigns.yml is a copy of the real one (approvals write it)."""
    return write_calendar(tmp_path / "content", REAL)


@pytest.fixture
def app(
    settings: Settings, storage: Storage, clock: Callable[[], datetime], content_dir: Path
) -> Starlette:
    """The workspace over the copied calendar."""
    changed = replace(settings, content_dir=content_dir)
    translator = Translator(settings.languages)
    content = calendar_store(content_dir)
    return create_app(WebServices(changed, storage, content, translator, clock, Signer(TEST_KEY)))


@pytest.fixture
async def eva(app: Starlette) -> AsyncIterator[httpx.AsyncClient]:
    """An editor's browser."""
    async with browser(app) as client:
        client.csrf = await open_session(client, app, await add_staff(app, "editor", "Eva"))
        yield client


@pytest.fixture
async def rik(app: Starlette) -> AsyncIterator[httpx.AsyncClient]:
    """A reviewer's browser."""
    async with browser(app) as client:
        client.csrf = await open_session(client, app, await add_staff(app, "reviewer", "Rik"))
        yield client


def field(page: str, name: str) -> str:
    found = re.search(rf'name="{name}" value="([^"]*)"', page)
    assert found is not None, name
    return found[1]


def draft_id(page: str) -> str:
    found = re.search(r'action="/campaigns/drafts/(\d+)/', page)
    assert found is not None
    return found[1]


async def submit(client: httpx.AsyncClient, texts: dict[str, str], action: str = "submit"):
    form = {"csrf": client.csrf, "action": action, **texts}
    page = (await client.get("/campaigns/dark-season")).text
    if 'name="revision"' in page:
        form["revision"] = field(page, "revision")
    return await client.post("/campaigns/dark-season/texts", data=form)


async def test_the_calendar_shows_rules_dates_places_and_reach(
    app: Starlette, eva: httpx.AsyncClient, storage: Storage, settings: Settings
) -> None:
    await add_subscriber(storage, 1, EUPEN, "de")
    await add_subscriber(storage, 2, "44021", "nl")
    expected = await calendar_entries(
        app.state.services.content.snapshot,
        storage,
        Translator(settings.languages),
        settings,
        "en",
        NOW,
    )
    page = (await eva.get("/campaigns")).text

    assert "every year on the Saturday before the switch to winter time at 10:00" in page
    rows_ = re.findall(r'<a href="/campaigns/([a-z-]+)">', page)
    assert rows_ == [entry.campaign.id for entry in expected]
    assert rows_[0] == "winter-holidays"  # 12 December 2026 is the soonest after 25 November
    assert "Saturday, 12 December 2026, 10:00" in page
    assert '<td class="number">2</td>' in page  # two subscribers, all of Belgium
    assert "All of Belgium" in page
    assert '<p lang="nl"><span class="lang-tag">nl</span> Vannacht gaat de klok' in page


async def test_the_calendar_speaks_the_staff_members_language(
    app: Starlette, client: httpx.AsyncClient
) -> None:
    await open_session(client, app, await add_staff(app, "editor", "Eef", language="nl"))
    page = (await client.get("/campaigns")).text
    assert "Campagnekalender" in page
    assert "elk jaar" in page
    assert "zaterdag 12 december 2026" in page


async def test_a_text_change_goes_through_review_into_the_calendar_file(
    app: Starlette,
    eva: httpx.AsyncClient,
    rik: httpx.AsyncClient,
    storage: Storage,
    content_dir: Path,
) -> None:
    saved = await submit(eva, NEW, "save")
    assert saved.headers["location"] == "/campaigns/dark-season?done=saved"
    assert "The draft is saved." in (await eva.get(saved.headers["location"])).text
    submitted = await submit(eva, NEW)
    assert submitted.headers["location"] == "/campaigns/dark-season?done=submitted"
    assert (content_dir / CALENDAR_FILE).read_text(encoding="utf-8") == REAL  # not yet

    own = (await eva.get("/campaigns/dark-season")).text
    assert "Approve and publish" not in own
    assert "Waiting for review" in (await eva.get("/campaigns")).text
    refused = await eva.post(
        f"/campaigns/drafts/{draft_id(own)}/approve",
        data={"csrf": eva.csrf, "revision": field(own, "revision")},
    )
    assert refused.status_code == 403  # an editor does not approve

    review = (await rik.get("/campaigns/dark-season")).text
    assert "Approve and publish" in review
    assert review.count('<span class="badge">changed</span>') == 4
    approved = await rik.post(
        f"/campaigns/drafts/{draft_id(review)}/approve",
        data={"csrf": rik.csrf, "revision": field(review, "revision")},
    )
    assert approved.headers["location"] == "/campaigns/dark-season?done=approved"

    written = (content_dir / CALENDAR_FILE).read_text(encoding="utf-8")
    assert "        Nouveau texte (nl) pour la saison sombre." in written
    assert "# Campaign calendar: the reminders that subscribers receive" in written
    assert "    # Editions 2014-2021 fell in October-December" in written  # comments kept
    assert written.count("\n") < REAL.count("\n")  # 4 short texts instead of 4 long ones
    page = (await eva.get("/campaigns")).text
    assert "Nouveau texte (de) pour la saison sombre." in page
    audit = await rows(storage, "SELECT action FROM audit_log WHERE subject LIKE 'campaign:%'")
    assert [a for (a,) in audit] == [
        "campaign.draft",
        "campaign.submit",
        "campaign.approve",
    ]
    assert "Approved and published campaign texts" in (await rik.get("/audit")).text


async def test_a_reviewer_sends_a_draft_back_with_a_comment(
    eva: httpx.AsyncClient, rik: httpx.AsyncClient
) -> None:
    await submit(eva, NEW)
    review = (await rik.get("/campaigns/dark-season")).text
    answer = await rik.post(
        f"/campaigns/drafts/{draft_id(review)}/return",
        data={"csrf": rik.csrf, "revision": field(review, "revision"), "comment": "Plus court."},
    )
    assert answer.headers["location"] == "/campaigns/dark-season?done=returned"
    page = (await eva.get("/campaigns/dark-season")).text
    assert "Plus court." in page
    assert "Sent back" in page
    assert "Save the draft" in page  # the author works on it again


async def test_a_reviewer_cannot_approve_their_own_draft(rik: httpx.AsyncClient) -> None:
    await submit(rik, NEW)
    page = (await rik.get("/campaigns/dark-season")).text
    assert "Approve and publish" not in page
    answer = await rik.post(
        f"/campaigns/drafts/{draft_id(page)}/approve",
        data={"csrf": rik.csrf, "revision": field(page, "revision")},
    )
    assert answer.status_code == 400
    assert "Someone else must review your own draft." in answer.text


async def test_missing_texts_are_shown_next_to_their_field(eva: httpx.AsyncClient) -> None:
    answer = await submit(eva, NEW | {"nl": "   ", "de": "x" * 1501})
    assert answer.status_code == 400
    assert 'id="text-nl-error"' in answer.text
    assert 'aria-describedby="texts-hint text-nl-error" aria-invalid="true"' in answer.text
    assert "The text is too long (1500 characters at most)." in answer.text
    assert 'role="alert"' in answer.text
    assert "Nouveau texte (fr)" in answer.text  # what was typed stays in the form


async def test_html_in_campaign_texts_is_escaped_on_every_page(
    eva: httpx.AsyncClient, rik: httpx.AsyncClient, content_dir: Path
) -> None:
    await submit(eva, NEW | {"en": NASTY})
    review = (await rik.get("/campaigns/dark-season")).text
    await rik.post(
        f"/campaigns/drafts/{draft_id(review)}/approve",
        data={"csrf": rik.csrf, "revision": field(review, "revision")},
    )
    assert NASTY in (content_dir / CALENDAR_FILE).read_text(encoding="utf-8")
    pages = [
        review,
        *[(await rik.get(path)).text for path in ("/campaigns", "/campaigns/dark-season")],
    ]
    for page in pages:
        assert "<script>" not in page
        assert "<b onmouseover" not in page
        assert "&lt;script&gt;" in page


async def test_a_text_change_needs_the_csrf_token(
    eva: httpx.AsyncClient, storage: Storage
) -> None:
    answer = await eva.post("/campaigns/dark-season/texts", data={"action": "submit", **NEW})
    assert answer.status_code == 403
    assert await rows(storage, "SELECT * FROM topic_drafts") == []


async def test_an_unknown_campaign_is_not_found(eva: httpx.AsyncClient) -> None:
    assert (await eva.get("/campaigns/no-such-campaign")).status_code == 404
