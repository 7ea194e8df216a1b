"""Local announcements (admins): places, texts per language, the reach, a confirmation, then
the same durable delivery as `/announce` in Telegram; and the progress of every run.

Confirming plans one delivery-log row per subscriber (`storage.deliveries.plan`), due now or
when the quiet hours end; the bot's reminder job sends them. Nothing here sends a message.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any, Final

from markupsafe import Markup
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from bot.base.i18n import N_
from bot.base.languages import LANGUAGES
from bot.catalog.campaigns import MAX_MESSAGE
from bot.channels.telegram.preview import preview_reply
from bot.reminders.announce import CAMPAIGN_ID, announcement_run, resolve_places
from bot.reminders.delivery import quiet_hours
from bot.reminders.delivery import render as reminder_reply
from bot.storage import Run, RunProgress
from bot.storage import deliveries as status
from bot.web.access import requires
from bot.web.forms import text_fields
from bot.web.pages import NavItem, render, services_of
from bot.web.places import place_names

MAX_PLACES_TEXT: Final = 2000
MAX_PLACES: Final = 100
RUNS_SHOWN: Final = 50
# How the progress counts the delivery log's statuses.
SENT: Final = (status.SENT,)
PENDING: Final = (status.PENDING,)
FAILED: Final = (status.FAILED, status.FORBIDDEN, status.EXPIRED)
SKIPPED: Final = (status.INACTIVE, status.UNSUBSCRIBED)
# The tags of Telegram's HTML that a reminder uses; everything else in its text is escaped.
TELEGRAM_TAGS: Final = re.compile(r"(</?(?:b|i|u|s|code|pre)>)")
DONE: Final = {"planned": N_("The announcement is planned: its progress is below.")}


@dataclass(slots=True)
class Announcement:
    """What the form holds, and what is wrong with it (msgids, by field)."""

    places_text: str
    texts: dict[str, str]
    codes: set[str] = field(default_factory=set)
    unresolved: list[str] = field(default_factory=list)
    problems: dict[str, str] = field(default_factory=dict)

    @property
    def valid(self) -> bool:
        """Ready to confirm: the places found, at least one text, none too long."""
        return not self.problems


@requires("admin")
async def announcements(request: Request) -> Response:
    """Every recent run with its progress, and the way to a new announcement."""
    message = DONE.get(request.query_params.get("done", ""))
    runs = await services_of(request).storage.deliveries.progress(RUNS_SHOWN)
    return render(request, "announcements.html", message=message, **_progress(request, runs))


@requires("admin")
async def progress(request: Request) -> Response:
    """The progress table alone (htmx polls it while messages are pending)."""
    runs = await services_of(request).storage.deliveries.progress(RUNS_SHOWN)
    return render(request, "announcement_progress.html", **_progress(request, runs))


@requires("admin")
async def new_form(request: Request) -> Response:
    """An empty announcement form."""
    return _form(request, Announcement("", {}))


@requires("admin")
async def check(request: Request) -> Response:
    """The form checked: the confirmation page, or the form with its problems (or to change)."""
    fields = await text_fields(request)
    announcement = read(request, fields)
    if fields.get("action") == "change":
        return _form(request, announcement, checked=False)
    if not announcement.valid:
        return _form(request, announcement, status=400)
    return await _confirmation(request, announcement)


@requires("admin")
async def reach(request: Request) -> Response:
    """htmx: how many subscribers the places reach, and the places in words."""
    announcement = read(request, await text_fields(request))
    services = services_of(request)
    count = None
    if announcement.codes and "places" not in announcement.problems:
        count = await services.storage.subscriptions.reach(announcement.codes)
    return render(
        request,
        "announcement_reach.html",
        announcement=announcement,
        count=count,
        names=_names(request, announcement.codes),
    )


@requires("admin")
async def confirm(request: Request) -> Response:
    """Plan the announcement in the delivery log (the bot's reminder job sends it)."""
    announcement = read(request, await text_fields(request))
    if not announcement.valid:
        return _form(request, announcement, status=400)
    services, staff = services_of(request), request.state.staff
    settings, now = services.settings, services.now()
    run = announcement_run(
        announcement.codes,
        announcement.texts,
        staff.id,
        now,
        quiet_hours(settings),
        settings.timezone,
    )
    count = await services.storage.deliveries.plan(run, now, settings.default_language)
    detail = (
        f"{count} messages; places: {', '.join(sorted(announcement.codes))}; "
        f"languages: {', '.join(sorted(announcement.texts))}"
    )
    await services.storage.audit.record(
        staff.id, "announcement.plan", f"run:{run.occurrence}", now, detail
    )
    return RedirectResponse("/announcements?done=planned", status_code=303)


def read(request: Request, fields: dict[str, str]) -> Announcement:
    """The announcement a form describes, with its places resolved and its problems found."""
    places = services_of(request).content.places
    texts = {code: _text(fields.get(f"text_{code}", "")) for code in LANGUAGES}
    announcement = Announcement(fields.get("places", "").strip(), texts)
    text = announcement.places_text
    if not text:
        announcement.problems["places"] = N_("Give at least one postcode or municipality.")
    elif len(text) > MAX_PLACES_TEXT or len(re.split(r"[,;\n]", text)) > MAX_PLACES:
        announcement.problems["places"] = N_("Too many places: 100 at most.")
    else:
        announcement.codes, announcement.unresolved = resolve_places(places, text)
        if announcement.unresolved:
            announcement.problems["places"] = N_(
                "These places were not found, or match several municipalities: write them "
                "again (a postcode, or the exact name)."
            )
    for code, body in texts.items():
        if len(body) > MAX_MESSAGE:
            announcement.problems[code] = N_("The text is too long (1500 characters at most).")
        elif any(_invisible(char) for char in body):
            announcement.problems[code] = N_("The text contains characters that cannot be shown.")
    announcement.texts = {code: body for code, body in texts.items() if body}
    if not announcement.texts:
        announcement.problems["texts"] = N_("Write the text in at least one language.")
    return announcement


def _text(value: str) -> str:
    """A text as typed: Windows line ends made plain, spaces at either end removed."""
    return value.replace("\r\n", "\n").replace("\r", "\n").strip()


def _invisible(char: str) -> bool:
    return char not in "\n\t" and unicodedata.category(char) in ("Cc", "Cf", "Cs", "Co")


def telegram_html(text: str) -> Markup:
    """A message in Telegram's HTML (escaped by `esc` where it comes from) for the page: its
    formatting tags kept, and any other `<` or `>` escaped again, to be safe whatever it holds."""
    parts = TELEGRAM_TAGS.split(text)
    return Markup(
        "".join(
            part if index % 2 else part.replace("<", "&lt;").replace(">", "&gt;")
            for index, part in enumerate(parts)
        )
    )


def _names(request: Request, codes: set[str] | frozenset[str] | None) -> str:
    services, language = services_of(request), request.state.language
    _ = services.translator.gettext(language)
    return place_names(codes, services.content.places, language, _)


def _form(
    request: Request, announcement: Announcement, status: int = 200, checked: bool = True
) -> Response:
    return render(
        request,
        "announcement_form.html",
        status,
        announcement=announcement,
        problems=announcement.problems if checked else {},
        text_languages=LANGUAGES,
        max_message=MAX_MESSAGE,
    )


async def _confirmation(request: Request, announcement: Announcement) -> Response:
    """Exactly what will be sent, in each language given, and to how many."""
    services = services_of(request)
    settings, now = services.settings, services.now()
    quiet = quiet_hours(settings)
    run = announcement_run(
        announcement.codes, announcement.texts, 0, now, quiet, settings.timezone
    )
    default = settings.default_language
    fallback = default if default in run.messages else min(run.messages)
    # What Telegram shows, by the channel's own steps (split under its limit, button labels).
    previews = {
        code: preview_reply(reminder_reply(run, code, default, services)) for code in run.messages
    }
    return render(
        request,
        "announcement_confirm.html",
        announcement=announcement,
        count=await services.storage.subscriptions.reach(announcement.codes),
        names=_names(request, announcement.codes),
        previews=previews,
        fallback=fallback,
        waits=quiet.contains(now, settings.timezone),
        starts=run.due_at,
        text_languages=LANGUAGES,
        minutes=max(1, settings.reminders.check_interval_seconds // 60),
        telegram_html=telegram_html,
    )


def _progress(request: Request, runs: list[RunProgress]) -> dict[str, Any]:
    """The rows of the progress table, and whether it should be polled again."""
    rows = [
        {
            "run": item.run,
            "created_at": item.created_at,
            "announcement": item.run.campaign_id == CAMPAIGN_ID,
            "summary": _summary(request, item.run),
            "places": _names(request, item.run.places),
            "sent": item.count(*SENT),
            "pending": item.count(*PENDING),
            "failed": item.count(*FAILED),
            "skipped": item.count(*SKIPPED),
        }
        for item in runs
    ]
    polling = any(row["pending"] for row in rows)
    return {"rows": rows, "polling": polling, "now": services_of(request).now()}


def _summary(request: Request, run: Run) -> tuple[str, str]:
    """(language, text) of a run's message as the reader would see it, cut to one line."""
    language = request.state.language
    if language not in run.messages:
        default = services_of(request).settings.default_language
        language = default if default in run.messages else min(run.messages, default=language)
    text = " ".join(run.messages.get(language, "").split())
    return language, text if len(text) <= 120 else text[:119] + "…"


routes = [
    Route("/announcements", announcements, methods=["GET"]),
    Route("/announcements/progress", progress, methods=["GET"]),
    Route("/announcements/new", new_form, methods=["GET"]),
    Route("/announcements/new", check, methods=["POST"]),
    Route("/announcements/reach", reach, methods=["POST"]),
    Route("/announcements/confirm", confirm, methods=["POST"]),
]
nav = [
    NavItem(
        "/announcements",
        N_("Announcements"),
        "admin",
        N_("Announce a local action to the subscribers of some places, and follow its sending."),
    )
]
