"""Inline buttons: menus are edited in place, answers arrive as new messages."""

from __future__ import annotations

import logging
from typing import Any

from telegram import CallbackQuery, Message, Update
from telegram.constants import ParseMode
from telegram.error import BadRequest
from telegram.ext import BaseHandler, CallbackQueryHandler

from bot.base.turns import Incoming, Reply
from bot.channels.telegram.context import BotContext
from bot.channels.telegram.groups import ADMINS_ONLY, may_manage
from bot.channels.telegram.io import (
    NO_PREVIEW,
    acknowledge,
    admit,
    ask_dialogue,
    language_code,
    say,
    send_reply,
)
from bot.channels.telegram.keyboards import MENU_BUTTONS, inline_keyboard
from bot.channels.telegram.text import split_html

logger = logging.getLogger(__name__)


async def press(update: Update, context: BotContext) -> None:
    """Any button, including forged or stale callback data (the core answers with the menu)."""
    query = update.callback_query
    if query is None:
        return
    await acknowledge(query)  # stops the spinner on the user's screen, whatever happens next
    chat = update.effective_chat
    if chat is None or query.data is None:
        return  # a button on an inline-mode message or a game: nothing to answer
    if not await admit(update, context):
        return
    if context.dialogue.flows.manages_chat(button=query.data) and not await may_manage(
        update, context
    ):
        await say(update, context, ADMINS_ONLY)
        return
    incoming = Incoming(callback=query.data, language_code=language_code(update))
    replies = await ask_dialogue(chat.id, context, incoming)
    if len(replies) == 1 and MENU_BUTTONS.match(query.data) and await edit(query, replies[0]):
        return
    for reply in replies:
        await send_reply(context.bot, chat.id, reply)


async def edit(query: CallbackQuery, reply: Reply) -> bool:
    """Show `reply` in place of the message the button belongs to; False if it cannot be."""
    chunks = split_html(reply.text)
    if not isinstance(query.message, Message) or len(chunks) != 1:
        return False  # too old to be edited, or too long for one message
    try:
        await query.edit_message_text(
            chunks[0],
            parse_mode=ParseMode.HTML,
            reply_markup=inline_keyboard(reply),
            link_preview_options=NO_PREVIEW,
        )
    except BadRequest as exc:
        if "not modified" in exc.message.lower():
            return True  # the same menu pressed twice
        logger.info("Could not edit a message, sending a new one: %s", exc.message)
        return False
    return True


def handlers() -> list[BaseHandler[Update, Any, None]]:
    """One handler for every button: each press is answered, whatever its data."""
    return [CallbackQueryHandler(press)]
