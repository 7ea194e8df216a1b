"""The command menu Telegram shows, registered once per language with setMyCommands."""

from __future__ import annotations

import logging
from collections.abc import Collection, Sequence
from typing import Final

from telegram import Bot, BotCommand, BotCommandScopeChat
from telegram.error import TelegramError

from bot.base.i18n import N_, Translator

logger = logging.getLogger(__name__)

# (command, description) in menu order; descriptions are translated per language.
COMMANDS: Final[tuple[tuple[str, str], ...]] = (
    ("start", N_("Start and choose a subject")),
    ("menu", N_("Browse the prevention subjects")),
    ("help", N_("How to ask me a question")),
    ("language", N_("Change the language")),
    ("subscribe", N_("Campaign reminders for your municipality")),
    ("unsubscribe", N_("Stop the campaign reminders")),
    ("mydata", N_("What I store about you")),
    ("forget", N_("Delete everything stored about you")),
    ("about", N_("Sources and privacy")),
)
SUBSCRIPTION_COMMANDS: Final = frozenset({"subscribe", "unsubscribe"})
# Shown only in the admins' own chats (the commands refuse everyone else anyway).
ADMIN_COMMANDS: Final[tuple[tuple[str, str], ...]] = (
    ("announce", N_("Announce a local action to subscribers")),
    ("reload", N_("Reload the content files")),
)


def bot_commands(
    translator: Translator, language: str, with_subscriptions: bool = True, admin: bool = False
) -> list[BotCommand]:
    """The command menu in `language` (without the reminder commands when that feature is off)."""
    _ = translator.gettext(language)
    menu = [
        BotCommand(command, _(description))
        for command, description in COMMANDS
        if with_subscriptions or command not in SUBSCRIPTION_COMMANDS
    ]
    if admin:
        extra = [c for c in ADMIN_COMMANDS if with_subscriptions or c[0] != "announce"]
        menu += [BotCommand(command, _(description)) for command, description in extra]
    return menu


async def register_commands(
    bot: Bot,
    translator: Translator,
    languages: Sequence[str],
    default_language: str,
    with_subscriptions: bool = True,
    admins: Collection[int] = (),
) -> None:
    """One setMyCommands per language, the default list, and each admin's own menu."""
    for language in languages:
        commands = bot_commands(translator, language, with_subscriptions)
        await bot.set_my_commands(commands, language_code=language)
    await bot.set_my_commands(bot_commands(translator, default_language, with_subscriptions))
    logger.info("Command menus registered for %s", ", ".join(languages))
    admin_menu = bot_commands(translator, default_language, with_subscriptions, admin=True)
    for admin in sorted(admins):
        try:
            await bot.set_my_commands(admin_menu, scope=BotCommandScopeChat(admin))
        except TelegramError as exc:  # e.g. an admin who never opened a chat with the bot
            logger.warning("No admin command menu for one admin: %s", exc)
