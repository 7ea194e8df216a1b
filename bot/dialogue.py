"""The dialogue core: from a user's state and an incoming text or button to replies.

Channel-independent: it imports no `telegram`; the console and Telegram adapters wrap it.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Final, Protocol

from bot import replies as r
from bot.config import Settings
from bot.content_store import ContentStore
from bot.i18n import Gettext, Translator
from bot.privacy import mask_personal_data
from bot.replies import Button, Reply, esc
from bot.storage import Storage, UserRecord
from nlu.emergency import is_emergency
from nlu.engine import NLUBackend
from nlu.types import EMERGENCY_INTENT, Parse

logger = logging.getLogger(__name__)

MAX_TEXT: Final = 4096
GUESS_MIN_CONFIDENCE: Final = 0.08
ADMIN_COMMANDS: Final = frozenset({"announce"})


@dataclass(frozen=True, slots=True)
class Incoming:
    """What the user sent: a text (or command), or a button's callback data."""

    text: str | None = None
    callback: str | None = None
    language_code: str | None = None


@dataclass(frozen=True, slots=True)
class Outcome:
    """The replies to send, in order, and the user's new state (None: the user was forgotten)."""

    replies: tuple[Reply, ...]
    user: UserRecord | None


class AdminFlow(Protocol):
    """Admin-only commands plugged into the dialogue (announcements, see bot/announce.py)."""

    async def handle(
        self, user: UserRecord, command: str, argument: str, language: str
    ) -> Outcome:
        """Handle an admin command or button; the caller has checked that the user is an admin."""
        ...


class SubscriptionFlow(Protocol):
    """The reminders feature, plugged into the dialogue (see bot/subscriptions.py)."""

    async def handle(
        self, user: UserRecord, intent: str, argument: str, language: str, now: datetime
    ) -> Outcome:
        """Handle subscribe/unsubscribe commands, pending steps and their buttons."""
        ...

    async def describe(self, user: UserRecord, language: str) -> list[str]:
        """Lines for /mydata about the user's subscriptions."""
        ...


@dataclass(slots=True)
class Services:
    """Everything the dialogue needs, created once at start-up and passed down."""

    settings: Settings
    content: ContentStore
    nlu: NLUBackend
    storage: Storage
    translator: Translator
    now: Callable[[], datetime]
    subscriptions: SubscriptionFlow | None = None
    admin: AdminFlow | None = None
    commands: dict[str, str] = field(default_factory=dict)


