"""The Telegram side of `preventbot reminders`: a TelegramSender on a Bot of its own (cron)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from telegram import Bot
from telegram.request import HTTPXRequest

from bot.base.errors import ConfigError
from bot.base.settings import Settings
from bot.channels.telegram.sender import TelegramSender
from bot.reminders.sender import Sender


@asynccontextmanager
async def telegram_sender(settings: Settings, connections: int) -> AsyncIterator[Sender]:
    """A sender for TELEGRAM_BOT_TOKEN at the configured base URL, `connections` in parallel."""
    if settings.telegram.token is None:
        raise ConfigError("TELEGRAM_BOT_TOKEN: not set; it is needed to send reminders")
    # PTB's default pool has one connection: the pass sends `connections` messages at once.
    request = HTTPXRequest(connection_pool_size=connections + 2)
    token = settings.telegram.token.reveal()
    async with Bot(token, base_url=settings.telegram.base_url, request=request) as bot:
        yield TelegramSender(bot, paid_broadcast=settings.reminders.paid_broadcast)
