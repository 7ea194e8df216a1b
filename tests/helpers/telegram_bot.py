"""Run the real PTB application against the fake Bot API server, inside the caller's loop.

`run_polling` blocks and installs signal handlers, so tests and benchmarks do its steps by hand:
initialize, post_init, start_polling (errors forwarded to the error handlers, as run_polling
does), start; and the reverse on the way out.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from typing import Any

from telegram import Update
from telegram.error import TelegramError
from telegram.ext import AIORateLimiter, Application, CallbackContext, TypeHandler, Updater

from tests.helpers.fake_bot_api import Call, FakeBotAPI

# After every real handler group, so it sees an update once it is fully handled.
DONE_GROUP = 10_000


class BotUnderTest:
    """A running application plus the fake server it talks to; `send` waits for the answer."""

    def __init__(self, application: Application[Any, Any, Any, Any, Any, Any], api: FakeBotAPI):
        self.application = application
        self.api = api
        self.done: set[int] = set()
        self._handled = asyncio.Event()
        application.add_handler(TypeHandler(Update, self._mark_done), group=DONE_GROUP)

    async def _mark_done(
        self, update: Update, context: CallbackContext[Any, Any, Any, Any]
    ) -> None:
        self.done.add(update.update_id)
        self._handled.set()

    async def handled(self, update_id: int, within: float = 15.0) -> None:
        """Wait until the update went through every handler (and the error handler)."""
        async with asyncio.timeout(within):
            while update_id not in self.done:
                self._handled.clear()
                await self._handled.wait()

    async def send(self, update: dict[str, Any], within: float = 15.0) -> list[Call]:
        """Push an update, wait until it is handled; the calls the bot made meanwhile."""
        before = len(self.api.calls)
        update_id = self.api.push(update)
        await self.handled(update_id, within)
        return [call for call in self.api.calls[before:] if call.method != "getUpdates"]

    async def text(self, chat_id: int, text: str, **options: Any) -> list[str]:
        """Send a text message; the texts the bot answered with."""
        calls = await self.send(self.api.text_update(chat_id, text, **options))
        return [str(call.params["text"]) for call in calls if call.method == "sendMessage"]


@asynccontextmanager
async def _running(
    application: Application[Any, Any, Any, Any, Any, Any],
    api: FakeBotAPI,
    start_updater: Callable[[Updater], Awaitable[Any]],
) -> AsyncIterator[BotUnderTest]:
    """Initialise, start the updater the given way, run, then stop and shut down in order."""
    updater = application.updater
    assert updater is not None
    await application.initialize()
    try:
        if application.post_init is not None:
            await application.post_init(application)
        await start_updater(updater)
        await application.start()
        try:
            yield BotUnderTest(application, api)
        finally:
            if updater.running:
                await updater.stop()
            if application.running:
                await application.stop()
    finally:
        await application.shutdown()
        if application.post_shutdown is not None:
            await application.post_shutdown(application)


@asynccontextmanager
async def polling(
    application: Application[Any, Any, Any, Any, Any, Any], api: FakeBotAPI
) -> AsyncIterator[BotUnderTest]:
    """The application polling the fake server until the block ends."""

    def forward_error(exc: TelegramError) -> None:
        application.create_task(application.process_error(update=None, error=exc))

    def start(updater: Updater) -> Awaitable[Any]:
        return updater.start_polling(poll_interval=0, timeout=1, error_callback=forward_error)

    async with _running(application, api, start) as bot:
        yield bot


@asynccontextmanager
async def webhook(
    application: Application[Any, Any, Any, Any, Any, Any],
    api: FakeBotAPI,
    **options: Any,
) -> AsyncIterator[BotUnderTest]:
    """The application serving a webhook (`options` go to Updater.start_webhook)."""
    async with _running(application, api, lambda updater: updater.start_webhook(**options)) as bot:
        yield bot


ADMIN_ID = 42  # the prevention-service admin of the Telegram tests


def fast_limiter() -> AIORateLimiter:
    """No throughput caps (tests send many messages), RetryAfter still waited out."""
    return AIORateLimiter(overall_max_rate=0, group_max_rate=0, max_retries=3)
