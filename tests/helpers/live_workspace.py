"""The workspace for browser tests: its storage opened in its lifespan, on the live server's loop.

The live server (`tests/helpers/browser.py` `serve`) runs the app in its own thread and event
loop, and a database connection belongs to the loop that opened it: so this app opens a copy of
the migrated template at startup, lets the test seed it there (`prepare`), and closes it at
shutdown. `run(...)` does more work on that loop from the test, e.g. a reminder pass.

    workspace = LiveWorkspace(settings, template, prepare=seed)
    base = live_server(workspace)
    link = workspace.prepared        # what `prepare` returned
    await workspace.run(lambda services: run_due_pass(services, sender, NOW))
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from datetime import datetime
from pathlib import Path
from typing import Any

from starlette.types import ASGIApp, Receive, Scope, Send

from bot.base.i18n import Translator
from bot.base.settings import Settings
from bot.catalog.store import ContentStore
from bot.storage import Storage
from bot.web.app import create_app
from bot.web.services import WebServices
from bot.web.signing import Signer
from nlu import RetrainingNLU
from tests.helpers.content import real_content
from tests.helpers.db import open_copy
from tests.helpers.project import NOW
from tests.helpers.web import TEST_KEY

Prepare = Callable[[WebServices], Awaitable[Any]]


class LiveWorkspace:
    """An ASGI app: the workspace, built at lifespan startup over a fresh database."""

    def __init__(
        self,
        settings: Settings,
        template: Path,
        prepare: Prepare | None = None,
        now: Callable[[], datetime] = lambda: NOW,
        nlu: RetrainingNLU | None = None,
    ) -> None:
        self.settings, self.template, self.prepare, self.now = settings, template, prepare, now
        self.nlu = nlu
        self.app: ASGIApp | None = None
        self.services: WebServices | None = None
        self.prepared: Any = None
        self._loop: asyncio.AbstractEventLoop | None = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Lifespan events here; every request goes to the workspace."""
        if scope["type"] == "lifespan":
            await self._lifespan(receive, send)
            return
        assert self.app is not None, "the workspace serves requests only after its startup"
        await self.app(scope, receive, send)

    async def run(self, work: Callable[[WebServices], Awaitable[Any]]) -> Any:
        """Run `work(services)` on the server's loop (where the storage lives); its result."""
        assert self._loop is not None, "the server has not started"
        assert self.services is not None
        future = asyncio.run_coroutine_threadsafe(_call(work, self.services), self._loop)
        return await asyncio.wrap_future(future)

    async def _lifespan(self, receive: Receive, send: Send) -> None:
        storage: Storage | None = None
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                try:
                    storage = await open_copy(self.template, self.settings.db_path)
                    await self._start(storage)
                except Exception as exc:  # uvicorn reports it and stops the server
                    await send({"type": "lifespan.startup.failed", "message": repr(exc)})
                    return
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                if storage is not None:
                    await storage.close()
                await send({"type": "lifespan.shutdown.complete"})
                return

    async def _start(self, storage: Storage) -> None:
        content = ContentStore(self.settings.content_dir, real_content())
        translator = Translator(self.settings.languages)
        services = WebServices(
            self.settings, storage, content, translator, self.now, Signer(TEST_KEY), self.nlu
        )
        if self.prepare is not None:
            self.prepared = await self.prepare(services)
        self.services, self.app = services, create_app(services)
        self._loop = asyncio.get_running_loop()


async def _call(work: Callable[[WebServices], Awaitable[Any]], services: WebServices) -> Any:
    return await work(services)
