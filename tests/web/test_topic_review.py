"""The review pages: who may send, send back and approve a draft, and what approval publishes."""

from __future__ import annotations

import html
from pathlib import Path

import httpx
import pytest
from starlette.applications import Starlette

from bot.base.settings import Settings
from bot.editorial import Editorial
from bot.storage import Storage, TopicDraft
from tests.helpers.editorial import copy_content
from tests.helpers.topic_pages import editor_fields, files_under, form_values, topics_app
from tests.helpers.web import browser, sign_in_as

JOIN = "plp.join"


@pytest.fixture
def content_dir(tmp_path: Path) -> Path:
    return copy_content(tmp_path)


@pytest.fixture
def app(settings: Settings, storage: Storage, content_dir: Path) -> Starlette:
    return topics_app(settings, storage, content_dir)


def topic_file(content_dir: Path, topic_id: str = JOIN) -> str:
    return (content_dir / "topics" / f"{topic_id}.yml").read_text(encoding="utf-8")


async def submitted(
    client: httpx.AsyncClient, csrf: str, changes: dict[str, str], topic_id: str = JOIN
) -> httpx.Response:
    """Edit the topic, change some fields and send the draft for review."""
    if (await client.post(f"/topics/{topic_id}/edit", data={"csrf": csrf})).status_code != 303:
        raise AssertionError("no draft")
    fields = await editor_fields(client, topic_id)
    return await client.post(f"/topics/{topic_id}/submit", data=fields | changes)


async def waiting(app: Starlette) -> TopicDraft:
    editorial: Editorial = app.state.editorial
    [draft] = [d for d in await editorial.open_drafts() if d.status == "submitted"]
    return draft


def text(answer: httpx.Response) -> str:
    return html.unescape(answer.text)


async def test_send_back_then_approve_and_the_lists_show_the_new_text(
    app: Starlette, storage: Storage, content_dir: Path
) -> None:
    async with browser(app) as ana, browser(app) as rita:
        ana_csrf = await sign_in_as(ana, app, "editor", "Ana")
        rita_csrf = await sign_in_as(rita, app, "reviewer", "Rita")
        sent = await submitted(ana, ana_csrf, {"fr.title": "Adhérer", "comment": "Plus court."})
        assert sent.headers["location"] == f"/topics/{JOIN}?done=submitted"
        assert (await ana.get("/review")).status_code == 403  # editors do not review

        page = text(await rita.get("/review"))
        assert "Ana" in page
        assert "Plus court." in page
        assert "+ title: Adhérer" in page
        assert "− title: Rejoindre un PLP" in page
        draft = await waiting(app)
        back = {"csrf": rita_csrf, "revision": str(draft.revision)}
        refused = await rita.post(f"/review/{draft.id}/return", data=back | {"comment": " "})
        assert refused.status_code == 400
        assert "Say what to change: the comment is required." in refused.text
        returned = await rita.post(
            f"/review/{draft.id}/return", data=back | {"comment": "Gardez « PLP »."}
        )
        assert returned.headers["location"] == "/review?done=returned"
        assert "No draft is waiting for review." in (await rita.get("/review")).text

        editor = text(await ana.get(f"/topics/{JOIN}"))
        assert "The reviewer sent your draft back:" in editor
        assert "Gardez « PLP »." in editor
        fields = form_values(editor) | {"fr.title": "Adhérer à un PLP", "comment": "Corrigé."}
        assert (await ana.post(f"/topics/{JOIN}/submit", data=fields)).status_code == 303

        draft = await waiting(app)
        approve = {"csrf": rita_csrf, "revision": str(draft.revision)}
        approved = await rita.post(f"/review/{draft.id}/approve", data=approve)
        assert approved.headers["location"] == "/review?done=approved"
        assert "The topic was published." in (await rita.get(approved.headers["location"])).text

        assert "  title: Adhérer à un PLP\n" in topic_file(content_dir)
        assert "reviewed_by: Rita\n" in topic_file(content_dir)
        # This process serves the new file at once: the list and the topic page show it.
        listing = (await ana.get("/topics", params={"q": "adherer"})).text
        assert f'href="/topics/{JOIN}"' in listing
        view = text(await ana.get(f"/topics/{JOIN}"))
        assert "Edit this topic" in view  # no open draft any more
        assert form_values(view)["fr.title"] == "Adhérer à un PLP"
        audit = text(await rita.get(f"/audit?subject={JOIN}"))
        for action in ("Sent a topic for review", "Sent a topic back to its author"):
            assert action in audit
        assert "Approved and published a topic" in audit


async def test_an_editor_cannot_approve_and_a_reviewer_not_their_own_draft(
    app: Starlette, content_dir: Path
) -> None:
    before = topic_file(content_dir)
    async with browser(app) as ana, browser(app) as rita, browser(app) as victor:
        ana_csrf = await sign_in_as(ana, app, "editor", "Ana")
        rita_csrf = await sign_in_as(rita, app, "reviewer", "Rita")
        victor_csrf = await sign_in_as(victor, app, "reviewer", "Victor")
        await submitted(rita, rita_csrf, {"fr.title": "Adhérer"})
        draft = await waiting(app)
        form = {"revision": str(draft.revision)}

        as_editor = await ana.post(f"/review/{draft.id}/approve", data=form | {"csrf": ana_csrf})
        assert as_editor.status_code == 403
        own = await rita.post(f"/review/{draft.id}/approve", data=form | {"csrf": rita_csrf})
        assert own.status_code == 400
        assert "You wrote this draft: another reviewer must approve it" in own.text
        own_page = (await rita.get("/review")).text
        assert f'action="/review/{draft.id}/approve"' not in own_page
        assert topic_file(content_dir) == before
        assert (await waiting(app)).status == "submitted"

        other = await victor.post(f"/review/{draft.id}/approve", data=form | {"csrf": victor_csrf})
        assert other.status_code == 303
    assert "title: Adhérer\n" in topic_file(content_dir)


