"""The staff, account and language pages: what admins and staff members do there."""

from __future__ import annotations

import re

import httpx
import pytest
from starlette.applications import Starlette

from bot.base.errors import StorageError
from bot.storage import Storage
from tests.helpers.db import rows
from tests.helpers.web import add_staff, anonymous_csrf, browser, sign_in_as


async def invite(client: httpx.AsyncClient, csrf: str, **fields: str) -> httpx.Response:
    form = {"csrf": csrf, "name": "Eva Peeters", "role": "editor", "language": "nl"} | fields
    return await client.post("/staff/invite", data=form)


async def test_an_admin_invites_and_the_link_is_shown_once(
    web: Starlette, client: httpx.AsyncClient, storage: Storage
) -> None:
    csrf = await sign_in_as(client, web, "admin", "Ada")
    answer = await invite(client, csrf, role="reviewer")
    assert answer.status_code == 200
    link = re.search(r'value="(http://127\.0\.0\.1:8080/signin/[A-Za-z0-9_-]{43})"', answer.text)
    assert link is not None
    listing = await client.get("/staff")
    assert "Eva Peeters" in listing.text
    assert link[1] not in listing.text
    audit = await rows(storage, "SELECT staff_id, action, subject, detail FROM audit_log")
    assert audit == [(1, "staff.invite", "staff:2", "reviewer: Eva Peeters")]
    assert link[1].rsplit("/", 1)[1] not in str(await rows(storage, "SELECT * FROM signin_links"))
    async with browser(web) as eva:  # the link works for the new account
        path = link[1].removeprefix("http://127.0.0.1:8080")
        page = await eva.get(path)
        token = re.search(r'name="csrf" value="([^"]+)"', page.text)
        assert token is not None
        assert (await eva.post(path, data={"csrf": token[1]})).status_code == 303
        assert (await eva.get("/audit")).status_code == 200  # a reviewer


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"name": "   "}, "Give a name."),
        ({"name": "x" * 81}, "too long"),
        ({"name": "Eva\u0000"}, "cannot be shown"),
        ({"role": "owner"}, "Choose a role"),
        ({"language": "es"}, "Choose a language."),
    ],
)
async def test_a_bad_invitation_is_refused_next_to_the_form(
    web: Starlette, client: httpx.AsyncClient, fields: dict[str, str], message: str
) -> None:
    csrf = await sign_in_as(client, web, "admin", "Ada")
    answer = await invite(client, csrf, **fields)
    assert answer.status_code == 400
    assert message in answer.text
    assert 'role="alert"' in answer.text
    assert "/signin/" not in answer.text


async def test_a_failed_invitation_leaves_nothing_behind(
    web: Starlette, client: httpx.AsyncClient, storage: Storage, monkeypatch: pytest.MonkeyPatch
) -> None:
    csrf = await sign_in_as(client, web, "admin", "Ada")

    async def broken(*args: object) -> None:
        raise StorageError("disk full")

    # The audit entry, last of the three writes, fails: the account and link go too.
    monkeypatch.setattr("bot.storage.staff.write_note", broken)
    with pytest.raises(StorageError):  # the 500 page, raised again for the server's log
        await invite(client, csrf)
    assert [m.name for m in await storage.staff.all()] == ["Ada"]
    assert await rows(storage, "SELECT * FROM signin_links") == []


async def test_an_admin_changes_a_role_and_closes_an_account(
    web: Starlette, client: httpx.AsyncClient, storage: Storage
) -> None:
    csrf = await sign_in_as(client, web, "admin", "Ada")
    eva = await add_staff(web, "editor", "Eva")
    answer = await client.post(f"/staff/{eva.id}/role", data={"csrf": csrf, "role": "reviewer"})
    assert (answer.status_code, answer.headers["location"]) == (303, "/staff?done=role")
    assert "The role was changed." in (await client.get(answer.headers["location"])).text
    changed = await storage.staff.get(eva.id)
    assert changed is not None
    assert changed.role == "reviewer"

    answer = await client.post(f"/staff/{eva.id}/deactivate", data={"csrf": csrf})
    assert answer.headers["location"] == "/staff?done=deactivate"
    closed = await storage.staff.get(eva.id)
    assert closed is not None
    assert closed.active is False
    actions = await rows(storage, "SELECT action, subject, detail FROM audit_log")
    assert actions == [
        ("staff.role", f"staff:{eva.id}", "editor -> reviewer"),
        ("staff.deactivate", f"staff:{eva.id}", "Eva"),
    ]


