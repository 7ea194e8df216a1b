"""Claims on pending rows: disjoint batches, renewal, release, expiry and the reaper."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from bot.storage import Run, Storage
from bot.storage import deliveries as status
from tests.helpers.db import rows
from tests.helpers.project import NOW
from tests.helpers.reminders import add_subscriber

T = NOW.timestamp()


async def planned(storage: Storage, chats: int) -> None:
    for chat in range(1, chats + 1):
        await add_subscriber(storage, chat, "63023")
    run = Run("r", "c", {"fr": "x"}, None, NOW, NOW + timedelta(days=1))
    assert await storage.deliveries.plan(run, NOW, "fr") == chats


async def test_concurrent_claims_take_disjoint_batches_in_id_order(storage: Storage) -> None:
    await planned(storage, 50)
    claims = storage.deliveries.claims
    batches = await asyncio.gather(*(claims.claim(f"w{i}", T, T + 60, 10) for i in range(6)))
    ids = [row.id for batch in batches for row in batch]
    assert len(ids) == len(set(ids)) == 50  # every row once, nobody twice
    assert all(len(batch) <= 10 for batch in batches)  # SKIP LOCKED may hand out fewer
    assert all([row.id for row in batch] == sorted(row.id for row in batch) for batch in batches)
    assert await claims.claim("late", T, T + 60, 10) == []


async def test_renewal_keeps_only_what_is_still_ours(storage: Storage) -> None:
    await planned(storage, 3)
    claims = storage.deliveries.claims
    mine = await claims.claim("a", T, T + 60, 3)
    await storage.deliveries.mark(mine[0].id, status.SENT, NOW)  # sent: no longer a claim
    assert await rows(storage, "SELECT count(*) FROM deliveries WHERE claimed_by = 'a'") == [(2,)]
    # Past the claim's end, "b" takes the rest over (worker "a" is taken for dead).
    taken = await claims.claim("b", T + 61, T + 120, 10)
    assert [row.id for row in taken] == [row.id for row in mine[1:]]
    assert await claims.renew("a", T + 200) == set()
    assert await claims.renew("b", T + 200) == {row.id for row in mine[1:]}


async def test_release_frees_the_rows_at_once(storage: Storage) -> None:
    await planned(storage, 4)
    claims = storage.deliveries.claims
    await claims.claim("a", T, T + 60, 4)
    assert await claims.claim("b", T, T + 60, 4) == []
    assert await claims.release("a") == 4
    assert len(await claims.claim("b", T, T + 60, 4)) == 4


async def test_the_reaper_frees_only_expired_claims(storage: Storage) -> None:
    await planned(storage, 4)
    claims = storage.deliveries.claims
    await claims.claim("dead", T, T + 60, 2)
    await claims.claim("alive", T, T + 600, 2)
    assert await claims.reap(T + 30) == 0
    assert await claims.reap(T + 61) == 2
    free = await claims.claim("new", T + 61, T + 120, 10)
    assert len(free) == 2  # the dead worker's rows; the live one's stay its own
    assert await rows(storage, "SELECT count(*) FROM deliveries WHERE claimed_by = 'alive'") == [
        (2,)
    ]


async def test_incremental_planning_reads_only_new_subscriptions(storage: Storage) -> None:
    await planned(storage, 2)
    run = Run("r", "c", {"fr": "x"}, None, NOW, NOW + timedelta(days=1))
    later = NOW + timedelta(minutes=10)
    await add_subscriber(storage, 3, "63023", now=later)
    # Stamped long before the first plan (e.g. copied in): incremental planning does not
    # re-read it, which shows that the run is not planned in full again.
    await add_subscriber(storage, 4, "63023", now=NOW - timedelta(days=1))
    assert await storage.deliveries.plan(run, later + timedelta(minutes=5), "fr") == 1
    chats = await rows(storage, "SELECT chat_id FROM deliveries ORDER BY chat_id")
    assert chats == [(1,), (2,), (3,)]
    assert await rows(storage, "SELECT planned_at FROM reminder_runs") == [
        ((later + timedelta(minutes=5)).isoformat(),)
    ]
