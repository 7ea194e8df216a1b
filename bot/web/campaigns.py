"""The campaign calendar (editors and up) and its texts, changed through review.

The calendar: each campaign of `content/campaigns.yml`, soonest first, with its rule in words,
its next dates, the places it targets and how many subscribers it would reach now. A campaign's
page holds its texts: a change is a draft its author saves and submits, and a reviewer who did
not write it approves (the calendar file is written) or sends back (`bot/reminders/
campaign_texts.py`).
"""

from __future__ import annotations

from typing import Any, Final

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from bot.base.i18n import N_
from bot.base.languages import LANGUAGES
from bot.reminders.agenda import CalendarEntry, calendar_entries
from bot.reminders.campaign_texts import (
    CampaignTextError,
    CampaignTexts,
    clean_messages,
    draft_messages,
    is_reviewer,
)
from bot.storage import TopicDraft
from bot.web.access import requires
from bot.web.forms import text_fields
from bot.web.pages import NavItem, render, services_of
from bot.web.places import target_words

# ?done=... after a step (fixed texts: nothing from the address is shown).
DONE: Final = {
    "saved": N_("The draft is saved."),
    "submitted": N_("The draft is submitted: a reviewer can now approve it."),
    "approved": N_("The new texts are published in the calendar."),
    "returned": N_("The draft was sent back to its author."),
    "discarded": N_("The draft was discarded."),
}
STATUS_NAMES: Final = {
    "draft": N_("Draft"),
    "submitted": N_("Waiting for review"),
    "returned": N_("Sent back"),
}


@requires("editor")
async def calendar(request: Request) -> Response:
    """Every campaign, soonest first, and the texts under review."""
    return await _calendar_page(request, message=DONE.get(request.query_params.get("done", "")))


@requires("editor")
async def campaign_page(request: Request) -> Response:
    """One campaign: when, where, its texts, and its draft under review."""
    message = DONE.get(request.query_params.get("done", ""))
    return await _campaign_page(request, request.path_params["campaign_id"], message=message)


@requires("editor")
async def save_texts(request: Request) -> Response:
    """Save (or submit) a draft of the campaign's texts."""
    campaign_id = request.path_params["campaign_id"]
    fields = await text_fields(request)
    messages, problems = clean_messages(fields)
    if problems:
        return await _campaign_page(request, campaign_id, 400, form=messages, problems=problems)
    submit = fields.get("action") == "submit"
    try:
        await _texts(request).save(
            campaign_id, messages, request.state.staff, _revision(fields), submit=submit
        )
    except CampaignTextError as exc:
        return await _campaign_page(request, campaign_id, 400, form=messages, error=exc.text)
    done = "submitted" if submit else "saved"
    return RedirectResponse(f"/campaigns/{campaign_id}?done={done}", status_code=303)


@requires("reviewer")
async def approve(request: Request) -> Response:
    """Publish a submitted draft (a reviewer who did not write it)."""
    return await _review_step(request, "approved")


@requires("reviewer")
async def send_back(request: Request) -> Response:
    """Return a submitted draft to its author, with a comment."""
    return await _review_step(request, "returned")


@requires("editor")
async def discard(request: Request) -> Response:
    """Drop a draft (its author, or an administrator)."""
    return await _review_step(request, "discarded")


async def _review_step(request: Request, step: str) -> Response:
    texts, staff = _texts(request), request.state.staff
    fields = await text_fields(request)
    draft_id, revision = request.path_params["draft_id"], _revision(fields) or 0
    try:
        draft = await texts.draft(draft_id)
        if step == "approved":
            await texts.approve(draft_id, revision, staff)
        elif step == "returned":
            await texts.send_back(draft_id, revision, staff, fields.get("comment", ""))
        else:
            await texts.discard(draft_id, revision, staff)
    except CampaignTextError as exc:
        return await _calendar_page(request, 400, error=exc.text)
    campaign_id = draft.topic_id.split(":", 1)[1]
    return RedirectResponse(f"/campaigns/{campaign_id}?done={step}", status_code=303)


def _texts(request: Request) -> CampaignTexts:
    services = services_of(request)
    return CampaignTexts(services.storage, services.content, services.now)


def _revision(fields: dict[str, str]) -> int | None:
    value = fields.get("revision", "")
    return int(value) if value.isdigit() else None


async def _entries(request: Request) -> list[CalendarEntry]:
    services = services_of(request)
    services.content.reload_if_changed()  # an edit of the file shows at once
    return await calendar_entries(
        services.content.snapshot,
        services.storage,
        services.translator,
        services.settings,
        request.state.language,
        services.now(),
    )


def _places(request: Request, entry: CalendarEntry) -> str:
    services, language = services_of(request), request.state.language
    _ = services.translator.gettext(language)
    return target_words(entry.campaign.target, entry.places, services.content.places, language, _)


async def _calendar_page(request: Request, status: int = 200, **context: Any) -> Response:
    entries = await _entries(request)
    drafts = await _texts(request).open_drafts()
    return render(
        request,
        "campaigns.html",
        status,
        entries=entries,
        places={entry.campaign.id: _places(request, entry) for entry in entries},
        drafts={draft.topic_id.split(":", 1)[1]: draft for draft in drafts},
        status_names=STATUS_NAMES,
        text_languages=LANGUAGES,
        **context,
    )


async def _campaign_page(
    request: Request, campaign_id: str, status: int = 200, **context: Any
) -> Response:
    entry = next((e for e in await _entries(request) if e.campaign.id == campaign_id), None)
    if entry is None:
        raise HTTPException(404)
    draft: TopicDraft | None = await _texts(request).open_draft(campaign_id)
    staff = request.state.staff
    mine = draft is None or draft.author_id == staff.id
    drafted = draft_messages(draft) if draft is not None else None
    context.setdefault("form", drafted or entry.campaign.messages)
    return render(
        request,
        "campaign.html",
        status,
        entry=entry,
        place_words=_places(request, entry),
        draft=draft,
        drafted=drafted,
        mine=mine,
        can_review=draft is not None and not mine and is_reviewer(staff),
        can_discard=draft is not None and (mine or staff.role == "admin"),
        status_names=STATUS_NAMES,
        text_languages=LANGUAGES,
        problems=context.pop("problems", {}),
        **context,
    )


routes = [
    Route("/campaigns", calendar, methods=["GET"]),
    Route("/campaigns/{campaign_id}", campaign_page, methods=["GET"]),
    Route("/campaigns/{campaign_id}/texts", save_texts, methods=["POST"]),
    Route("/campaigns/drafts/{draft_id:int}/approve", approve, methods=["POST"]),
    Route("/campaigns/drafts/{draft_id:int}/return", send_back, methods=["POST"]),
    Route("/campaigns/drafts/{draft_id:int}/discard", discard, methods=["POST"]),
]
nav = [
    NavItem(
        "/campaigns",
        N_("Campaigns"),
        "editor",
        N_("The reminder calendar: when each campaign goes out, to how many, and its texts."),
    )
]
