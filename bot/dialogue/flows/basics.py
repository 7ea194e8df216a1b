"""Conversation basics: /start, /help, /menu, /language, greetings and the topic menu."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import replace
from typing import ClassVar

from bot.base.flows import Command, Flow
from bot.base.i18n import N_, Translator
from bot.base.languages import LANGUAGE_NAMES, short_code
from bot.base.turns import Outcome, Reply, Turn, Understood, esc
from bot.catalog.store import ContentStore
from bot.dialogue import replies as r
from bot.dialogue.texts import help_reply

DeepLinks = Callable[[Turn, str], Awaitable[Outcome | None]]


class BasicsFlow(Flow):
    """Welcome, help, menus and the language choice."""

    name = "basics"
    commands: ClassVar = (
        Command("start", N_("Start and choose a subject")),
        Command("menu", N_("Browse the prevention subjects")),
        Command("help", N_("How to ask me a question")),
        Command("language", N_("Change the language")),
    )
    callbacks: ClassVar = (r.CB_MENU, r.CB_GROUP, r.CB_LANGUAGE)
    intents: ClassVar = ("greet", "goodbye", "thanks", "help", "change_language")

    def __init__(
        self,
        content: ContentStore,
        translator: Translator,
        languages: tuple[str, ...],
        deep_links: DeepLinks,
    ) -> None:
        self.content = content
        self.translator = translator
        self.languages = languages
        self.deep_links = deep_links

    async def on_command(self, turn: Turn, command: str, argument: str) -> Outcome:
        """/start [deep link], /help, /menu, /language [code]."""
        _ = turn.gettext
        if command == "start":
            return await self._start(turn, argument)
        if command == "menu":
            return turn.reply(self.menu(turn))
        if command == "language":
            return self._set_language(turn, argument.lower())
        return turn.reply(help_reply(_))

    async def on_button(self, turn: Turn, data: str) -> Outcome | None:
        """The topic menu, one of its groups, or a language."""
        if data == r.CB_MENU:
            return turn.reply(self.menu(turn))
        if data.startswith(r.CB_LANGUAGE):
            return self._set_language(turn, data.removeprefix(r.CB_LANGUAGE))
        group = data.removeprefix(r.CB_GROUP)
        menu = r.topics_menu(self.content.catalog, group, turn.language, turn.gettext)
        return turn.reply(menu) if menu is not None else None

    async def on_intent(self, turn: Turn, understood: Understood) -> Outcome:
        """Hello, goodbye, thanks, help, and "change the language"."""
        _ = turn.gettext
        intent = understood.intent
        if intent == "greet":
            intro = _(
                "Hello! I give prevention advice: "
                "burglary, neighbourhood networks, alarms, cameras, private security. "
                "Ask me a question or choose a subject:"
            )
            return turn.reply(self.menu(turn, intro))
        if intent == "goodbye":
            return turn.reply(Reply(esc(_("Goodbye, and stay safe!"))))
        if intent == "thanks":
            return turn.reply(Reply(esc(_("You're welcome. Stay safe!"))))
        if intent == "change_language":
            return turn.reply(r.language_chooser(_))
        return turn.reply(help_reply(_))

    def menu(self, turn: Turn, intro: str | None = None) -> Reply:
        """The top of the topic menu in the turn's language."""
        return r.group_menu(self.content.catalog, turn.language, turn.gettext, intro)

    async def _start(self, turn: Turn, payload: str) -> Outcome:
        user = replace(turn.user, language=turn.language)
        linked = await self.deep_links(replace(turn, user=user), payload) if payload else None
        if linked is not None:
            return linked
        # A first-time user whose Telegram language is not one of ours chooses one.
        code = turn.language_code
        if turn.user.language is None and code and short_code(code) not in self.languages:
            return turn.reply(r.language_chooser(turn.gettext))
        welcome = turn.gettext(
            "Welcome to preventbot! I answer questions about crime prevention in "
            "Belgium, in French, Dutch, German and English. Ask in your own words, "
            "or choose a subject:"
        )
        return Outcome((self.menu(turn, welcome),), user)

    def _set_language(self, turn: Turn, code: str) -> Outcome:
        if code not in self.languages:
            return turn.reply(r.language_chooser(turn.gettext))
        _ = self.translator.gettext(code)
        text = _("From now on I will answer in {language}.").format(language=LANGUAGE_NAMES[code])
        return Outcome((Reply(esc(text)),), replace(turn.user, language=code))
