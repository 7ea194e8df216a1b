"""/signin through the real dialogue: a link for linked staff in private, nothing for others."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime

import pytest

from bot.app import assemble
from bot.base.settings import Settings
from bot.base.turns import Incoming
from bot.catalog.store import ContentStore
from bot.dialogue.router import Dialogue
from bot.staff.links import issue_telegram_code
from bot.staff.tokens import SIGNIN, digest
from bot.storage import Storage
from tests.helpers.content import real_content
from tests.helpers.db import rows
from tests.helpers.reminders import FakeNLU

LINK = re.compile(r"http://127\.0\.0\.1:8080/signin/([A-Za-z0-9_-]{43})")
TELEGRAM_USER = 5551234
GROUP = -100777


@pytest.fixture
def dialogue(settings: Settings, storage: Storage, clock: Callable[[], datetime]) -> Dialogue:
    """The dialogue with every registered flow; commands need no NLU."""
    content = ContentStore(settings.content_dir, real_content())
    return assemble(settings, content, FakeNLU(), storage, clock).dialogue


async def say(dialogue: Dialogue, chat_id: int, text: str) -> str:
    replies = await dialogue.process(chat_id, Incoming(text=text, language_code="en"))
    return "\n".join(reply.text for reply in replies)


async def linked_staff(storage: Storage, now: datetime, active: bool = True) -> int:
    member = await storage.staff.add("Eva", "editor", "en", now)
    await storage.staff.change(member.id, telegram_id=TELEGRAM_USER, active=active)
    return member.id


async def test_a_linked_staff_member_gets_a_fresh_link_in_private(
    dialogue: Dialogue, storage: Storage, clock: Callable[[], datetime]
) -> None:
    staff_id = await linked_staff(storage, clock())
    first = LINK.search(await say(dialogue, TELEGRAM_USER, "/signin"))
    second = LINK.search(await say(dialogue, TELEGRAM_USER, "/signin"))
    assert first is not None
    assert second is not None
    assert first[1] != second[1]
    # Stored as digests only, for this account.
    stored = await rows(storage, "SELECT token_hash, staff_id FROM signin_links")
    assert (digest(first[1], SIGNIN), staff_id) in stored
    assert all(first[1] not in row[0] for row in stored)


@pytest.mark.parametrize("chat_id", [TELEGRAM_USER + 1, GROUP])
async def test_others_get_no_link(
    dialogue: Dialogue, storage: Storage, clock: Callable[[], datetime], chat_id: int
) -> None:
    await linked_staff(storage, clock())
    answer = await say(dialogue, chat_id, "/signin")
    assert "/signin/" not in answer
    assert await rows(storage, "SELECT * FROM signin_links") == []


async def test_a_group_never_sees_a_link_even_for_the_staff_members_own_id(
    dialogue: Dialogue, storage: Storage, clock: Callable[[], datetime]
) -> None:
    await linked_staff(storage, clock())
    answer = await say(dialogue, GROUP, "/signin@preventbot")
    assert "private chat" in answer
    assert "/signin/" not in answer


async def test_a_closed_account_gets_the_neutral_answer(
    dialogue: Dialogue, storage: Storage, clock: Callable[[], datetime]
) -> None:
    await linked_staff(storage, clock(), active=False)
    unknown = await say(dialogue, TELEGRAM_USER + 1, "/signin")
    closed = await say(dialogue, TELEGRAM_USER, "/signin")
    assert closed == unknown  # nobody learns whether an account exists
    assert "/signin/" not in closed


async def test_a_code_from_the_workspace_links_the_telegram_account(
    dialogue: Dialogue, storage: Storage, clock: Callable[[], datetime]
) -> None:
    member = await storage.staff.add("Eva", "editor", "en", clock())
    code = await issue_telegram_code(storage.staff, member.id, clock())
    answer = await say(dialogue, TELEGRAM_USER, f"/signin {code}")
    assert LINK.search(answer) is not None
    linked = await storage.staff.by_telegram(TELEGRAM_USER)
    assert linked is not None
    assert linked.id == member.id
    # The code works once; a code is no sign-in link either.
    again = await say(dialogue, TELEGRAM_USER + 1, f"/signin {code}")
    assert "not valid" in again
    assert await storage.staff.use_link(digest(code, SIGNIN), clock()) is None


async def test_signin_is_not_in_the_public_command_menu(dialogue: Dialogue) -> None:
    found = dialogue.flows.command("signin")
    assert found is not None
    assert found[1].menu is False
