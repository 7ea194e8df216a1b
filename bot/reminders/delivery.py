"""One reminder pass: plan the due campaigns into the delivery log, then send what is pending.

Many passes may run at once (the replicas' jobs, `preventbot reminders run-due`, on one
PostgreSQL database) and share the work: each claims batches of pending rows for itself
(bot/storage/claims.py), nobody waits for a lease.

Durability: every row is planned before anything is sent and marked (committed) right after its
own send, so a pass that stops anywhere resumes exactly. The duplicate bound after a crash:
a worker that dies leaves at most one message per concurrent sender of its own
(`DeliveryOptions.concurrency`, 8 by default) sent but not yet marked; those are sent again
once its claims expire (`claim_seconds`, then the reaper frees them), at least once, nothing
is ever skipped. K workers crashing together: at most the sum of their concurrency. A worker
that is only slow never sends a row it no longer holds: it renews its claims every quarter
of their lifetime and drops the rows the renewal did not keep (clocks of the hosts must agree
to well within `claim_seconds`, as NTP keeps them).
"""

from __future__ import annotations

import logging
import os
import socket
import uuid
from datetime import datetime, timedelta

from bot.catalog.schedule import due
from bot.reminders.options import (
    DEFAULT_CONCURRENCY,
    QUIET,
    DeliveryOptions,
    PassReport,
    ReminderServices,
    limiter_for,
    quiet_hours,
)
from bot.reminders.pusher import Pusher, render
from bot.reminders.ratelimit import TokenBucket
from bot.reminders.sender import Sender
from bot.storage import DeliveryLog, Run
from bot.storage import deliveries as log_status

logger = logging.getLogger(__name__)

__all__ = [
    "DEFAULT_CONCURRENCY",
    "QUIET",
    "DeliveryOptions",
    "PassReport",
    "ReminderServices",
    "limiter_for",
    "plan_due",
    "quiet_hours",
    "render",
    "run_due_pass",
]


async def run_due_pass(
    services: ReminderServices,
    sender: Sender,
    now: datetime,
    limiter: TokenBucket | None = None,
    options: DeliveryOptions | None = None,
) -> PassReport:
    """Plan what is due at `now`, then send pending reminders until done or quiet hours."""
    async with services.storage.delivery_pass() as log:
        return await _run(services, log, sender, now, limiter, options)


async def _run(
    services: ReminderServices,
    log: DeliveryLog,
    sender: Sender,
    now: datetime,
    limiter: TokenBucket | None,
    options: DeliveryOptions | None,
) -> PassReport:
    owner = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"
    opts = options or DeliveryOptions()
    report = PassReport()
    try:
        report.reaped = await log.claims.reap(now.timestamp())
        if report.reaped:
            logger.warning("Reminders: %d claims of a stopped worker returned", report.reaped)
        report.planned = await plan_due(services, log, now)
        report.expired = await log.expire(now)
        await log.purge(now - timedelta(days=opts.keep_days))
        if quiet_hours(services.settings).contains(now, services.settings.timezone):
            report.stopped = QUIET
        else:
            limit = limiter or limiter_for(services.settings)
            await Pusher(services, log, sender, limit, opts, owner).run(report)
        report.counts = await log.counts()
        report.pending = report.counts.get(log_status.PENDING, 0)
    finally:
        # Rows left (deferred, or the pass stopped or was cancelled) are free for the next one
        # at once; after a crash they wait until their claims expire.
        await log.claims.release(owner)
    logger.info(
        "Reminder pass: planned %d, sent %d, failed %d, forbidden %d, skipped %d, expired %d, "
        "pending %d%s",
        report.planned,
        report.sent,
        report.failed,
        report.forbidden,
        report.skipped,
        report.expired,
        report.pending,
        f" (stopped: {report.stopped})" if report.stopped else "",
    )
    return report


async def plan_due(services: ReminderServices, log: DeliveryLog, now: datetime) -> int:
    """Record one pending row per subscriber for each calendar occurrence due at `now`.

    Every pass plans the occurrences still open again, incrementally (only the subscriptions
    created since): someone who subscribes while a campaign runs gets it too, and nobody twice
    (one row per occurrence and chat).
    """
    settings = services.settings
    content = services.content.snapshot  # one snapshot for the whole plan, even if reloaded
    added = 0
    for campaign in content.calendar:
        occurrence = due(
            campaign.id, campaign.schedule, now, settings.timezone, quiet_hours(settings)
        )
        if occurrence is None:
            continue
        run = Run(
            occurrence.key,
            campaign.id,
            campaign.messages,
            campaign.target.resolve(content.places),
            occurrence.send_from,
            occurrence.expires,
        )
        count = await log.plan(run, now, settings.default_language)
        if count:
            logger.info("Planned %s: %d reminders", occurrence.key, count)
        added += count
    return added
