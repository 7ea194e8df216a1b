"""Three real replicas behind one webhook, sharing a database, behave as one bot.

The fake Bot API delivers round-robin over the replicas (retries on errors, deliberate
duplicates); the replicas are real PTB applications in webhook mode on loopback.
"""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import AsyncIterator, Callable
from typing import Any

import pytest

from bot.base.settings import Settings
from bot.channels.telegram.app import TelegramApplication
from bot.channels.telegram.ordering import CLAIM_SECONDS, STALE_SECONDS
from bot.storage import Storage
from tests.helpers.db import rows
from tests.helpers.fake_bot_api import FakeBotAPI
from tests.helpers.postgres import parametrize_backends
from tests.helpers.replicas import (
    PUBLIC_URL,
    FakeClock,
    Journal,
    Replica,
    replica_settings,
    running_replicas,
)

MakeApp = Callable[..., TelegramApplication]


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """The replicas share a SQLite file, then a PostgreSQL database."""
    parametrize_backends(metafunc)


BRUXELLES, EUPEN = "21004", "63023"  # NIS codes of the postcodes 1000 and 4700


@pytest.fixture
def journal() -> Journal:
    """Which replica handled which update."""
    return Journal()


@pytest.fixture
def shared_clock() -> FakeClock:
    """The replicas' clock for claims and stale updates."""
    return FakeClock()


@pytest.fixture
async def replicas(
    tg_settings: Settings,
    api: FakeBotAPI,
    make_app: MakeApp,
    journal: Journal,
    shared_clock: FakeClock,
) -> AsyncIterator[list[Replica]]:
    """Three replicas on one database file."""
    settings = replica_settings(tg_settings)
    async with running_replicas(make_app, settings, api, 3, journal, shared_clock) as running:
        yield running


async def places(settings: Settings, chat_id: int) -> set[str]:
    """The places a chat follows, read from the shared database by a fresh connection."""
    storage = await Storage.open(settings.database)
    try:
        return {row.nis for row in await storage.subscriptions.places_of(chat_id)}
    finally:
        await storage.close()


async def settled(settings: Settings, chats: list[int], within: float = 10.0) -> None:
    """Wait until no replica holds these chats: the replica that handled a chat's last update
    also handles any update recorded before it let go (which would miss a gate)."""
    held = f"SELECT chat_id FROM chat_claims WHERE chat_id IN ({', '.join(map(str, chats))})"
    storage = await Storage.open(settings.database)
    try:
        async with asyncio.timeout(within):
            # The claims live in the database (other processes' too): no event to wait on.
            while await rows(storage, held):  # noqa: ASYNC110
                await asyncio.sleep(0.01)
    finally:
        await storage.close()


async def conversation(
    api: FakeBotAPI, chat_id: int, texts: list[str], **options: Any
) -> list[int]:
    """Telegram's way: one chat's updates one after the other, each once the last got 200."""
    return [await api.deliver(api.text_update(chat_id, text), **options) for text in texts]


async def test_chats_are_handled_in_order_and_once_across_replicas(
    replicas: list[Replica], api: FakeBotAPI, journal: Journal, tg_settings: Settings
) -> None:
    chats = [301, 302, 303, 304]
    # Each chat needs its steps in order: "1000" only subscribes after "/subscribe" asked.
    steps = ["/start", "/subscribe", "1000", "/mydata"]
    sent = await asyncio.gather(
        *(conversation(api, chat, steps, duplicate=(chat % 2 == 0)) for chat in chats)
    )
    await journal.wait_handled(update_id for ids in sent for update_id in ids)
    handled = journal.handled_ids()
    assert Counter(handled) == Counter(update_id for ids in sent for update_id in ids)
    for chat, ids in zip(chats, sent, strict=True):
        assert [u for u, c, _r in journal.handled if c == chat] == ids  # in order, once each
        assert await places(tg_settings, chat) == {BRUXELLES}
        assert "Bruxelles" in api.sent_texts(chat)[-1]  # /mydata saw the subscription
    # Round-robin: every replica received updates, and more than one handled some (the
    # holder of a chat's claim handles its updates whoever received them).
    assert {d.url for d in api.deliveries} == {r.url for r in replicas}
    assert len({replica for _u, _c, replica in journal.handled}) >= 2
    accepted = [d.update_id for d in api.deliveries if d.status == 200]
    assert len(accepted) == len(handled) + sum(len(ids) for ids in sent[1::2])


