"""What the topic pages share: the editorial features of the app, topic ids from the address,
why an action was refused (in the staff member's language), and diffs ready for a template.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Final

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response

from bot.base.i18n import N_
from bot.base.languages import LANGUAGES
from bot.editorial import (
    SECTIONS,
    ConflictError,
    Editorial,
    EditorialError,
    InvalidError,
    NotAllowedError,
    NotFoundError,
    PublishError,
)
from bot.storage import TopicDraft
from bot.web.errors import error_page
from bot.web.pages import services_of

# The form's fields as the pages label them (English msgids); `xx.` prefixes are per language.
LABELS: Final = {
    "group": N_("Menu group"),
    "related": N_("Related topics"),
    "title": N_("Title"),
    "answer": N_("Answer"),
    "more": N_("More"),
    "sources": N_("Sources"),
    "terms": N_("Citizen terms"),
}
STATUSES: Final = {
    "draft": N_("Draft"),
    "submitted": N_("Waiting for review"),
    "returned": N_("Returned with a comment"),
    "published": N_("Published"),
    "discarded": N_("Discarded"),
}
# Why an action was refused, by the editorial error's code (English msgids).
REFUSALS: Final = {
    NotFoundError.code: N_("This topic, draft or version does not exist (any more)."),
    NotAllowedError.code: N_("This action is not allowed here."),
    InvalidError.code: N_("The draft has problems to fix first: see the messages by the fields."),
    ConflictError.code: N_(
        "Someone changed this in the meantime: nothing was overwritten. Look at the changes below."
    ),
    PublishError.code: N_(
        "The topic file could not be written: nothing was changed and the draft is still "
        "waiting for review. Try again in a moment."
    ),
}
OWN_DRAFT: Final = N_("You wrote this draft: another reviewer must approve it or send it back.")


def editorial_of(request: Request) -> Editorial:
    """The app's editorial features, made on first use (one per app: one publication lock)."""
    state = request.app.state
    editorial: Editorial | None = getattr(state, "editorial", None)
    if editorial is None:
        services = services_of(request)
        editorial = Editorial(services.storage, services.content, services.settings, services.now)
        state.editorial = editorial
    return editorial


def topic_id_of(request: Request) -> str:
    """The `{topic_id}` of the address; 404 unless it is `group.name` (no path tricks)."""
    topic_id = str(request.path_params["topic_id"])
    try:
        editorial_of(request).path(topic_id)
    except NotAllowedError:
        raise HTTPException(404) from None
    return topic_id


def number(fields: Mapping[str, str], name: str) -> int:
    """A whole number from a hidden field (a draft id, a revision); 400 if it is not one."""
    value = fields.get(name, "").strip()
    if not value.isascii() or not value.isdigit() or len(value) > 12:
        raise HTTPException(400)
    return int(value)


def refusal(exc: EditorialError) -> str:
    """Why an action was refused, as an English msgid to translate."""
    return REFUSALS.get(exc.code, REFUSALS[NotAllowedError.code])


def refused(request: Request, exc: EditorialError, status: int = 400) -> Response:
    """The error page saying why an action was refused (nothing was changed)."""
    return error_page(request, status, refusal(exc))


def field_key(name: str) -> str:
    """An HTML id for a field name (`fr.answer` -> `fr-answer`: no dot in a CSS selector)."""
    return name.replace(".", "-")


def field_label(name: str) -> str:
    """The msgid of a field's label (`fr.answer` -> "Answer")."""
    return LABELS.get(name.rsplit(".", 1)[-1], name)


@dataclass(frozen=True, slots=True)
class DiffLine:
    """One line of a diff: `kind` is added, removed, context or hunk."""

    kind: str
    text: str


@dataclass(frozen=True, slots=True)
class DiffSection:
    """The changed lines of one section: `topic` (group, related topics) or a language."""

    section: str
    lines: tuple[DiffLine, ...]

    @property
    def language(self) -> str | None:
        """The section's language code, None for the topic's own fields."""
        return self.section if self.section in LANGUAGES else None


def diff_view(changes: Mapping[str, list[str]]) -> list[DiffSection]:
    """`diff_texts` output for a template: the changed sections, each line with its kind."""
    sections = []
    for section in SECTIONS:
        lines = tuple(_diff_line(line) for line in changes.get(section, ()))
        if lines:
            sections.append(DiffSection(section, lines))
    return sections


def _diff_line(line: str) -> DiffLine:
    if line.startswith("@@"):
        return DiffLine("hunk", line)
    kind = {"+": "added", "-": "removed"}.get(line[:1], "context")
    return DiffLine(kind, line[1:])


def mine(drafts: list[TopicDraft], staff_id: int) -> TopicDraft | None:
    """The staff member's newest open draft among `drafts` (newest first)."""
    return next((draft for draft in drafts if draft.author_id == staff_id), None)
