"""Text messages: all of them in private chats; in groups only mentions or replies to the bot."""

from __future__ import annotations

from typing import Any

from telegram import Update
from telegram.constants import ChatType
from telegram.ext import BaseHandler, MessageHandler, filters

from bot.base.turns import Incoming
from bot.channels.telegram.context import BotContext
from bot.channels.telegram.io import addressed_text, admit, language_code, take_turn


async def ask(update: Update, context: BotContext) -> None:
    """A question or a step of a conversation (forwarded texts are questions too)."""
    message, chat = update.message, update.effective_chat
    if message is None or message.text is None or chat is None:
        return
    text: str | None = message.text
    if chat.type != ChatType.PRIVATE:
        text = addressed_text(message, context.bot)
        if text is None:
            return  # group chatter not meant for the bot
    if not await admit(update, context):
        return
    await take_turn(update, context, Incoming(text=text, language_code=language_code(update)))


def handlers() -> list[BaseHandler[Update, Any, None]]:
    """New text messages that are not commands (edited messages are not answered again)."""
    return [MessageHandler(filters.TEXT & ~filters.COMMAND & filters.UpdateType.MESSAGE, ask)]
