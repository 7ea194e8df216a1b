"""Slash commands: those the flows declare, and unknown ones (in private chats only)."""

from __future__ import annotations

from typing import Any

from telegram import Update
from telegram.constants import ChatType
from telegram.ext import BaseHandler, MessageHandler, filters

from bot.base.turns import Incoming
from bot.channels.telegram.context import BotContext
from bot.channels.telegram.groups import ADMINS_ONLY, may_manage
from bot.channels.telegram.io import admit, language_code, say, take_turn


async def run_command(update: Update, context: BotContext) -> None:
    """Pass the whole command line (payload and arguments included) to the dialogue core."""
    message, chat = update.message, update.effective_chat
    if message is None or message.text is None or chat is None:
        return
    words = message.text.split(maxsplit=1)  # none at all in a forged " " with a command entity
    name, _at, target = (words[0] if words else "/").lstrip("/").partition("@")
    flows = context.dialogue.flows
    if chat.type != ChatType.PRIVATE:
        # In a group, "/menu@another_bot" is not for us, nor an unknown "/stats" without "@".
        addressed = target.lower() == (context.bot.username or "").lower()
        if (target and not addressed) or (not target and flows.command(name.lower()) is None):
            return
    if not await admit(update, context):
        return
    if flows.manages_chat(command=name.lower()) and not await may_manage(update, context):
        await say(update, context, ADMINS_ONLY)
        return
    await take_turn(
        update, context, Incoming(text=message.text, language_code=language_code(update))
    )


def handlers() -> list[BaseHandler[Update, Any, None]]:
    """Every command: the flows decide which exist (edited commands are not run again)."""
    return [MessageHandler(filters.COMMAND & filters.UpdateType.MESSAGE, run_command)]
