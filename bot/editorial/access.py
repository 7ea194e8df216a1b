"""Who may do what in the review of topics: roles, authors, the state of a draft, topic ids."""

from __future__ import annotations

from pathlib import Path
from typing import Final

from bot.catalog.topics import ID_PATTERN, TOPICS_DIR, topic_file
from bot.editorial.errors import NotAllowedError
from bot.storage import ROLES, StaffMember, TopicDraft

RANK: Final = {role: rank for rank, role in enumerate(ROLES)}  # editor < reviewer < admin
EDITOR: Final = "editor"
REVIEWER: Final = "reviewer"
ADMIN: Final = "admin"
EDITABLE: Final = ("draft", "returned", "submitted")  # a save sends a submitted draft back


def has_role(staff: StaffMember, role: str) -> bool:
    """Whether an active account has `role` or a higher one."""
    return staff.active and RANK.get(staff.role, -1) >= RANK[role]


def require_role(staff: StaffMember, role: str) -> None:
    """NotAllowedError unless the account has `role` or a higher one."""
    if not has_role(staff, role):
        raise NotAllowedError(f"{staff.name} is not allowed to do this (needs role {role})")


def require_author(draft: TopicDraft, staff: StaffMember) -> None:
    """Only the author works on their draft (a reviewer sends it back with a comment)."""
    require_role(staff, EDITOR)
    if draft.author_id != staff.id:
        raise NotAllowedError(f"draft {draft.id} is {draft.author_name or 'someone else'}'s")


def require_reviewer(draft: TopicDraft, staff: StaffMember) -> None:
    """A reviewer who is not the draft's author, on a submitted draft."""
    if draft.author_id == staff.id:
        raise NotAllowedError("an editor cannot review their own draft")
    require_role(staff, REVIEWER)
    require_status(draft, ("submitted",))


def require_status(draft: TopicDraft, statuses: tuple[str, ...]) -> None:
    """NotAllowedError unless the draft is in one of `statuses`."""
    if draft.status not in statuses:
        raise NotAllowedError(f"draft {draft.id} is {draft.status}")


def checked_path(root: Path, topic_id: str) -> Path:
    """The file of a topic id; NotAllowedError for anything but `group.name`.

    The pattern refuses `../x`, `a/b`, `/etc/x`, `a.b.c`, `.b`, `a.b\\n`; the path is checked
    too (one file directly in the topics folder), should the pattern ever be loosened.
    """
    if not ID_PATTERN.fullmatch(topic_id):
        raise NotAllowedError(
            f"topic id {topic_id!r} must be group.name: lowercase letters and _ around one dot"
        )
    path = topic_file(root, topic_id)
    if path.parent != root / TOPICS_DIR or path.name != f"{topic_id}.yml":
        raise NotAllowedError(f"topic id {topic_id!r} names a file outside the topics folder")
    return path