async def test_a_draft_with_problems_is_saved_but_not_sent_for_review(
    app: Starlette, client: httpx.AsyncClient
) -> None:
    csrf = await sign_in_as(client, app, "editor")
    answer = await submitted(client, csrf, {"fr.answer": "Trop court.", "comment": "Vite"})
    assert answer.status_code == 400
    page = text(answer)
    assert "The draft has problems to fix first" in page
    assert "Your changes were saved, but the draft was not sent for review." in page
    assert "fr.answer has 2 words (60-150 expected)" in page
    [draft] = await app.state.editorial.open_drafts()
    assert (draft.status, "Trop court." in draft.content) == ("draft", True)
    assert form_values(answer.text)["comment"] == "Vite"  # kept for the next try


async def test_approving_a_draft_changed_since_the_page_was_read_is_refused(
    app: Starlette, content_dir: Path
) -> None:
    before = topic_file(content_dir)
    async with browser(app) as ana, browser(app) as rita:
        ana_csrf = await sign_in_as(ana, app, "editor", "Ana")
        rita_csrf = await sign_in_as(rita, app, "reviewer", "Rita")
        await submitted(ana, ana_csrf, {"fr.title": "Adhérer"})
        read = await waiting(app)  # what Rita's page shows
        fields = await editor_fields(ana, JOIN)
        await ana.post(f"/topics/{JOIN}/submit", data=fields | {"fr.title": "Autre titre"})
        stale = {"csrf": rita_csrf, "revision": str(read.revision)}
        answer = await rita.post(f"/review/{read.id}/approve", data=stale)
        assert answer.status_code == 409
        assert "Someone changed this in the meantime: nothing was overwritten." in text(answer)
        assert topic_file(content_dir) == before
        assert "Autre titre" in answer.text  # the page shows the draft as it is now


async def test_a_failed_publication_writes_nothing_and_keeps_the_draft_waiting(
    app: Starlette, content_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def disk_full(changes: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("bot.editorial.review.write_files", disk_full)
    before = topic_file(content_dir)
    async with browser(app) as ana, browser(app) as rita:
        await submitted(ana, await sign_in_as(ana, app, "editor"), {"fr.title": "Adhérer"})
        csrf = await sign_in_as(rita, app, "reviewer")
        draft = await waiting(app)
        data = {"csrf": csrf, "revision": str(draft.revision)}
        answer = await rita.post(f"/review/{draft.id}/approve", data=data)
    assert answer.status_code == 400
    assert "The topic file could not be written: nothing was changed" in answer.text
    assert topic_file(content_dir) == before
    assert (await waiting(app)).id == draft.id


async def test_a_new_topic_is_published_and_joins_the_menu_on_approval(
    app: Starlette, content_dir: Path
) -> None:
    async with browser(app) as ana, browser(app) as rita:
        csrf = await sign_in_as(ana, app, "editor", "Ana")
        new = {"csrf": csrf, "id": "plp.newsletter", "group": "plp"}
        assert (await ana.post("/topics/new", data=new)).status_code == 303
        texts = {
            name: value
            for name, value in (await editor_fields(ana, JOIN)).items()
            if name[:3] in ("fr.", "nl.", "de.", "en.")
        }
        fields = await editor_fields(ana, "plp.newsletter")
        sent = await ana.post("/topics/plp.newsletter/submit", data=fields | texts)
        assert sent.status_code == 303, text(sent)
        rita_csrf = await sign_in_as(rita, app, "reviewer", "Rita")
        draft = await waiting(app)
        approve = {"csrf": rita_csrf, "revision": str(draft.revision)}
        assert (await rita.post(f"/review/{draft.id}/approve", data=approve)).status_code == 303

        assert "id: plp.newsletter\n" in topic_file(content_dir, "plp.newsletter")
        assert "plp.newsletter" in (content_dir / "menu.yml").read_text(encoding="utf-8")
        listing = (await ana.get("/topics", params={"group": "plp"})).text
        row = next(r for r in listing.split("<tr>") if 'href="/topics/plp.newsletter"' in r)
        assert "not published" not in row
        assert "no training phrasings" in row  # as `content check` says
        history = (await ana.get("/topics/plp.newsletter/history")).text
        assert "Ana" in history


async def test_campaign_texts_waiting_for_review_are_not_topics(
    app: Starlette, client: httpx.AsyncClient, storage: Storage, content_dir: Path
) -> None:
    author = await storage.staff.add("Eva", "editor", "nl", app.state.services.now())
    drafts = storage.topic_drafts
    draft = await drafts.create(
        "campaign:dark-season", "x: 1\n", None, author.id, app.state.services.now()
    )
    draft = await drafts.update(
        draft.id, draft.revision, app.state.services.now(), status="submitted"
    )
    csrf = await sign_in_as(client, app, "reviewer")
    assert "No draft is waiting for review." in (await client.get("/review")).text
    before = files_under(content_dir)
    data = {"csrf": csrf, "revision": str(draft.revision), "comment": "Non."}
    for action in ("approve", "return"):
        answer = await client.post(f"/review/{draft.id}/{action}", data=data)
        assert answer.status_code == 400
        assert "This draft is no longer waiting for review." in answer.text
    assert files_under(content_dir) == before
    assert (await drafts.get(draft.id)).status == "submitted"
