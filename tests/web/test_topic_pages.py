"""The topic pages: the list and its filters, new topics, the editor, the live check, saving
and its conflicts, the preview, history and restore; and what bad input gets."""

from __future__ import annotations

import html
import re
from dataclasses import replace
from pathlib import Path

import httpx
import pytest
from starlette.applications import Starlette

from bot.base.settings import Settings
from bot.storage import Storage
from tests.helpers.db import rows
from tests.helpers.editorial import ANSWER_FR, copy_content
from tests.helpers.topic_pages import editor_fields, files_under, form_values, topics_app
from tests.helpers.web import browser, sign_in_as

JOIN = "plp.join"
SCRIPT = '<script>alert("x")</script>'
HX = {"HX-Request": "true"}


@pytest.fixture
def content_dir(tmp_path: Path) -> Path:
    return copy_content(tmp_path)


@pytest.fixture
def app(settings: Settings, storage: Storage, content_dir: Path) -> Starlette:
    return topics_app(settings, storage, content_dir)


@pytest.fixture
async def client(app: Starlette):
    async with browser(app) as session:
        yield session


async def edit(client: httpx.AsyncClient, csrf: str, topic_id: str = JOIN) -> dict[str, str]:
    """Press "Edit this topic"; the editor's form as the browser would send it."""
    answer = await client.post(f"/topics/{topic_id}/edit", data={"csrf": csrf})
    assert answer.status_code == 303
    return await editor_fields(client, topic_id)


def block(page: str, element_id: str) -> str:
    """The content of the element with this id (to its first closing tag of the same kind),
    entities decoded."""
    match = re.search(rf'<(\w+) id="{element_id}"[^>]*>(.*?)</\1>', page, re.S)
    assert match is not None, element_id
    return html.unescape(match[2])


def between(page: str, start: str, end: str) -> str:
    """The part of `page` after `start`, up to `end`."""
    assert start in page, start
    return page.split(start, 1)[1].split(end, 1)[0]


def rows_of(page: str) -> list[str]:
    return re.findall(r'<a href="/topics/([a-z_.]+)">', block(page, "topic-rows"))


async def test_the_list_shows_each_topic_with_its_state(
    app: Starlette, client: httpx.AsyncClient, storage: Storage
) -> None:
    for helpful in (False, False, False, True):
        await storage.gaps.record_vote(JOIN, "fr", helpful, app.state.services.now())
    csrf = await sign_in_as(client, app, "editor")
    await edit(client, csrf)
    page = (await client.get("/topics")).text
    assert len(rows_of(page)) == 36
    row = next(r for r in page.split("<tr>") if f'href="/topics/{JOIN}"' in r)
    assert "Joining a PLP/BIN" in row  # the title in the staff member's language
    assert "Neighbourhood (PLP/BIN)" in row  # the menu group
    assert row.count("lang-badge--complete") == 4
    assert '<td class="number">3</td>' in row  # "not helpful" votes
    assert "<td>Draft</td>" in row
    assert "36 of 36 topics shown" in page


async def test_search_and_filters_answer_rows_to_htmx_and_pages_without_it(
    app: Starlette, client: httpx.AsyncClient
) -> None:
    csrf = await sign_in_as(client, app, "editor")
    fragment = await client.get("/topics", params={"q": "rejoindre"}, headers=HX)
    assert fragment.text.startswith('<tbody id="topic-rows">')
    assert "<html" not in fragment.text
    assert rows_of(fragment.text) == [JOIN]
    assert 'id="topic-count" hx-swap-oob="innerHTML">1 of 36 topics shown' in fragment.text
    page = await client.get("/topics", params={"q": "REJOINDRE"})  # no JavaScript
    assert "<html" in page.text
    assert rows_of(page.text) == [JOIN]
    assert 'value="REJOINDRE"' in page.text

    plp = rows_of((await client.get("/topics", params={"group": "plp"})).text)
    assert plp[:2] == ["plp.what_is", JOIN]
    assert all(t.startswith(("plp.", "policy.")) for t in plp)
    assert rows_of((await client.get("/topics", params={"draft": "1"})).text) == []
    await edit(client, csrf)
    assert rows_of((await client.get("/topics", params={"draft": "1"})).text) == [JOIN]
    nothing = await client.get("/topics", params={"q": "zzz", "incomplete": "1"}, headers=HX)
    assert "No topic matches." in nothing.text


