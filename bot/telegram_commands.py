"""The command menu Telegram shows, registered once per language with setMyCommands."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Final

from telegram import Bot, BotCommand

from bot.i18n import N_, Translator

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


def bot_commands(
    translator: Translator, language: str, with_subscriptions: bool = True
) -> list[BotCommand]:
    """The command menu in `language` (without the reminder commands when that feature is off)."""
    _ = translator.gettext(language)
    return [
        BotCommand(command, _(description))
        for command, description in COMMANDS
        if with_subscriptions or command not in SUBSCRIPTION_COMMANDS
    ]


async def register_commands(
    bot: Bot,
    translator: Translator,
    languages: Sequence[str],
    default_language: str,
    with_subscriptions: bool = True,
) -> None:
    """One setMyCommands per language, plus the default list for every other language."""
    for language in languages:
        commands = bot_commands(translator, language, with_subscriptions)
        await bot.set_my_commands(commands, language_code=language)
    await bot.set_my_commands(bot_commands(translator, default_language, with_subscriptions))
    logger.info("Command menus registered for %s", ", ".join(languages))