class Dialogue:
    """The conversation logic shared by every channel."""

    def __init__(self, services: Services) -> None:
        self.services = services

    async def process(self, chat_id: int, incoming: Incoming) -> tuple[Reply, ...]:
        """Load the user, handle the input, save the new state, and return the replies."""
        storage = self.services.storage
        user = await storage.users.get(chat_id) or UserRecord(chat_id)
        outcome = await self.handle(user, incoming)
        if outcome.user is not None and outcome.user != user:
            await storage.users.save(outcome.user, self.services.now())
        return outcome.replies

    async def handle(self, user: UserRecord, incoming: Incoming) -> Outcome:
        """Answer one incoming text or button press."""
        language = self.language_for(user, incoming.language_code)
        if incoming.callback is not None:
            return await self._on_button(user, incoming.callback[: r.MAX_CALLBACK_BYTES], language)
        text = (incoming.text or "")[:MAX_TEXT].strip()
        if not text:
            return self._reply(user, self._help(language))
        if text.startswith("/"):
            # A command ends any half-finished step (e.g. a subscription waiting for a place).
            user = replace(user, pending=None) if user.pending else user
            return await self._on_command(user, text, language, incoming.language_code)
        # Note: order matters. A crime in progress is never taken for a pending step's answer.
        if user.pending and self.services.subscriptions is not None and not is_emergency(text):
            return await self.services.subscriptions.handle(
                user, "pending", text, language, self.services.now()
            )
        return await self._on_text(user, text, incoming.language_code)

    def language_for(self, user: UserRecord, language_code: str | None) -> str:
        """The user's stored choice, then Telegram's language code, then the default."""
        languages = self.services.settings.languages
        if user.language in languages:
            return user.language
        code = (language_code or "").split("-")[0].split("_")[0].lower()
        return code if code in languages else self.services.settings.default_language

    # Text ---

    async def _on_text(self, user: UserRecord, text: str, language_code: str | None) -> Outcome:
        hint = user.language or _short_code(language_code)
        parse = await self.services.nlu.parse(text, hint)
        language = (
            parse.language
            if parse.language in self.services.settings.languages
            else (self.language_for(user, language_code))
        )
        replies: list[Reply] = []
        if user.language is None:
            user = replace(user, language=language)
        elif language != user.language:
            replies.append(self._offer_switch(language))
        if parse.intent in ("subscribe", "unsubscribe") and self.services.subscriptions:
            # The flow may set a pending step ("which municipality?"): keep its new state.
            outcome = await self.services.subscriptions.handle(
                user, parse.intent, "", language, self.services.now()
            )
            return Outcome((*outcome.replies, *replies), outcome.user)
        replies[:0] = await self._answer(user, parse, language)
        return Outcome(tuple(replies), user)

    async def _answer(self, user: UserRecord, parse: Parse, language: str) -> list[Reply]:
        _ = self._(language)
        catalog = self.services.content.catalog
        intent = parse.intent
        if intent == EMERGENCY_INTENT:
            return [self._emergency(language)]
        if intent in catalog.topics:
            return [r.topic_answer(catalog.topics[intent], catalog, language, _)]
        if intent == "greet":
            return [
                r.group_menu(
                    catalog,
                    language,
                    _,
                    _(
                        "Hello! I give prevention advice: "
                        "burglary, neighbourhood networks, alarms, cameras, private security. "
                        "Ask me a question or choose a subject:"
                    ),
                )
            ]
        if intent == "goodbye":
            return [Reply(esc(_("Goodbye, and stay safe!")))]
        if intent == "thanks":
            return [Reply(esc(_("You're welcome. Stay safe!")))]
        if intent == "help":
            return [self._help(language)]
        if intent == "change_language":
            return [r.language_chooser(_)]
        if intent == "my_data":
            return [await self._my_data(user, language)]
        await self._record_gap(parse, language)
        return [self._unsure(parse, language)]

    def _unsure(self, parse: Parse, language: str) -> Reply:
        _ = self._(language)
        catalog = self.services.content.catalog
        guesses = [
            Button(
                catalog.topics[s.intent].text(language).title, f"{r.CB_TOPIC}{s.intent}@{language}"
            )
            for s in parse.ranking
            if s.intent in catalog.topics and s.confidence >= GUESS_MIN_CONFIDENCE
        ][:3]
        if guesses:
            text = _("I am not sure I understood. Did you mean one of these?")
        else:
            text = _(
                "Sorry, I can only help with crime prevention in Belgium. "
                "Choose a subject from the menu:"
            )
        menu = Button(_("Topic menu"), r.CB_MENU)
        return Reply(esc(text), (*r.rows(guesses), (menu,)))

    async def _record_gap(self, parse: Parse, language: str) -> None:
        guesses = [score.intent for score in parse.ranking[:3]]
        masked = mask_personal_data(parse.text.strip())[:500]
        await self.services.storage.gaps.record_unanswered(
            masked, language, guesses, self.services.now()
        )

    def _emergency(self, language: str) -> Reply:
        _ = self._(language)
        text = (
            "🚨 <b>"
            + esc(_("If a crime is happening now, call 112 immediately."))
            + "</b>\n\n"
            + esc(
                _(
                    "Stay safe: do not confront the intruder. For urgent police help you can "
                    "also dial 101. Stay on the line and say where you are."
                )
            )
        )
        return Reply(text, ((Button(_("Emergency numbers"), f"{r.CB_TOPIC}emergency.numbers"),),))

    def _offer_switch(self, language: str) -> Reply:
        _ = self._(language)
        name = r.LANGUAGE_NAMES[language]
        return Reply(
            esc(
                _("I answered in {language}. Switch to {language} for all messages?").format(
                    language=name
                )
            ),
            ((Button(name, f"{r.CB_LANGUAGE}{language}"),),),
        )

    # Commands ---

    async def _on_command(
        self, user: UserRecord, text: str, language: str, language_code: str | None = None
    ) -> Outcome:
        command, _sep, argument = text[1:].partition(" ")
        command = command.split("@")[0].lower()
        argument = argument.strip()
        _ = self._(language)
        if command == "start":
            return await self._start(user, argument, language, language_code)
        if command == "help":
            return self._reply(user, self._help(language))
        if command == "menu":
            return self._reply(user, r.group_menu(self.services.content.catalog, language, _))
        if command == "language":
            return await self._set_language(user, argument.lower(), language)
        if command == "about":
            return self._reply(user, self._about(language))
        if command == "mydata":
            return self._reply(user, await self._my_data(user, language))
        if command == "forget":
            buttons = (
                (
                    Button(_("Yes, delete everything"), f"{r.CB_FORGET}yes"),
                    Button(_("No, keep it"), f"{r.CB_FORGET}no"),
                ),
            )
            return self._reply(user, Reply(esc(_("Delete everything stored about you?")), buttons))
        if command in ("subscribe", "unsubscribe") and self.services.subscriptions is not None:
            return await self.services.subscriptions.handle(
                user, command, argument, language, self.services.now()
            )
        if self.is_admin(user) and command == "reload":
            return self._reply(user, self._reload(language))
        if self.is_admin(user) and command in ADMIN_COMMANDS and self.services.admin is not None:
            return await self.services.admin.handle(user, command, argument, language)
        return self._reply(
            user, Reply(esc(_("I don't know that command.")) + "\n\n" + self._help(language).text)
        )

    async def _start(
        self, user: UserRecord, payload: str, language: str, language_code: str | None = None
    ) -> Outcome:
        catalog = self.services.content.catalog
        _ = self._(language)
        # Deep links: t.me/<bot>?start=<topic id with "-" for ".">, or sub-<postcode>.
        topic_id = payload.replace("-", ".")
        if topic_id in catalog.topics:
            user = replace(user, language=language)
            return Outcome((r.topic_answer(catalog.topics[topic_id], catalog, language, _),), user)
        if payload.startswith("sub-") and self.services.subscriptions is not None:
            return await self.services.subscriptions.handle(
                replace(user, language=language),
                "subscribe",
                payload[4:],
                language,
                self.services.now(),
            )
        # A first-time user whose Telegram language is not one of ours chooses one.
        if (
            user.language is None
            and language_code
            and _short_code(language_code) not in self.services.settings.languages
        ):
            return self._reply(user, r.language_chooser(_))
        user = replace(user, language=language)
        welcome = _(
            "Welcome to preventbot! I answer questions about crime prevention in "
            "Belgium, in French, Dutch, German and English. Ask in your own words, "
            "or choose a subject:"
        )
        return Outcome((r.group_menu(catalog, language, _, welcome),), user)

    async def _set_language(self, user: UserRecord, code: str, language: str) -> Outcome:
        if code in self.services.settings.languages:
            _ = self._(code)
            user = replace(user, language=code)
            text = _("From now on I will answer in {language}.").format(
                language=r.LANGUAGE_NAMES[code]
            )
            return Outcome((Reply(esc(text)),), user)
        return self._reply(user, r.language_chooser(self._(language)))

    # Buttons ---

    async def _on_button(self, user: UserRecord, data: str, language: str) -> Outcome:
        catalog = self.services.content.catalog
        # Answer buttons carry the language they were shown in ("more:plp.join@nl"), so a
        # question asked in another language keeps that language when the user digs deeper.
        data, _at, shown_in = data.partition("@")
        if shown_in in self.services.settings.languages:
            language = shown_in
        _ = self._(language)
        prefix, _sep, value = data.partition(":")
        if data == r.CB_MENU:
            return self._reply(user, r.group_menu(catalog, language, _))
        if prefix == "lang":
            return await self._set_language(user, value, language)
        if prefix == "topic" and value in catalog.topics:
            return self._reply(user, r.topic_answer(catalog.topics[value], catalog, language, _))
        if prefix == "more" and value in catalog.topics:
            return self._reply(user, r.topic_more(catalog.topics[value], language, _))
        if prefix == "group":
            menu = r.topics_menu(catalog, value, language, _)
            if menu is not None:
                return self._reply(user, menu)
        if prefix == "vote":
            topic_id, _sep, vote = value.rpartition(":")
            if topic_id in catalog.topics and vote in ("0", "1"):
                await self.services.storage.gaps.record_vote(
                    topic_id, language, vote == "1", self.services.now()
                )
                return self._reply(user, Reply(esc(_("Thank you for your feedback."))))
        if data == f"{r.CB_FORGET}yes":
            await self.services.storage.users.delete(user.chat_id)
            return Outcome((Reply(esc(_("Done: everything stored about you is deleted."))),), None)
        if data == f"{r.CB_FORGET}no":
            return self._reply(user, Reply(esc(_("Nothing was deleted."))))
        if prefix == "admin" and self.is_admin(user) and self.services.admin is not None:
            return await self.services.admin.handle(user, "button", value, language)
        if prefix in ("sub", "unsub", "subpick") and self.services.subscriptions is not None:
            return await self.services.subscriptions.handle(
                user, f"button:{prefix}", value, language, self.services.now()
            )
        # Forged, stale or from an older version of the bot: say so and show the menu.
        logger.info("Unknown callback data %r", data)
        return self._reply(
            user, r.group_menu(catalog, language, _, _("That button is no longer valid."))
        )

    # Texts ---

    def _help(self, language: str) -> Reply:
        _ = self._(language)
        lines = [
            _(
                "I give short, sourced prevention advice for Belgium. Ask in your own words, "
                'for example: "How do I secure my front door?" or "How do I join a PLP?"'
            ),
            "",
            "/menu — " + _("browse the subjects"),
            "/language — " + _("change the language"),
            "/subscribe — " + _("campaign reminders for your municipality"),
            "/mydata — " + _("what I store about you"),
            "/about — " + _("sources and privacy"),
            "",
            _("In an emergency, call 112."),
        ]
        menu = ((Button(_("Topic menu"), r.CB_MENU),),)
        return Reply(esc("\n".join(lines)), menu)

    def _about(self, language: str) -> Reply:
        _ = self._(language)
        text = _(
            "preventbot gives prevention advice written from official Belgian sources "
            "(besafe.be of the FPS Interior, the police, the Belgian Official Journal); every "
            "answer names its source. It does not replace the police: in an emergency call 112. "
            "Privacy: I store your chat id, your language and your reminder places, nothing "
            "else. Questions I could not answer are kept without your identity for {days} days "
            "to improve the content. /mydata shows your data, /forget deletes it."
        ).format(days=self.services.settings.gaps_retention_days)
        return Reply(esc(text))

    async def _my_data(self, user: UserRecord, language: str) -> Reply:
        _ = self._(language)
        stored = await self.services.storage.users.get(user.chat_id)
        if stored is None:
            return Reply(esc(_("I store nothing about you.")))
        lines = [
            _("What I store about you:"),
            _("Chat id: {chat_id}").format(chat_id=stored.chat_id),
            _("Language: {language}").format(
                language=r.LANGUAGE_NAMES.get(stored.language or "", "-")
            ),
        ]
        if stored.created_at is not None:
            when = self.services.translator.format_date(stored.created_at.date(), language)
            lines.append(_("First contact: {date}").format(date=when))
        if self.services.subscriptions is not None:
            lines.extend(await self.services.subscriptions.describe(stored, language))
        lines.append(_("/forget deletes all of it."))
        return Reply(esc("\n".join(lines)))

    def is_admin(self, user: UserRecord) -> bool:
        """Admins are the Telegram user ids listed in PREVENTBOT_ADMINS."""
        return user.chat_id in self.services.settings.admins

    def _reload(self, language: str) -> Reply:
        _ = self._(language)
        result = self.services.content.reload()
        if result.problems:
            details = "\n".join(str(problem) for problem in result.problems[:20])
            head = _("The edit was rejected; I keep serving the last good content:")
            return Reply(esc(head) + "\n<pre>" + esc(details) + "</pre>")
        count = len(self.services.content.catalog.topics)
        return Reply(esc(_("Content reloaded: {count} topics.").format(count=count)))

    def _reply(self, user: UserRecord, reply: Reply) -> Outcome:
        return Outcome((reply,), user)

    def _(self, language: str) -> Gettext:
        return self.services.translator.gettext(language)


def _short_code(language_code: str | None) -> str | None:
    if not language_code:
        return None
    code = language_code.split("-")[0].split("_")[0].lower()
    return code if code in ("fr", "nl", "de", "en") else None
