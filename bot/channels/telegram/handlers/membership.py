"""The bot's own membership (blocked or removed: no more reminders) and groups changing id."""

from __future__ import annotations

import logging
from typing import Any, Final

from telegram import Update
from telegram.constants import ChatMemberStatus
from telegram.ext import BaseHandler, ChatMemberHandler, MessageHandler, filters

from bot.channels.telegram.context import BotContext

logger = logging.getLogger(__name__)

GONE: Final = frozenset({ChatMemberStatus.LEFT, ChatMemberStatus.BANNED})


async def track_membership(update: Update, context: BotContext) -> None:
    """A user blocked (or unblocked) the bot, or a group removed (or added) it."""
    change = update.my_chat_member
    if change is None:
        return
    active = change.new_chat_member.status not in GONE
    services = context.services
    await services.storage.users.set_active(change.chat.id, active, services.now())
    logger.info("Chat of type %s is now %s", change.chat.type, "active" if active else "inactive")


async def track_migration(update: Update, context: BotContext) -> None:
    """A group became a supergroup: its language, subscriptions and reminders follow its new id."""
    message = update.effective_message
    if message is None:
        return
    if message.migrate_to_chat_id is not None:  # sent in the old group
        old, new = message.chat.id, message.migrate_to_chat_id
    elif message.migrate_from_chat_id is not None:  # sent in the new supergroup
        old, new = message.migrate_from_chat_id, message.chat.id
    else:
        return
    services = context.services
    # Both service messages arrive; the second finds nothing left to move.
    await services.storage.users.move_chat(old, new, services.now())


def handlers() -> list[BaseHandler[Update, Any, None]]:
    """Changes of the bot's own status in a chat, and of a group's id."""
    return [
        ChatMemberHandler(track_membership, ChatMemberHandler.MY_CHAT_MEMBER),
        MessageHandler(filters.StatusUpdate.MIGRATE, track_migration),
    ]
