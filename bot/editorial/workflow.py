"""The review of topic edits: a change is a draft, submitted, then approved (published) or sent
back. Every action is in the audit log; every step takes the draft's revision as read, so two
people working on one draft, or one topic, see a conflict instead of overwriting each other.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from bot.base.settings import Settings
from bot.catalog.store import ContentStore
from bot.catalog.topics import ID_PATTERN, Catalog
from bot.catalog.writing import content_hash, read_text
from bot.editorial.access import (
    EDITABLE,
    EDITOR,
    checked_path,
    require_author,
    require_reviewer,
    require_role,
    require_status,
)
from bot.editorial.document import apply_to_yaml, new_topic_yaml
from bot.editorial.errors import ConflictError, InvalidError, NotAllowedError, NotFoundError
from bot.editorial.form import TopicForm, form_from_yaml
from bot.editorial.history import diff_texts, merge
from bot.editorial.validation import Report, Rules, validate, validate_text
from bot.storage import StaffMember, StaleDraftError, Storage, TopicDraft
from bot.storage.topic_drafts import OPEN


@dataclass(frozen=True, slots=True)
class Saved:
    """A saved draft, its check, and whether the topic was published since it started."""

    draft: TopicDraft
    report: Report
    outdated: bool


@dataclass(frozen=True, slots=True)
class Rebased:
    """A draft moved onto the topic as now published; `conflicts`: fields both sides changed."""

    draft: TopicDraft
    conflicts: tuple[str, ...]


class Drafts:
    """Drafts of topics: start, save, submit, send back, discard, bring up to date."""

    def __init__(
        self,
        storage: Storage,
        content: ContentStore,
        settings: Settings,
        now: Callable[[], datetime],
        rules: Rules | None = None,
    ) -> None:
        self.storage, self.content, self.settings, self.now = storage, content, settings, now
        self._rules = rules
        self._lock = asyncio.Lock()  # one publication at a time (in this process)

    @property
    def rules(self) -> Rules:
        """The `content check` rules (the training data is read on first use)."""
        if self._rules is None:
            found = Rules.from_settings(self.settings)
            self._rules = Rules(self.content.root, found.trusted, found.blocked, found.intents)
        return self._rules

    @property
    def catalog(self) -> Catalog:
        """The topics and menu as now published (the files are polled first: under 1 ms)."""
        self.content.reload_if_changed()
        return self.content.catalog

    def today(self) -> date:
        """Today in the bot's time zone (the `reviewed` date)."""
        return self.now().astimezone(self.settings.timezone).date()

    def path(self, topic_id: str) -> Path:
        """The file of a topic (NotAllowedError for an id that is not `group.name`)."""
        return checked_path(self.content.root, topic_id)

    def published(self, topic_id: str) -> str | None:
        """The topic's file as published now (None: no such file)."""
        return read_text(self.path(topic_id))

    def form(self, draft: TopicDraft) -> TopicForm:
        """The draft as a form to edit."""
        return form_from_yaml(draft.content)

    def check(self, form: TopicForm) -> Report:
        """The `content check` rules on a form, by field (the live check as one types)."""
        return validate(form, self.catalog, self.rules)

    def outdated(self, draft: TopicDraft) -> bool:
        """Whether the topic was published (or created) since the draft started."""
        return content_hash(self.published(draft.topic_id)) != draft.base_hash

    def changes(self, draft: TopicDraft) -> dict[str, list[str]]:
        """What the draft changes in the published topic, by section (for the reviewer)."""
        return diff_texts(self.published(draft.topic_id), draft.content)

    async def draft(self, draft_id: int) -> TopicDraft:
        """One draft (NotFoundError if there is none)."""
        draft = await self.storage.topic_drafts.get(draft_id)
        if draft is None:
            raise NotFoundError(f"no draft {draft_id}")
        return draft

    async def open_drafts(self, topic_id: str | None = None) -> list[TopicDraft]:
        """Drafts not yet published or discarded, newest first (of one topic, or all topics:
        campaign texts share the table as `campaign:<id>`, bot/reminders/campaign_texts.py)."""
        drafts = await self.storage.topic_drafts.find(OPEN, topic_id)
        return [draft for draft in drafts if ID_PATTERN.match(draft.topic_id)]

    async def start(self, topic_id: str, staff: StaffMember) -> TopicDraft:
        """The person's open draft of a topic, or a new one from the published file."""
        require_role(staff, EDITOR)
        text = self.published(topic_id)
        if text is None:
            raise NotFoundError(f"no topic {topic_id}")
        mine = [d for d in await self.open_drafts(topic_id) if d.author_id == staff.id]
        if mine:
            return mine[0]
        await self.remember(topic_id, text)
        draft = await self.storage.topic_drafts.create(
            topic_id, text, content_hash(text), staff.id, self.now()
        )
        await self.audit(staff, "topic.edit", topic_id, f"draft {draft.id}")
        return draft

    async def new_topic(self, topic_id: str, group: str, staff: StaffMember) -> TopicDraft:
        """A draft of a new topic; its file (and its place in the menu) appear on approval."""
        require_role(staff, EDITOR)
        path = self.path(topic_id)
        if path.exists() or topic_id in self.catalog.topics:
            raise NotAllowedError(f"topic {topic_id} already exists")
        if self.catalog.group(group) is None:
            raise NotAllowedError(f"no menu group '{group}'")
        others = await self.open_drafts(topic_id)
        if others:
            who = others[0].author_name or "someone"
            raise NotAllowedError(f"{who} is already writing {topic_id} (draft {others[0].id})")
        text = new_topic_yaml(topic_id, group, self.today())
        draft = await self.storage.topic_drafts.create(topic_id, text, None, staff.id, self.now())
        await self.audit(staff, "topic.new", topic_id, f"draft {draft.id}, group {group}")
        return draft

    async def save(
        self, draft_id: int, revision: int, form: TopicForm, staff: StaffMember
    ) -> Saved:
        """Store the form in the draft (a submitted draft goes back to `draft`)."""
        draft = await self.at(draft_id, revision)
        require_author(draft, staff)
        require_status(draft, EDITABLE)
        if form.id != draft.topic_id:
            raise NotAllowedError(f"draft {draft.id} is about {draft.topic_id}, not {form.id}")
        content = apply_to_yaml(draft.content, form)
        draft = await self.update(draft, revision, content=content, status="draft")
        await self.audit(staff, "topic.save", draft.topic_id, f"draft {draft.id}")
        return Saved(draft, self.check(form), self.outdated(draft))

    async def submit(
        self, draft_id: int, revision: int, comment: str, staff: StaffMember
    ) -> TopicDraft:
        """Ask for a review, with a note to the reviewer; refused while the check finds errors."""
        draft = await self.at(draft_id, revision)
        require_author(draft, staff)
        require_status(draft, ("draft", "returned"))
        self.require_valid(draft)
        self.require_current(draft)
        draft = await self.update(draft, revision, status="submitted", comment=comment.strip())
        await self.audit(staff, "topic.submit", draft.topic_id, f"draft {draft.id}: {comment}")
        return draft

    async def return_to_author(
        self, draft_id: int, revision: int, comment: str, reviewer: StaffMember
    ) -> TopicDraft:
        """Send a submitted draft back to its author with the reviewer's comment (required)."""
        draft = await self.at(draft_id, revision)
        require_reviewer(draft, reviewer)
        if not comment.strip():
            raise NotAllowedError("say what to change: the comment is required")
        draft = await self.update(
            draft,
            revision,
            status="returned",
            review_comment=comment.strip(),
            reviewer_id=reviewer.id,
        )
        await self.audit(reviewer, "topic.return", draft.topic_id, f"draft {draft.id}: {comment}")
        return draft

    async def discard(self, draft_id: int, revision: int, staff: StaffMember) -> TopicDraft:
        """Drop an open draft (its author, or an admin)."""
        draft = await self.at(draft_id, revision)
        if draft.author_id != staff.id:
            require_role(staff, "admin")
        require_status(draft, OPEN)
        draft = await self.update(draft, revision, status="discarded")
        await self.audit(staff, "topic.discard", draft.topic_id, f"draft {draft.id}")
        return draft

    async def rebase(self, draft_id: int, revision: int, staff: StaffMember) -> Rebased:
        """Bring a draft up to the topic as now published, keeping its own changes."""
        draft = await self.at(draft_id, revision)
        require_author(draft, staff)
        require_status(draft, EDITABLE)
        published = self.published(draft.topic_id)
        if published is None:
            raise NotFoundError(f"topic {draft.topic_id} is no longer published")
        base = await self.version_text(draft.topic_id, draft.base_hash)
        merged, conflicts = merge(
            form_from_yaml(base) if base else None, form_from_yaml(published), self.form(draft)
        )
        draft = await self.update(
            draft,
            revision,
            content=apply_to_yaml(published, merged),
            base_hash=content_hash(published),
            status="draft",
        )
        detail = f"draft {draft.id}, conflicts: {', '.join(conflicts) or 'none'}"
        await self.audit(staff, "topic.rebase", draft.topic_id, detail)
        return Rebased(draft, conflicts)

    def require_valid(self, draft: TopicDraft) -> Report:
        """The draft's check; InvalidError if it has errors."""
        report = validate_text(draft.content, self.catalog, self.rules)
        if not report.ok:
            raise InvalidError(f"draft {draft.id} has problems to fix first", report)
        return report

    def require_current(self, draft: TopicDraft) -> str | None:
        """The published file, if the draft started from it; ConflictError otherwise."""
        published = self.published(draft.topic_id)
        if content_hash(published) != draft.base_hash:
            what = "published" if draft.base_hash is None else "changed"
            raise ConflictError(
                f"{draft.topic_id} was {what} by someone else since this draft started: "
                "bring the draft up to date first",
                draft,
                published,
            )
        return published

    async def at(self, draft_id: int, revision: int) -> TopicDraft:
        """The draft, if it is still at `revision`; ConflictError otherwise."""
        draft = await self.draft(draft_id)
        if draft.revision != revision:
            raise ConflictError(_changed(draft, revision), draft)
        return draft

    async def update(self, draft: TopicDraft, revision: int, **values: object) -> TopicDraft:
        """Change the draft read at `revision` (ConflictError if someone did meanwhile)."""
        try:
            return await self.storage.topic_drafts.update(draft.id, revision, self.now(), **values)
        except StaleDraftError:
            current = await self.draft(draft.id)
            raise ConflictError(_changed(current, revision), current) from None

    async def remember(self, topic_id: str, text: str) -> None:
        """Record the published file in the history unless it is the latest version there
        (the first edit of a topic, or an edit made outside the workspace)."""
        versions = await self.storage.topic_drafts.versions(topic_id)
        digest = content_hash(text)
        if digest is not None and (not versions or versions[0].content_hash != digest):
            await self.storage.topic_drafts.add_version(
                topic_id, text, digest, None, None, self.now()
            )

    async def version_text(self, topic_id: str, digest: str | None) -> str | None:
        """The text of the topic's version with this hash, if the history has it."""
        versions = await self.storage.topic_drafts.versions(topic_id)
        return next((v.content for v in versions if v.content_hash == digest), None)

    async def audit(self, staff: StaffMember, action: str, topic_id: str, detail: str) -> None:
        """One entry in the audit log."""
        await self.storage.audit.record(staff.id, action, topic_id, self.now(), detail)


def _changed(draft: TopicDraft, revision: int) -> str:
    return (
        f"draft {draft.id} was changed since you opened it (revision {revision}, now "
        f"{draft.revision}, {draft.updated_at:%Y-%m-%d %H:%M}): your changes were not saved; "
        "reload the draft"
    )
