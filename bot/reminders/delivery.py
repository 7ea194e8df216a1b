"""One reminder pass: plan the due campaigns into the delivery log, then send what is pending.

Durability: every row is planned before anything is sent and marked (committed) right after its
own send, so a pass that stops anywhere resumes exactly. A crash can leave at most one message
per concurrent sender (`DeliveryOptions.concurrency`, 8 by default) sent but not yet marked:
those are sent again on resume (at least once), nothing is ever skipped.
"""

from __future__ import annotations

import logging
import os
import socket
import uuid
from datetime import datetime, timedelta

from bot.catalog.schedule import due
from bot.reminders.options import (
    BUSY,
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
    "BUSY",
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
    if not await _take_lease(log, owner, now, opts.lease_seconds):
        logger.info("Reminder pass skipped: %s", BUSY)
        return PassReport(stopped=BUSY)
    try:
        report = PassReport(planned=await plan_due(services, log, now))
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
        await log.lease.release(owner)
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

    Every pass plans the occurrences still open again: someone who subscribes while a
    campaign runs gets it too, and nobody twice (one row per occurrence and chat).
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


async def _take_lease(log: DeliveryLog, owner: str, now: datetime, seconds: float) -> bool:
    holder = await log.lease.take(owner, now.timestamp(), seconds)
    if holder != owner and _is_dead_local(holder):
        logger.warning("Taking over the reminder lease of %s (process gone)", holder)
        holder = await log.lease.take(owner, now.timestamp(), seconds, force=True)
    return holder == owner


def _is_dead_local(owner: str) -> bool:
    host, _sep, rest = owner.partition(":")
    pid = rest.partition(":")[0]
    if host != socket.gethostname() or not pid.isdigit() or int(pid) == os.getpid():
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return False
