"""`Editorial`, what the workspace's pages call: drafts (bot.editorial.workflow), and here the
approval that publishes a topic, its history, and restoring an old version as a new draft.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from pathlib import Path

from bot.catalog.menu import MENU_FILE
from bot.catalog.writing import (
    content_hash,
    folder_lock,
    read_text,
    restore_files,
    write_files,
)
from bot.editorial.access import EDITOR, require_reviewer, require_role
from bot.editorial.document import add_to_menu, apply_to_yaml, set_review
from bot.editorial.errors import NotFoundError, PublishError
from bot.editorial.form import form_from_yaml
from bot.editorial.history import diff_texts
from bot.editorial.workflow import Drafts
from bot.storage import StaffMember, TopicDraft, TopicVersion

logger = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Published:
    """An approved draft: the file written, and its text."""

    draft: TopicDraft
    path: Path
    content: str


class Editorial(Drafts):
    """Editing, review and publishing of topics, for the workspace's pages."""

    async def approve(self, draft_id: int, revision: int, reviewer: StaffMember) -> Published:
        """Publish a submitted draft: the file written atomically, with `reviewed` (today) and
        `reviewed_by` (the reviewer's name); a new topic also joins its menu group.

        Refused, with nothing written, for the draft's author or anyone below reviewer, when the
        check finds errors (InvalidError), or when the topic was published since the draft
        started (ConflictError); PublishError when the file cannot be written (the old one stays,
        the draft stays submitted).
        """
        async with self._lock, folder_lock(self.content.root):
            draft = await self.at(draft_id, revision)
            require_reviewer(draft, reviewer)
            self.require_valid(draft)
            published = self.require_current(draft)
            text = set_review(draft.content, self.today(), reviewer.name)
            path = self.path(draft.topic_id)
            changes = [(path, text), *self._menu_change(draft.topic_id, text)]
            if published is not None:
                await self.remember(draft.topic_id, published)  # history starts from it
            olds = await self._write(changes, draft, reviewer)
            try:
                draft = await self.update(
                    draft, revision, status="published", reviewer_id=reviewer.id
                )
            except BaseException:
                logger.warning("Undoing the publication of %s", draft.topic_id)
                restore_files(olds)
                raise
            await self.storage.topic_drafts.add_version(
                draft.topic_id, text, content_hash(text) or "", draft, reviewer.id, self.now()
            )
            await self.audit(reviewer, "topic.approve", draft.topic_id, f"draft {draft.id}")
        self._reload()
        return Published(draft, path, text)

    def _menu_change(self, topic_id: str, text: str) -> list[tuple[Path, str]]:
        """`menu.yml` with the topic in its group, unless it is there already."""
        group_id = form_from_yaml(text).group
        group = self.catalog.group(group_id)
        if group is not None and topic_id in group.topics:
            return []
        menu = self.content.root / MENU_FILE
        return [(menu, add_to_menu(read_text(menu) or "", group_id, topic_id))]

    async def _write(
        self, changes: list[tuple[Path, str]], draft: TopicDraft, reviewer: StaffMember
    ) -> list[tuple[Path, str | None]]:
        try:
            return await asyncio.to_thread(write_files, changes)
        except OSError as exc:
            logger.exception("Publishing %s failed; the old files stay", draft.topic_id)
            await self.audit(reviewer, "topic.publish_failed", draft.topic_id, str(exc))
            raise PublishError(f"{draft.topic_id} could not be written: {exc}") from exc

    def _reload(self) -> None:
        """Serve the new file in this process now (the bot's own watcher polls anyway)."""
        result = self.content.reload_if_changed()
        if result is not None and result.problems:
            logger.warning("Published content was rejected: %s", result.problems[0])

    async def history(self, topic_id: str) -> list[TopicVersion]:
        """The published versions of a topic, newest first (author, reviewer, time, text)."""
        self.path(topic_id)
        return await self.storage.topic_drafts.versions(topic_id)

    async def version(self, version_id: int) -> TopicVersion:
        """One published version (NotFoundError if there is none)."""
        found = await self.storage.topic_drafts.version(version_id)
        if found is None:
            raise NotFoundError(f"no version {version_id}")
        return found

    async def diff(self, version_a: int, version_b: int) -> dict[str, list[str]]:
        """What changed from version a to version b, as unified-diff lines by section."""
        old, new = await self.version(version_a), await self.version(version_b)
        return diff_texts(old.content, new.content)

    async def restore(self, version_id: int, staff: StaffMember) -> TopicDraft:
        """A new draft with an old version's texts on the file as now published; it goes
        through review like any other change."""
        require_role(staff, EDITOR)
        old = await self.version(version_id)
        published = self.published(old.topic_id)
        content = old.content
        if published is not None:
            await self.remember(old.topic_id, published)
            content = apply_to_yaml(published, form_from_yaml(old.content))
        draft = await self.storage.topic_drafts.create(
            old.topic_id, content, content_hash(published), staff.id, self.now()
        )
        detail = f"draft {draft.id} from version {version_id}"
        await self.audit(staff, "topic.restore", old.topic_id, detail)
        return draft
