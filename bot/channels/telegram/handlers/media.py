"""Anything that is not text (photo, sticker, voice, location...): a short, polite answer."""

from __future__ import annotations

from typing import Any, Final

from telegram import Update
from telegram.constants import ChatType
from telegram.ext import BaseHandler, MessageHandler, filters

from bot.base.i18n import N_
from bot.channels.telegram.context import BotContext
from bot.channels.telegram.io import addressed_text, admit, say

TEXT_ONLY: Final = N_(
    "I can only read text messages. Please type your question in a few words, "
    "or choose a subject with /menu."
)


async def answer_non_text(update: Update, context: BotContext) -> None:
    """Say that only text is understood; in a group only if it replies to or mentions the bot."""
    message, chat = update.message, update.effective_chat
    if message is None or chat is None:
        return
    if chat.type != ChatType.PRIVATE and addressed_text(message, context.bot) is None:
        return  # group chatter not meant for the bot
    if not await admit(update, context):
        return
    await say(update, context, TEXT_ONLY)


def handlers() -> list[BaseHandler[Update, Any, None]]:
    """New messages without text; service messages (members joining, pins...) are left alone."""
    non_text = filters.UpdateType.MESSAGE & ~filters.TEXT & ~filters.StatusUpdate.ALL
    return [MessageHandler(non_text, answer_non_text)]