async def test_a_later_update_waits_for_the_earlier_one_on_another_replica(
    replicas: list[Replica], api: FakeBotAPI, journal: Journal, tg_settings: Settings
) -> None:
    first, second = replicas[0], replicas[1]
    subscribe = api.numbered(api.text_update(310, "/subscribe"))
    asked = subscribe["update_id"]
    gate = first.gate(asked)
    await api.deliver(subscribe, to=0)
    await first.wait_held(asked)  # replica 0 holds the chat, mid-update
    postcode = await api.deliver(api.text_update(310, "4700"), to=1)  # 200 from replica 1
    other_chat = await api.deliver(api.text_update(311, "/help"), to=1)
    await journal.wait_handled([other_chat])  # replica 1 is not stuck: other chats go on
    assert asked not in journal.handled_ids()
    assert postcode not in journal.handled_ids()  # it waits for the earlier update
    gate.set()
    await journal.wait_handled([asked, postcode])
    order = [u for u, chat, _r in journal.handled if chat == 310]
    assert order == [asked, postcode]
    assert await places(tg_settings, 310) == {EUPEN}  # the pending step crossed replicas
    assert second.name in {r for _u, _c, r in journal.handled}


async def test_a_replica_killed_mid_run_loses_nothing(
    replicas: list[Replica],
    api: FakeBotAPI,
    journal: Journal,
    tg_settings: Settings,
    shared_clock: FakeClock,
) -> None:
    victim, survivor = replicas[1], replicas[0]
    chats = [320, 321, 322, 323]
    asked = [await api.deliver(api.text_update(chat, "/subscribe")) for chat in chats]
    await journal.wait_handled(asked)
    await settled(tg_settings, chats)
    # The victim receives two chats' postcodes and dies in the middle of both.
    held = []
    for chat in (320, 321):
        update = api.numbered(api.text_update(chat, "1000"))
        victim.gate(update["update_id"])
        held.append(await api.deliver(update, to=1))
        await victim.wait_held(held[-1])
    # Chat 320 goes on talking to a survivor: its update waits behind the held one.
    later = await api.deliver(api.text_update(320, "/mydata"), to=0)
    await victim.kill()
    # The others keep going; deliveries to the dead replica fail and are retried elsewhere.
    rest = [await api.deliver(api.text_update(chat, "4700")) for chat in (322, 323)]
    assert any(d.status == 0 and d.url == victim.url for d in api.deliveries)
    await journal.wait_handled(rest)
    assert not set(held) & set(journal.handled_ids())
    # The dead replica's claims expire; the waiting update takes chat 320 over, and the
    # sweep handles chat 321's, which nobody else was waiting for (once: not chat 320's).
    shared_clock.advance(CLAIM_SECONDS + STALE_SECONDS)
    await journal.wait_handled([held[0], later])
    assert await survivor.application.bot_data.shared.order.sweep() == 1
    await journal.wait_handled(held)
    assert sorted(Counter(journal.handled_ids()).values())[-1] == 1  # nothing twice
    assert victim.name not in {r for u, _c, r in journal.handled if u in held}
    for chat in (320, 321):
        assert await places(tg_settings, chat) == {BRUXELLES}
    for chat in (322, 323):
        assert await places(tg_settings, chat) == {EUPEN}
    assert "Bruxelles" in api.sent_texts(320)[-1]  # /mydata came after the postcode


async def test_replicas_set_the_webhook_and_never_delete_it(
    tg_settings: Settings, api: FakeBotAPI, make_app: MakeApp, shared_clock: FakeClock
) -> None:
    settings = replica_settings(tg_settings)
    async with running_replicas(make_app, settings, api, 2, Journal(), shared_clock):
        pass  # both started, then both stopped (a rolling restart)
    async with running_replicas(make_app, settings, api, 1, Journal(), shared_clock):
        pass
    calls = api.calls_of("setWebhook")
    assert len(calls) == 3
    assert {call.params["url"] for call in calls} == {PUBLIC_URL}
    assert len({call.params["secret_token"] for call in calls}) == 1
    assert not any(call.params.get("drop_pending_updates") for call in calls)
    assert api.calls_of("deleteWebhook") == []
