"""Why an editorial action was refused: one base, a `code` for the page, a message in English."""

from __future__ import annotations

from bot.base.errors import PreventbotError
from bot.editorial.validation import Report
from bot.storage import TopicDraft


class EditorialError(PreventbotError):
    """An action that was refused; nothing was changed. `code` is stable, for the page."""

    code = "refused"


class NotFoundError(EditorialError):
    """No such topic, draft or version."""

    code = "not_found"


class NotAllowedError(EditorialError):
    """This person may not do this (role, own draft, state of the draft, bad topic id)."""

    code = "not_allowed"


class InvalidError(EditorialError):
    """The topic has problems that block it (the `content check` rules, by field)."""

    code = "invalid"

    def __init__(self, message: str, report: Report) -> None:
        super().__init__(message)
        self.report = report


class ConflictError(EditorialError):
    """Someone else changed the draft, or published the topic, since it was read.

    `draft` is the draft as it is now; `published` the topic file as it is now (None: no file).
    """

    code = "conflict"

    def __init__(
        self, message: str, draft: TopicDraft | None = None, published: str | None = None
    ) -> None:
        super().__init__(message)
        self.draft = draft
        self.published = published


class PublishError(EditorialError):
    """The topic file could not be written; the old file is intact, the draft still submitted."""

    code = "publish_failed"