async def test_a_new_topic_starts_as_a_draft_flagged_until_it_has_phrasings(
    app: Starlette, client: httpx.AsyncClient, content_dir: Path
) -> None:
    csrf = await sign_in_as(client, app, "editor")
    answer = await client.post(
        "/topics/new", data={"csrf": csrf, "id": "plp.newsletter", "group": "plp"}
    )
    assert (answer.status_code, answer.headers["location"]) == (303, "/topics/plp.newsletter")
    editor = await client.get("/topics/plp.newsletter")
    assert editor.status_code == 200
    assert "no training examples for this topic" in block(editor.text, "topic-messages")
    assert 'name="fr.title" value=""' in editor.text
    listing = (await client.get("/topics", params={"incomplete": "1"})).text
    row = next(r for r in listing.split("<tr>") if "/topics/plp.newsletter" in r)
    assert "new" in row
    assert "no training phrasings" in row
    assert "not published" in row
    assert not (content_dir / "topics" / "plp.newsletter.yml").exists()  # until approved


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"id": "../../etc/passwd"}, "A topic id is its group"),
        ({"id": "plp.new/../../x"}, "A topic id is its group"),
        ({"id": "Plp.New"}, "A topic id is its group"),
        ({"id": JOIN}, "There is already a topic"),
        ({"group": "nowhere"}, "Choose a menu group."),
    ],
)
async def test_a_bad_new_topic_is_refused_next_to_its_field(
    app: Starlette,
    client: httpx.AsyncClient,
    content_dir: Path,
    fields: dict[str, str],
    message: str,
) -> None:
    csrf = await sign_in_as(client, app, "editor")
    before = files_under(content_dir.parent)
    form = {"csrf": csrf, "id": "plp.newsletter", "group": "plp"} | fields
    answer = await client.post("/topics/new", data=form)
    assert answer.status_code == 400
    assert message in answer.text
    assert 'role="alert"' in answer.text
    assert 'aria-invalid="true"' in answer.text
    assert files_under(content_dir.parent) == before
    assert (await app.state.editorial.open_drafts()) == []


async def test_the_live_check_puts_each_message_next_to_its_field(
    app: Starlette, client: httpx.AsyncClient
) -> None:
    csrf = await sign_in_as(client, app, "editor")
    fields = await edit(client, csrf)
    fields |= {
        "fr.answer": "Trop court.",
        "nl.sources": fields["nl.sources"] + "\njavascript:alert(1)",
        "related": fields["related"] + "\nplp.nothing",
        "de.title": "x" * 41,
    }
    headers = HX | {"HX-Trigger-Name": "fr.answer"}
    answer = await client.post(f"/topics/{JOIN}/check", data=fields, headers=headers)
    assert answer.status_code == 200
    text = answer.text
    assert "fr.answer has 2 words (60-150 expected)" in block(text, "fr-answer-messages")
    assert "bad link 'javascript:alert(1)'" in block(text, "nl-sources-messages")
    assert "related topic 'plp.nothing' does not exist" in block(text, "related-messages")
    assert "de.title" in block(text, "de-title-messages")
    assert block(text, "en-answer-messages") == ""
    assert "Words: 2 (aim for 60 to 150)" in block(text, "fr-answer-count")
    assert "Characters: 41 (at most 40)" in block(text, "de-title-count")
    # The live region says what is wrong with the field being typed in, first.
    live = text.split('<div id="check-summary"', 1)[0]
    assert live.strip().startswith("Answer (Français):")
    assert "fr.answer has 2 words" in live
    assert "bad link" not in live
    assert "Problems to fix before review: 4" in block(text, "check-summary")
    assert (await app.state.editorial.open_drafts())[0].revision == int(fields["revision"])


async def test_a_saved_draft_shows_its_messages_by_the_fields(
    app: Starlette, client: httpx.AsyncClient
) -> None:
    csrf = await sign_in_as(client, app, "editor")
    fields = await edit(client, csrf)
    answer = await client.post(f"/topics/{JOIN}/save", data=fields | {"fr.answer": "Trop court."})
    assert (answer.status_code, answer.headers["location"]) == (303, f"/topics/{JOIN}?done=saved")
    page = (await client.get(answer.headers["location"])).text
    assert "The draft was saved." in page
    assert "fr.answer has 2 words" in block(page, "fr-answer-messages")
    textarea = re.search(r'<textarea id="fr-answer"[^>]*>', page)
    assert textarea is not None
    assert 'aria-invalid="true"' in textarea[0]
    assert "fr-answer-messages" in textarea[0]  # aria-describedby: read with the field


