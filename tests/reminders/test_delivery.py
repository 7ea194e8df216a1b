"""Reminder passes with a fake sender: once per subscriber, quiet hours, errors, claims, crash."""

from __future__ import annotations

import asyncio
import logging
from collections import Counter
from dataclasses import replace
from datetime import datetime, timedelta

import pytest

from bot.base.errors import StorageError
from bot.cli.reminders import CliServices
from bot.reminders.delivery import (
    QUIET,
    DeliveryOptions,
    limiter_for,
    plan_due,
    run_due_pass,
)
from bot.reminders.ratelimit import TokenBucket
from bot.reminders.sender import SendResult, SendStatus
from bot.storage import deliveries as status
from tests.helpers.content import campaign, edit_calendar, write_calendar
from tests.helpers.db import rows
from tests.helpers.project import BRUSSELS, NOW
from tests.helpers.reminders import Clock, FakeSender, FakeSleep, add_subscriber

EUPEN, KELMIS, GENT, HASSELT = "63023", "63040", "44021", "71072"


async def statuses(bundle: CliServices) -> Counter[str]:
    return Counter(await bundle.storage.deliveries.counts())


async def test_each_subscriber_gets_the_campaign_once_in_their_language(
    bundle: CliServices, sender: FakeSender, limiter: TokenBucket
) -> None:
    await add_subscriber(bundle.storage, 1, EUPEN, "fr")
    await add_subscriber(bundle.storage, 2, GENT, "nl")
    await add_subscriber(bundle.storage, 3, EUPEN, "de")
    await add_subscriber(bundle.storage, 3, KELMIS, "de")  # two places, one message
    await add_subscriber(bundle.storage, 4, GENT, "en")
    report = await run_due_pass(bundle, sender, NOW, limiter)
    assert (report.planned, report.sent, report.pending) == (4, 4, 0)
    texts = dict(sender.delivered)
    assert "Rappel en français." in texts[1]
    assert "Herinnering" in texts[2]
    assert "Erinnerung" in texts[3]
    assert "Reminder in English." in texts[4]
    assert "/unsubscribe" in texts[4]
    again = await run_due_pass(bundle, sender, NOW + timedelta(hours=1), limiter)
    assert (again.planned, again.sent) == (0, 0)
    assert sorted(sender.chats()) == [1, 2, 3, 4]


async def test_a_province_campaign_reaches_only_its_municipalities(
    bundle: CliServices, sender: FakeSender, limiter: TokenBucket
) -> None:
    edit_calendar(bundle.content, campaign(target="{provinces: [Limburg]}"))
    await add_subscriber(bundle.storage, 1, HASSELT)
    await add_subscriber(bundle.storage, 2, EUPEN)
    await add_subscriber(bundle.storage, 3, GENT)
    await add_subscriber(bundle.storage, 3, HASSELT)
    await run_due_pass(bundle, sender, NOW, limiter)
    assert sorted(sender.chats()) == [1, 3]


async def test_due_at_22h_is_sent_at_9h_next_morning(
    bundle: CliServices, sender: FakeSender, limiter: TokenBucket, clock: Clock
) -> None:
    edit_calendar(bundle.content, campaign(time="22:00"))
    await add_subscriber(bundle.storage, 1, EUPEN)
    for moment in (NOW.replace(hour=22, minute=5), NOW.replace(hour=23, minute=59)):
        clock.now = moment
        report = await run_due_pass(bundle, sender, moment, limiter)
        assert (report.planned, report.sent) == (0, 0)
    clock.now = datetime(2026, 11, 26, 8, 55, tzinfo=BRUSSELS)
    assert (await run_due_pass(bundle, sender, clock.now, limiter)).sent == 0
    clock.now = datetime(2026, 11, 26, 9, 0, tzinfo=BRUSSELS)
    report = await run_due_pass(bundle, sender, clock.now, limiter)
    assert (report.planned, report.sent) == (1, 1)


