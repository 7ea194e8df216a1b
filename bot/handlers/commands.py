"""Slash commands: the core's commands, and unknown ones (answered in private chats only)."""

from __future__ import annotations

from typing import Any, Final

from telegram import Update
from telegram.constants import ChatType
from telegram.ext import BaseHandler, CommandHandler, MessageHandler, filters

from bot.dialogue import Incoming
from bot.telegram_context import BotContext
from bot.telegram_io import admit, language_code, take_turn

# Handled by the dialogue core (/subscribe and /unsubscribe have their own module).
CORE_COMMANDS: Final = (
    "start",
    "help",
    "menu",
    "language",
    "about",
    "mydata",
    "forget",
    "reload",
    "announce",
)


async def run_command(update: Update, context: BotContext) -> None:
    """Pass the whole command line (payload and arguments included) to the dialogue core."""
    message = update.message
    if message is None or message.text is None:
        return
    if not await admit(update, context):
        return
    await take_turn(
        update, context, Incoming(text=message.text, language_code=language_code(update))
    )


async def unknown_command(update: Update, context: BotContext) -> None:
    """An unknown command: the core lists the real ones; in groups only if it names this bot."""
    message, chat = update.message, update.effective_chat
    if message is None or message.text is None or chat is None:
        return
    words = message.text.split(maxsplit=1)  # none at all in a forged " " with a command entity
    command = words[0] if words else ""
    addressed = command.lower().endswith("@" + (context.bot.username or "").lower())
    if chat.type != ChatType.PRIVATE and not addressed:
        return  # most likely meant for another bot in the group
    await run_command(update, context)


def handlers() -> list[BaseHandler[Update, Any, None]]:
    """Known commands first, then the catch-all for unknown ones."""
    new_messages = filters.UpdateType.MESSAGE  # edited commands are not run again
    return [
        CommandHandler(CORE_COMMANDS, run_command, filters=new_messages),
        MessageHandler(filters.COMMAND & new_messages, unknown_command),
    ]
