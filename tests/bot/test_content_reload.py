"""Live reload: an edit reaches the running bot; a broken edit keeps the last good content."""

from __future__ import annotations

import io
import os
import shutil
from dataclasses import replace
from pathlib import Path

import pytest

from bot.app import assemble
from bot.base.turns import Incoming
from bot.catalog.store import ContentStore
from bot.channels.console import ConsoleChat
from bot.dialogue.router import Dialogue
from bot.dialogue.services import Services
from tests.conftest import project_path

NEW_SENTENCE = "Ceci est une réponse modifiée par le service de prévention pour le test."


@pytest.fixture
def live(services: Services, tmp_path: Path) -> Services:
    """The services serving a writable copy of the content."""
    root = tmp_path / "content"
    shutil.copytree(project_path("content"), root)
    settings = replace(services.settings, content_dir=root)
    content = ContentStore.load(root)
    return assemble(
        settings, content, services.nlu, services.storage, services.now, services.translator
    )


def edit(root: Path, old: str, new: str) -> None:
    path = root / "topics" / "plp.join.yml"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    # Make the change visible even on file systems with coarse timestamps.
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 2_000_000_000))


async def ask(dialogue: Dialogue, chat_id: int = 5) -> str:
    replies = await dialogue.process(chat_id, Incoming(callback="topic:plp.join@fr"))
    return replies[0].text


async def test_an_edit_reaches_the_running_bot(live: Services) -> None:
    store = live.content
    before = await ask(live.dialogue)
    assert store.reload_if_changed() is None
    edit(store.root, "  answer: |\n", f"  answer: |\n    {NEW_SENTENCE}\n")
    result = store.reload_if_changed()
    assert result is not None
    assert result.changed
    after = await ask(live.dialogue)
    assert NEW_SENTENCE in after
    assert after != before


async def test_a_broken_edit_keeps_the_old_answer_and_tells_the_admin(live: Services) -> None:
    store = live.content
    before = await ask(live.dialogue)
    edit(store.root, "group: plp", "group: [plp")
    result = store.reload_if_changed()
    assert result is not None
    assert not result.changed
    assert any("plp.join.yml" in str(problem) for problem in result.problems)
    assert await ask(live.dialogue) == before
    admin = await live.dialogue.process(42, Incoming(text="/reload"))
    assert "plp.join.yml:" in admin[0].text
    assert "invalid YAML" in admin[0].text
    assert await ask(live.dialogue) == before


async def test_the_local_chat_picks_up_edits_before_each_message(live: Services) -> None:
    out = io.StringIO()
    chat = ConsoleChat(live, out)
    edit(live.content.root, "  answer: |\n", f"  answer: |\n    {NEW_SENTENCE}\n")
    replies = await chat.send("comment rejoindre un PLP ?")
    assert NEW_SENTENCE in replies[0].text
    edit(live.content.root, "group: plp", "group: [plp")
    replies = await chat.send("comment rejoindre un PLP ?")
    assert NEW_SENTENCE in replies[0].text
    assert "content edit rejected" in out.getvalue()