async def test_a_save_from_a_stale_page_shows_the_conflict_and_keeps_the_text(
    app: Starlette, client: httpx.AsyncClient
) -> None:
    csrf = await sign_in_as(client, app, "editor", "Ana")
    first_tab = await edit(client, csrf)
    second_tab = dict(first_tab)
    saved = await client.post(f"/topics/{JOIN}/save", data=first_tab | {"fr.title": "Adhérer"})
    assert saved.status_code == 303
    mine = ANSWER_FR + " Deuxième onglet."
    conflict = await client.post(f"/topics/{JOIN}/save", data=second_tab | {"fr.answer": mine})
    assert conflict.status_code == 409
    assert "Your draft was changed elsewhere" in conflict.text
    assert mine in conflict.text  # what was typed is still in the form
    diff = between(conflict.text, 'id="conflict-title"', "Save again to keep your text")
    assert "− title: Adhérer" in diff
    assert "+ title: Rejoindre un PLP" in diff
    draft = (await app.state.editorial.open_drafts())[0]
    assert "title: Adhérer" in draft.content
    assert mine not in draft.content
    again = form_values(conflict.text)
    assert int(again["revision"]) == draft.revision  # saving again is a deliberate choice
    assert (await client.post(f"/topics/{JOIN}/save", data=again)).status_code == 303
    assert mine in (await app.state.editorial.open_drafts())[0].content


async def test_a_topic_published_meanwhile_is_merged_in_not_overwritten(
    app: Starlette, storage: Storage, content_dir: Path
) -> None:
    async with browser(app) as ana, browser(app) as bob, browser(app) as rita:
        ana_csrf = await sign_in_as(ana, app, "editor", "Ana")
        bob_csrf = await sign_in_as(bob, app, "editor", "Bob")
        rita_csrf = await sign_in_as(rita, app, "reviewer", "Rita")
        ana_form, bob_form = await edit(ana, ana_csrf), await edit(bob, bob_csrf)
        ana_form |= {"fr.title": "Adhérer à un PLP", "comment": "Titre"}
        assert (await ana.post(f"/topics/{JOIN}/submit", data=ana_form)).status_code == 303
        waiting = next(
            d for d in await app.state.editorial.open_drafts() if d.author_name == "Ana"
        )
        approve = {"csrf": rita_csrf, "revision": str(waiting.revision)}
        assert (await rita.post(f"/review/{waiting.id}/approve", data=approve)).status_code == 303

        bob_form |= {"nl.title": "Aansluiten bij een BIN"}
        saved = await bob.post(f"/topics/{JOIN}/save", data=bob_form)
        page = (await bob.get(saved.headers["location"])).text
        outdated = between(page, 'id="outdated-title"', "Bring my draft up to date</button>")
        assert "This topic was published since your draft started" in outdated
        assert "What was published in the meantime:" in outdated
        assert "+ title: Adhérer à un PLP" in outdated
        refused = await bob.post(f"/topics/{JOIN}/submit", data=form_values(page))
        assert refused.status_code == 400
        assert "Your changes were saved, but the draft was not sent for review." in refused.text
        bob_draft = next(
            d for d in await app.state.editorial.open_drafts() if d.author_name == "Bob"
        )
        assert bob_draft.status == "draft"

        assert "Bring my draft up to date" in refused.text  # from the page he is on
        rebased = await bob.post(f"/topics/{JOIN}/rebase", data=form_values(refused.text))
        assert rebased.headers["location"] == f"/topics/{JOIN}?done=rebased"
        page = (await bob.get(rebased.headers["location"])).text
        assert "This topic was published since" not in page
        fields = form_values(page)
        assert fields["fr.title"] == "Adhérer à un PLP"  # Ana's change, taken in
        assert fields["nl.title"] == "Aansluiten bij een BIN"  # Bob's, kept
    published = (content_dir / "topics" / f"{JOIN}.yml").read_text(encoding="utf-8")
    assert "Aansluiten" not in published  # nothing of Bob's is published without review


