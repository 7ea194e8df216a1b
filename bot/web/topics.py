"""The topics list (search and filters, live with htmx) and new topics (editors and up).

`GET /topics?q=...&group=...&incomplete=1&stale=1&draft=1` answers the whole page, or only the
table's rows when htmx asks (the search form sends itself as one types); without JavaScript the
form's button does the same with a plain GET.
"""

from __future__ import annotations

from typing import Any, Final

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from bot.base.i18n import N_
from bot.catalog.topics import ID_PATTERN
from bot.editorial import EditorialError, Filters, select, topic_rows
from bot.web.access import requires
from bot.web.editing import STATUSES, editorial_of, refusal
from bot.web.forms import text_fields
from bot.web.pages import NavItem, render, services_of

MAX_QUERY: Final = 200
DONE: Final = {"discarded": N_("The draft was discarded.")}
BAD_ID: Final = N_(
    "A topic id is its group, a dot and a name, in lowercase letters and _ (e.g. plp.join)."
)
TAKEN: Final = N_("There is already a topic, or a draft of a new topic, with this id.")
NO_GROUP: Final = N_("Choose a menu group.")


def filters_of(request: Request) -> Filters:
    """The list's filters from the address (anything unexpected is ignored)."""
    params = request.query_params
    return Filters(
        query=params.get("q", "").strip()[:MAX_QUERY],
        group=params.get("group") or None,
        incomplete=params.get("incomplete") == "1",
        stale=params.get("stale") == "1",
        has_draft=params.get("draft") == "1",
    )


@requires("editor")
async def topic_list(request: Request) -> Response:
    """Every topic with its group, complete languages, review age, votes and open draft."""
    filters = filters_of(request)
    context = await _list_context(request, filters)
    headers = request.headers
    # htmx's search asks for the rows; its history restore (back button) for the whole page.
    if headers.get("HX-Request") and not headers.get("HX-History-Restore-Request"):
        return render(request, "topics_rows.html", **context)
    done = DONE.get(request.query_params.get("done", ""))
    return render(request, "topics.html", message=done, new={}, **context)


@requires("editor")
async def new_topic(request: Request) -> Response:
    """Start a draft of a new topic (its file and menu entry appear when it is approved)."""
    editorial = editorial_of(request)
    fields = await text_fields(request)
    topic_id, group = fields.get("id", "").strip(), fields.get("group", "").strip()
    new = {"id": topic_id, "group": group}
    error, field = None, "id"
    if not ID_PATTERN.fullmatch(topic_id):
        error = BAD_ID
    elif editorial.catalog.group(group) is None:
        error, field = NO_GROUP, "group"
    elif topic_id in editorial.catalog.topics or await editorial.open_drafts(topic_id):
        error = TAKEN
    else:
        try:
            await editorial.new_topic(topic_id, group, request.state.staff)
        except EditorialError as exc:
            error = refusal(exc)
    if error is not None:
        context = await _list_context(request, Filters())
        errors = {field: error}
        return render(request, "topics.html", 400, new=new, new_errors=errors, **context)
    return RedirectResponse(f"/topics/{topic_id}", status_code=303)


async def _list_context(request: Request, filters: Filters) -> dict[str, Any]:
    editorial = editorial_of(request)
    services = services_of(request)
    catalog = editorial.catalog  # polled first: a publication shows at once
    language: str = request.state.language
    rows = await topic_rows(
        catalog,
        services.storage,
        language,
        editorial.today(),
        services.settings.max_review_age_days,
    )
    groups = [(group.id, group.titles.get(language, group.id)) for group in catalog.groups]
    return {
        "rows": select(rows, filters),
        "total": len(rows),
        "filters": filters,
        "groups": groups,
        "untrained": {row.id for row in rows} - set(editorial.rules.intents),
        "statuses": STATUSES,
        "max_age": services.settings.max_review_age_days,
    }


routes = [
    Route("/topics", topic_list, methods=["GET"]),
    Route("/topics/new", new_topic, methods=["POST"]),
]
nav = [
    NavItem(
        "/topics",
        N_("Topics"),
        "editor",
        N_("The bot's answers: edit them in four languages, preview them, send them for review."),
    )
]
