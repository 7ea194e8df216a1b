"""Fixtures for the workspace tests: one Chromium per session, a page per test, live servers.

Playwright's async objects belong to the event loop that made them, and the browser is made
once per session: so every test here that uses the browser (or `page`) runs in the session's
loop (marked below), and so must the async fixtures it uses:
`@pytest_asyncio.fixture(loop_scope="session")` (a test that forgets fails and says which).

    async def test_sign_in(page: Page, live_server: LiveServer) -> None:
        base = live_server(build_app(settings))
        await page.goto(f"{base}/login")
        ...
        await screenshot(page, "sign-in")
"""

from __future__ import annotations

import inspect
from collections.abc import AsyncIterator, Iterator
from contextlib import ExitStack
from pathlib import Path

import pytest
import pytest_asyncio
from playwright.async_api import Browser, Page, async_playwright

from tests.helpers.browser import LiveServer, launch_chromium, serve

HERE = Path(__file__).parent


def uses_browser(item: pytest.Item) -> bool:
    """True for an async test of this folder that uses the session's browser."""
    return (
        isinstance(item, pytest.Function)
        and HERE in item.path.parents
        and pytest_asyncio.is_async_test(item)
        and "browser" in item.fixturenames
    )


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Run the browser tests in the session's loop, where the browser lives."""
    in_session_loop = pytest.mark.asyncio(loop_scope="session")
    for item in items:
        if uses_browser(item):
            item.add_marker(in_session_loop, append=False)


def pytest_runtest_setup(item: pytest.Item) -> None:
    """Fail a browser test whose async fixtures would run in another loop than the browser."""
    if not (isinstance(item, pytest.Function) and uses_browser(item)):
        return
    default = item.config.getini("asyncio_default_fixture_loop_scope")
    # pytest keeps the resolved fixtures of a test here (no public accessor).
    definitions = item._fixtureinfo.name2fixturedefs
    elsewhere = sorted(
        name
        for name in item.fixturenames
        if name in definitions
        and _is_async(definitions[name][-1].func)
        and (getattr(definitions[name][-1].func, "_loop_scope", None) or default) != "session"
    )
    if elsewhere:
        pytest.fail(
            f"{', '.join(elsewhere)}: a browser test runs in the session's event loop; declare "
            'these async fixtures with @pytest_asyncio.fixture(loop_scope="session")',
            pytrace=False,
        )


def _is_async(function: object) -> bool:
    return inspect.iscoroutinefunction(function) or inspect.isasyncgenfunction(function)


@pytest_asyncio.fixture(scope="session", loop_scope="session")
async def browser() -> AsyncIterator[Browser]:
    """Debian's headless Chromium, started once per session (fails if it is not installed)."""
    async with async_playwright() as playwright:
        chromium = await launch_chromium(playwright)
        yield chromium
        await chromium.close()


@pytest_asyncio.fixture(loop_scope="session")
async def page(browser: Browser) -> AsyncIterator[Page]:
    """A page in a fresh browser context (no cookies or storage from another test)."""
    context = await browser.new_context(locale="fr-BE", timezone_id="Europe/Brussels")
    context.set_default_timeout(5_000)  # a missing element fails in seconds, not 30
    page = await context.new_page()
    yield page
    await context.close()


@pytest.fixture
def live_server() -> Iterator[LiveServer]:
    """`live_server(app)` runs an ASGI app on 127.0.0.1 and returns its base URL.

    Each app gets its own free port and thread; all are stopped after the test.
    """
    with ExitStack() as servers:
        yield lambda app: servers.enter_context(serve(app))
