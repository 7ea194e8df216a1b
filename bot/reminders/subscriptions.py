"""The reminders feature in the dialogue: /subscribe, /unsubscribe, their buttons and /mydata."""

from __future__ import annotations

from dataclasses import replace
from typing import ClassVar, Final

from bot.base.clock import format_clock
from bot.base.flows import Command, Flow
from bot.base.i18n import N_, Translator
from bot.base.languages import LANGUAGE_NAMES
from bot.base.settings import ReminderSettings
from bot.base.turns import Button, Outcome, Reply, Turn, Understood, esc, rows
from bot.catalog.places import Municipality, Places
from bot.catalog.store import ContentStore
from bot.storage import Added, Storage, SubscriptionStore

ASK: Final = "subscribe"  # users.pending while we wait for a postcode or a name
ASK_AGAIN: Final = "subscribe:again"  # ... after one place we could not find
CB_SUBSCRIBE: Final = "sub:"
CB_UNSUBSCRIBE: Final = "unsub:"
CB_PICK: Final = "subpick:"
CANCEL: Final = "cancel"
UNSUBSCRIBE_ALL: Final = "all"  # "unsub:all": every place at once (one tap under a reminder)
DEEP_LINK: Final = "sub-"  # t.me/<bot>?start=sub-4700


class SubscriptionsFlow(Flow):
    """Which places a chat follows; in a group, only its administrators may change them."""

    name = "subscriptions"
    commands: ClassVar = (
        Command("subscribe", N_("Campaign reminders for your municipality")),
        Command("unsubscribe", N_("Stop the campaign reminders")),
    )
    callbacks: ClassVar = (CB_SUBSCRIBE, CB_UNSUBSCRIBE, CB_PICK)
    steps: ClassVar = (ASK,)
    intents: ClassVar = ("subscribe", "unsubscribe")
    manages_chat: ClassVar = True

    def __init__(
        self,
        content: ContentStore,
        store: SubscriptionStore,
        storage: Storage,
        translator: Translator,
        settings: ReminderSettings,
    ) -> None:
        self.content = content
        self.store = store
        self.storage = storage
        self.translator = translator
        self.settings = settings

    @property
    def places(self) -> Places:
        """The places being served (they follow content reloads)."""
        return self.content.places

    async def on_command(self, turn: Turn, command: str, argument: str) -> Outcome:
        """/subscribe [postcode or name] and /unsubscribe."""
        if command == "unsubscribe":
            return await self._unsubscribe_menu(turn)
        if argument:
            return await self._find(turn, argument, retry=True)
        return await self._ask(turn)

    async def on_intent(self, turn: Turn, understood: Understood) -> Outcome:
        """ "I want the reminders" / "stop the reminders" in the user's words."""
        return await self.on_command(turn, understood.intent, "")

    async def on_step(self, turn: Turn, text: str) -> Outcome:
        """The postcode or name the user sent after /subscribe."""
        return await self._find(turn, text, retry=turn.user.pending == ASK)

    async def on_start(self, turn: Turn, payload: str) -> Outcome | None:
        """t.me/<bot>?start=sub-<postcode>."""
        if not payload.startswith(DEEP_LINK):
            return None
        return await self._find(turn, payload.removeprefix(DEEP_LINK), retry=True)

    async def on_button(self, turn: Turn, data: str) -> Outcome | None:
        """A place picked, "cancel", or a place to stop."""
        prefix, _sep, value = data.partition(":")
        if prefix == "unsub":
            return await self._unfollow(turn, value)
        if value == CANCEL:
            return self._done(turn, esc(turn.gettext("OK, nothing changed.")))
        return await self._follow(turn, value)

    async def describe(self, turn: Turn) -> list[str]:
        """Lines for /mydata: the places followed and since when."""
        _, language = turn.gettext, turn.language
        items = [
            _("{place} (since {date})").format(
                place=self._name(sub.nis, language),
                date=self.translator.format_date(sub.created_at.date(), language),
            )
            for sub in await self.store.places_of(turn.user.chat_id)
        ]
        return [_("Reminder places: {places}").format(places=", ".join(items) or "-")]

    async def _ask(self, turn: Turn) -> Outcome:
        _ = turn.gettext
        followed = await self.store.places_of(turn.user.chat_id)
        if len(followed) >= self.settings.max_places_per_user:
            return await self._full(turn)
        text = _(
            "Which municipality do you want campaign reminders for? "
            "Send its postcode or its name, for example 4700 or Eupen."
        )
        cancel = ((Button(_("Cancel"), f"{CB_SUBSCRIBE}{CANCEL}"),),)
        return turn.step(ASK, Reply(esc(text), cancel))

    async def _find(self, turn: Turn, query: str, retry: bool) -> Outcome:
        _, language = turn.gettext, turn.language
        found = self.places.lookup(query)
        if found.unique is not None:
            return await self._follow(turn, found.unique.nis)
        if found.matches:
            if found.exact:
                text = _("{query} covers several municipalities. Which one is yours?")
            else:
                text = _("I am not sure which municipality you mean. Is it one of these?")
            prefix = CB_PICK if found.exact else CB_SUBSCRIBE
            buttons = [Button(m.name(language), f"{prefix}{m.nis}") for m in found.matches]
            buttons.append(Button(_("Cancel"), f"{CB_SUBSCRIBE}{CANCEL}"))
            return turn.done(Reply(esc(text.format(query=query.strip())), rows(buttons)))
        if retry:
            text = _(
                "I don't know that place. Send a Belgian postcode (4 digits) or the name "
                "of your municipality."
            )
            return turn.step(ASK_AGAIN, Reply(esc(text)))
        text = _(
            "I still can't find it. Send /subscribe followed by your postcode, "
            "e.g. /subscribe 4700."
        )
        return self._done(turn, esc(text))

    async def _follow(self, turn: Turn, nis: str) -> Outcome:
        _, language = turn.gettext, turn.language
        place = self.places.get(nis)
        if place is None:
            text = _("That place is no longer available. Send /subscribe to choose again.")
            return self._done(turn, esc(text))
        user = replace(turn.user, language=turn.user.language or language, pending=None)
        turn = replace(turn, user=replace(user, active=True))
        if await self.storage.users.get(user.chat_id) is None:
            await self.storage.users.save(turn.user, turn.now)  # subscriptions need the user row
        limit = self.settings.max_places_per_user
        added = await self.store.add(user.chat_id, nis, language, turn.now, limit)
        if added is Added.FULL:
            return await self._full(turn)
        if added is Added.ALREADY:
            text = _("You already receive reminders for {place}.").format(
                place=place.name(language)
            )
            return self._done(turn, esc(text))
        return self._done(turn, esc(self._confirmation(turn, place)) + await self._list(turn))

    def _confirmation(self, turn: Turn, place: Municipality) -> str:
        return turn.gettext(
            "Done: you will receive prevention campaign reminders for {place} ({language}). "
            "I never send them between {start} and {end}."
        ).format(
            place=place.name(turn.language),
            language=LANGUAGE_NAMES.get(turn.language, turn.language),
            start=format_clock(self.settings.quiet_start, turn.language),
            end=format_clock(self.settings.quiet_end, turn.language),
        )

    async def _list(self, turn: Turn) -> str:
        places = await self.store.places_of(turn.user.chat_id)
        names = [self._name(sub.nis, turn.language) for sub in places]
        text = turn.gettext("Your places: {places}. /unsubscribe to stop.")
        return "\n\n" + esc(text.format(places=", ".join(names)))

    async def _full(self, turn: Turn) -> Outcome:
        text = turn.gettext(
            "You already follow {count} places, the maximum. Remove one first:"
        ).format(count=self.settings.max_places_per_user)
        menu = await self._unsubscribe_menu(turn, text)
        return replace(menu, user=replace(turn.user, pending=None))

    async def _unsubscribe_menu(self, turn: Turn, text: str | None = None) -> Outcome:
        _, language = turn.gettext, turn.language
        followed = await self.store.places_of(turn.user.chat_id)
        if not followed:
            text = _("You receive no campaign reminders. /subscribe to start.")
            return self._done(turn, esc(text))
        buttons = [
            Button("✖ " + self._name(sub.nis, language), f"{CB_UNSUBSCRIBE}{sub.nis}")
            for sub in followed
        ]
        if len(buttons) > 1:
            buttons.append(Button(_("All places"), f"{CB_UNSUBSCRIBE}{UNSUBSCRIBE_ALL}"))
        text = text or _("Which place do you no longer want reminders for?")
        return turn.reply(Reply(esc(text), rows(buttons)))

    async def _unfollow(self, turn: Turn, nis: str) -> Outcome:
        _, chat_id = turn.gettext, turn.user.chat_id
        if nis == UNSUBSCRIBE_ALL:
            await self.store.remove(chat_id)
            return self._done(turn, esc(_("Done: you no longer receive any campaign reminders.")))
        if not await self.store.remove(chat_id, nis):
            return await self._unsubscribe_menu(turn)
        text = _("Done: no more reminders for {place}.").format(
            place=self._name(nis, turn.language)
        )
        rest = await self.store.places_of(chat_id)
        return self._done(turn, esc(text) + (await self._list(turn) if rest else ""))

    def _done(self, turn: Turn, html: str) -> Outcome:
        return turn.done(Reply(html))

    def _name(self, nis: str, language: str) -> str:
        place = self.places.get(nis)
        return place.name(language) if place is not None else nis
