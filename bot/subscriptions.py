"""The reminders feature in the dialogue: /subscribe, /unsubscribe, their buttons and /mydata."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from typing import Final

from bot import replies as r
from bot.announce import ANNOUNCE_STEP, Announcer
from bot.dialogue import Outcome, Services
from bot.i18n import Gettext
from bot.places import Municipality, Places, load_places
from bot.replies import Button, Reply, esc
from bot.storage import Added, SubscriptionStore, UserRecord

ASK: Final = "subscribe"  # users.pending while we wait for a postcode or a name
ASK_AGAIN: Final = "subscribe:again"  # ... after one place we could not find
CB_PICK: Final = "subpick:"
CANCEL: Final = "cancel"
ALL: Final = r.UNSUBSCRIBE_ALL


def build_subscriptions(services: Services) -> Subscriptions:
    """The subscription flow over the real places; also plugs in the admin announcements."""
    places = load_places(services.settings.content_dir)
    storage = services.storage
    store = storage.subscriptions
    admin = Announcer(services, places, store, storage.drafts, storage.deliveries)
    services.admin = admin
    return Subscriptions(services, places, store, admin)


class Subscriptions:
    """Implements `SubscriptionFlow` (bot/dialogue.py); all text goes through gettext."""

    def __init__(
        self, services: Services, places: Places, store: SubscriptionStore, admin: Announcer
    ) -> None:
        self.services = services
        self.places = places
        self.store = store
        self.admin = admin

    async def handle(
        self, user: UserRecord, intent: str, argument: str, language: str, now: datetime
    ) -> Outcome:
        """Handle subscribe/unsubscribe commands, pending steps and their buttons."""
        pending = user.pending or ""
        if intent == "pending" and pending.startswith(ANNOUNCE_STEP):
            # Admin steps arrive here because the core sends every pending text to this flow.
            if user.chat_id in self.services.settings.admins:
                return await self.admin.on_text(user, argument, language)
            return Outcome((), replace(user, pending=None))
        if intent == "pending":
            return await self._find(user, argument, language, now, retry=pending == ASK)
        if intent == "subscribe":
            if argument:
                return await self._find(user, argument, language, now, retry=True)
            return await self._ask(user, language)
        if intent == "unsubscribe":
            return await self._unsubscribe_menu(user, language)
        if intent in ("button:sub", "button:subpick"):
            if argument == CANCEL:
                return self._done(user, esc(self._(language)("OK, nothing changed.")))
            return await self._follow(user, argument, language, now)
        if intent == "button:unsub":
            return await self._unfollow(user, argument, language)
        return await self._ask(user, language)

    async def describe(self, user: UserRecord, language: str) -> list[str]:
        """Lines for /mydata: the places followed and since when."""
        _ = self._(language)
        items = [
            _("{place} (since {date})").format(
                place=self._name(sub.nis, language),
                date=self.services.translator.format_date(sub.created_at.date(), language),
            )
            for sub in await self.store.places_of(user.chat_id)
        ]
        return [_("Reminder places: {places}").format(places=", ".join(items) or "-")]

    async def _ask(self, user: UserRecord, language: str) -> Outcome:
        _ = self._(language)
        followed = await self.store.places_of(user.chat_id)
        limit = self.services.settings.reminders.max_places_per_user
        if len(followed) >= limit:
            return await self._full(user, language)
        text = _(
            "Which municipality do you want campaign reminders for? "
            "Send its postcode or its name, for example 4700 or Eupen."
        )
        cancel = ((Button(_("Cancel"), f"{r.CB_SUBSCRIBE}{CANCEL}"),),)
        return Outcome((Reply(esc(text), cancel),), replace(user, pending=ASK))

    async def _find(
        self, user: UserRecord, query: str, language: str, now: datetime, retry: bool
    ) -> Outcome:
        _ = self._(language)
        found = self.places.lookup(query)
        if found.unique is not None:
            return await self._follow(user, found.unique.nis, language, now)
        if found.matches:
            if found.exact:
                text = _("{query} covers several municipalities. Which one is yours?")
            else:
                text = _("I am not sure which municipality you mean. Is it one of these?")
            prefix = CB_PICK if found.exact else r.CB_SUBSCRIBE
            buttons = [Button(m.name(language), f"{prefix}{m.nis}") for m in found.matches]
            buttons.append(Button(_("Cancel"), f"{r.CB_SUBSCRIBE}{CANCEL}"))
            reply = Reply(esc(text.format(query=query.strip())), r.rows(buttons))
            return Outcome((reply,), replace(user, pending=None))
        if retry:
            text = _(
                "I don't know that place. Send a Belgian postcode (4 digits) or the name "
                "of your municipality."
            )
            return Outcome((Reply(esc(text)),), replace(user, pending=ASK_AGAIN))
        text = _(
            "I still can't find it. Send /subscribe followed by your postcode, "
            "e.g. /subscribe 4700."
        )
        return self._done(user, esc(text))

    async def _follow(self, user: UserRecord, nis: str, language: str, now: datetime) -> Outcome:
        _ = self._(language)
        place = self.places.get(nis)
        if place is None:
            return self._done(
                user, esc(_("That place is no longer available. Send /subscribe to choose again."))
            )
        user = replace(user, language=user.language or language, pending=None, active=True)
        if await self.services.storage.users.get(user.chat_id) is None:
            await self.services.storage.users.save(user, now)  # subscriptions need the user row
        limit = self.services.settings.reminders.max_places_per_user
        added = await self.store.add(user.chat_id, nis, language, now, limit)
        if added is Added.FULL:
            return await self._full(user, language)
        if added is Added.ALREADY:
            text = _("You already receive reminders for {place}.").format(
                place=place.name(language)
            )
            return self._done(user, esc(text))
        return self._done(
            user, esc(self._confirmation(place, language)) + await self._list(user, language)
        )

    def _confirmation(self, place: Municipality, language: str) -> str:
        _ = self._(language)
        reminders = self.services.settings.reminders
        return _(
            "Done: you will receive prevention campaign reminders for {place} ({language}). "
            "I never send them between {start} and {end}."
        ).format(
            place=place.name(language),
            language=r.LANGUAGE_NAMES.get(language, language),
            start=reminders.quiet_start.strftime("%H:%M"),
            end=reminders.quiet_end.strftime("%H:%M"),
        )

    async def _list(self, user: UserRecord, language: str) -> str:
        _ = self._(language)
        names = [self._name(sub.nis, language) for sub in await self.store.places_of(user.chat_id)]
        text = _("Your places: {places}. /unsubscribe to stop.").format(places=", ".join(names))
        return "\n\n" + esc(text)

    async def _full(self, user: UserRecord, language: str) -> Outcome:
        _ = self._(language)
        limit = self.services.settings.reminders.max_places_per_user
        text = _("You already follow {count} places, the maximum. Remove one first:").format(
            count=limit
        )
        menu = await self._unsubscribe_menu(user, language, text)
        return replace(menu, user=replace(user, pending=None))

    async def _unsubscribe_menu(
        self, user: UserRecord, language: str, text: str | None = None
    ) -> Outcome:
        _ = self._(language)
        followed = await self.store.places_of(user.chat_id)
        if not followed:
            return self._done(
                user, esc(_("You receive no campaign reminders. /subscribe to start."))
            )
        buttons = [
            Button("✖ " + self._name(sub.nis, language), f"{r.CB_UNSUBSCRIBE}{sub.nis}")
            for sub in followed
        ]
        if len(buttons) > 1:
            buttons.append(Button(_("All places"), f"{r.CB_UNSUBSCRIBE}{ALL}"))
        text = text or _("Which place do you no longer want reminders for?")
        return Outcome((Reply(esc(text), r.rows(buttons)),), user)

    async def _unfollow(self, user: UserRecord, nis: str, language: str) -> Outcome:
        _ = self._(language)
        if nis == ALL:
            await self.store.remove(user.chat_id)
            return self._done(user, esc(_("Done: you no longer receive any campaign reminders.")))
        if not await self.store.remove(user.chat_id, nis):
            return await self._unsubscribe_menu(user, language)
        text = _("Done: no more reminders for {place}.").format(place=self._name(nis, language))
        rest = await self.store.places_of(user.chat_id)
        return self._done(user, esc(text) + (await self._list(user, language) if rest else ""))

    def _done(self, user: UserRecord, html: str) -> Outcome:
        return Outcome((Reply(html),), replace(user, pending=None))

    def _name(self, nis: str, language: str) -> str:
        place = self.places.get(nis)
        return place.name(language) if place is not None else nis

    def _(self, language: str) -> Gettext:
        return self.services.translator.gettext(language)