async def test_the_preview_shows_the_bots_answer_with_everything_escaped(
    app: Starlette, client: httpx.AsyncClient
) -> None:
    csrf = await sign_in_as(client, app, "editor")
    fields = await edit(client, csrf)
    fields |= {"fr.title": SCRIPT, "fr.answer": f"{SCRIPT} <b onclick=x>gras</b> &amp;"}
    answer = await client.post(f"/topics/{JOIN}/preview?lang=fr", data=fields, headers=HX)
    assert answer.status_code == 200
    assert "<script" not in answer.text
    assert "<b onclick" not in answer.text
    bubble = re.search(r'<div class="telegram-preview__text">(.*?)</div>', answer.text, re.S)
    assert bubble is not None
    assert bubble[1].startswith("<b>&lt;script&gt;alert(")
    assert "&lt;b onclick=x&gt;gras&lt;/b&gt; &amp;amp;" in bubble[1]
    assert "<span>En savoir plus</span>" in answer.text  # the inline keyboard, in French
    assert "<span>👍 Utile</span><span>👎 Pas utile</span>" in answer.text
    assert "After “Tell me more”:" in answer.text

    # Without JavaScript the same button answers the editor with the preview in it.
    page = await client.post(f"/topics/{JOIN}/preview?lang=nl", data=fields)
    assert "<html" in page.text
    assert 'id="preview-nl"' in page.text
    assert "Elke volwassene" in between(page.text, 'id="preview-nl"', "</section>")
    assert "telegram-preview" not in between(page.text, 'id="preview-fr"', "</section>")
    assert "<script" not in page.text.replace('<script src="/static/htmx.min.js"', "")


async def test_html_typed_anywhere_is_escaped_on_every_page(
    app: Starlette, client: httpx.AsyncClient, storage: Storage
) -> None:
    csrf = await sign_in_as(client, app, "editor", SCRIPT)
    await client.post("/topics/new", data={"csrf": csrf, "id": "plp.newsletter", "group": "plp"})
    fields = await editor_fields(client, "plp.newsletter")
    nasty = {
        name: SCRIPT for name in fields if name.startswith(("fr.", "nl.")) or name == "related"
    }
    answer = await client.post(
        "/topics/plp.newsletter/submit", data=fields | nasty | {"comment": SCRIPT}
    )
    assert answer.status_code == 400  # not valid: saved, not submitted
    fields["csrf"] = await sign_in_as(client, app, "reviewer")
    pages = [
        answer,
        await client.get("/topics"),
        await client.get("/topics/plp.newsletter/preview?lang=fr&draft=1"),
        await client.post("/topics/plp.newsletter/check", data=fields | nasty, headers=HX),
        await client.get("/review"),
        await client.get("/audit"),
    ]
    for page in pages:
        assert page.status_code == 200 or page is answer, page.url
        without_htmx = page.text.replace('<script src="/static/htmx.min.js" defer></script>', "")
        assert "<script>" not in without_htmx, page.url
    assert "&lt;script&gt;" in pages[1].text  # the new topic's title in the list


@pytest.mark.parametrize(
    "path",
    [
        "/topics/%2E%2E",
        "/topics/..%2F..%2Fconfig.yml",
        "/topics/plp.join.yml",
        "/topics/PLP.JOIN",
        "/topics/plp.join%00",
        "/topics/a.b.c",
        "/topics/.join",
        "/topics/plp.join%0A",
        "/topics/..%5C..%5Cconfig",
        "/topics/%2Fetc%2Fpasswd/history",
        "/topics/plp..join/preview",
    ],
)
async def test_path_tricks_in_topic_ids_are_refused(
    app: Starlette, client: httpx.AsyncClient, storage: Storage, content_dir: Path, path: str
) -> None:
    csrf = await sign_in_as(client, app, "editor")
    before = files_under(content_dir.parent)
    assert (await client.get(path)).status_code == 404
    for action in ("edit", "save", "check", "preview", "discard"):
        posted = await client.post(f"{path.split('/history')[0]}/{action}", data={"csrf": csrf})
        assert posted.status_code == 404, (path, action)
    assert files_under(content_dir.parent) == before
    assert await rows(storage, "SELECT count(*) FROM topic_drafts") == [(0,)]


async def test_an_oversized_form_gets_a_clear_413_and_nothing_is_saved(
    settings: Settings, storage: Storage, content_dir: Path
) -> None:
    small = replace(settings, web=replace(settings.web, max_form_bytes=16 * 1024))
    app = topics_app(small, storage, content_dir)
    async with browser(app) as client:
        csrf = await sign_in_as(client, app, "editor")
        fields = await edit(client, csrf)
        before = (await app.state.editorial.open_drafts())[0]
        answer = await client.post(f"/topics/{JOIN}/save", data=fields | {"fr.more": "x" * 20_000})
        assert answer.status_code == 413
        assert "The form is too large: at most 16 KiB can be sent." in answer.text
        assert (await app.state.editorial.open_drafts())[0] == before


