"""Subscribing through the dialogue core: postcodes, names, typos, choices, limits, /forget."""

from __future__ import annotations

from datetime import time
from pathlib import Path

from bot.catalog.schedule import QuietHours
from bot.dialogue.router import Dialogue
from bot.reminders.announce import announcement_run
from bot.storage import Storage
from bot.storage.migrate import head_revision
from tests.helpers.db import rows
from tests.helpers.legacy import legacy_copy
from tests.helpers.project import BRUSSELS, NOW
from tests.helpers.reminders import buttons, press, say

NO_QUIET = QuietHours(time(0), time(0))


async def places_of(storage: Storage, chat_id: int) -> list[str]:
    return [s.nis for s in await storage.subscriptions.places_of(chat_id)]


async def test_subscribe_with_a_postcode(dialogue: Dialogue, storage: Storage) -> None:
    [reply] = await say(dialogue, 7, "/subscribe 4700")
    assert "Eupen" in reply.text
    assert "21:00" in reply.text  # the quiet hours, formatted for the user's locale
    assert "09:00" in reply.text
    assert await places_of(storage, 7) == ["63023"]
    user = await storage.users.get(7)
    assert user is not None
    assert user.language == "fr"
    assert user.pending is None


async def test_subscribe_asks_then_takes_a_name_in_any_language(
    dialogue: Dialogue, storage: Storage
) -> None:
    [question] = await say(dialogue, 7, "/subscribe")
    assert "4700" in question.text
    user = await storage.users.get(7)
    assert user is not None
    assert user.pending == "subscribe"
    await say(dialogue, 7, "Lüttich")
    await say(dialogue, 7, "/subscribe Elsene")
    await say(dialogue, 7, "/subscribe Braine-l'Alleud")
    assert sorted(await places_of(storage, 7)) == ["21009", "25014", "62063"]


async def test_a_typo_is_tolerated(dialogue: Dialogue, storage: Storage) -> None:
    [reply] = await say(dialogue, 7, "/subscribe Etterbek")
    assert "Etterbeek" in reply.text
    assert await places_of(storage, 7) == ["21005"]


async def test_an_ambiguous_postcode_asks_with_buttons(
    dialogue: Dialogue, storage: Storage
) -> None:
    [reply] = await say(dialogue, 7, "/subscribe 1040")
    choices = buttons(reply)
    assert set(choices.values()) >= {"subpick:21004", "subpick:21005"}
    assert await places_of(storage, 7) == []
    await press(dialogue, 7, choices["Etterbeek"])
    assert await places_of(storage, 7) == ["21005"]


async def test_unclear_name_offers_candidates_and_cancel(
    dialogue: Dialogue, storage: Storage
) -> None:
    [reply] = await say(dialogue, 7, "/subscribe Woluwe")
    data = set(buttons(reply).values())
    assert {"sub:21018", "sub:21019", "sub:cancel"} <= data
    await press(dialogue, 7, "sub:cancel")
    assert await places_of(storage, 7) == []


async def test_unknown_place_asks_again_once(dialogue: Dialogue, storage: Storage) -> None:
    await say(dialogue, 7, "/subscribe")
    await say(dialogue, 7, "Atlantis")
    user = await storage.users.get(7)
    assert user is not None
    assert user.pending == "subscribe:again"
    [reply] = await say(dialogue, 7, "Xyzzyville")
    assert "/subscribe 4700" in reply.text
    user = await storage.users.get(7)
    assert user is not None
    assert user.pending is None


async def test_at_most_five_places(dialogue: Dialogue, storage: Storage) -> None:
    for place in ("4700", "Kelmis", "Raeren", "Lontzen", "Bütgenbach"):
        await say(dialogue, 7, f"/subscribe {place}")
    assert len(await places_of(storage, 7)) == 5
    [reply] = await say(dialogue, 7, "/subscribe 1000")
    assert "5" in reply.text
    assert sum(data.startswith("unsub:") for data in buttons(reply).values()) == 6  # 5 + all
    assert "21004" not in await places_of(storage, 7)
    [reply] = await say(dialogue, 7, "/subscribe")
    assert "unsub:63023" in buttons(reply).values()
    [reply] = await say(dialogue, 7, "/subscribe 4700")  # already followed: says so
    assert len(await places_of(storage, 7)) == 5


async def test_unsubscribe_one_place_then_all(dialogue: Dialogue, storage: Storage) -> None:
    [reply] = await say(dialogue, 7, "/unsubscribe")
    assert reply.buttons == ()
    await say(dialogue, 7, "/subscribe 4700")
    await say(dialogue, 7, "/subscribe 9000")
    [menu] = await say(dialogue, 7, "/unsubscribe")
    assert set(buttons(menu).values()) == {"unsub:63023", "unsub:44021", "unsub:all"}
    [reply] = await press(dialogue, 7, "unsub:63023")
    assert "Eupen" in reply.text
    assert "Gand" in reply.text
    assert await places_of(storage, 7) == ["44021"]
    await press(dialogue, 7, "unsub:all")
    assert await places_of(storage, 7) == []


async def test_mydata_lists_the_places(dialogue: Dialogue) -> None:
    await say(dialogue, 7, "/subscribe 4700")
    await say(dialogue, 7, "/language de")
    await say(dialogue, 7, "/subscribe Luik")
    [reply] = await say(dialogue, 7, "/mydata")
    assert "Eupen" in reply.text
    assert "Lüttich" in reply.text


async def test_start_deep_link_subscribes(dialogue: Dialogue, storage: Storage) -> None:
    await say(dialogue, 7, "/start sub-4700")
    assert await places_of(storage, 7) == ["63023"]


async def test_forget_cascades_to_subscriptions_and_the_delivery_log(
    dialogue: Dialogue, storage: Storage
) -> None:
    await say(dialogue, 7, "/subscribe 4700")
    await say(dialogue, 8, "/subscribe 4700")
    run = announcement_run({"63023"}, {"fr": "x"}, 42, NOW, NO_QUIET, BRUSSELS)
    assert await storage.deliveries.plan(run, NOW, "fr") == 2
    [confirm] = await say(dialogue, 7, "/forget")
    assert "forget:yes" in buttons(confirm).values()
    await press(dialogue, 7, "forget:yes")
    assert await storage.users.get(7) is None
    assert await places_of(storage, 7) == []
    assert await rows(storage, "SELECT chat_id FROM deliveries") == [(8,)]
    assert await places_of(storage, 8) == ["63023"]


async def test_a_version_2_database_is_upgraded_keeping_its_users(tmp_path: Path) -> None:
    path = legacy_copy(2, tmp_path / "old.sqlite3")  # users 7, 8, 9, 42 and a supergroup
    storage = await Storage.open(path)
    try:
        assert await storage.revision() == head_revision()
        await storage.subscriptions.add(7, "44021", "nl", NOW, 5)
        assert await places_of(storage, 7) == ["44021"]
    finally:
        await storage.close()
