"""Browser tests: Debian's Chromium under Playwright, an ASGI app on loopback, screenshots.

Playwright drives the system's `chromium-headless-shell` (apt package of the same name) through
its executable path: Playwright's own browser download is never used (`playwright install` is
not part of the set-up). The fixtures that use these are in `tests/web/conftest.py`.
"""

from __future__ import annotations

import os
import re
import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Final

import pytest
import uvicorn
from playwright.async_api import Browser, Locator, Page, Playwright
from starlette.types import ASGIApp

from tests.helpers.project import project_path

CHROMIUM_ENV: Final = "PREVENTBOT_CHROMIUM"
CHROMIUM_DEFAULT: Final = Path("/usr/bin/chromium-headless-shell")
CHROMIUM_PACKAGE: Final = "chromium-headless-shell"
# CI runs as root, where Chromium refuses its sandbox; the rest keeps a test run off the network.
CHROMIUM_ARGS: Final = (
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
)
SCREENSHOTS_ENV: Final = "PREVENTBOT_SCREENSHOTS"
SCREENSHOTS_DIR: Final = project_path("docs", "screenshots")
START_TIMEOUT: Final = 10.0  # seconds for a server to answer; it takes about 50 ms here
_NAME: Final = re.compile(r"^[a-z0-9][a-z0-9._-]*$")

LiveServer = Callable[[ASGIApp], str]
"""The `live_server` fixture: give it an ASGI app, get the base URL it is served at."""


def chromium_path() -> Path:
    """The Chromium to drive: `$PREVENTBOT_CHROMIUM`, else Debian's headless shell.

    A missing browser fails the test (never skips it): browser tests must run in CI.
    """
    path = Path(os.environ.get(CHROMIUM_ENV) or CHROMIUM_DEFAULT)
    if not (path.is_file() and os.access(path, os.X_OK)):
        pytest.fail(
            f"No Chromium at {path}: install it with `apt-get install {CHROMIUM_PACKAGE}` "
            f"(.ci/run does it in CI), or point {CHROMIUM_ENV} at a Chromium or "
            "chromium-headless-shell binary. Do not run `playwright install`.",
            pytrace=False,
        )
    return path


async def launch_chromium(playwright: Playwright) -> Browser:
    """A headless Chromium from `chromium_path()` with the CI-safe arguments."""
    return await playwright.chromium.launch(
        executable_path=chromium_path(), args=list(CHROMIUM_ARGS), headless=True
    )


@contextmanager
def serve(app: ASGIApp, timeout: float = START_TIMEOUT) -> Iterator[str]:
    """Run `app` with uvicorn on 127.0.0.1 (a free port) in a thread; yield its base URL.

    The app runs on the server thread's own event loop: open what it needs (a database...) in
    its lifespan, not in the test's loop. Its startup runs before the URL is yielded, its
    shutdown when the block ends.
    """
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.bind(("127.0.0.1", 0))  # the port is ours from here: no race with another test
    host, port = listener.getsockname()
    # log_config=None: uvicorn leaves logging alone, its records reach pytest's capture.
    config = uvicorn.Config(
        app, log_config=None, access_log=False, lifespan="auto", timeout_graceful_shutdown=2
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(
        target=_run, args=(server, listener), name=f"live-server-{port}", daemon=True
    )
    thread.start()
    try:
        _wait_until_started(server, thread, timeout)
        yield f"http://{host}:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout)
        listener.close()
        if thread.is_alive():
            server.force_exit = True
            thread.join(timeout)


def _run(server: uvicorn.Server, listener: socket.socket) -> None:
    # uvicorn exits (SystemExit) when the app's startup fails: the waiter reports it.
    with suppress(SystemExit):
        server.run(sockets=[listener])


def _wait_until_started(server: uvicorn.Server, thread: threading.Thread, timeout: float) -> None:
    """Poll (10 ms steps, bounded) until uvicorn has run the startup and listens."""
    deadline = time.monotonic() + timeout
    while not server.started:
        if not thread.is_alive():
            pytest.fail("The live server stopped during its startup (its log is above)")
        if time.monotonic() > deadline:
            pytest.fail(f"The live server did not start within {timeout} s")
        time.sleep(0.01)


def screenshots_enabled() -> bool:
    """True when `PREVENTBOT_SCREENSHOTS` asks for the PNGs to be written (1, true, yes)."""
    return os.environ.get(SCREENSHOTS_ENV, "").strip().lower() in {"1", "true", "yes"}


async def screenshot(
    page: Page, name: str, full_page: bool = True, element: Locator | None = None
) -> Path | None:
    """Take a screenshot of `page` (or of one `element` of it); write it to
    `docs/screenshots/<name>.png` only if enabled.

    The screenshot is always taken, so that a normal run still checks that the page renders;
    only `PREVENTBOT_SCREENSHOTS=1` writes it, so that test runs leave the tree clean.
    """
    if not _NAME.match(name):
        raise ValueError(f"screenshot name {name!r}: lower-case letters, digits, '.', '-', '_'")
    if element is not None:
        image = await element.screenshot(animations="disabled")
    else:
        image = await page.screenshot(full_page=full_page, animations="disabled")
    if not screenshots_enabled():
        return None
    SCREENSHOTS_DIR.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS_DIR / f"{name}.png"
    path.write_bytes(image)
    return path
