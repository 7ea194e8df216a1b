"""Text messages: all of them in private chats; in groups only mentions or replies to the bot."""

from __future__ import annotations

from typing import Any

from telegram import Bot, Message, MessageEntity, Update
from telegram.constants import ChatType
from telegram.ext import BaseHandler, MessageHandler, filters

from bot.base.turns import Incoming
from bot.channels.telegram.context import BotContext
from bot.channels.telegram.io import admit, language_code, take_turn


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


def addressed_text(message: Message, bot: Bot) -> str | None:
    """The text without the bot's @mention if it mentions or replies to the bot, else None."""
    text = message.text or ""
    me = "@" + (bot.username or "").lower()
    mentions = {
        mention
        for entity, mention in message.parse_entities([MessageEntity.MENTION]).items()
        if mention.lower() == me
    }
    if not mentions and not is_reply_to(message, bot):
        return None
    for mention in mentions:
        text = text.replace(mention, " ")
    return text.strip()


def is_reply_to(message: Message, bot: Bot) -> bool:
    """True if `message` replies to one of the bot's messages."""
    replied = message.reply_to_message
    return replied is not None and replied.from_user is not None and replied.from_user.id == bot.id


def handlers() -> list[BaseHandler[Update, Any, None]]:
    """New text messages that are not commands (edited messages are not answered again)."""
    return [MessageHandler(filters.TEXT & ~filters.COMMAND & filters.UpdateType.MESSAGE, ask)]
