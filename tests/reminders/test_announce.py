"""Admin announcements: the /announce steps through the dialogue core, refusal for others, CLI."""

from __future__ import annotations

import argparse
import io
from collections import Counter
from dataclasses import replace
from datetime import datetime

from bot.base.settings import Settings
from bot.catalog.store import ContentStore
from bot.cli.reminders import CliServices, _announce
from bot.dialogue.router import Dialogue
from bot.dialogue.services import Services
from bot.reminders.announce import parse_texts, resolve_places
from bot.reminders.delivery import run_due_pass
from bot.reminders.ratelimit import TokenBucket
from bot.storage import Storage
from tests.helpers.content import real_content
from tests.helpers.project import BRUSSELS, NOW
from tests.helpers.reminders import (
    ADMIN,
    Clock,
    FakeSender,
    add_subscriber,
    buttons,
    press,
    say,
    shared_translator,
)

EUPEN, KELMIS, GENT = "63023", "63040", "44021"


async def planned_rows(storage: Storage) -> int:
    return sum((await storage.deliveries.counts()).values())


async def test_an_admin_announces_to_the_places_chosen(
    services: Services, dialogue: Dialogue, storage: Storage, clock: Clock, limiter: TokenBucket
) -> None:
    await add_subscriber(storage, 1, EUPEN, "fr")
    await add_subscriber(storage, 2, KELMIS, "de")
    await add_subscriber(storage, 3, EUPEN, "nl")  # no Dutch text: gets the default (fr)
    await add_subscriber(storage, 4, GENT, "nl")  # elsewhere: nothing
    [ask] = await say(dialogue, ADMIN, "/announce")
    assert "4700" in ask.text
    [targets] = await say(dialogue, ADMIN, "4700, Kelmis")
    assert "Eupen, La Calamine : 3 abonnés" in targets.text  # the admin writes in French
    await say(dialogue, ADMIN, "fr: Séance d'information sur les cambriolages jeudi.")
    [preview] = await say(dialogue, ADMIN, "de: Infoabend über Einbrüche am Donnerstag.")
    assert "3" in preview.text
    assert "[de] Infoabend" in preview.text
    assert "[fr] Séance" in preview.text
    assert set(buttons(preview).values()) == {"admin:confirm", "admin:cancel"}
    [done] = await press(dialogue, ADMIN, "admin:confirm")
    assert "3" in done.text
    sender = FakeSender()
    report = await run_due_pass(services, sender, clock.now, limiter)
    assert report.sent == 3
    texts = dict(sender.delivered)
    assert "Séance" in texts[1]
    assert "Infoabend" in texts[2]
    assert "Séance" in texts[3]
    assert 4 not in texts
    admin = await storage.users.get(ADMIN)
    assert admin is not None
    assert admin.pending is None


async def test_places_that_cannot_be_resolved_are_asked_again(dialogue: Dialogue) -> None:
    await say(dialogue, ADMIN, "/announce")
    [reply] = await say(dialogue, ADMIN, "Woluwe, Atlantis")
    assert "Woluwe" in reply.text
    assert "Atlantis" in reply.text
    user = await dialogue.storage.users.get(ADMIN)
    assert user is not None
    assert user.pending == "announce:places"


async def test_an_announcement_can_be_cancelled(dialogue: Dialogue, storage: Storage) -> None:
    await add_subscriber(storage, 1, EUPEN)
    await say(dialogue, ADMIN, "/announce 4700")
    [preview] = await say(dialogue, ADMIN, "Texte")
    assert "admin:cancel" in buttons(preview).values()
    await press(dialogue, ADMIN, "admin:cancel")
    assert await planned_rows(storage) == 0
    [reply] = await press(dialogue, ADMIN, "admin:confirm")  # the draft is gone
    assert await planned_rows(storage) == 0
    assert reply.buttons == ()