async def test_a_pass_stops_at_the_quiet_hours_and_resumes_in_the_morning(
    bundle: CliServices, sender: FakeSender, limiter: TokenBucket, clock: Clock
) -> None:
    for chat in range(1, 31):
        await add_subscriber(bundle.storage, chat, EUPEN)
    clock.now = NOW.replace(hour=20, minute=59)

    def nine_pm(count: int) -> None:
        if count == 10:
            clock.now = NOW.replace(hour=21, minute=0)

    sender.after_send = nine_pm
    report = await run_due_pass(bundle, sender, clock.now, limiter)
    assert report.stopped == QUIET
    assert 10 <= report.sent < 30
    assert report.pending == 30 - report.sent
    clock.now = datetime(2026, 11, 26, 9, 0, tzinfo=BRUSSELS)
    report = await run_due_pass(bundle, sender, clock.now, limiter)
    assert report.pending == 0
    assert sorted(sender.chats()) == list(range(1, 31))


async def test_forbidden_deactivates_the_user_and_nothing_more_is_sent(
    bundle: CliServices, sender: FakeSender, limiter: TokenBucket
) -> None:
    await add_subscriber(bundle.storage, 1, EUPEN)
    await add_subscriber(bundle.storage, 2, EUPEN)
    sender.script[2] = [SendResult(SendStatus.FORBIDDEN, detail="bot was blocked by the user")]
    report = await run_due_pass(bundle, sender, NOW, limiter)
    assert (report.sent, report.forbidden) == (1, 1)
    user = await bundle.storage.users.get(2)
    assert user is not None
    assert not user.active
    edit_calendar(bundle.content, campaign(id="second-campaign"))
    report = await run_due_pass(bundle, sender, NOW, limiter)
    assert (report.planned, report.sent) == (1, 1)
    assert sender.chats() == [1, 1]
    assert sender.calls == 3


async def test_someone_who_subscribes_while_a_campaign_runs_gets_it_too(
    bundle: CliServices, sender: FakeSender, limiter: TokenBucket
) -> None:
    await add_subscriber(bundle.storage, 1, EUPEN)
    report = await run_due_pass(bundle, sender, NOW, limiter)
    assert (report.planned, report.sent) == (1, 1)
    await add_subscriber(bundle.storage, 2, EUPEN)
    later = NOW + timedelta(hours=2)
    report = await run_due_pass(bundle, sender, later, limiter)
    assert (report.planned, report.sent) == (1, 1)
    report = await run_due_pass(bundle, sender, later + timedelta(hours=1), limiter)
    assert (report.planned, report.sent) == (0, 0)
    assert sender.chats() == [1, 2]


async def test_a_group_that_became_a_supergroup_gets_it_at_its_new_id(
    bundle: CliServices, sender: FakeSender, limiter: TokenBucket
) -> None:
    await add_subscriber(bundle.storage, -5, EUPEN, "de")
    sender.script[-5] = [SendResult(SendStatus.MOVED, new_chat_id=-1005)]
    report = await run_due_pass(bundle, sender, NOW, limiter)
    assert (report.sent, report.moved, report.failed) == (1, 1, 0)
    assert sender.chats() == [-1005]
    assert "Erinnerung" in dict(sender.delivered)[-1005]
    assert await rows(bundle.storage, "SELECT chat_id, status FROM deliveries") == [
        (-1005, "sent")
    ]
    # The group keeps its place and language under the new id; the old id is gone.
    places = await bundle.storage.subscriptions.places_of(-1005)
    assert [(place.nis, place.language) for place in places] == [(EUPEN, "de")]
    assert await bundle.storage.users.get(-5) is None
    # The next campaign goes straight to the new id.
    edit_calendar(bundle.content, campaign(id="second-campaign"))
    report = await run_due_pass(bundle, sender, NOW, limiter)
    assert (report.planned, report.sent, report.moved) == (1, 1, 0)
    assert sender.chats() == [-1005, -1005]


async def test_a_move_that_fails_leaves_the_reminder_for_the_next_pass(
    bundle: CliServices, sender: FakeSender, limiter: TokenBucket, monkeypatch: pytest.MonkeyPatch
) -> None:
    await add_subscriber(bundle.storage, -6, EUPEN)
    sender.script[-6] = [SendResult(SendStatus.MOVED, new_chat_id=-1006)]

    async def locked(*args: object) -> bool:
        raise StorageError("database error: database is locked")

    monkeypatch.setattr(bundle.storage.users, "move_chat", locked)
    report = await run_due_pass(bundle, sender, NOW, limiter)
    assert (report.sent, report.moved, report.deferred) == (0, 0, 1)
    assert (await statuses(bundle))[status.PENDING] == 1
    monkeypatch.undo()
    sender.script[-6] = [SendResult(SendStatus.MOVED, new_chat_id=-1006)]
    report = await run_due_pass(bundle, sender, NOW, limiter)
    assert (report.sent, report.moved) == (1, 1)
    assert sender.chats() == [-1006]


