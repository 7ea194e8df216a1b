"""Signing in: one-time links, their landing page, sessions, signing out, closed accounts."""

from __future__ import annotations

import logging
import re
from datetime import timedelta

import httpx
import pytest
from starlette.applications import Starlette

from bot.cli.main import main
from bot.staff import accounts
from bot.staff.links import issue_link
from bot.storage import Storage
from tests.helpers.db import rows
from tests.helpers.project import NOW
from tests.helpers.web import (
    add_staff,
    browser,
    open_session,
    services_of,
    sign_in_as,
    web_services,
)

PUBLIC_URL = "http://127.0.0.1:8080"


async def new_link(web: Starlette, role: str = "editor", name: str = "Eva") -> str:
    """The path of a fresh sign-in link for a new account."""
    services = services_of(web)
    member = await add_staff(web, role, name)
    url = await issue_link(services.storage.staff, member.id, PUBLIC_URL, services.now())
    assert url.startswith(PUBLIC_URL + "/signin/")
    return url.removeprefix(PUBLIC_URL)


async def use_link(
    client: httpx.AsyncClient, path: str, next_: str | None = None
) -> httpx.Response:
    """Open the landing page and press its button, as a person does (`next_`: a forged
    value instead of the form's own)."""
    page = await client.get(path)
    assert page.status_code == 200
    csrf = re.search(r'name="csrf" value="([^"]+)"', page.text)
    hidden = re.findall(r'name="next" value="([^"]*)"', page.text)[-1]  # not the header's
    assert csrf is not None
    data = {"csrf": csrf[1], "next": hidden if next_ is None else next_}
    return await client.post(path, data=data)


async def test_a_link_signs_in_once(web: Starlette, client: httpx.AsyncClient) -> None:
    path = await new_link(web)
    answer = await use_link(client, path)
    assert (answer.status_code, answer.headers["location"]) == (303, "/")
    assert (await client.get("/")).status_code == 200

    async with browser(web) as other:
        again = await use_link(other, path)
        assert again.status_code == 400
        assert "already used" in again.text
        assert (await other.get("/")).status_code == 303


async def test_the_landing_page_does_not_use_the_link(web: Starlette) -> None:
    path = await new_link(web)
    async with browser(web) as scanner:  # a link preview or a mail scanner
        assert (await scanner.get(path)).status_code == 200
        assert (await scanner.get(path)).status_code == 200
    async with browser(web) as person:
        assert (await use_link(person, path)).status_code == 303


async def test_an_expired_link_is_refused(
    settings, storage: Storage, client: httpx.AsyncClient
) -> None:
    member = await storage.staff.add("Eva", "editor", "en", NOW)
    url = await issue_link(storage.staff, member.id, PUBLIC_URL, NOW - timedelta(hours=25))
    from bot.web.app import create_app

    web = create_app(web_services(settings, storage, lambda: NOW))
    async with browser(web) as person:
        answer = await use_link(person, url.removeprefix(PUBLIC_URL))
        assert answer.status_code == 400
        assert "expired" in answer.text


async def test_a_link_just_inside_24_hours_still_works(settings, storage: Storage) -> None:
    member = await storage.staff.add("Eva", "editor", "en", NOW)
    issued = NOW - timedelta(hours=23, minutes=59)
    url = await issue_link(storage.staff, member.id, PUBLIC_URL, issued)
    from bot.web.app import create_app

    web = create_app(web_services(settings, storage, lambda: NOW))
    async with browser(web) as person:
        assert (await use_link(person, url.removeprefix(PUBLIC_URL))).status_code == 303


@pytest.mark.parametrize(
    ("next_", "expected"),
    [
        ("/audit?subject=staff%3A1", "/audit?subject=staff%3A1"),
        ("https://evil.example/", "/"),
        ("//evil.example/", "/"),
        ("/\\evil.example", "/"),
        ("javascript:alert(1)", "/"),
        ("", "/"),
    ],
)
async def test_after_signing_in_only_local_paths_are_followed(
    web: Starlette, client: httpx.AsyncClient, next_: str, expected: str
) -> None:
    answer = await use_link(client, await new_link(web), next_)
    assert answer.headers["location"] == expected


