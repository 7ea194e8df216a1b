"""The topic editor: fr, nl, de and en side by side; save, submit for review, discard, rebase.

`GET /topics/{topic_id}` shows the staff member's open draft of the topic, else the published
topic (read only) with an "Edit" button: starting a draft is a POST, never a side effect of
opening a page. Every button of the editor posts the whole form, so what was typed is saved
before it is submitted or brought up to date; each step carries the draft's revision, so a
change made elsewhere in the meantime is shown as a conflict instead of being overwritten.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from bot.base.i18n import N_
from bot.editorial import (
    FIELDS,
    ConflictError,
    EditorialError,
    InvalidError,
    Report,
    Saved,
    TopicForm,
    diff_forms,
    diff_texts,
    form_fields,
    form_from_fields,
    form_from_yaml,
)
from bot.storage import TopicDraft
from bot.web.access import requires
from bot.web.editing import (
    LABELS,
    STATUSES,
    diff_view,
    editorial_of,
    field_key,
    mine,
    number,
    refusal,
    refused,
    topic_id_of,
)
from bot.web.forms import text_fields
from bot.web.pages import render

MAX_COMMENT: Final = 2000
DONE: Final = {
    "saved": N_("The draft was saved."),
    "submitted": N_("The draft was sent for review."),
    "restored": N_("The old version is now your draft: check it, then send it for review."),
    "rebased": N_("Your draft is up to date with the published topic; your changes were kept."),
    "discarded": N_("The draft was discarded."),
}
SAVED_NOT_SUBMITTED: Final = N_("Your changes were saved, but the draft was not sent for review.")
OPEN: Final = ("draft", "submitted", "returned")


@requires("editor")
async def topic_page(request: Request) -> Response:
    """The staff member's draft in the editor, else the topic as published (read only)."""
    editorial = editorial_of(request)
    topic_id = topic_id_of(request)
    drafts = await editorial.open_drafts(topic_id)
    draft = mine(drafts, request.state.staff.id)
    published = editorial.published(topic_id)
    if draft is not None:
        form = editorial.form(draft)
    elif published is not None:
        form = form_from_yaml(published)
    elif drafts:  # a new topic someone else is writing
        form = editorial.form(drafts[0])
    else:
        raise HTTPException(404)
    done = DONE.get(request.query_params.get("done", ""))
    conflicts = [name for name in request.query_params.getlist("conflict") if name in FIELDS]
    return await editor_page(
        request, topic_id, draft, form_fields(form), message=done, rebase_conflicts=conflicts
    )


@requires("editor")
async def edit(request: Request) -> Response:
    """Open the staff member's draft of the topic (a new one from the published file)."""
    editorial = editorial_of(request)
    topic_id = topic_id_of(request)
    try:
        await editorial.start(topic_id, request.state.staff)
    except EditorialError as exc:
        return refused(request, exc)
    return RedirectResponse(f"/topics/{topic_id}", status_code=303)


@requires("editor")
async def save(request: Request) -> Response:
    """Store what was typed in the draft."""
    topic_id = topic_id_of(request)
    fields = await text_fields(request)
    saved = await _save(request, topic_id, fields)
    if not isinstance(saved, Saved):
        return saved
    return _back(topic_id, "saved")


@requires("editor")
async def submit(request: Request) -> Response:
    """Save, then send the draft for review with a comment for the reviewer."""
    editorial = editorial_of(request)
    topic_id = topic_id_of(request)
    fields = await text_fields(request)
    saved = await _save(request, topic_id, fields)
    if not isinstance(saved, Saved):
        return saved
    draft, comment = saved.draft, fields.get("comment", "").strip()[:MAX_COMMENT]
    try:
        await editorial.submit(draft.id, draft.revision, comment, request.state.staff)
    except EditorialError as exc:
        values = form_fields(editorial.form(draft)) | {"comment": comment}
        report = exc.report if isinstance(exc, InvalidError) else None
        return await editor_page(
            request, topic_id, draft, values, 400, report=report, error=refusal(exc),
            error_detail=SAVED_NOT_SUBMITTED,
        )  # fmt: skip
    return _back(topic_id, "submitted")


@requires("editor")
async def discard(request: Request) -> Response:
    """Drop the draft (the published topic stays as it is)."""
    editorial = editorial_of(request)
    topic_id = topic_id_of(request)
    fields = await text_fields(request)
    draft_id, revision = number(fields, "draft"), number(fields, "revision")
    try:
        draft = await editorial.discard(draft_id, revision, request.state.staff)
    except ConflictError as exc:
        return await _conflict(request, topic_id, fields, exc)
    except EditorialError as exc:
        return refused(request, exc)
    if editorial.published(draft.topic_id) is None:  # a new topic: nothing left to show
        return RedirectResponse("/topics?done=discarded", status_code=303)
    return RedirectResponse(f"/topics/{topic_id}?done=discarded", status_code=303)


