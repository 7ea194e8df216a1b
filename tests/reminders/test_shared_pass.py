"""Several workers on one database share a pass: no lease, no duplicate, a crash reaped."""

from __future__ import annotations

import asyncio
from collections import Counter
from dataclasses import replace
from datetime import timedelta

from bot.cli.reminders import CliServices
from bot.reminders.delivery import DeliveryOptions, run_due_pass
from bot.reminders.ratelimit import TokenBucket
from bot.storage import Storage
from tests.helpers.project import NOW
from tests.helpers.reminders import FakeSender, add_subscriber
from tests.helpers.workers import killed_worker, meeting_senders

EUPEN = "63023"


async def test_two_workers_share_one_pass_without_duplicates(
    bundle: CliServices, limiter: TokenBucket
) -> None:
    chats = range(1, 201)
    for chat in chats:
        await add_subscriber(bundle.storage, chat, EUPEN)
    # The second worker has its own storage, as another replica or the cron command would.
    elsewhere = await Storage.open(bundle.settings.database)
    try:
        first, second = meeting_senders()
        options = DeliveryOptions(concurrency=4, batch_size=20)
        reports = await asyncio.gather(
            run_due_pass(bundle, first, NOW, limiter, options),
            run_due_pass(replace(bundle, storage=elsewhere), second, NOW, limiter, options),
        )
    finally:
        await elsewhere.close()
    assert first.chats()  # both sent (they met: neither waited for the other)
    assert second.chats()
    assert Counter(first.chats() + second.chats()) == Counter(chats)  # each chat once
    assert sum(report.sent for report in reports) == 200
    assert [report.stopped for report in reports] == ["", ""]
    assert (await bundle.storage.deliveries.counts()) == {"sent": 200}


async def test_a_killed_workers_claims_are_reaped_and_delivered_once(
    bundle: CliServices, limiter: TokenBucket
) -> None:
    chats = range(1, 121)
    for chat in chats:
        await add_subscriber(bundle.storage, chat, EUPEN)
    options = DeliveryOptions(concurrency=4, batch_size=40, claim_seconds=120)
    # The worker sends 50, then 4 more whose answers never come; then it is SIGKILLed.
    crashed = await killed_worker(bundle.settings, options, hang_after=50)
    assert len(crashed) == 54
    survivor = FakeSender()
    report = await run_due_pass(bundle, survivor, NOW + timedelta(minutes=1), limiter, options)
    # Its claims still hold: the rest of its second batch (rows 51-80) waits.
    assert (report.sent, report.reaped, report.pending) == (40, 0, 30)
    report = await run_due_pass(bundle, survivor, NOW + timedelta(minutes=3), limiter, options)
    assert (report.sent, report.reaped, report.pending) == (30, 30, 0)
    received = Counter(crashed + survivor.chats())
    assert [chat for chat in chats if received[chat] == 0] == []  # no miss
    duplicates = [chat for chat, count in received.items() if count > 1]
    assert len(duplicates) == options.concurrency  # the bound: its senders in flight
    assert (await bundle.storage.deliveries.counts()) == {"sent": 120}


async def test_a_subscriber_added_during_a_run_is_planned_by_the_next_pass(
    bundle: CliServices, sender: FakeSender, limiter: TokenBucket
) -> None:
    for chat in (1, 2, 3):
        await add_subscriber(bundle.storage, chat, EUPEN)
    assert (await run_due_pass(bundle, sender, NOW, limiter)).planned == 3
    await add_subscriber(bundle.storage, 4, EUPEN, now=NOW + timedelta(minutes=7))
    report = await run_due_pass(bundle, sender, NOW + timedelta(minutes=10), limiter)
    assert (report.planned, report.sent) == (1, 1)
    assert sender.chats() == [1, 2, 3, 4]
