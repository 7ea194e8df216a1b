"""The workspace tables: staff, sign-in links, sessions, topic drafts, versions, audit."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.storage import StaleDraftError, Storage
from tests.helpers.project import NOW


async def test_staff_accounts_and_their_telegram_link(storage: Storage) -> None:
    ana = await storage.staff.add("Ana", "editor", "fr", NOW)
    await storage.staff.add("Bert", "reviewer", "nl", NOW)
    assert [m.name for m in await storage.staff.all()] == ["Ana", "Bert"]
    await storage.staff.change(ana.id, telegram_id=777, role="admin")
    linked = await storage.staff.by_telegram(777)
    assert linked is not None
    assert (linked.name, linked.role) == ("Ana", "admin")
    with pytest.raises(ValueError, match="not a staff field"):
        await storage.staff.change(ana.id, password="x")


async def test_a_signin_link_works_once_and_only_before_it_expires(storage: Storage) -> None:
    ana = await storage.staff.add("Ana", "editor", "fr", NOW)
    await storage.staff.add_link(ana.id, "hash-1", (NOW + timedelta(hours=24)).timestamp(), NOW)
    used = await storage.staff.use_link("hash-1", NOW + timedelta(hours=1))
    assert used is not None
    assert used.id == ana.id
    assert await storage.staff.use_link("hash-1", NOW + timedelta(hours=2)) is None  # once
    await storage.staff.add_link(ana.id, "hash-2", (NOW + timedelta(hours=24)).timestamp(), NOW)
    assert await storage.staff.use_link("hash-2", NOW + timedelta(hours=25)) is None  # expired
    assert await storage.staff.use_link("unknown", NOW) is None


async def test_a_deactivated_account_cannot_sign_in_or_keep_its_session(storage: Storage) -> None:
    ana = await storage.staff.add("Ana", "editor", "fr", NOW)
    later = (NOW + timedelta(hours=8)).timestamp()
    await storage.staff.add_session("session-hash", ana.id, "csrf", later, NOW)
    session = await storage.staff.session("session-hash", NOW)
    assert session is not None
    assert (session.staff.name, session.csrf) == ("Ana", "csrf")
    assert await storage.staff.session("session-hash", NOW + timedelta(hours=9)) is None
    await storage.staff.add_link(ana.id, "hash", later, NOW)
    await storage.staff.change(ana.id, active=False)
    assert await storage.staff.session("session-hash", NOW) is None
    assert await storage.staff.use_link("hash", NOW) is None
    await storage.staff.end_session("session-hash")
    await storage.staff.purge(NOW + timedelta(days=2))


async def test_a_draft_is_changed_only_from_the_revision_it_was_read_at(storage: Storage) -> None:
    ana = await storage.staff.add("Ana", "editor", "fr", NOW)
    draft = await storage.topic_drafts.create("plp.join", "id: plp.join\n", "abc", ana.id, NOW)
    assert (draft.status, draft.revision, draft.author_name) == ("draft", 1, "Ana")
    saved = await storage.topic_drafts.update(draft.id, 1, NOW, content="id: plp.join # 2\n")
    assert saved.revision == 2
    with pytest.raises(StaleDraftError):
        await storage.topic_drafts.update(draft.id, 1, NOW, content="a lost update")
    submitted = await storage.topic_drafts.update(draft.id, 2, NOW, status="submitted")
    assert [d.id for d in await storage.topic_drafts.find(("submitted",))] == [submitted.id]
    assert await storage.topic_drafts.find(("draft",), topic_id="plp.join") == []


async def test_published_versions_keep_author_and_reviewer(storage: Storage) -> None:
    ana = await storage.staff.add("Ana", "editor", "fr", NOW)
    bert = await storage.staff.add("Bert", "reviewer", "nl", NOW)
    draft = await storage.topic_drafts.create("plp.join", "v2", "h1", ana.id, NOW)
    await storage.topic_drafts.add_version("plp.join", "v1", "h1", None, None, NOW)
    later = NOW + timedelta(minutes=5)
    await storage.topic_drafts.add_version("plp.join", "v2", "h2", draft, bert.id, later)
    newest, oldest = await storage.topic_drafts.versions("plp.join")
    assert (newest.content, newest.author_name, newest.reviewer_name) == ("v2", "Ana", "Bert")
    assert (oldest.content, oldest.author_name) == ("v1", None)
    assert await storage.topic_drafts.version(newest.id) == newest


async def test_the_audit_log_is_read_newest_first(storage: Storage) -> None:
    ana = await storage.staff.add("Ana", "editor", "fr", NOW)
    await storage.audit.record(ana.id, "topic.edit", "plp.join", NOW)
    await storage.audit.record(None, "staff.invite", "staff:1", NOW, "role admin")
    first, second = await storage.audit.recent()
    assert (first.action, first.staff_name, first.detail) == ("staff.invite", None, "role admin")
    assert (second.action, second.staff_name) == ("topic.edit", "Ana")
    assert [e.action for e in await storage.audit.recent(subject="plp.join")] == ["topic.edit"]