async def test_an_anonymous_visit_comes_back_after_signing_in(
    web: Starlette, client: httpx.AsyncClient
) -> None:
    first = await client.get("/audit?subject=x")
    assert first.headers["location"] == "/signin?next=/audit%3Fsubject%3Dx"
    path = await new_link(web, "reviewer")
    answer = await use_link(client, f"{path}?next=/audit%3Fsubject%3Dx")
    assert answer.headers["location"] == "/audit?subject=x"


async def test_signing_out_ends_the_session_everywhere(
    web: Starlette, client: httpx.AsyncClient, storage: Storage
) -> None:
    await use_link(client, await new_link(web))
    stolen = dict(client.cookies)
    page = await client.get("/")
    csrf = re.search(r'name="csrf" value="([^"]+)"', page.text)
    assert csrf is not None
    answer = await client.post("/signout", data={"csrf": csrf[1]})
    assert (answer.status_code, answer.headers["location"]) == (303, "/signin")
    assert "pb_session=;" in answer.headers["set-cookie"]
    assert (await client.get("/")).status_code == 303
    async with browser(web) as thief:  # the old cookie, replayed
        thief.cookies.update(stolen)
        assert (await thief.get("/")).status_code == 303
    assert await rows(storage, "SELECT * FROM staff_sessions") == []
    actions = [row[0] for row in await rows(storage, "SELECT action FROM audit_log")]
    assert actions == ["signin", "signout"]


async def test_a_closed_account_loses_access_at_once(
    web: Starlette, client: httpx.AsyncClient, storage: Storage
) -> None:
    member = await add_staff(web, "editor", "Eva")
    await open_session(client, web, member)
    assert (await client.get("/")).status_code == 200
    services = services_of(web)
    admin = await add_staff(web, "admin", "Ada")
    url = await issue_link(storage.staff, member.id, PUBLIC_URL, services.now())
    await accounts.deactivate(storage.staff, admin, member.id, services.now())
    assert (await client.get("/")).status_code == 303
    async with browser(web) as other:
        assert (await use_link(other, url.removeprefix(PUBLIC_URL))).status_code == 400


async def test_signing_in_again_replaces_the_previous_session(
    web: Starlette, client: httpx.AsyncClient, storage: Storage
) -> None:
    await sign_in_as(client, web, "admin", "Ada")
    answer = await use_link(client, await new_link(web, "editor", "Eva"))
    assert answer.status_code == 303
    page = await client.get("/")
    assert "Eva" in page.text
    assert len(await rows(storage, "SELECT * FROM staff_sessions")) == 1


@pytest.fixture(autouse=True)
def keep_logger_levels(monkeypatch: pytest.MonkeyPatch) -> None:
    """`main` quiets some libraries' loggers for the process: undone after each test."""
    for name in ("httpx", "aiosqlite"):
        logger = logging.getLogger(name)
        monkeypatch.setattr(logger, "level", logger.level)


def test_the_invite_command_prints_a_link_on_stdout_only(
    tmp_path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], caplog
) -> None:
    monkeypatch.setenv("PREVENTBOT_DB", str(tmp_path / "db.sqlite3"))
    monkeypatch.setenv("PREVENTBOT_WEB_URL", "https://prevention.example.be/")
    code = main(["web", "invite", "Ada Admin", "--role", "admin", "--language", "nl"])
    assert code == 0
    out, err = capsys.readouterr()
    link = out.strip()
    assert re.fullmatch(r"https://prevention\.example\.be/signin/[A-Za-z0-9_-]{43}", link)
    assert link not in err
    token = link.rsplit("/", 1)[1]
    assert token not in caplog.text


def test_the_invite_command_refuses_an_unknown_role(
    tmp_path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("PREVENTBOT_DB", str(tmp_path / "db.sqlite3"))
    with pytest.raises(SystemExit):
        main(["web", "invite", "Ada", "--role", "boss"])
    assert "invalid choice" in capsys.readouterr().err
