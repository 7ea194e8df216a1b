"""What the bot stores about a user: /mydata shows it, /forget deletes it, /about explains."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import replace
from typing import ClassVar

from bot.base.flows import Command, Flow
from bot.base.i18n import N_, Translator
from bot.base.languages import LANGUAGE_NAMES
from bot.base.turns import Button, Outcome, Reply, Turn, Understood, esc
from bot.dialogue.replies import CB_FORGET
from bot.dialogue.texts import about_reply
from bot.storage import Storage

Describe = Callable[[Turn], Awaitable[list[str]]]


class PrivacyFlow(Flow):
    """/mydata (every flow adds its own lines) and /forget."""

    name = "privacy"
    commands: ClassVar = (
        Command("mydata", N_("What I store about you")),
        Command("forget", N_("Delete everything stored about you")),
        Command("about", N_("Sources and privacy")),
    )
    callbacks: ClassVar = (CB_FORGET,)
    intents: ClassVar = ("my_data",)

    def __init__(
        self, storage: Storage, translator: Translator, retention_days: int, describe: Describe
    ) -> None:
        self.storage = storage
        self.translator = translator
        self.retention_days = retention_days
        self.describe_all = describe

    async def on_command(self, turn: Turn, command: str, argument: str) -> Outcome:
        """/mydata lists what is stored; /forget asks for a confirmation; /about."""
        _ = turn.gettext
        if command == "about":
            return turn.reply(about_reply(_, self.retention_days))
        if command == "mydata":
            return turn.reply(await self._my_data(turn))
        buttons = (
            (
                Button(_("Yes, delete everything"), f"{CB_FORGET}yes"),
                Button(_("No, keep it"), f"{CB_FORGET}no"),
            ),
        )
        return turn.reply(Reply(esc(_("Delete everything stored about you?")), buttons))

    async def on_intent(self, turn: Turn, understood: Understood) -> Outcome:
        """ "What do you know about me?" in the user's words."""
        return turn.reply(await self._my_data(turn))

    async def on_button(self, turn: Turn, data: str) -> Outcome | None:
        """The answer to "delete everything?"."""
        _ = turn.gettext
        if data == f"{CB_FORGET}yes":
            await self.storage.users.delete(turn.user.chat_id)
            return Outcome((Reply(esc(_("Done: everything stored about you is deleted."))),), None)
        if data == f"{CB_FORGET}no":
            return turn.reply(Reply(esc(_("Nothing was deleted."))))
        return None

    async def describe(self, turn: Turn) -> list[str]:
        """The chat id, the language and the first contact."""
        _, user = turn.gettext, turn.user
        lines = [
            _("Chat id: {chat_id}").format(chat_id=user.chat_id),
            _("Language: {language}").format(
                language=LANGUAGE_NAMES.get(user.language or "", "-")
            ),
        ]
        if user.created_at is not None:
            when = self.translator.format_date(user.created_at.date(), turn.language)
            lines.append(_("First contact: {date}").format(date=when))
        return lines

    async def _my_data(self, turn: Turn) -> Reply:
        _ = turn.gettext
        stored = await self.storage.users.get(turn.user.chat_id)
        if stored is None:
            return Reply(esc(_("I store nothing about you.")))
        lines = [
            _("What I store about you:"),
            *await self.describe_all(replace(turn, user=stored)),
        ]
        lines.append(_("/forget deletes all of it."))
        return Reply(esc("\n".join(lines)))
