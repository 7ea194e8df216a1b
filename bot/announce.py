"""Admin announcements of local campaigns: places, texts, reach, confirmation, then delivery.

Through Telegram (`/announce`, the core's AdminFlow, steps kept in users.pending) or the command
line (`preventbot reminders announce`); both plan the same durable delivery-log rows.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import replace
from datetime import datetime, timedelta, tzinfo
from typing import TYPE_CHECKING, Final

from bot.i18n import Gettext
from bot.places import Places
from bot.reminders import QuietHours
from bot.replies import Button, Reply, esc
from bot.storage import DeliveryLog, Draft, DraftStore, Run, SubscriptionStore, UserRecord

if TYPE_CHECKING:
    from bot.dialogue import Outcome, Services

ANNOUNCE_STEP: Final = "announce:"
PLACES_STEP: Final = "announce:places"
TEXT_STEP: Final = "announce:text"
CB_CONFIRM: Final = "admin:confirm"
CB_CANCEL: Final = "admin:cancel"
CAMPAIGN_ID: Final = "announcement"
VALID_DAYS: Final = 2
LANGUAGE_LINE: Final = re.compile(r"^\s*(fr|nl|de|en)\s*[:=]\s*(.*)$", re.IGNORECASE)


def resolve_places(places: Places, text: str) -> tuple[set[str], list[str]]:
    """The NIS codes of comma-separated postcodes or names, and what could not be resolved."""
    codes: set[str] = set()
    problems: list[str] = []
    for item in (part.strip() for part in re.split(r"[,;\n]", text)):
        if not item:
            continue
        found = places.lookup(item)
        if found.exact and found.matches and (found.unique or item[:4].isdigit()):
            codes |= {m.nis for m in found.matches}  # a postcode reaches all its municipalities
        elif found.unique is not None:
            codes.add(found.unique.nis)
        elif found.matches:
            options = ", ".join(m.name("fr") for m in found.matches)
            problems.append(f"{item}: {options}?")
        else:
            problems.append(f"{item}: ?")
    return codes, problems


def parse_texts(text: str, language: str) -> dict[str, str]:
    """Texts per language from lines starting with "fr:", "nl:"...; no code means `language`."""
    texts: dict[str, list[str]] = {}
    current = language
    for line in text.splitlines():
        match = LANGUAGE_LINE.match(line)
        if match:
            current, line = match[1].lower(), match[2]
        texts.setdefault(current, []).append(line)
    joined = {code: "\n".join(lines).strip() for code, lines in texts.items()}
    return {code: body for code, body in joined.items() if body}


def announcement_run(
    places: Iterable[str],
    texts: dict[str, str],
    author: int,
    now: datetime,
    quiet: QuietHours,
    zone: tzinfo,
) -> Run:
    """The delivery-log run of an announcement: due now, or when the quiet hours end."""
    start = quiet.next_allowed(now, zone)
    key = f"announce-{now.strftime('%Y%m%dT%H%M%S')}-{author}"
    return Run(
        key, CAMPAIGN_ID, texts, frozenset(places), start, start + timedelta(days=VALID_DAYS)
    )


class Announcer:
    """Implements `AdminFlow` (bot/dialogue.py): /announce, its steps and its buttons."""

    def __init__(
        self,
        services: Services,
        places: Places,
        store: SubscriptionStore,
        drafts: DraftStore,
        log: DeliveryLog,
    ) -> None:
        self.services = services
        self.places = places
        self.store = store
        self.drafts = drafts
        self.log = log

    async def handle(
        self, user: UserRecord, command: str, argument: str, language: str
    ) -> Outcome:
        """/announce [places], and the confirm/cancel buttons (the core checked the admin)."""
        if command == "button" and argument == "confirm":
            return await self._confirm(user, language)
        if command == "button":
            await self.drafts.delete(user.chat_id)
            return self._say(user, self._(language)("Announcement cancelled."), None)
        if argument:
            return await self._set_places(user, argument, language)
        text = self._(language)(
            "Which places is the announcement for? Send postcodes or municipality names, "
            "separated by commas (e.g. 4700, Kelmis)."
        )
        return self._say(user, text, PLACES_STEP)

    async def on_text(self, user: UserRecord, text: str, language: str) -> Outcome:
        """The admin's answer to the current step (places, then texts)."""
        if user.pending == PLACES_STEP:
            return await self._set_places(user, text, language)
        draft = await self.drafts.get(user.chat_id)
        if draft is None:
            return await self.handle(user, "announce", "", language)
        texts = {**draft.texts, **parse_texts(text, language)}
        await self.drafts.save(user.chat_id, Draft(draft.places, texts), self.services.now())
        return await self._preview(user, Draft(draft.places, texts), language)

    async def _set_places(self, user: UserRecord, text: str, language: str) -> Outcome:
        _ = self._(language)
        codes, problems = resolve_places(self.places, text)
        if problems or not codes:
            head = _("I could not find or tell apart these places; write them again:")
            return self._say(user, head + "\n" + "\n".join(problems), PLACES_STEP)
        draft = Draft(tuple(sorted(codes)), {})
        if await self.services.storage.users.get(user.chat_id) is None:
            await self.services.storage.users.save(user, self.services.now())  # drafts need it
        await self.drafts.save(user.chat_id, draft, self.services.now())
        reach = await self.store.reach(codes)
        text = _(
            "{places}: {count} subscribers. Now send the text. To give several languages, "
            "start lines with fr:, nl:, de: or en:; a text without a code counts as {code}."
        ).format(places=self._names(draft.places, language), count=reach, code=language)
        return self._say(user, text, TEXT_STEP)

    async def _preview(self, user: UserRecord, draft: Draft, language: str) -> Outcome:
        _ = self._(language)
        default = self.services.settings.default_language
        reach = await self.store.reach(draft.places)
        lines = [
            _("Announcement for {places}, reaching {count} subscribers.").format(
                places=self._names(draft.places, language), count=reach
            ),
            _(
                "Languages: {given}. Subscribers with another language get the text "
                "marked {default}."
            ).format(
                given=", ".join(sorted(draft.texts)),
                default=default if default in draft.texts else min(draft.texts, default=default),
            ),
            "",
            *(f"[{code}] {body}" for code, body in sorted(draft.texts.items())),
            "",
            _("Send it? You can still send a text in another language first."),
        ]
        buttons = ((Button(_("Send"), CB_CONFIRM), Button(_("Cancel"), CB_CANCEL)),)
        return _outcome(Reply(esc("\n".join(lines)), buttons), replace(user, pending=TEXT_STEP))

    async def _confirm(self, user: UserRecord, language: str) -> Outcome:
        _ = self._(language)
        draft = await self.drafts.get(user.chat_id)
        if draft is None or not draft.texts:
            return self._say(user, _("There is no announcement to send."), None)
        now = self.services.now()
        settings = self.services.settings
        quiet = QuietHours(settings.reminders.quiet_start, settings.reminders.quiet_end)
        run = announcement_run(
            draft.places, draft.texts, user.chat_id, now, quiet, settings.timezone
        )
        count = await self.log.plan(run, now, settings.default_language)
        await self.drafts.delete(user.chat_id)
        text = _(
            "Planned: {count} messages. They go out with the next reminder pass (every {minutes} "
            "minutes), never between {start} and {end}."
        ).format(
            count=count,
            minutes=max(1, settings.reminders.check_interval_seconds // 60),
            start=settings.reminders.quiet_start.strftime("%H:%M"),
            end=settings.reminders.quiet_end.strftime("%H:%M"),
        )
        return self._say(user, text, None)

    def _names(self, codes: Iterable[str], language: str) -> str:
        found = (self.places.get(code) for code in codes)
        return ", ".join(place.name(language) for place in found if place is not None)

    def _say(self, user: UserRecord, text: str, step: str | None) -> Outcome:
        return _outcome(Reply(esc(text)), replace(user, pending=step))

    def _(self, language: str) -> Gettext:
        return self.services.translator.gettext(language)


def _outcome(reply: Reply, user: UserRecord) -> Outcome:
    # Imported here: the cron command (`preventbot reminders`) uses this module's helpers and
    # must not load the dialogue core, which loads the NLU (seconds of start-up).
    from bot.dialogue import Outcome

    return Outcome((reply,), user)
