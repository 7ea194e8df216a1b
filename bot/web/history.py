"""A topic's history (editors and up): every published version with its author, reviewer and
time, what each changed per language, and restoring an old version as a new draft (which goes
through review like any other change).
"""

from __future__ import annotations

from typing import Final

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from bot.base.i18n import N_
from bot.editorial import EditorialError, diff_texts
from bot.storage import TopicVersion
from bot.web.access import requires
from bot.web.editing import LABELS, diff_view, editorial_of, mine, refusal, topic_id_of
from bot.web.pages import render

NO_VERSION: Final = N_("This version is not in the topic's history.")
OPEN_DRAFT: Final = N_(
    "You already have a draft of this topic: send it for review or discard it before "
    "restoring an old version."
)


@requires("editor")
async def history(request: Request) -> Response:
    """The versions, newest first; `?version=N` shows what that version changed."""
    return await _page(request)


@requires("editor")
async def restore(request: Request) -> Response:
    """An old version's texts as a new draft of the staff member, opened in the editor."""
    editorial = editorial_of(request)
    topic_id = topic_id_of(request)
    staff = request.state.staff
    versions = await editorial.history(topic_id)
    version_id = request.path_params["version_id"]
    if not any(version.id == version_id for version in versions):
        return await _page(request, 400, error=NO_VERSION)
    if mine(await editorial.open_drafts(topic_id), staff.id) is not None:
        return await _page(request, 400, error=OPEN_DRAFT)
    try:
        await editorial.restore(version_id, staff)
    except EditorialError as exc:
        return await _page(request, 400, error=refusal(exc))
    return RedirectResponse(f"/topics/{topic_id}?done=restored", status_code=303)


async def _page(request: Request, status: int = 200, error: str | None = None) -> Response:
    editorial = editorial_of(request)
    topic_id = topic_id_of(request)
    versions = await editorial.history(topic_id)
    if not versions and editorial.published(topic_id) is None:
        raise HTTPException(404)
    shown = _chosen(request, versions)
    previous = _previous(versions, shown)
    changes = None
    if shown is not None:
        changes = diff_view(diff_texts(previous.content if previous else None, shown.content))
    return render(
        request,
        "history.html",
        status,
        topic_id=topic_id,
        versions=versions,
        shown=shown,
        previous=previous,
        changes=changes,
        error=error,
        labels=LABELS,
    )


def _chosen(request: Request, versions: list[TopicVersion]) -> TopicVersion | None:
    """The version named by `?version=`, else the newest (None: no version recorded yet)."""
    wanted = request.query_params.get("version", "")
    found = next((v for v in versions if str(v.id) == wanted), None)
    return found or (versions[0] if versions else None)


def _previous(versions: list[TopicVersion], shown: TopicVersion | None) -> TopicVersion | None:
    """The version before `shown` (versions are newest first)."""
    if shown is None:
        return None
    index = versions.index(shown)
    return versions[index + 1] if index + 1 < len(versions) else None


routes = [
    Route("/topics/{topic_id}/history", history, methods=["GET"]),
    Route("/topics/{topic_id}/history/{version_id:int}/restore", restore, methods=["POST"]),
]
