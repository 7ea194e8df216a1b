"""The command menu Telegram shows, registered once per language with setMyCommands."""

from __future__ import annotations

import logging
from collections.abc import Collection, Sequence

from telegram import Bot, BotCommand, BotCommandScopeChat
from telegram.error import TelegramError

from bot.base.flows import Command
from bot.base.i18n import Translator

logger = logging.getLogger(__name__)


def bot_commands(
    translator: Translator, language: str, commands: Sequence[Command], admin: bool = False
) -> list[BotCommand]:
    """The command menu in `language`: the flows' commands, admin ones only for admins."""
    _ = translator.gettext(language)
    return [
        BotCommand(command.name, _(command.description))
        for command in commands
        if command.menu and (admin or not command.admin)
    ]


async def register_commands(
    bot: Bot,
    translator: Translator,
    commands: Sequence[Command],
    languages: Sequence[str],
    default_language: str,
    admins: Collection[int] = (),
) -> None:
    """One setMyCommands per language, the default list, and each admin's own menu."""
    for language in languages:
        await bot.set_my_commands(
            bot_commands(translator, language, commands), language_code=language
        )
    await bot.set_my_commands(bot_commands(translator, default_language, commands))
    logger.info("Command menus registered for %s", ", ".join(languages))
    admin_menu = bot_commands(translator, default_language, commands, admin=True)
    for admin in sorted(admins):
        try:
            await bot.set_my_commands(admin_menu, scope=BotCommandScopeChat(admin))
        except TelegramError as exc:  # e.g. an admin who never opened a chat with the bot
            logger.warning("No admin command menu for one admin: %s", exc)
