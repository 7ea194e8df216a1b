"""Groups: some commands and buttons change the whole chat, and only its administrators may."""

from __future__ import annotations

from typing import Final

from telegram import Update
from telegram.constants import ChatMemberStatus, ChatType

from bot.base.i18n import N_
from bot.channels.telegram.context import BotContext

ADMINS_ONLY: Final = N_("Only an administrator of this group can manage its reminders.")
MANAGERS: Final = frozenset({ChatMemberStatus.ADMINISTRATOR, ChatMemberStatus.OWNER})


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
