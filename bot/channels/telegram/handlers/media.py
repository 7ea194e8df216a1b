"""Anything that is not text (photo, sticker, voice, location...): a short, polite answer."""

from __future__ import annotations

from typing import Any, Final

from telegram import Update
from telegram.constants import ChatType
from telegram.ext import BaseHandler, MessageHandler, filters

from bot.base.i18n import N_
from bot.channels.telegram.context import BotContext
from bot.channels.telegram.io import admit, say

TEXT_ONLY: Final = N_(
    "I can only read text messages. Please type your question in a few words, "
    "or choose a subject with /menu."
)


async def answer_non_text(update: Update, context: BotContext) -> None:
    """Say that only text is understood; in a group only when the message replies to the bot."""
    message, chat = update.message, update.effective_chat
    if message is None or chat is None:
        return
    if chat.type != ChatType.PRIVATE:
        replied = message.reply_to_message
        if replied is None or replied.from_user is None or replied.from_user.id != context.bot.id:
            return
    if not await admit(update, context):
        return
    await say(update, context, TEXT_ONLY)


def handlers() -> list[BaseHandler[Update, Any, None]]:
    """New messages without text; service messages (members joining, pins...) are left alone."""
    non_text = filters.UpdateType.MESSAGE & ~filters.TEXT & ~filters.StatusUpdate.ALL
    return [MessageHandler(non_text, answer_non_text)]