async def test_history_shows_each_version_and_restores_an_old_one_as_a_draft(
    app: Starlette, storage: Storage
) -> None:
    async with browser(app) as ana, browser(app) as rita:
        csrf = await sign_in_as(ana, app, "editor", "Ana")
        rita_csrf = await sign_in_as(rita, app, "reviewer", "Rita")
        fields = await edit(ana, csrf)
        await ana.post(f"/topics/{JOIN}/submit", data=fields | {"fr.title": "Adhérer"})
        [draft] = await app.state.editorial.open_drafts()
        approve = {"csrf": rita_csrf, "revision": str(draft.revision)}
        assert (await rita.post(f"/review/{draft.id}/approve", data=approve)).status_code == 303

        page = (await ana.get(f"/topics/{JOIN}/history")).text
        cells = r"<tr[^>]*>\s*<td>[^<]+</td>\s*<td>([^<]+)</td>\s*<td>([^<]+)</td>"
        versions = re.findall(cells, page)
        assert versions == [("Ana", "Rita"), ("(edited outside the workspace)", "–")]
        assert "+ title: Adhérer" in page
        assert "− title: Rejoindre un PLP" in page
        old = re.findall(rf'action="/topics/{re.escape(JOIN)}/history/(\d+)/restore"', page)
        assert len(old) == 1  # the version published now is not offered
        restored = await ana.post(f"/topics/{JOIN}/history/{old[0]}/restore", data={"csrf": csrf})
        assert restored.headers["location"] == f"/topics/{JOIN}?done=restored"
        editor = (await ana.get(restored.headers["location"])).text
        assert form_values(editor)["fr.title"] == "Rejoindre un PLP"
        again = await ana.post(f"/topics/{JOIN}/history/{old[0]}/restore", data={"csrf": csrf})
        assert again.status_code == 400
        assert "You already have a draft of this topic" in again.text
        missing = await ana.post(f"/topics/{JOIN}/history/999/restore", data={"csrf": csrf})
        assert missing.status_code == 400
        assert "This version is not in the topic's history." in html.unescape(missing.text)
        assert (await ana.get(f"/topics/{JOIN}/history?version=nonsense")).status_code == 200
    actions = [e.action for e in await storage.audit.recent(subject=JOIN)]
    assert actions[0] == "topic.restore"


async def test_a_discarded_draft_leaves_the_published_topic_as_it_was(
    app: Starlette, client: httpx.AsyncClient, content_dir: Path
) -> None:
    before = (content_dir / "topics" / f"{JOIN}.yml").read_text(encoding="utf-8")
    csrf = await sign_in_as(client, app, "editor")
    fields = await edit(client, csrf)
    saved = await client.post(f"/topics/{JOIN}/save", data=fields | {"fr.title": "Adhérer"})
    fields = await editor_fields(client, JOIN)
    stale = await client.post(f"/topics/{JOIN}/discard", data=fields | {"revision": "1"})
    assert (saved.status_code, stale.status_code) == (303, 409)  # an old page: nothing done
    answer = await client.post(f"/topics/{JOIN}/discard", data=fields)
    assert answer.headers["location"] == f"/topics/{JOIN}?done=discarded"
    page = (await client.get(answer.headers["location"])).text
    assert "The draft was discarded." in page
    assert "Edit this topic" in page
    assert form_values(page)["fr.title"] == "Rejoindre un PLP"
    assert (content_dir / "topics" / f"{JOIN}.yml").read_text(encoding="utf-8") == before
    assert await app.state.editorial.open_drafts() == []


async def test_the_editor_labels_every_field_and_marks_each_language(
    app: Starlette, client: httpx.AsyncClient
) -> None:
    csrf = await sign_in_as(client, app, "editor")
    page = (await client.get(f"/topics/{JOIN}")).text  # read only: the same fields
    await edit(client, csrf)
    editor = (await client.get(f"/topics/{JOIN}")).text
    for shown in (page, editor):
        form = between(shown, 'id="topic-form"', "</form>")
        controls = re.findall(r'<(?:input type="text"|textarea|select) id="([^"]+)"', form)
        assert len(controls) == 2 + 4 * 5 + (1 if shown is editor else 0)
        for control in controls:
            assert f'<label for="{control}"' in form, control
        columns = re.findall(r'<section class="lang-column" lang="(\w+)"', form)
        assert columns == ["fr", "nl", "de", "en"]
    assert 'id="check-status" class="visually-hidden" role="status" aria-live="polite"' in editor
    assert 'hx-trigger="input changed delay:500ms"' in editor
    assert "hx-on" not in editor  # the Content-Security-Policy allows no inline script
    assert "style=" not in editor
