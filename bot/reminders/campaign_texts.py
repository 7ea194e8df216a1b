"""Campaign texts through review: a change of one campaign's messages is a draft, submitted,
then approved by a reviewer who did not write it (and written to `content/campaigns.yml`) or
sent back to its author.

The drafts live in the topic drafts' table under the id `campaign:<id>`, as YAML of just the
`message:` mapping; each step takes the draft's revision as read (optimistic lock), and each is
in the audit log. Approval writes the file through `bot/catalog/calendar_edit.py` (round trip,
checked by the calendar reader, atomic) and records the published messages as a version.

    texts = CampaignTexts(storage, content, now)
    draft = await texts.save("dark-season", messages, staff, revision=None, submit=True)
    await texts.approve(draft.id, draft.revision, reviewer)
"""

from __future__ import annotations

import asyncio
import unicodedata
from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Final

import yaml

from bot.base.errors import BotError
from bot.base.i18n import N_
from bot.base.languages import LANGUAGES
from bot.catalog.calendar_edit import (
    CalendarConflictError,
    CalendarEditError,
    messages_hash,
    publish_messages,
)
from bot.catalog.campaigns import MAX_MESSAGE, Campaign
from bot.catalog.store import ContentStore
from bot.storage import ROLES, StaffMember, StaleDraftError, Storage, TopicDraft
from bot.storage.topic_drafts import OPEN

PREFIX: Final = "campaign:"  # topic_drafts.topic_id of a campaign's draft
REVIEWER_RANK: Final = ROLES.index("reviewer")
NO_DRAFT: Final = N_("This draft does not exist or is no longer open.")
STALE: Final = N_("Someone changed this draft meanwhile. Reload the page and try again.")
CONFLICT: Final = N_(
    "The published texts changed since this draft was started: send it back to its author, "
    "who can save it again over the new texts."
)
NOT_WRITTEN: Final = N_("The calendar could not be written; nothing was changed.")


class CampaignTextError(BotError):
    """A step of the review that is refused; `text` is an interface message id to translate."""


def subject(campaign_id: str) -> str:
    """The draft's `topic_id` and the audit log's subject for a campaign."""
    return PREFIX + campaign_id


def clean_messages(fields: Mapping[str, str]) -> tuple[dict[str, str], dict[str, str]]:
    """The four messages from a form (spaces collapsed) and the problems by language (msgids)."""
    messages: dict[str, str] = {}
    problems: dict[str, str] = {}
    for language in LANGUAGES:
        text = " ".join(fields.get(language, "").split())
        messages[language] = text
        if not text:
            problems[language] = N_("Write the text in this language.")
        elif len(text) > MAX_MESSAGE:
            problems[language] = N_("The text is too long (1500 characters at most).")
        elif any(unicodedata.category(char) in ("Cc", "Cf", "Cs", "Co") for char in text):
            problems[language] = N_("The text contains characters that cannot be shown.")
    return messages, problems


def draft_yaml(messages: Mapping[str, str]) -> str:
    """A draft's content: YAML of the `message:` mapping, in the languages' order."""
    ordered = {language: messages[language] for language in LANGUAGES}
    return yaml.safe_dump({"message": ordered}, allow_unicode=True, sort_keys=False, width=88)


def draft_messages(draft: TopicDraft) -> dict[str, str]:
    """The messages a draft holds (empty texts for anything unreadable)."""
    data = yaml.safe_load(draft.content)
    found = data.get("message") if isinstance(data, dict) else None
    found = found if isinstance(found, dict) else {}
    return {language: str(found.get(language) or "") for language in LANGUAGES}


def is_reviewer(member: StaffMember) -> bool:
    """Reviewers and admins approve or send back other people's drafts."""
    return ROLES.index(member.role) >= REVIEWER_RANK


