"""Campaign texts through review: who may do what, conflicts, and what approval writes."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.base.languages import LANGUAGES
from bot.base.settings import Settings
from bot.catalog.campaigns import CALENDAR_FILE
from bot.catalog.store import ContentStore
from bot.editorial import Editorial, topic_rows
from bot.reminders.campaign_texts import (
    CampaignTextError,
    CampaignTexts,
    clean_messages,
    draft_messages,
)
from bot.storage import StaffMember, Storage
from tests.helpers.content import calendar_store, touch, write_calendar
from tests.helpers.db import rows
from tests.helpers.project import NOW, project_path

REAL = project_path("content", CALENDAR_FILE).read_text(encoding="utf-8")
NEW = {code: f"Nouveau texte {code} pour la saison sombre." for code in LANGUAGES}


@pytest.fixture
def content(tmp_path: Path) -> ContentStore:
    return calendar_store(write_calendar(tmp_path / "content", REAL))


@pytest.fixture
def texts(storage: Storage, content: ContentStore) -> CampaignTexts:
    return CampaignTexts(storage, content, lambda: NOW)


async def member(storage: Storage, role: str, name: str) -> StaffMember:
    return await storage.staff.add(name, role, "fr", NOW)


def test_clean_messages_finds_the_problems_by_language() -> None:
    messages, problems = clean_messages(
        {"fr": "  Un\n texte  ", "nl": "", "de": "x" * 1501, "en": "bell \x07"}
    )
    assert messages["fr"] == "Un texte"
    assert set(problems) == {"nl", "de", "en"}
    assert "too long" in problems["de"]
    assert "cannot be shown" in problems["en"]


async def test_a_reviewer_publishes_another_editors_draft(
    texts: CampaignTexts, storage: Storage, content: ContentStore
) -> None:
    eva, rik = await member(storage, "editor", "Eva"), await member(storage, "reviewer", "Rik")
    draft = await texts.save("dark-season", NEW, eva, None, submit=True)
    assert draft.status == "submitted"
    assert draft.topic_id == "campaign:dark-season"
    assert draft_messages(draft) == NEW

    published = await texts.approve(draft.id, draft.revision, rik)

    assert published.status == "published"
    assert texts.campaign("dark-season").messages == NEW  # the store serves the new texts
    assert "Nouveau texte de pour la saison sombre." in (content.root / CALENDAR_FILE).read_text()
    versions = await storage.topic_drafts.versions("campaign:dark-season")
    assert [(v.author_name, v.reviewer_name) for v in versions] == [("Eva", "Rik")]
    audit = await rows(storage, "SELECT staff_id, action, subject FROM audit_log ORDER BY id")
    assert audit == [
        (eva.id, "campaign.draft", "campaign:dark-season"),
        (eva.id, "campaign.submit", "campaign:dark-season"),
        (rik.id, "campaign.approve", "campaign:dark-season"),
    ]
    assert await texts.open_draft("dark-season") is None


@pytest.mark.parametrize("role", ["editor", "reviewer", "admin"])
async def test_nobody_approves_their_own_draft(
    texts: CampaignTexts, storage: Storage, role: str
) -> None:
    author = await member(storage, role, "Author")
    draft = await texts.save("dark-season", NEW, author, None, submit=True)
    with pytest.raises(CampaignTextError):
        await texts.approve(draft.id, draft.revision, author)
    assert (await texts.draft(draft.id)).status == "submitted"


async def test_an_editor_cannot_review_and_a_draft_must_be_submitted(
    texts: CampaignTexts, storage: Storage
) -> None:
    eva, ben = await member(storage, "editor", "Eva"), await member(storage, "editor", "Ben")
    rik = await member(storage, "reviewer", "Rik")
    draft = await texts.save("dark-season", NEW, eva, None)
    with pytest.raises(CampaignTextError, match="not been submitted"):
        await texts.approve(draft.id, draft.revision, rik)
    draft = await texts.save("dark-season", NEW, eva, draft.revision, submit=True)
    with pytest.raises(CampaignTextError, match="Only reviewers"):
        await texts.approve(draft.id, draft.revision, ben)
    with pytest.raises(CampaignTextError, match="Someone else is already"):
        await texts.save("dark-season", NEW, ben, None)


async def test_a_returned_draft_goes_back_to_its_author_with_the_comment(
    texts: CampaignTexts, storage: Storage
) -> None:
    eva, rik = await member(storage, "editor", "Eva"), await member(storage, "reviewer", "Rik")
    draft = await texts.save("dark-season", NEW, eva, None, submit=True)
    returned = await texts.send_back(draft.id, draft.revision, rik, "  Trop   long. ")
    assert (returned.status, returned.review_comment) == ("returned", "Trop long.")
    again = await texts.save("dark-season", NEW, eva, returned.revision, submit=True)
    assert (again.status, again.review_comment) == ("submitted", None)


async def test_a_stale_revision_is_refused(texts: CampaignTexts, storage: Storage) -> None:
    eva, rik = await member(storage, "editor", "Eva"), await member(storage, "reviewer", "Rik")
    draft = await texts.save("dark-season", NEW, eva, None, submit=True)
    await texts.save("dark-season", NEW | {"fr": "Autre."}, eva, draft.revision, submit=True)
    with pytest.raises(CampaignTextError, match="changed this draft meanwhile"):
        await texts.approve(draft.id, draft.revision, rik)


async def test_texts_changed_in_the_file_meanwhile_are_not_overwritten(
    texts: CampaignTexts, storage: Storage, content: ContentStore
) -> None:
    eva, rik = await member(storage, "editor", "Eva"), await member(storage, "reviewer", "Rik")
    draft = await texts.save("dark-season", NEW, eva, None, submit=True)
    by_hand = REAL.replace("Cette nuit, nous passons", "Cette nuit, on passe")
    touch(content.root / CALENDAR_FILE, by_hand)  # someone edits the file by hand

    with pytest.raises(CampaignTextError, match="published texts changed"):
        await texts.approve(draft.id, draft.revision, rik)

    assert (content.root / CALENDAR_FILE).read_text(encoding="utf-8") == by_hand
    assert (await texts.draft(draft.id)).status == "submitted"  # still there to send back
    assert await storage.topic_drafts.versions("campaign:dark-season") == []


async def test_a_draft_is_discarded_by_its_author_or_an_admin(
    texts: CampaignTexts, storage: Storage
) -> None:
    eva, rik = await member(storage, "editor", "Eva"), await member(storage, "reviewer", "Rik")
    ada = await member(storage, "admin", "Ada")
    draft = await texts.save("dark-season", NEW, eva, None)
    with pytest.raises(CampaignTextError, match="Only its author"):
        await texts.discard(draft.id, draft.revision, rik)
    assert (await texts.discard(draft.id, draft.revision, ada)).status == "discarded"
    with pytest.raises(CampaignTextError, match="no longer open"):
        await texts.discard(draft.id, draft.revision + 1, eva)


async def test_campaign_drafts_stay_out_of_the_topic_editors_lists(
    texts: CampaignTexts, storage: Storage, content: ContentStore, settings: Settings
) -> None:
    eva = await member(storage, "editor", "Eva")
    await texts.save("dark-season", NEW, eva, None, submit=True)
    editorial = Editorial(storage, content, settings, lambda: NOW)
    assert await editorial.open_drafts() == []
    rows_ = await topic_rows(content.catalog, storage, "fr", NOW.date(), 365)
    assert all(row.id != "campaign:dark-season" for row in rows_)
    assert len(rows_) == len(content.catalog.topics)
