"""The helpers the browser tests stand on: the live server, the Chromium path, screenshots."""

from __future__ import annotations

import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import httpx
import pytest
from playwright.async_api import Page
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse
from starlette.routing import Route

from tests.helpers import browser
from tests.helpers.browser import LiveServer, chromium_path, screenshot, serve


def get(url: str) -> str:
    return httpx.get(url, trust_env=False).text  # straight to loopback, whatever the proxy


def hello_app(text: str = "hello") -> Starlette:
    async def hello(request: Request) -> PlainTextResponse:
        return PlainTextResponse(text)

    return Starlette(routes=[Route("/", hello)])


def test_a_live_server_answers_then_stops() -> None:
    with serve(hello_app()) as base:
        assert base.startswith("http://127.0.0.1:")
        assert get(base) == "hello"
    with pytest.raises(httpx.ConnectError):
        get(base)


def test_each_app_gets_its_own_port(live_server: LiveServer) -> None:
    first, second = live_server(hello_app("one")), live_server(hello_app("two"))
    assert first != second
    assert (get(first), get(second)) == ("one", "two")


def test_the_app_starts_up_before_the_url_is_given_and_shuts_down_after() -> None:
    events: list[str] = []

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        events.append("startup")
        yield
        events.append("shutdown")

    with serve(Starlette(lifespan=lifespan)):
        assert events == ["startup"]
    assert events == ["startup", "shutdown"]


def test_a_server_that_cannot_start_fails_the_test_clearly() -> None:
    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        raise RuntimeError("no database")
        yield

    with (
        pytest.raises(pytest.fail.Exception, match="stopped during its startup"),
        serve(Starlette(lifespan=lifespan)),
    ):
        pass


def test_a_missing_chromium_fails_and_names_the_package(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv(browser.CHROMIUM_ENV, str(tmp_path / "no-chromium"))
    with pytest.raises(pytest.fail.Exception, match="apt-get install chromium-headless-shell"):
        chromium_path()


def test_the_chromium_path_comes_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(browser.CHROMIUM_ENV, sys.executable)
    assert chromium_path() == Path(sys.executable)
    monkeypatch.delenv(browser.CHROMIUM_ENV)
    assert chromium_path() == browser.CHROMIUM_DEFAULT


async def test_screenshots_are_written_only_when_asked(
    page: Page, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(browser, "SCREENSHOTS_DIR", tmp_path / "screenshots")
    await page.set_content("<h1>Hello</h1>")

    monkeypatch.delenv(browser.SCREENSHOTS_ENV, raising=False)
    assert await screenshot(page, "hello") is None
    assert not (tmp_path / "screenshots").exists()

    monkeypatch.setenv(browser.SCREENSHOTS_ENV, "1")
    written = await screenshot(page, "hello")
    assert written == tmp_path / "screenshots" / "hello.png"
    assert written.read_bytes().startswith(b"\x89PNG")
    with pytest.raises(ValueError, match="screenshot name"):
        await screenshot(page, "../escape")
