"""Fixtures for the Telegram adapter: the fake Bot API server and the real application on it."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import replace
from datetime import datetime
from typing import Any

import pytest
from telegram.ext import AIORateLimiter

from bot.app import assemble
from bot.base.i18n import Translator
from bot.base.settings import Secret, Settings, TelegramSettings, load_settings
from bot.catalog.store import ContentStore
from bot.channels.telegram.app import TelegramApplication, build_application
from bot.dialogue.services import Services
from bot.storage import Storage
from nlu import EmbeddedNLU
from tests.helpers.fake_bot_api import TOKEN, FakeBotAPI
from tests.helpers.telegram_bot import ADMIN_ID, BotUnderTest, polling


@pytest.fixture(scope="session", autouse=True)
def ptb_timedelta() -> Iterator[None]:
    """PTB 22 warns (an error here) when it builds a RetryAfter unless timedeltas are opted in."""
    previous = os.environ.get("PTB_TIMEDELTA")
    os.environ["PTB_TIMEDELTA"] = "true"
    yield
    if previous is None:
        os.environ.pop("PTB_TIMEDELTA", None)
    else:
        os.environ["PTB_TIMEDELTA"] = previous


@pytest.fixture
async def api() -> AsyncIterator[FakeBotAPI]:
    """The fake Bot API server; a test fails if the bot called a method it does not know."""
    async with FakeBotAPI() as server:
        yield server
        assert server.unexpected == []


@pytest.fixture
def tg_settings(settings: Settings, api: FakeBotAPI) -> Settings:
    """The project's settings pointed at the fake server (flood limit high: tests chat fast)."""
    telegram = TelegramSettings(
        token=Secret(TOKEN),
        base_url=api.base_url,
        flood_max_messages=1000,
        flood_window_seconds=10,
    )
    return replace(settings, telegram=telegram, admins=frozenset({ADMIN_ID}))


@pytest.fixture(scope="session")
def content() -> ContentStore:
    """The real content, read once (YAML parsing is the slow part of building the services)."""
    return ContentStore.load(load_settings(environ={}).content_dir)


@pytest.fixture(scope="session")
def translator() -> Translator:
    """The real interface catalogs, read once."""
    return Translator(load_settings(environ={}).languages)


@pytest.fixture
def make_app(
    trained_nlu: EmbeddedNLU,
    content: ContentStore,
    translator: Translator,
    clock: Callable[[], datetime],
) -> Callable[..., TelegramApplication]:
    """Build the real application on given settings, with the session's NLU and content.

    The services are what `bot.app.build_services` builds (a fresh SQLite file, the optional
    features attached), from parts read once per session.
    """

    def make(
        settings: Settings, content_store: ContentStore | None = None, **options: Any
    ) -> TelegramApplication:
        async def services() -> Services:
            storage = await Storage.open(settings.database)
            return assemble(
                settings, content_store or content, trained_nlu, storage, clock, translator
            )

        options.setdefault("rate_limiter", AIORateLimiter(max_retries=3))
        return build_application(settings, services, **options)

    return make


@pytest.fixture
async def bot(
    tg_settings: Settings, api: FakeBotAPI, make_app: Callable[..., TelegramApplication]
) -> AsyncIterator[BotUnderTest]:
    """The application polling the fake server."""
    async with polling(make_app(tg_settings), api) as running:
        yield running