async def test_retry_after_is_waited_out_then_sent_once(
    bundle: CliServices, sender: FakeSender, limiter: TokenBucket, sleep: FakeSleep
) -> None:
    await add_subscriber(bundle.storage, 1, EUPEN)
    sender.script[1] = [SendResult(SendStatus.RETRY_LATER, retry_after=3.0)]
    report = await run_due_pass(bundle, sender, NOW, limiter)
    assert (report.sent, report.retried) == (1, 1)
    assert sleep.waits == [3.0]
    assert sender.chats() == [1]
    assert await rows(bundle.storage, "SELECT status, attempts FROM deliveries") == [("sent", 2)]


async def test_endless_retry_after_leaves_the_row_for_the_next_pass(
    bundle: CliServices, sender: FakeSender, limiter: TokenBucket
) -> None:
    await add_subscriber(bundle.storage, 1, EUPEN)
    sender.script[1] = [SendResult(SendStatus.RETRY_LATER, retry_after=1.0)] * 5
    options = DeliveryOptions(max_attempts=5)
    report = await run_due_pass(bundle, sender, NOW, limiter, options)
    assert (report.sent, report.deferred, report.pending) == (0, 1, 1)
    report = await run_due_pass(bundle, sender, NOW, limiter, options)
    assert (report.sent, report.pending) == (1, 0)


async def test_failed_messages_are_recorded_and_not_retried(
    bundle: CliServices, sender: FakeSender, limiter: TokenBucket
) -> None:
    await add_subscriber(bundle.storage, 1, EUPEN)
    sender.script[1] = [SendResult(SendStatus.FAILED, detail="Bad Request")]
    report = await run_due_pass(bundle, sender, NOW, limiter)
    assert report.failed == 1
    await run_due_pass(bundle, sender, NOW, limiter)
    assert sender.calls == 1
    assert (await statuses(bundle))[status.FAILED] == 1


async def test_inactive_and_unsubscribed_users_are_skipped(
    bundle: CliServices, sender: FakeSender, limiter: TokenBucket
) -> None:
    for chat in (1, 2, 3):
        await add_subscriber(bundle.storage, chat, EUPEN)
    await bundle.storage.users.set_active(1, False, NOW)
    assert await plan_due(bundle, bundle.storage.deliveries, NOW) == 2  # 1 is not planned
    await bundle.storage.users.set_active(2, False, NOW)  # after planning
    await bundle.storage.subscriptions.remove(3)  # after planning
    report = await run_due_pass(bundle, sender, NOW, limiter)
    assert (report.sent, report.skipped) == (0, 2)
    assert await statuses(bundle) == Counter({status.INACTIVE: 1, status.UNSUBSCRIBED: 1})


async def test_unsent_rows_expire_after_the_valid_days(
    bundle: CliServices, sender: FakeSender, limiter: TokenBucket
) -> None:
    await add_subscriber(bundle.storage, 1, EUPEN)
    await plan_due(bundle, bundle.storage.deliveries, NOW)
    report = await run_due_pass(bundle, sender, NOW + timedelta(days=4), limiter)
    assert (report.expired, report.sent) == (1, 0)


async def test_rows_claimed_by_another_worker_wait_until_the_claim_expires(
    bundle: CliServices, sender: FakeSender, limiter: TokenBucket
) -> None:
    await add_subscriber(bundle.storage, 1, EUPEN)
    await add_subscriber(bundle.storage, 2, EUPEN)
    log = bundle.storage.deliveries
    await plan_due(bundle, log, NOW)
    [taken] = await log.claims.claim("elsewhere:1:x", NOW.timestamp(), NOW.timestamp() + 120, 1)
    report = await run_due_pass(bundle, sender, NOW, limiter)
    assert (report.sent, report.reaped, report.pending) == (1, 0, 1)  # the other one's is left
    assert sender.chats() == [2]
    report = await run_due_pass(bundle, sender, NOW + timedelta(minutes=3), limiter)
    assert (report.sent, report.reaped, report.pending) == (1, 1, 0)  # its worker is gone
    assert sender.chats() == [2, taken.chat_id]