@requires("editor")
async def rebase(request: Request) -> Response:
    """Save, then bring the draft up to the topic as now published, field by field."""
    editorial = editorial_of(request)
    topic_id = topic_id_of(request)
    fields = await text_fields(request)
    saved = await _save(request, topic_id, fields)
    if not isinstance(saved, Saved):
        return saved
    try:
        rebased = await editorial.rebase(saved.draft.id, saved.draft.revision, request.state.staff)
    except EditorialError as exc:
        return refused(request, exc)
    query = "".join(f"&conflict={name}" for name in rebased.conflicts)
    return RedirectResponse(f"/topics/{topic_id}?done=rebased{query}", status_code=303)


async def _save(request: Request, topic_id: str, fields: Mapping[str, str]) -> Saved | Response:
    """The save every button does first; a page (conflict, refusal) when it cannot be done."""
    editorial = editorial_of(request)
    draft_id, revision = number(fields, "draft"), number(fields, "revision")
    form = form_from_fields(fields, topic_id)
    try:
        return await editorial.save(draft_id, revision, form, request.state.staff)
    except ConflictError as exc:
        return await _conflict(request, topic_id, fields, exc)
    except EditorialError as exc:
        return refused(request, exc)


async def _conflict(
    request: Request, topic_id: str, fields: Mapping[str, str], exc: ConflictError
) -> Response:
    """The draft changed elsewhere: what was typed stays in the form, beside what changed."""
    current = exc.draft
    if current is None or current.author_id != request.state.staff.id:
        return refused(request, exc)
    editorial = editorial_of(request)
    typed = form_from_fields(fields, topic_id)
    changes = diff_view(diff_forms(editorial.form(current), typed))
    return await editor_page(
        request, topic_id, current, typed_values(fields), 409,
        error=refusal(exc), conflict=changes, report=editorial.check(typed),
    )  # fmt: skip


def typed_values(fields: Mapping[str, str]) -> dict[str, str]:
    """The form's fields as typed (to show them again), and the comment."""
    names = (*FIELDS, "comment")
    return {name: fields[name] for name in names if name in fields}


def _back(topic_id: str, done: str) -> Response:
    return RedirectResponse(f"/topics/{topic_id}?done={done}", status_code=303)


async def editor_page(
    request: Request,
    topic_id: str,
    draft: TopicDraft | None,
    values: dict[str, str],
    status: int = 200,
    report: Report | None = None,
    **extra: Any,
) -> Response:
    """The editor (or the read-only topic) with `values` in its fields and their messages."""
    editorial = editorial_of(request)
    staff = request.state.staff
    drafts = await editorial.open_drafts(topic_id)
    editable = draft is not None and draft.author_id == staff.id and draft.status in OPEN
    form = form_from_fields(values, topic_id)
    context = await _draft_context(request, topic_id, draft if editable else None)
    return render(
        request,
        "topic.html",
        status,
        topic_id=topic_id,
        draft=draft if editable else None,
        editable=editable,
        values=values,
        report=report or editorial.check(form),
        heading=_heading(form, request.state.language) or topic_id,
        others=[d for d in drafts if d.author_id != staff.id],
        published=editorial.published(topic_id) is not None,
        groups=_groups(request),
        labels=LABELS,
        statuses=STATUSES,
        key=field_key,
        previews=extra.pop("previews", {}),
        **(context | extra),
    )


async def _draft_context(
    request: Request, topic_id: str, draft: TopicDraft | None
) -> dict[str, Any]:
    """Whether the draft is behind the published topic, and what was published meanwhile."""
    editorial = editorial_of(request)
    if draft is None or not editorial.outdated(draft):
        return {"outdated": None}
    published = editorial.published(topic_id)
    base = await editorial.version_text(topic_id, draft.base_hash)
    if base is not None:
        return {"outdated": diff_view(diff_texts(base, published)), "outdated_base": True}
    return {"outdated": diff_view(diff_texts(draft.content, published)), "outdated_base": False}


def _heading(form: TopicForm, language: str) -> str:
    return form.text(language).title or form.text("fr").title


def _groups(request: Request) -> list[tuple[str, str]]:
    language: str = request.state.language
    catalog = editorial_of(request).catalog
    return [(group.id, group.titles.get(language, group.id)) for group in catalog.groups]


routes = [
    Route("/topics/{topic_id}", topic_page, methods=["GET"]),
    Route("/topics/{topic_id}/edit", edit, methods=["POST"]),
    Route("/topics/{topic_id}/save", save, methods=["POST"]),
    Route("/topics/{topic_id}/submit", submit, methods=["POST"]),
    Route("/topics/{topic_id}/discard", discard, methods=["POST"]),
    Route("/topics/{topic_id}/rebase", rebase, methods=["POST"]),
]
