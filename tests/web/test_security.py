"""Security of the workspace: cookies, forged sessions, CSRF, body limit, escaping, logs."""

from __future__ import annotations

import logging
import re
from dataclasses import replace
from datetime import timedelta

import httpx
import pytest
from starlette.applications import Starlette
from uvicorn.logging import AccessFormatter

from bot.base.settings import Settings
from bot.staff.links import issue_link
from bot.storage import Storage
from bot.web.app import create_app
from bot.web.sessions import SESSION_COOKIE
from bot.web.signing import Signer
from tests.helpers.project import NOW
from tests.helpers.reminders import Clock
from tests.helpers.web import (
    add_staff,
    anonymous_csrf,
    browser,
    services_of,
    sign_in_as,
    web_services,
)

NASTY = '<script>alert("x")</script><b onmouseover=alert(1)>Bob</b>'


def app_with(settings: Settings, storage: Storage, clock=lambda: NOW, **web) -> Starlette:
    changed = replace(settings, web=replace(settings.web, **web))
    return create_app(web_services(changed, storage, clock))


async def sign_in_with_link(client: httpx.AsyncClient, app: Starlette) -> httpx.Response:
    services = services_of(app)
    member = await add_staff(app, "editor", "Eva")
    public_url = services.settings.web.public_url
    url = await issue_link(services.storage.staff, member.id, public_url, services.now())
    path = url.removeprefix(public_url)
    page = await client.get(path)
    csrf = re.search(r'name="csrf" value="([^"]+)"', page.text)
    assert csrf is not None
    return await client.post(path, data={"csrf": csrf[1]})


async def test_the_session_cookie_is_httponly_lax_and_expires(
    web: Starlette, client: httpx.AsyncClient
) -> None:
    answer = await sign_in_with_link(client, web)
    cookie = answer.headers["set-cookie"]
    assert cookie.startswith(f"{SESSION_COOKIE}=")
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie
    assert "Max-Age=43200" in cookie  # web.session_hours: 12
    assert "Path=/" in cookie
    assert "Secure" not in cookie  # http://127.0.0.1:8080


async def test_the_cookies_are_secure_behind_https(settings: Settings, storage: Storage) -> None:
    app = app_with(settings, storage, public_url="https://prevention.example.be", session_hours=2)
    async with browser(app, "https://testserver") as client:
        first = await client.get("/signin")
        assert "Secure" in first.headers["set-cookie"]  # the anonymous CSRF cookie
        answer = await sign_in_with_link(client, app)
        cookie = answer.headers["set-cookie"]
        assert "Secure" in cookie
        assert "Max-Age=7200" in cookie
        assert (await client.get("/")).status_code == 200


async def test_a_session_expires_after_session_hours(settings: Settings, storage: Storage) -> None:
    clock = Clock(NOW)
    app = app_with(settings, storage, clock)
    async with browser(app) as client:
        await sign_in_as(client, app, "editor")
        clock.now = NOW + timedelta(hours=11, minutes=59)
        assert (await client.get("/")).status_code == 200
        clock.now = NOW + timedelta(hours=12, seconds=1)
        assert (await client.get("/")).status_code == 303


async def test_a_forged_or_unsigned_session_cookie_is_refused(
    web: Starlette, client: httpx.AsyncClient
) -> None:
    await sign_in_as(client, web, "admin")
    signed = client.cookies[SESSION_COOKIE]
    session_id = signed.rsplit(".", 1)[0]
    forged = Signer(b"another key, of another installation, 32+ bytes").sign(
        session_id, SESSION_COOKIE
    )
    for value in (session_id, forged, signed[:-2] + "xx", "", "a.b.c"):
        async with browser(web) as thief:
            thief.cookies.set(SESSION_COOKIE, value)
            answer = await thief.get("/staff")
            assert answer.status_code == 303, value
    assert (await client.get("/staff")).status_code == 200


async def test_a_bad_session_cookie_is_cleared(web: Starlette, client: httpx.AsyncClient) -> None:
    client.cookies.set(SESSION_COOKIE, "made-up.value")
    answer = await client.get("/signin")
    assert f"{SESSION_COOKIE}=; Max-Age=0" in answer.headers["set-cookie"]


async def test_a_form_with_another_browsers_token_is_refused(
    web: Starlette, client: httpx.AsyncClient, storage: Storage
) -> None:
    await sign_in_as(client, web, "admin")
    async with browser(web) as other:
        foreign = await sign_in_as(other, web, "admin", "Other")
    form = {"csrf": foreign, "name": "X", "role": "admin"}
    answer = await client.post("/staff/invite", data=form)
    assert answer.status_code == 403
    assert "did not come from this site" in answer.text
    assert [m.name for m in await storage.staff.all()] == ["Admin", "Other"]


async def test_htmx_sends_the_token_as_a_header(web: Starlette, client: httpx.AsyncClient) -> None:
    csrf = await sign_in_as(client, web, "editor")
    page = await client.get("/")
    assert f"""hx-headers='{{"X-CSRF-Token": "{csrf}"}}'""" in page.text
    answer = await client.post(
        "/language", data={"language": "nl"}, headers={"X-CSRF-Token": csrf}
    )
    assert answer.status_code == 303
    wrong = await client.post("/language", data={"language": "de"}, headers={"X-CSRF-Token": "x"})
    assert wrong.status_code == 403


