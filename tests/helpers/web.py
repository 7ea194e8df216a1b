"""Workspace test fixtures and builders (a pytest plugin: tests/conftest.py loads it).

The app runs in the test's own event loop through httpx's ASGI transport, on the test's real
SQLite file (the `storage` fixture), so pages and checks share one database connection.

    async def test_x(web: Starlette, client: AsyncClient, storage: Storage) -> None:
        csrf = await sign_in_as(client, web, "admin")
        answer = await client.post("/staff/invite", data={"csrf": csrf, ...})
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from datetime import datetime, timedelta

import httpx
import pytest
from starlette.applications import Starlette

from bot.base.i18n import Translator
from bot.base.settings import Settings
from bot.catalog.store import ContentStore
from bot.editorial import Editorial
from bot.staff.tokens import SESSION, digest, new_token
from bot.storage import StaffMember, Storage
from bot.web.app import create_app
from bot.web.services import WebServices
from bot.web.sessions import CSRF_COOKIE, SESSION_COOKIE
from bot.web.signing import Signer
from tests.helpers.content import real_content
from tests.helpers.editorial import rules_for

BASE_URL = "http://testserver"
TEST_KEY = b"a test key of more than thirty-two bytes, never used elsewhere"


def web_services(settings: Settings, storage: Storage, now: Callable[[], datetime]) -> WebServices:
    """The workspace's services on the real content and the test's database."""
    content = ContentStore(settings.content_dir, real_content())
    translator = Translator(settings.languages)
    return WebServices(settings, storage, content, translator, now, Signer(TEST_KEY))


def services_of(app: Starlette) -> WebServices:
    """The services an app was built with."""
    services: WebServices = app.state.services
    return services


@pytest.fixture
def web(settings: Settings, storage: Storage, clock: Callable[[], datetime]) -> Starlette:
    """The workspace application over the test's storage and fixed clock (the real content:
    read only; tests that publish use `tests.helpers.topic_pages.topics_app` on a copy)."""
    services = web_services(settings, storage, clock)
    app = create_app(services)
    # The topic pages' editorial features, with the training intents read once per session.
    rules = rules_for(settings, settings.content_dir)
    app.state.editorial = Editorial(storage, services.content, settings, clock, rules)
    return app


@pytest.fixture
async def client(web: Starlette) -> AsyncIterator[httpx.AsyncClient]:
    """A browser for `web`: keeps cookies, does not follow redirects."""
    async with browser(web) as session:
        yield session


def browser(app: Starlette, base_url: str = BASE_URL) -> httpx.AsyncClient:
    """Another browser (own cookies) for the same app; it prefers English pages."""
    return httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app),
        base_url=base_url,
        headers={"Accept-Language": "en-GB,en;q=0.9"},
    )


async def add_staff(
    app: Starlette, role: str, name: str | None = None, language: str = "en"
) -> StaffMember:
    """A new staff account with `role` (named after the role unless `name` is given)."""
    services = services_of(app)
    return await services.storage.staff.add(name or role.title(), role, language, services.now())


async def sign_in_as(
    client: httpx.AsyncClient, app: Starlette, role: str, name: str | None = None
) -> str:
    """Give `client` a session of a new account with `role`; returns the session's CSRF token."""
    member = await add_staff(app, role, name)
    return await open_session(client, app, member)


async def open_session(client: httpx.AsyncClient, app: Starlette, member: StaffMember) -> str:
    """A session for an existing account, as a sign-in would make it; returns its CSRF token."""
    services = services_of(app)
    now = services.now()
    session_id, csrf = new_token(), new_token()
    expires = (now + timedelta(hours=services.settings.web.session_hours)).timestamp()
    await services.storage.staff.add_session(
        digest(session_id, SESSION), member.id, csrf, expires, now
    )
    client.cookies.set(SESSION_COOKIE, services.signer.sign(session_id, SESSION_COOKIE))
    return csrf


async def anonymous_csrf(client: httpx.AsyncClient, app: Starlette) -> str:
    """The CSRF token of an anonymous browser (its first page sets the cookie)."""
    if CSRF_COOKIE not in client.cookies:
        await client.get("/signin")
    token = services_of(app).signer.unsign(client.cookies.get(CSRF_COOKIE), CSRF_COOKIE)
    assert token is not None
    return token