async def test_cancelled_mid_pass_resumes_without_misses(
    bundle: CliServices, limiter: TokenBucket
) -> None:
    chats = range(1, 301)
    for chat in chats:
        await add_subscriber(bundle.storage, chat, EUPEN)
    options = DeliveryOptions(concurrency=8, batch_size=50)
    crashing = FakeSender(hang_after=120, crash_at_in_flight=options.concurrency)
    task = asyncio.create_task(run_due_pass(bundle, crashing, NOW, limiter, options))
    async with asyncio.timeout(10):
        await crashing.crashed.wait()  # every worker has a message out and no answer yet
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    resumed = FakeSender()
    report = await run_due_pass(bundle, resumed, NOW, limiter, options)
    assert report.stopped == ""
    assert report.reaped == 0  # the cancelled pass gave its claims back at once
    received = Counter(crashing.chats() + resumed.chats())
    misses = [chat for chat in chats if received[chat] == 0]
    duplicates = [chat for chat, count in received.items() if count > 1]
    assert misses == []
    assert len(duplicates) == crashing.in_flight == options.concurrency  # in flight only
    assert (await statuses(bundle)) == Counter({status.SENT: 300})


async def test_progress_is_logged(
    bundle: CliServices, sender: FakeSender, limiter: TokenBucket, caplog: pytest.LogCaptureFixture
) -> None:
    await add_subscriber(bundle.storage, 1, EUPEN)
    with caplog.at_level(logging.INFO, logger="bot.reminders"):
        await run_due_pass(bundle, sender, NOW, limiter, DeliveryOptions(progress_seconds=0))
    messages = [record.getMessage() for record in caplog.records]
    assert "Reminders: sent 1, pending 0, failed 0" in messages
    assert any(m.startswith("Reminder pass: planned 1, sent 1") for m in messages)


async def test_a_calendar_edit_reaches_the_running_passes_and_a_broken_one_does_not(
    bundle: CliServices, sender: FakeSender, limiter: TokenBucket
) -> None:
    await add_subscriber(bundle.storage, 1, EUPEN)
    assert (await run_due_pass(bundle, sender, NOW, limiter)).sent == 1
    edit_calendar(bundle.content, campaign(id="good-one"))
    assert [c.id for c in bundle.content.calendar] == ["good-one"]
    write_calendar(bundle.settings.content_dir, campaign(id="Bad Id"))
    result = bundle.content.reload_if_changed()
    assert result is not None
    assert not result.changed
    path = bundle.settings.content_dir / "campaigns.yml"
    assert [str(p) for p in result.problems] == [
        f"{path}:3: id 'Bad Id' must be lower-case letters, digits and '-'"
    ]
    assert [c.id for c in bundle.content.calendar] == ["good-one"]
    report = await run_due_pass(bundle, sender, NOW, limiter)
    assert (report.planned, report.sent) == (1, 1)  # the last good calendar's campaign
    assert len(sender.delivered) == 2


async def test_token_bucket_keeps_the_rate_and_pauses_without_a_burst() -> None:
    sleep = FakeSleep()
    bucket = TokenBucket(25, clock=sleep.clock, sleep=sleep)
    for _ in range(125):
        await bucket.acquire()
    assert sleep.time == pytest.approx(4.0)  # 25 at once (the burst), then 100 at 25/s
    bucket.pause(10)
    start = sleep.time
    for _ in range(5):
        await bucket.acquire()
    assert sleep.time - start == pytest.approx(10 + 5 / 25)


async def test_no_rate_limit_still_honours_pauses() -> None:
    sleep = FakeSleep()
    bucket = TokenBucket(None, clock=sleep.clock, sleep=sleep)
    for _ in range(1000):
        await bucket.acquire()
    assert sleep.time == 0
    bucket.pause(2.5)
    await bucket.acquire()
    assert sleep.waits == [2.5]


def test_settings_quiet_hours_are_used(bundle: CliServices) -> None:
    from bot.reminders.delivery import quiet_hours

    late = replace(bundle.settings.reminders, quiet_start=NOW.time())
    assert quiet_hours(replace(bundle.settings, reminders=late)).contains(NOW, BRUSSELS)


def test_paid_broadcasts_raise_the_rate(bundle: CliServices) -> None:
    assert limiter_for(bundle.settings).rate == 25.0
    paid = replace(bundle.settings.reminders, paid_broadcast=True)
    assert limiter_for(replace(bundle.settings, reminders=paid)).rate == 1000.0