async def test_an_admin_cannot_demote_or_close_themselves(
    web: Starlette, client: httpx.AsyncClient, storage: Storage
) -> None:
    csrf = await sign_in_as(client, web, "admin", "Ada")
    role = await client.post("/staff/1/role", data={"csrf": csrf, "role": "editor"})
    close = await client.post("/staff/1/deactivate", data={"csrf": csrf})
    assert (role.status_code, close.status_code) == (400, 400)
    assert "your own account" in role.text
    me = await storage.staff.get(1)
    assert me is not None
    assert (me.role, me.active) == ("admin", True)


async def test_a_new_link_for_an_existing_account(
    web: Starlette, client: httpx.AsyncClient, storage: Storage
) -> None:
    csrf = await sign_in_as(client, web, "admin", "Ada")
    eva = await add_staff(web, "editor", "Eva")
    answer = await client.post(f"/staff/{eva.id}/link", data={"csrf": csrf})
    assert answer.status_code == 200
    assert "/signin/" in answer.text
    assert await rows(storage, "SELECT action FROM audit_log") == [("staff.link",)]
    missing = await client.post("/staff/99/link", data={"csrf": csrf})
    assert missing.status_code == 400


async def test_the_language_switch_follows_the_staff_member(
    web: Starlette, client: httpx.AsyncClient, storage: Storage
) -> None:
    csrf = await sign_in_as(client, web, "editor", "Eva")
    answer = await client.post("/language", data={"csrf": csrf, "language": "de", "next": "/"})
    assert answer.status_code == 303
    page = await client.get("/")
    assert '<html lang="de">' in page.text
    assert "Willkommen, Eva" in page.text
    member = await storage.staff.get(1)
    assert member is not None
    assert member.language == "de"


async def test_an_anonymous_visitor_gets_the_browsers_language_or_their_choice(
    web: Starlette,
) -> None:
    async with browser(web) as visitor:
        visitor.headers["Accept-Language"] = "nl-BE,nl;q=0.9,fr;q=0.5"
        assert '<html lang="nl">' in (await visitor.get("/signin")).text
        visitor.headers["Accept-Language"] = "es-ES,de;q=0.3"
        assert '<html lang="de">' in (await visitor.get("/signin")).text
        visitor.headers["Accept-Language"] = "ja"
        assert '<html lang="fr">' in (await visitor.get("/signin")).text  # the default
        csrf = await anonymous_csrf(visitor, web)
        await visitor.post("/language", data={"csrf": csrf, "language": "en", "next": "//x"})
        assert '<html lang="en">' in (await visitor.get("/signin")).text


async def test_the_account_page_gives_a_telegram_code(
    web: Starlette, client: httpx.AsyncClient
) -> None:
    csrf = await sign_in_as(client, web, "editor", "Eva")
    page = await client.get("/account")
    assert "Link my Telegram account" in page.text
    answer = await client.post("/account/telegram", data={"csrf": csrf})
    assert re.search(r'value="/signin [A-Za-z0-9_-]{22}"', answer.text)
    assert "15 minutes" in answer.text


async def test_every_page_has_a_skip_link_labels_and_its_language(
    web: Starlette, client: httpx.AsyncClient
) -> None:
    await sign_in_as(client, web, "admin", "Ada")
    for path in ("/", "/staff", "/audit", "/account", "/signin"):
        text = (await client.get(path, follow_redirects=True)).text
        assert 'href="#main"' in text
        assert 'id="main"' in text
        assert 'aria-live="polite"' in text
        for field in re.findall(r'<(?:input|select)[^>]*\bid="([^"]+)"', text):
            assert f'for="{field}"' in text, (path, field)