async def test_an_anonymous_form_needs_its_cookie_token(
    web: Starlette, client: httpx.AsyncClient
) -> None:
    csrf = await anonymous_csrf(client, web)
    mine = await client.post("/language", data={"language": "de", "csrf": csrf})
    assert mine.status_code == 303
    async with browser(web) as other:  # a cross-site form: the token of someone else
        answer = await other.post("/language", data={"language": "de", "csrf": csrf})
        assert answer.status_code == 403


async def test_an_oversized_form_gets_a_clear_413_page(
    settings: Settings, storage: Storage
) -> None:
    app = app_with(settings, storage, max_form_bytes=4096)
    async with browser(app) as client:
        csrf = await sign_in_as(client, app, "admin")
        big = {"csrf": csrf, "name": "x" * 5000, "role": "editor", "language": "fr"}
        answer = await client.post("/staff/invite", data=big)
        assert answer.status_code == 413
        assert "at most 4 KiB" in answer.text
        assert "<html" in answer.text

        async def chunks():  # no Content-Length: counted as it arrives
            yield f"csrf={csrf}&name=".encode()
            for _ in range(10):
                yield b"y" * 1000

        headers = {"Content-Type": "application/x-www-form-urlencoded"}
        streamed = await client.post("/staff/invite", content=chunks(), headers=headers)
        assert streamed.status_code == 413
        assert [m.name for m in await storage.staff.all()] == ["Admin"]


async def test_html_in_a_name_is_escaped_on_every_page(
    web: Starlette, client: httpx.AsyncClient
) -> None:
    csrf = await sign_in_as(client, web, "admin", NASTY)
    invited = await client.post(
        "/staff/invite", data={"csrf": csrf, "name": NASTY, "role": "editor", "language": "de"}
    )
    assert invited.status_code == 200
    pages = [invited, await client.get("/"), await client.get("/staff")]
    pages += [await client.get("/audit"), await client.get("/account")]
    for page in pages:
        assert "<script>" not in page.text, page.url
        assert "onmouseover=alert" not in page.text.replace("&lt;b onmouseover=alert", "")
        assert "&lt;script&gt;alert(" in page.text, page.url


async def test_html_in_the_address_is_escaped(web: Starlette, client: httpx.AsyncClient) -> None:
    await sign_in_as(client, web, "reviewer")
    page = await client.get("/audit", params={"subject": '"><script>alert(1)</script>'})
    assert "<script>alert(1)" not in page.text
    assert "&lt;script&gt;" in page.text


async def test_pages_carry_security_headers(web: Starlette, client: httpx.AsyncClient) -> None:
    answer = await client.get("/signin")
    assert answer.headers["cache-control"] == "no-store"
    assert answer.headers["referrer-policy"] == "no-referrer"
    assert answer.headers["x-frame-options"] == "DENY"
    assert "frame-ancestors 'none'" in answer.headers["content-security-policy"]


async def test_no_token_or_session_id_reaches_the_logs(
    web: Starlette, client: httpx.AsyncClient, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    # As `preventbot` sets it: aiosqlite's debug lines quote every SQL parameter.
    logging.getLogger("aiosqlite").setLevel(logging.INFO)
    csrf = await sign_in_as(client, web, "admin")
    invited = await client.post(
        "/staff/invite", data={"csrf": csrf, "name": "Eva", "role": "editor", "language": "fr"}
    )
    link = re.search(r"/signin/([A-Za-z0-9_-]{43})", invited.text)
    assert link is not None
    async with browser(web) as eva:
        page = await eva.get(link[0])
        token = re.search(r'name="csrf" value="([^"]+)"', page.text)
        assert token is not None
        signed_in = await eva.post(link[0], data={"csrf": token[1]})
        assert signed_in.status_code == 303
        session = eva.cookies[SESSION_COOKIE]
        # Whoever logs the address (a proxy, an error, a debug line) logs no token.
        logging.getLogger("tests").warning("Visited %s", "http://x" + link[0])
    for secret in (link[1], session, session.rsplit(".", 1)[0], csrf):
        assert secret not in caplog.text
    assert "/signin/[REDACTED]" in caplog.text


def test_the_access_log_masks_sign_in_paths(web: Starlette) -> None:
    # uvicorn's access formatter unpacks the record's arguments: they stay a tuple.
    token = "Abc123_-" * 5
    logger = logging.getLogger("uvicorn.access")
    record = logger.makeRecord(
        "uvicorn.access",
        logging.INFO,
        __file__,
        1,
        '%s - "%s %s HTTP/%s" %d',
        ("127.0.0.1:5000", "POST", f"/signin/{token}?next=/", "1.1", 303),
        None,
    )
    line = AccessFormatter(use_colors=False).format(record)
    assert token not in line
    assert "POST /signin/[REDACTED]?next=/ HTTP/1.1" in line


async def test_an_htmx_request_without_session_redirects_the_whole_page(
    client: httpx.AsyncClient,
) -> None:
    answer = await client.get("/staff", headers={"HX-Request": "true"})
    assert answer.status_code == 401
    assert answer.headers["HX-Redirect"] == "/signin?next=/staff"
