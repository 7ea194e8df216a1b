"""The review (reviewers and admins): drafts waiting for review, what each changes per language,
and the two answers: approve (which publishes) or send back to the author with a comment.

A reviewer never approves their own draft; a draft changed or a topic published since the page
was read is refused with the reason, and nothing is written.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Final

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from bot.base.i18n import N_
from bot.catalog.topics import ID_PATTERN
from bot.editorial import EditorialError, Report
from bot.storage import TopicDraft
from bot.web.access import requires
from bot.web.editing import (
    LABELS,
    OWN_DRAFT,
    DiffSection,
    diff_view,
    editorial_of,
    number,
    refusal,
)
from bot.web.forms import text_fields
from bot.web.pages import NavItem, render

MAX_COMMENT: Final = 2000
DONE: Final = {
    "approved": N_(
        "The topic was published. The bot answers with it within a minute, without a restart."
    ),
    "returned": N_("The draft was sent back to its author with your comment."),
}
GONE: Final = N_("This draft is no longer waiting for review.")
NEEDS_COMMENT: Final = N_("Say what to change: the comment is required.")


@dataclass(frozen=True, slots=True)
class Submitted:
    """A draft waiting for review, with what it changes and what the check finds."""

    draft: TopicDraft
    title: str
    changes: list[DiffSection]
    report: Report
    outdated: bool


@requires("reviewer")
async def review_list(request: Request) -> Response:
    """Every draft waiting for review, oldest first."""
    done = DONE.get(request.query_params.get("done", ""))
    return await _page(request, message=done)


@requires("reviewer")
async def approve(request: Request) -> Response:
    """Publish the draft (refused for its author, and when it changed meanwhile)."""
    editorial = editorial_of(request)
    draft_id = request.path_params["draft_id"]
    fields = await text_fields(request)
    staff = request.state.staff
    draft = await _waiting(request, draft_id)
    if draft is None:
        return await _page(request, 400, error=GONE)
    if draft.author_id == staff.id:
        return await _page(request, 400, error=OWN_DRAFT, error_draft=draft_id)
    try:
        await editorial.approve(draft_id, number(fields, "revision"), staff)
    except EditorialError as exc:
        status = 409 if exc.code == "conflict" else 400
        return await _page(request, status, error=refusal(exc), error_draft=draft_id)
    return RedirectResponse("/review?done=approved", status_code=303)


@requires("reviewer")
async def send_back(request: Request) -> Response:
    """Return the draft to its author with a comment saying what to change."""
    editorial = editorial_of(request)
    draft_id = request.path_params["draft_id"]
    fields = await text_fields(request)
    comment = fields.get("comment", "").strip()[:MAX_COMMENT]
    draft = await _waiting(request, draft_id)
    if draft is None:
        return await _page(request, 400, error=GONE)
    if draft.author_id == request.state.staff.id:
        return await _page(request, 400, error=OWN_DRAFT, error_draft=draft_id)
    if not comment:
        return await _page(request, 400, comment_error=NEEDS_COMMENT, error_draft=draft_id)
    try:
        revision = number(fields, "revision")
        await editorial.return_to_author(draft_id, revision, comment, request.state.staff)
    except EditorialError as exc:
        return await _page(request, 400, error=refusal(exc), error_draft=draft_id)
    return RedirectResponse("/review?done=returned", status_code=303)


async def _waiting(request: Request, draft_id: int) -> TopicDraft | None:
    """The draft if it is a topic's (campaign texts share the table) waiting for review."""
    try:
        draft = await editorial_of(request).draft(draft_id)
    except EditorialError:
        return None
    topic = ID_PATTERN.fullmatch(draft.topic_id)
    return draft if topic and draft.status == "submitted" else None


async def _page(request: Request, status: int = 200, **context: Any) -> Response:
    editorial = editorial_of(request)
    language: str = request.state.language
    waiting = [d for d in await editorial.open_drafts() if d.status == "submitted"]
    items = []
    for draft in reversed(waiting):  # oldest first: the longest wait at the top
        form = editorial.form(draft)
        items.append(
            Submitted(
                draft,
                form.text(language).title or form.text("fr").title or draft.topic_id,
                diff_view(editorial.changes(draft)),
                editorial.check(form),
                editorial.outdated(draft),
            )
        )
    context.setdefault("error_draft", None)
    return render(request, "review.html", status, items=items, labels=LABELS, **context)


routes = [
    Route("/review", review_list, methods=["GET"]),
    Route("/review/{draft_id:int}/approve", approve, methods=["POST"]),
    Route("/review/{draft_id:int}/return", send_back, methods=["POST"]),
]
nav = [
    NavItem(
        "/review",
        N_("Review"),
        "reviewer",
        N_("Drafts waiting for review: approve them (they are published) or send them back."),
    )
]
