"""The dialogue core: from a user's state and what they sent to replies and a new state.

Channel-independent (it imports no `telegram`): commands, buttons and pending steps go to the
flows registered in `bot/app.py`; free text goes through the NLU, emergencies first.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime
from typing import Final

from bot.base.errors import StorageError
from bot.base.i18n import Gettext, Translator
from bot.base.languages import LANGUAGE_NAMES, short_code
from bot.base.settings import Settings
from bot.base.turns import (
    EMERGENCY,
    MAX_CALLBACK_BYTES,
    OTHER,
    Button,
    Incoming,
    Outcome,
    Reply,
    Turn,
    Understood,
    Usage,
    UserRecord,
    esc,
)
from bot.dialogue.registry import FlowRegistry
from bot.dialogue.replies import CB_LANGUAGE, CB_MENU
from bot.dialogue.texts import emergency_reply
from bot.storage import Storage
from nlu import EMERGENCY_INTENT, NLUBackend, Parse, is_emergency

logger = logging.getLogger(__name__)

MAX_TEXT: Final = 4096
# During a pending step, a message this long may be a story rather than a place name: the NLU
# is asked whether it is a crime in progress before the step takes it as its answer.
URGENT_STORY_MIN_WORDS: Final = 3


class Dialogue:
    """The conversation logic shared by every channel."""

    def __init__(
        self,
        flows: FlowRegistry,
        nlu: NLUBackend,
        storage: Storage,
        translator: Translator,
        settings: Settings,
        now: Callable[[], datetime],
    ) -> None:
        self.flows = flows
        self.nlu = nlu
        self.storage = storage
        self.translator = translator
        self.settings = settings
        self.now = now

    async def process(self, chat_id: int, incoming: Incoming) -> tuple[Reply, ...]:
        """Load the user, handle the input, save the new state, and return the replies."""
        user = await self.storage.users.get(chat_id) or UserRecord(chat_id)
        outcome = await self.handle(user, incoming)
        if outcome.user is not None and outcome.user != user:
            await self.storage.users.save(outcome.user, self.now())
        return outcome.replies

    async def handle(self, user: UserRecord, incoming: Incoming) -> Outcome:
        """Answer one incoming text or button press, and count what it came to."""
        outcome = await self._respond(user, incoming)
        if outcome.usage is not None:
            await self._count(outcome.usage)
        return outcome

    async def _count(self, usage: Usage) -> None:
        """Add the turn to the day's anonymous counts (a failure there never costs an answer)."""
        day = self.now().astimezone(self.settings.timezone).date()
        try:
            await self.storage.usage.add(day, usage.language, usage.topic, usage.outcome)
        except StorageError:
            logger.warning("Usage count not recorded", exc_info=True)

    async def _respond(self, user: UserRecord, incoming: Incoming) -> Outcome:
        turn = self._turn(user, self.language_for(user, incoming.language_code), incoming)
        if incoming.callback is not None:
            return await self._on_button(turn, incoming.callback[:MAX_CALLBACK_BYTES])
        text = (incoming.text or "")[:MAX_TEXT].strip()
        if not text:
            return await self._help(turn)
        if text.startswith("/"):
            # A command ends any half-finished step (e.g. a subscription waiting for a place).
            return await self._on_command(replace(turn, user=replace(user, pending=None)), text)
        # Note: order matters. A crime in progress is never taken for a pending step's answer.
        parse: Parse | None = None
        if user.pending:
            urgent, parse = await self._urgency(turn, text)
            flow = None if urgent else self.flows.step(user.pending)
            if flow is not None:
                return await flow.on_step(turn, text)
            if not urgent:
                turn = replace(turn, user=replace(user, pending=None))  # an older version's step
        return await self._on_text(turn, text, parse)

    async def _urgency(self, turn: Turn, text: str) -> tuple[bool, Parse | None]:
        """A crime in progress by the rules or, for a sentence rather than a name, the NLU
        (whose parse is kept, so that an urgent story is not parsed twice)."""
        if is_emergency(text):
            return True, None
        if len(text.split()) < URGENT_STORY_MIN_WORDS:
            return False, None
        parse = await self.nlu.parse(text, turn.user.language or short_code(turn.language_code))
        return parse.intent == EMERGENCY_INTENT, parse

    def language_for(self, user: UserRecord, language_code: str | None) -> str:
        """The user's stored choice, then Telegram's language code, then the default."""
        languages = self.settings.languages
        if user.language in languages:
            return user.language
        code = short_code(language_code)
        return code if code in languages else self.settings.default_language

    def is_admin(self, user: UserRecord) -> bool:
        """Admins are the Telegram user ids listed in PREVENTBOT_ADMINS."""
        return user.chat_id in self.settings.admins

    async def _on_text(self, turn: Turn, text: str, parse: Parse | None = None) -> Outcome:
        user = turn.user
        if parse is None:
            parse = await self.nlu.parse(text, user.language or short_code(turn.language_code))
        language = (
            parse.language
            if parse.language in self.settings.languages
            else self.language_for(user, turn.language_code)
        )
        offers: tuple[Reply, ...] = ()
        if user.language is None:
            user = replace(user, language=language)
        elif language != user.language:
            offers = (self._offer_switch(language),)
        turn = self._turn(user, language, Incoming(language_code=turn.language_code))
        if parse.intent == EMERGENCY_INTENT:
            usage = turn.usage(EMERGENCY)
            return Outcome((emergency_reply(turn.gettext), *offers), user, usage)
        guesses = tuple((score.intent, score.confidence) for score in parse.ranking)
        understood = Understood(parse.intent, parse.text, guesses)
        flow = self.flows.intent(parse.intent)
        if flow is None:
            raise LookupError(f"no flow answers intent {parse.intent!r}")
        outcome = await flow.on_intent(turn, understood)
        # A flow that does not say what the message came to counts it under its intent.
        usage = outcome.usage or turn.usage(OTHER, parse.intent)
        return Outcome((*outcome.replies, *offers), outcome.user, usage)

    async def _on_command(self, turn: Turn, text: str) -> Outcome:
        command, _sep, argument = text[1:].partition(" ")
        name = command.split("@")[0].lower()
        found = self.flows.command(name)
        if found is not None and (turn.is_admin or not found[1].admin):
            return await found[0].on_command(turn, name, argument.strip())
        help_text = (await self._help(turn)).replies[0].text
        unknown = esc(turn.gettext("I don't know that command."))
        return turn.reply(Reply(unknown + "\n\n" + help_text))

    async def _on_button(self, turn: Turn, data: str) -> Outcome:
        # Answer buttons carry the language they were shown in ("more:plp.join@nl"), so a
        # question asked in another language keeps that language when the user digs deeper.
        data, _at, shown_in = data.partition("@")
        if shown_in in self.settings.languages:
            turn = replace(turn, language=shown_in, gettext=self._(shown_in))
        flow = self.flows.button(data)
        outcome = await flow.on_button(turn, data) if flow is not None else None
        if outcome is not None:
            return outcome
        # Forged, stale or from an older version of the bot: say so and show the menu.
        logger.info("Unknown callback data %r", data)
        menu = self.flows.button(CB_MENU)
        stale = esc(turn.gettext("That button is no longer valid."))
        shown = await menu.on_button(turn, CB_MENU) if menu is not None else None
        replies = shown.replies if shown is not None else ()
        return turn.reply(*(replace(reply, text=stale) for reply in replies[:1]), *replies[1:])

    async def _help(self, turn: Turn) -> Outcome:
        found = self.flows.command("help")
        if found is None:
            return turn.reply(Reply(esc(turn.gettext("Choose a subject:"))))
        return await found[0].on_command(turn, "help", "")

    def _offer_switch(self, language: str) -> Reply:
        _ = self._(language)
        name = LANGUAGE_NAMES[language]
        text = _("I answered in {language}. Switch to {language} for all messages?")
        return Reply(
            esc(text.format(language=name)), ((Button(name, f"{CB_LANGUAGE}{language}"),),)
        )

    def _turn(self, user: UserRecord, language: str, incoming: Incoming) -> Turn:
        return Turn(
            user=user,
            language=language,
            now=self.now(),
            gettext=self._(language),
            is_admin=self.is_admin(user),
            language_code=incoming.language_code,
        )

    def _(self, language: str) -> Gettext:
        return self.translator.gettext(language)
