"""The bot's own membership: blocked or removed means no more reminders for that chat."""

from __future__ import annotations

import logging
from typing import Any, Final

from telegram import Update
from telegram.constants import ChatMemberStatus
from telegram.ext import BaseHandler, ChatMemberHandler

from bot.telegram_context import BotContext

logger = logging.getLogger(__name__)

GONE: Final = frozenset({ChatMemberStatus.LEFT, ChatMemberStatus.BANNED})


async def track_membership(update: Update, context: BotContext) -> None:
    """A user blocked (or unblocked) the bot, or a group removed (or added) it."""
    change = update.my_chat_member
    if change is None:
        return
    active = change.new_chat_member.status not in GONE
    services = context.services
    await services.storage.set_active(change.chat.id, active, services.now())
    logger.info("Chat of type %s is now %s", change.chat.type, "active" if active else "inactive")


def handlers() -> list[BaseHandler[Update, Any, None]]:
    """Changes of the bot's own status in a chat."""
    return [ChatMemberHandler(track_membership, ChatMemberHandler.MY_CHAT_MEMBER)]