async def test_announcing_during_quiet_hours_waits_for_the_morning(
    services: Services, dialogue: Dialogue, storage: Storage, clock: Clock, limiter: TokenBucket
) -> None:
    await add_subscriber(storage, 1, EUPEN)
    clock.now = NOW.replace(hour=22)
    await say(dialogue, ADMIN, "/announce Eupen")
    await say(dialogue, ADMIN, "Texte")
    await press(dialogue, ADMIN, "admin:confirm")
    sender = FakeSender()
    assert (await run_due_pass(services, sender, clock.now, limiter)).sent == 0
    clock.now = datetime(2026, 11, 26, 9, 0, tzinfo=BRUSSELS)
    assert (await run_due_pass(services, sender, clock.now, limiter)).sent == 1


async def test_a_non_admin_cannot_announce(dialogue: Dialogue, storage: Storage) -> None:
    await add_subscriber(storage, 1, EUPEN)
    await add_subscriber(storage, 7, EUPEN)
    [reply] = await say(dialogue, 7, "/announce")
    assert "Je ne connais pas cette commande." in reply.text
    await say(dialogue, 7, "/announce 4700")
    [reply] = await press(dialogue, 7, "admin:confirm")
    assert "plus valable" in reply.text
    # Even with a forged pending step, a non-admin's text never reaches the admin flow.
    forged = await storage.users.get(7)
    assert forged is not None
    await storage.users.save(replace(forged, pending="announce:text"), NOW)
    await say(dialogue, 7, "fr: spam")
    assert await planned_rows(storage) == 0
    user = await storage.users.get(7)
    assert user is not None
    assert user.pending is None


def test_resolve_places_and_parse_texts() -> None:
    places = real_content().places
    codes, problems = resolve_places(places, "4700; Kelmis, 1040\nLüttich")
    assert codes == {EUPEN, KELMIS, "21004", "21005", "62063"}
    assert problems == []
    assert resolve_places(places, "Woluwe")[1] == [
        "Woluwe: Woluwe-Saint-Lambert, Woluwe-Saint-Pierre?"
    ]
    texts = parse_texts("fr: Bonjour\nsuite\nNL = Hallo\nde:Hallo", "en")
    assert texts == {"fr": "Bonjour\nsuite", "nl": "Hallo", "de": "Hallo"}
    assert parse_texts("Hello", "en") == {"en": "Hello"}


async def test_cli_announce_plans_for_the_bot_to_send(
    settings: Settings, storage: Storage
) -> None:
    await add_subscriber(storage, 1, EUPEN, "fr")
    await add_subscriber(storage, 2, KELMIS, "nl")
    args = argparse.Namespace(
        places="4700,Kelmis", text=["fr=Séance jeudi", "nl=Infoavond"], yes=True
    )
    out = io.StringIO()
    assert await _announce(settings, args, io.StringIO(), out) == 0
    assert "Subscribers: 2" in out.getvalue()
    assert Counter(await storage.deliveries.counts()) == Counter({"pending": 2})
    sender = FakeSender()
    content = ContentStore(settings.content_dir, real_content())
    translator = shared_translator(settings.languages)
    bundle = CliServices(settings, content, storage, translator, lambda: NOW)
    await run_due_pass(bundle, sender, NOW, TokenBucket(None))
    assert "Infoavond" in dict(sender.delivered)[2]


async def test_cli_announce_asks_and_refuses_bad_input(
    settings: Settings, storage: Storage
) -> None:
    args = argparse.Namespace(places="4700", text=["fr=Texte"], yes=False)
    assert await _announce(settings, args, io.StringIO("n\n"), io.StringIO()) == 1
    for places, text in (("Atlantis", "fr=Texte"), ("4700", "xx=Text"), ("4700", "fr=")):
        bad = argparse.Namespace(places=places, text=[text], yes=True)
        assert await _announce(settings, bad, io.StringIO(), io.StringIO()) == 2
    assert await planned_rows(storage) == 0