class CampaignTexts:
    """Drafts of campaign messages: save, submit, approve, send back, discard."""

    def __init__(self, storage: Storage, content: ContentStore, now: Callable[[], datetime]):
        self.storage, self.content, self.now = storage, content, now

    def campaign(self, campaign_id: str) -> Campaign | None:
        """The campaign as now published (the files are polled first: under 1 ms)."""
        self.content.reload_if_changed()
        return next((c for c in self.content.calendar if c.id == campaign_id), None)

    async def open_drafts(self) -> list[TopicDraft]:
        """Every open campaign draft, newest first."""
        drafts = await self.storage.topic_drafts.find(OPEN)
        return [draft for draft in drafts if draft.topic_id.startswith(PREFIX)]

    async def open_draft(self, campaign_id: str) -> TopicDraft | None:
        """The campaign's open draft, if any (there is at most one)."""
        found = await self.storage.topic_drafts.find(OPEN, subject(campaign_id))
        return found[0] if found else None

    async def draft(self, draft_id: int) -> TopicDraft:
        """An open campaign draft (CampaignTextError if there is none)."""
        draft = await self.storage.topic_drafts.get(draft_id)
        if draft is None or draft.status not in OPEN or not draft.topic_id.startswith(PREFIX):
            raise CampaignTextError(NO_DRAFT)
        return draft

    async def save(
        self,
        campaign_id: str,
        messages: Mapping[str, str],
        staff: StaffMember,
        revision: int | None,
        submit: bool = False,
    ) -> TopicDraft:
        """Start or change the campaign's draft (its author only); `submit` asks for review."""
        campaign = self.campaign(campaign_id)
        if campaign is None:
            raise CampaignTextError(N_("There is no such campaign."))
        base = messages_hash(campaign.messages)  # the texts the author saw beside the draft
        status = "submitted" if submit else "draft"
        content, now = draft_yaml(messages), self.now()
        draft = await self.open_draft(campaign_id)
        if draft is None:
            draft = await self.storage.topic_drafts.create(
                subject(campaign_id), content, base, staff.id, now
            )
            await self._audit(staff, "campaign.draft", draft)
            if not submit:
                return draft
            revision = draft.revision
        elif draft.author_id != staff.id:
            raise CampaignTextError(N_("Someone else is already changing these texts."))
        # Saving a submitted draft without submitting it takes it back out of the review.
        draft = await self._update(
            draft, revision, content=content, status=status, base_hash=base, review_comment=None
        )
        if submit:
            await self._audit(staff, "campaign.submit", draft)
        return draft

    async def approve(self, draft_id: int, revision: int, staff: StaffMember) -> TopicDraft:
        """Publish a submitted draft into the calendar (a reviewer who is not its author)."""
        draft = await self._reviewable(draft_id, staff)
        # Claim the draft first: two reviewers approving at once cannot both publish.
        claimed = await self._update(draft, revision, status="published", reviewer_id=staff.id)
        campaign_id = draft.topic_id.removeprefix(PREFIX)
        messages = draft_messages(draft)
        try:
            await asyncio.to_thread(
                publish_messages,
                self.content.root,
                campaign_id,
                messages,
                self.content.places,
                draft.base_hash,
            )
        except (CalendarEditError, OSError) as exc:
            await self._update(claimed, claimed.revision, status="submitted", reviewer_id=None)
            text = CONFLICT if isinstance(exc, CalendarConflictError) else NOT_WRITTEN
            raise CampaignTextError(text) from exc
        self.content.reload_if_changed()  # this process serves the new texts at once
        content = draft_yaml(messages)
        await self.storage.topic_drafts.add_version(
            draft.topic_id, content, messages_hash(messages), draft, staff.id, self.now()
        )
        await self._audit(staff, "campaign.approve", claimed)
        return claimed

    async def send_back(
        self, draft_id: int, revision: int, staff: StaffMember, comment: str
    ) -> TopicDraft:
        """Return a submitted draft to its author, with the reviewer's comment."""
        draft = await self._reviewable(draft_id, staff)
        note = " ".join(comment.split())[:1000] or None
        draft = await self._update(
            draft, revision, status="returned", reviewer_id=staff.id, review_comment=note
        )
        await self._audit(staff, "campaign.return", draft, note or "")
        return draft

    async def discard(self, draft_id: int, revision: int, staff: StaffMember) -> TopicDraft:
        """Drop an open draft (its author, or an admin)."""
        draft = await self.draft(draft_id)
        if draft.author_id != staff.id and staff.role != "admin":
            raise CampaignTextError(N_("Only its author or an administrator can discard a draft."))
        draft = await self._update(draft, revision, status="discarded")
        await self._audit(staff, "campaign.discard", draft)
        return draft

    async def _reviewable(self, draft_id: int, staff: StaffMember) -> TopicDraft:
        draft = await self.draft(draft_id)
        if not is_reviewer(staff):
            raise CampaignTextError(N_("Only reviewers and administrators can review a draft."))
        if draft.author_id == staff.id:
            raise CampaignTextError(N_("Someone else must review your own draft."))
        if draft.status != "submitted":
            raise CampaignTextError(N_("This draft has not been submitted for review."))
        return draft

    async def _update(
        self, draft: TopicDraft, revision: int | None, **values: object
    ) -> TopicDraft:
        try:
            return await self.storage.topic_drafts.update(
                draft.id, draft.revision if revision is None else revision, self.now(), **values
            )
        except StaleDraftError as exc:
            raise CampaignTextError(STALE) from exc

    async def _audit(
        self, staff: StaffMember, action: str, draft: TopicDraft, detail: str = ""
    ) -> None:
        detail = detail or f"draft {draft.id}"
        await self.storage.audit.record(staff.id, action, draft.topic_id, self.now(), detail)
