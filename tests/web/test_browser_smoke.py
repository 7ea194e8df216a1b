"""The browser test set-up works: a live server, the vendored htmx and Chromium together."""

from __future__ import annotations

from playwright.async_api import Page, expect
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from tests.helpers.browser import LiveServer, screenshot
from tests.helpers.project import project_path

STATIC = project_path("bot", "web", "static")
PAGE = """<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>Smoke test</title>
  <link rel="stylesheet" href="/static/workspace.css">
  <script src="/static/htmx.min.js"></script>
</head>
<body>
  <main>
    <h1>Browser smoke test</h1>
    <button type="button" hx-get="/fragment" hx-target="#result">Load the fragment</button>
    <p id="result" aria-live="polite">Nothing loaded yet.</p>
    <div class="telegram-preview">
      <p class="telegram-preview__text">🔔 A reminder as Telegram shows it.</p>
      <div class="telegram-preview__buttons"><span>🔕 Stop the reminders</span></div>
    </div>
  </main>
</body>
</html>
"""


async def home(request: Request) -> HTMLResponse:
    return HTMLResponse(PAGE)


async def fragment(request: Request) -> HTMLResponse:
    # htmx marks its requests; a plain GET of the fragment URL would get a full page.
    assert request.headers.get("HX-Request") == "true"
    return HTMLResponse("<strong>Swapped in by htmx</strong>")


def smoke_app() -> Starlette:
    return Starlette(
        routes=[
            Route("/", home),
            Route("/fragment", fragment),
            Mount("/static", StaticFiles(directory=STATIC), name="static"),
        ]
    )


async def test_a_button_swaps_in_a_fragment(page: Page, live_server: LiveServer) -> None:
    base = live_server(smoke_app())
    await page.goto(base)
    await expect(page.locator("#result")).to_have_text("Nothing loaded yet.")

    await page.get_by_role("button", name="Load the fragment").click()

    await expect(page.locator("#result strong")).to_have_text("Swapped in by htmx")
    assert await page.evaluate("htmx.version") == "2.0.11"
    await screenshot(page, "browser-smoke")


async def test_the_stylesheet_is_served_and_applied(page: Page, live_server: LiveServer) -> None:
    base = live_server(smoke_app())
    await page.goto(base)
    # The workspace font stack, not the browser's default serif.
    family = await page.evaluate("getComputedStyle(document.body).fontFamily")
    assert "system-ui" in family
