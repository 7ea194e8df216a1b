"""Campaign reminder subscriptions; in a group, only its administrators may manage them."""

from __future__ import annotations

from typing import Any, Final

from telegram import Update
from telegram.constants import ChatMemberStatus, ChatType
from telegram.ext import BaseHandler, CommandHandler, filters

from bot.dialogue import Incoming
from bot.i18n import N_
from bot.keyboards import SUBSCRIPTION_BUTTONS
from bot.telegram_context import BotContext
from bot.telegram_io import acknowledge, admit, language_code, say, take_turn
from bot.telegram_updates import ButtonHandler

ADMINS_ONLY: Final = N_("Only an administrator of this group can manage its reminders.")
MANAGERS: Final = frozenset({ChatMemberStatus.ADMINISTRATOR, ChatMemberStatus.OWNER})


async def subscribe(update: Update, context: BotContext) -> None:
    """/subscribe and /unsubscribe [postcode or name]: the chat (a group too) is the subscriber."""
    message = update.message
    if message is None or message.text is None:
        return
    incoming = Incoming(text=message.text, language_code=language_code(update))
    await _turn_if_allowed(update, context, incoming)


async def press_subscription_button(update: Update, context: BotContext) -> None:
    """A button of the subscription steps (place choice, confirmation, unsubscribe)."""
    query = update.callback_query
    if query is None:
        return
    await acknowledge(query)  # first: the spinner stops whatever happens next
    if query.data is None:
        return
    incoming = Incoming(callback=query.data, language_code=language_code(update))
    await _turn_if_allowed(update, context, incoming)


async def _turn_if_allowed(update: Update, context: BotContext, incoming: Incoming) -> None:
    """Pass the input to the core if this chat may manage its subscriptions."""
    if not await admit(update, context):
        return
    if not await may_manage(update, context):
        await say(update, context, ADMINS_ONLY)
        return
    await take_turn(update, context, incoming)


async def may_manage(update: Update, context: BotContext) -> bool:
    """Anyone in a private chat; in a group, its administrators and owner (asked to Telegram)."""
    chat, user = update.effective_chat, update.effective_user
    if chat is None or user is None:
        return False
    if chat.type == ChatType.PRIVATE:
        return True
    message = update.message
    if message is not None and message.sender_chat is not None:
        # An anonymous administrator writes as the group itself.
        return message.sender_chat.id == chat.id
    member = await context.bot.get_chat_member(chat.id, user.id)
    return member.status in MANAGERS


def handlers() -> list[BaseHandler[Update, Any, None]]:
    """The commands and their buttons."""
    return [
        CommandHandler(
            ("subscribe", "unsubscribe"), subscribe, filters=filters.UpdateType.MESSAGE
        ),
        ButtonHandler(press_subscription_button, pattern=SUBSCRIPTION_BUTTONS),
    ]
