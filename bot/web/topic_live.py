"""The editor's live parts: the `content check` rules as one types, and the Telegram preview.

Both read the form as posted (nothing is saved). htmx gets fragments: the check answers the
messages and counters of every field (out-of-band swaps) and, in the live region, those of the
field being typed in; the preview answers the messages of one language as Telegram shows them.
Without JavaScript the same posts answer the whole editor.
"""

from __future__ import annotations

from typing import Final

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from bot.base.languages import LANGUAGES
from bot.channels.telegram.preview import PreviewMessage, preview_topic
from bot.editorial import FIELDS, TopicForm, draft_topic, form_from_fields, form_from_yaml
from bot.storage import TopicDraft
from bot.web.access import requires
from bot.web.editing import LABELS, editorial_of, field_key, mine, number, topic_id_of
from bot.web.forms import text_fields
from bot.web.pages import render, services_of
from bot.web.topic_editor import editor_page, typed_values

Preview = dict[str, list[PreviewMessage]]  # "answer" and, when there is one, "more"
PARTS: Final = ("answer", "more")


def htmx(request: Request) -> bool:
    """Whether htmx sent the request (it wants a fragment, not a page)."""
    return request.headers.get("HX-Request") == "true"


def preview_language(request: Request) -> str:
    """The `?lang=` of the address, else the staff member's language."""
    language = request.query_params.get("lang") or request.state.language
    if language not in LANGUAGES:
        raise HTTPException(404)
    return str(language)


def previews(request: Request, form: TopicForm, language: str) -> Preview:
    """What a citizen sees in Telegram: the answer, and after "Tell me more" its second part."""
    editorial = editorial_of(request)
    topic = draft_topic(form)
    gettext = services_of(request).translator.gettext(language)
    shown = {"answer": preview_topic(topic, editorial.catalog, language, gettext)}
    if form.text(language).more:
        shown["more"] = preview_topic(topic, editorial.catalog, language, gettext, more=True)
    return shown


@requires("editor")
async def check(request: Request) -> Response:
    """The messages of `content check` for the form as typed, by field."""
    editorial = editorial_of(request)
    topic_id = topic_id_of(request)
    fields = await text_fields(request)
    form = form_from_fields(fields, topic_id)
    report = editorial.check(form)
    if htmx(request):
        edited = request.headers.get("HX-Trigger-Name", "")
        return render(
            request,
            "topic_check.html",
            report=report,
            names=FIELDS[1:],
            edited=edited if edited in FIELDS else None,
            labels=LABELS,
            key=field_key,
        )
    draft = await _posted_draft(request, topic_id, fields)
    return await editor_page(request, topic_id, draft, typed_values(fields), report=report)


@requires("editor")
async def preview_form(request: Request) -> Response:
    """The preview of the form as typed, in one language."""
    topic_id = topic_id_of(request)
    language = preview_language(request)
    fields = await text_fields(request)
    shown = previews(request, form_from_fields(fields, topic_id), language)
    if htmx(request):
        return render(request, "topic_preview.html", code=language, preview=shown)
    draft = await _posted_draft(request, topic_id, fields)
    values = typed_values(fields)
    return await editor_page(request, topic_id, draft, values, previews={language: shown})


@requires("editor")
async def preview_page(request: Request) -> Response:
    """The preview of a saved draft (`?draft=`), the staff member's draft or the published
    topic, in one language (`?lang=`): for reviewers, and without JavaScript."""
    editorial = editorial_of(request)
    topic_id = topic_id_of(request)
    language = preview_language(request)
    drafts = await editorial.open_drafts(topic_id)
    draft: TopicDraft | None
    if "draft" in request.query_params:
        wanted = number(request.query_params, "draft")
        draft = next((d for d in drafts if d.id == wanted), None)
        if draft is None:
            raise HTTPException(404)
    else:
        draft = mine(drafts, request.state.staff.id)
    if draft is not None:
        form = editorial.form(draft)
    else:
        published = editorial.published(topic_id)
        if published is None:
            raise HTTPException(404)
        form = form_from_yaml(published)
    return render(
        request,
        "topic_preview_page.html",
        topic_id=topic_id,
        code=language,
        draft=draft,
        heading=form.text(language).title or topic_id,
        preview=previews(request, form, language),
    )


async def _posted_draft(
    request: Request, topic_id: str, fields: dict[str, str]
) -> TopicDraft | None:
    """The staff member's draft named by the form, if it is theirs and of this topic."""
    if not fields.get("draft"):
        return None
    draft = mine(await editorial_of(request).open_drafts(topic_id), request.state.staff.id)
    return draft if draft is not None and draft.id == number(fields, "draft") else None


routes = [
    Route("/topics/{topic_id}/check", check, methods=["POST"]),
    Route("/topics/{topic_id}/preview", preview_page, methods=["GET"]),
    Route("/topics/{topic_id}/preview", preview_form, methods=["POST"]),
]
