"""Live reload: an edit reaches the running bot; a broken edit keeps the last good content.

One rule for all of `content/`: topics and menu, the campaign calendar and the places.
"""

from __future__ import annotations

import io
import shutil
from dataclasses import replace
from pathlib import Path

import pytest

from bot.app import assemble
from bot.base.turns import Incoming
from bot.catalog.store import ContentStore, ReloadResult
from bot.channels.console import ConsoleChat
from bot.dialogue.router import Dialogue
from bot.dialogue.services import Services
from bot.reminders.delivery import plan_due
from tests.helpers.content import campaign, touch
from tests.helpers.project import NOW, project_path
from tests.helpers.reminders import add_subscriber

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


def edit(root: Path, old: str, new: str, name: str = "topics/plp.join.yml") -> Path:
    path = root / name
    text = path.read_text(encoding="utf-8")
    assert old in text
    touch(path, text.replace(old, new, 1))
    return path


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


async def test_a_calendar_edit_reaches_the_reminders_without_a_restart(live: Services) -> None:
    store = live.content
    await add_subscriber(live.storage, 1, "63023")
    touch(store.root / "campaigns.yml", campaign(id="new-campaign"))
    assert await plan_due(live, live.storage.deliveries, NOW) == 0  # not reloaded yet
    result = store.reload_if_changed()
    assert result is not None
    assert result.changed
    assert [c.id for c in store.calendar] == ["new-campaign"]
    assert await plan_due(live, live.storage.deliveries, NOW) == 1


async def test_a_broken_calendar_edit_keeps_the_last_good_calendar(live: Services) -> None:
    store = live.content
    before = store.snapshot
    path = edit(store.root, '\n      time: "10:00"', '\n      time: "25:00"', name="campaigns.yml")
    result = store.reload_if_changed()
    assert result is not None
    assert not result.changed
    line = path.read_text(encoding="utf-8").splitlines().index('      time: "25:00"') + 1
    assert [str(problem) for problem in result.problems] == [
        f'{path}:{line}: when.time must be a quoted local time, e.g. "10:00"'
    ]
    assert store.snapshot is before
    assert store.reload_if_changed() is None  # reported once, not at every poll
    admin = await live.dialogue.process(42, Incoming(text="/reload"))
    assert "campaigns.yml:" in admin[0].text


async def test_a_broken_places_edit_keeps_the_last_good_places(live: Services) -> None:
    store = live.content
    before = store.snapshot
    path = edit(store.root, "4700,63023", "4700,99999", name="places/postcodes.csv")
    result = store.reload_if_changed()
    assert result is not None
    assert not result.changed
    line = path.read_text(encoding="utf-8").splitlines().index("4700,99999") + 1
    assert str(result.problems[0]) == f"{path}:{line}: unknown NIS 99999"
    assert store.snapshot is before
    [reply] = await live.dialogue.process(7, Incoming(text="/subscribe 4700"))
    assert "Eupen" in reply.text  # still served from the last good places


async def test_only_the_changed_part_is_read_again(live: Services) -> None:
    store = live.content
    before = store.snapshot
    touch(store.root / "campaigns.yml", campaign(id="new-campaign"))
    assert store.reload_if_changed() == ReloadResult(True)
    assert store.catalog is before.catalog
    assert store.places is before.places
    edit(store.root, "group: plp", "group: plp  # edited")
    assert store.reload_if_changed() == ReloadResult(True)
    assert store.catalog is not before.catalog
    assert store.places is before.places
