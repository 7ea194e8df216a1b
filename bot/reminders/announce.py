"""Admin announcements of local campaigns: places, texts, reach, confirmation, then delivery.

Through the dialogue (`/announce`, a registered flow, steps kept in users.pending) or the command
line (`preventbot reminders announce`); both plan the same durable delivery-log rows.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import replace
from datetime import datetime, timedelta, tzinfo
from typing import ClassVar, Final

from bot.base.clock import format_clock
from bot.base.flows import Command, Flow
from bot.base.i18n import N_
from bot.base.languages import LANGUAGES
from bot.base.settings import Settings
from bot.base.turns import Button, Outcome, Reply, Turn, esc
from bot.catalog.places import Places
from bot.catalog.schedule import QuietHours
from bot.catalog.store import ContentStore
from bot.storage import DeliveryLog, Draft, DraftStore, Run, Storage, SubscriptionStore

STEP: Final = "announce"
PLACES_STEP: Final = "announce:places"
TEXT_STEP: Final = "announce:text"
CB_ADMIN: Final = "admin:"
CB_CONFIRM: Final = "admin:confirm"
CB_CANCEL: Final = "admin:cancel"
CAMPAIGN_ID: Final = "announcement"
VALID_DAYS: Final = 2
LANGUAGE_LINE: Final = re.compile(rf"^\s*({'|'.join(LANGUAGES)})\s*[:=]\s*(.*)$", re.IGNORECASE)


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


class AnnounceFlow(Flow):
    """/announce for admins: places, texts per language, the reach, then confirm or cancel."""

    name = "announce"
    commands: ClassVar = (
        Command("announce", N_("Announce a local action to subscribers"), admin=True),
    )
    callbacks: ClassVar = (CB_ADMIN,)
    steps: ClassVar = (STEP,)

    def __init__(
        self,
        content: ContentStore,
        store: SubscriptionStore,
        drafts: DraftStore,
        log: DeliveryLog,
        storage: Storage,
        settings: Settings,
    ) -> None:
        self.content = content
        self.store = store
        self.drafts = drafts
        self.drafts = drafts
        self.log = log
        self.storage = storage
        self.settings = settings

    @property
    def places(self) -> Places:
        """The places being served (they follow content reloads)."""
        return self.content.places

    async def on_command(self, turn: Turn, command: str, argument: str) -> Outcome:
        """/announce [places] (the core has checked that the user is an admin)."""
        if argument:
            return await self._set_places(turn, argument)
        text = turn.gettext(
            "Which places is the announcement for? Send postcodes or municipality names, "
            "separated by commas (e.g. 4700, Kelmis)."
        )
        return self._say(turn, text, PLACES_STEP)

    async def on_button(self, turn: Turn, data: str) -> Outcome | None:
        """Send or cancel the announcement being prepared (admins only)."""
        if not turn.is_admin:
            return None
        if data == CB_CONFIRM:
            return await self._confirm(turn)
        await self.drafts.delete(turn.user.chat_id)
        return self._say(turn, turn.gettext("Announcement cancelled."), None)

    async def on_step(self, turn: Turn, text: str) -> Outcome:
        """The admin's answer to the current step (places, then texts)."""
        if not turn.is_admin:
            return Outcome((), replace(turn.user, pending=None))
        if turn.user.pending == PLACES_STEP:
            return await self._set_places(turn, text)
        draft = await self.drafts.get(turn.user.chat_id)
        if draft is None:
            return await self.on_command(turn, "announce", "")
        texts = {**draft.texts, **parse_texts(text, turn.language)}
        await self.drafts.save(turn.user.chat_id, Draft(draft.places, texts), turn.now)
        return await self._preview(turn, Draft(draft.places, texts))

    async def _set_places(self, turn: Turn, text: str) -> Outcome:
        _ = turn.gettext
        codes, problems = resolve_places(self.places, text)
        if problems or not codes:
            head = _("I could not find or tell apart these places; write them again:")
            return self._say(turn, head + "\n" + "\n".join(problems), PLACES_STEP)
        draft = Draft(tuple(sorted(codes)), {})
        if await self.storage.users.get(turn.user.chat_id) is None:
            await self.storage.users.save(turn.user, turn.now)  # drafts need the user row
        await self.drafts.save(turn.user.chat_id, draft, turn.now)
        reach = await self.store.reach(codes)
        text = _(
            "{places}: {count} subscribers. Now send the text. To give several languages, "
            "start lines with fr:, nl:, de: or en:; a text without a code counts as {code}."
        ).format(places=self._names(draft.places, turn.language), count=reach, code=turn.language)
        return self._say(turn, text, TEXT_STEP)

    async def _preview(self, turn: Turn, draft: Draft) -> Outcome:
        _ = turn.gettext
        default = self.settings.default_language
        reach = await self.store.reach(draft.places)
        lines = [
            _("Announcement for {places}, reaching {count} subscribers.").format(
                places=self._names(draft.places, turn.language), count=reach
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
        return turn.step(TEXT_STEP, Reply(esc("\n".join(lines)), buttons))

    async def _confirm(self, turn: Turn) -> Outcome:
        _ = turn.gettext
        draft = await self.drafts.get(turn.user.chat_id)
        if draft is None or not draft.texts:
            return self._say(turn, _("There is no announcement to send."), None)
        settings, reminders = self.settings, self.settings.reminders
        quiet = QuietHours(reminders.quiet_start, reminders.quiet_end)
        run = announcement_run(
            draft.places, draft.texts, turn.user.chat_id, turn.now, quiet, settings.timezone
        )
        count = await self.log.plan(run, turn.now, settings.default_language)
        await self.drafts.delete(turn.user.chat_id)
        text = _(
            "Planned: {count} messages. They go out with the next reminder pass (every {minutes} "
            "minutes), never between {start} and {end}."
        ).format(
            count=count,
            minutes=max(1, reminders.check_interval_seconds // 60),
            start=format_clock(reminders.quiet_start, turn.language),
            end=format_clock(reminders.quiet_end, turn.language),
        )
        return self._say(turn, text, None)

    def _names(self, codes: Iterable[str], language: str) -> str:
        found = (self.places.get(code) for code in codes)
        return ", ".join(place.name(language) for place in found if place is not None)

    def _say(self, turn: Turn, text: str, step: str | None) -> Outcome:
        return turn.step(step, Reply(esc(text)))
