"""One reminder pass: plan the due campaigns into the delivery log, then send what is pending.

Durability: every row is planned before anything is sent and marked (committed) right after its
own send, so a pass that stops anywhere resumes exactly. A crash can leave at most one message
per concurrent sender (`DeliveryOptions.concurrency`, 8 by default) sent but not yet marked:
those are sent again on resume (at least once), nothing is ever skipped.
"""

from __future__ import annotations

import asyncio
import logging
import os
import socket
import time
import uuid
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import Final, Protocol

from bot.base.errors import StorageError
from bot.base.i18n import Translator
from bot.base.settings import Settings
from bot.base.turns import Button, Reply, esc
from bot.catalog.schedule import QuietHours, due
from bot.catalog.store import ContentStore
from bot.reminders.ratelimit import TokenBucket
from bot.reminders.sender import Sender, SendResult, SendStatus
from bot.reminders.subscriptions import CB_UNSUBSCRIBE, UNSUBSCRIBE_ALL
from bot.storage import Delivery, DeliveryLog, Run, Storage
from bot.storage import deliveries as log_status

logger = logging.getLogger(__name__)

DEFAULT_CONCURRENCY: Final = 8  # also the most messages a crash can leave ambiguous
QUIET: Final = "quiet hours"
BUSY: Final = "another pass holds the lease"


class ReminderServices(Protocol):
    """What a pass needs; the dialogue services have it, and so does the CLI bundle."""

    @property
    def settings(self) -> Settings:
        """The settings."""

    @property
    def content(self) -> ContentStore:
        """The content being served: the calendar and the places."""

    @property
    def storage(self) -> Storage:
        """The open database."""

    @property
    def translator(self) -> Translator:
        """Interface texts per language."""

    @property
    def now(self) -> Callable[[], datetime]:
        """The clock (time-zone aware)."""


@dataclass(frozen=True, slots=True)
class DeliveryOptions:
    """How a pass sends: parallel senders, batch size, retries, lease and progress period."""

    concurrency: int = DEFAULT_CONCURRENCY
    batch_size: int = 200
    max_attempts: int = 5
    lease_seconds: float = 120.0
    progress_seconds: float = 30.0
    keep_days: int = 90


@dataclass(slots=True)
class PassReport:
    """What one pass did; `pending` is what is left for a later pass."""

    planned: int = 0
    sent: int = 0
    failed: int = 0
    forbidden: int = 0
    moved: int = 0
    skipped: int = 0
    expired: int = 0
    retried: int = 0
    deferred: int = 0
    pending: int = 0
    stopped: str = ""
    counts: dict[str, int] = field(default_factory=dict)


def quiet_hours(settings: Settings) -> QuietHours:
    """The configured quiet hours."""
    return QuietHours(settings.reminders.quiet_start, settings.reminders.quiet_end)


def limiter_for(settings: Settings) -> TokenBucket:
    """The broadcast limit from the settings (Telegram allows about 30 messages a second)."""
    return TokenBucket(settings.reminders.messages_per_second)


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
            await _Pusher(services, log, sender, limit, opts, owner).run(report)
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


class _Pusher:
    """Sends the pending rows with a few concurrent workers behind one token bucket."""

    def __init__(
        self,
        services: ReminderServices,
        log: DeliveryLog,
        sender: Sender,
        limiter: TokenBucket,
        opts: DeliveryOptions,
        owner: str,
    ) -> None:
        self.services = services
        self.log = log
        self.sender = sender
        self.limiter = limiter
        self.opts = opts
        self.owner = owner
        self.runs: dict[str, Run] = {}
        self.replies: dict[tuple[str, str], Reply] = {}
        self.quiet = quiet_hours(services.settings)
        self.renewed = time.monotonic()  # real time: the pass clock may be fixed (--now)
        self.stop = ""

    async def run(self, report: PassReport) -> None:
        """Send batches until nothing is pending, quiet hours start or the lease is lost."""
        opts = self.opts
        self.runs = await self.log.open_runs()
        total = (await self.log.counts(self.runs)).get(log_status.PENDING, 0)
        last_id, last_progress = 0, time.monotonic()
        while not self.stop:
            if self.quiet.contains(self.services.now(), self.services.settings.timezone):
                self.stop = QUIET
                break
            batch = await self.log.pending(last_id, opts.batch_size)
            if not batch:
                break
            last_id = batch[-1].id
            queue = deque(await self._skip_unreachable(batch, report))
            workers = min(opts.concurrency, len(queue))
            await asyncio.gather(*(self._work(queue, report) for _ in range(workers)))
            await self._keep_lease()
            if time.monotonic() - last_progress >= opts.progress_seconds:
                last_progress = time.monotonic()
                done = report.sent + report.failed + report.forbidden + report.skipped
                logger.info(
                    "Reminders: sent %d, pending %d, failed %d",
                    report.sent,
                    max(0, total - done),
                    report.failed + report.forbidden,
                )
        report.stopped = self.stop

    async def _skip_unreachable(self, batch: list[Delivery], report: PassReport) -> list[Delivery]:
        now = self.services.now()
        inactive = [row.id for row in batch if not row.active]
        gone = [row.id for row in batch if row.active and not row.subscribed]
        if inactive:
            await self.log.mark_many(inactive, log_status.INACTIVE, now)
        if gone:
            await self.log.mark_many(gone, log_status.UNSUBSCRIBED, now)
        report.skipped += len(inactive) + len(gone)
        return [
            row for row in batch if row.active and row.subscribed and row.occurrence in self.runs
        ]

    async def _work(self, queue: deque[Delivery], report: PassReport) -> None:
        while queue and not self.stop:
            if self.quiet.contains(self.services.now(), self.services.settings.timezone):
                self.stop = QUIET
                return
            await self._keep_lease()
            if not self.stop:
                await self._send_one(queue.popleft(), report)

    async def _keep_lease(self) -> None:
        # Renewed a few times per lease period, so a slow batch (long RetryAfter waits) never
        # lets it lapse while we still send; losing it to another process stops this pass.
        if time.monotonic() - self.renewed < self.opts.lease_seconds / 4:
            return
        self.renewed = time.monotonic()
        now = self.services.now().timestamp()
        holder = await self.log.lease.take(self.owner, now, self.opts.lease_seconds)
        if holder != self.owner:
            self.stop = BUSY

    async def _send_one(self, row: Delivery, report: PassReport) -> None:
        reply = self._reply(row)
        for attempt in range(1, self.opts.max_attempts + 1):
            await self.limiter.acquire()
            try:
                result = await self.sender.send(row.chat_id, reply)
            except Exception:  # a sender must not raise; if one does, the next pass retries
                logger.exception("Sender raised for chat %d", row.chat_id)
                report.deferred += 1
                return
            if result.status is SendStatus.RETRY_LATER:
                report.retried += 1
                self.limiter.pause(result.retry_after or float(attempt))
                continue
            if result.status is SendStatus.MOVED and result.new_chat_id is not None:
                moved = await self._follow(row, result.new_chat_id, report)
                if moved is None:
                    return
                row = moved
                continue
            await self._record(row, result, attempt, report)
            return
        report.deferred += 1  # still pending: the next pass tries again

    async def _follow(
        self, row: Delivery, new_chat_id: int, report: PassReport
    ) -> Delivery | None:
        """Move the chat to its new id; the row to send again, or None if it is not ours now."""
        try:
            await self.services.storage.users.move_chat(
                row.chat_id, new_chat_id, self.services.now()
            )
        except StorageError as exc:  # e.g. locked too long: the row stays pending, next pass
            logger.warning("Could not move a chat to its new id: %s", exc)
            report.deferred += 1
            return None
        report.moved += 1
        if await self.log.chat_of(row.id) != new_chat_id:
            # The new chat already had its own row for this occurrence: that one is sent.
            report.skipped += 1
            return None
        return replace(row, chat_id=new_chat_id)

    async def _record(
        self, row: Delivery, result: SendResult, attempts: int, report: PassReport
    ) -> None:
        now = self.services.now()
        if result.status is SendStatus.SENT:
            await self.log.mark(row.id, log_status.SENT, now, attempts)
            report.sent += 1
        elif result.status is SendStatus.FORBIDDEN:
            await self.log.mark(row.id, log_status.FORBIDDEN, now, attempts, result.detail)
            await self.services.storage.users.set_active(row.chat_id, False, now)
            report.forbidden += 1
        else:
            await self.log.mark(row.id, log_status.FAILED, now, attempts, result.detail)
            logger.warning("Reminder to chat %d failed: %s", row.chat_id, result.detail)
            report.failed += 1

    def _reply(self, row: Delivery) -> Reply:
        key = (row.occurrence, row.language)
        if key not in self.replies:
            run = self.runs[row.occurrence]
            self.replies[key] = render(
                run, row.language, self.services.settings.default_language, self.services
            )
        return self.replies[key]


def render(run: Run, language: str, default_language: str, services: ReminderServices) -> Reply:
    """The reminder in `language` (else the default language, else any), with how to stop."""
    if language not in run.messages:
        language = default_language if default_language in run.messages else min(run.messages)
    _ = services.translator.gettext(language)
    footer = _("You get this because you follow campaign reminders. /unsubscribe stops them.")
    stop = Button("🔕 " + _("Stop the reminders"), f"{CB_UNSUBSCRIBE}{UNSUBSCRIBE_ALL}")
    return Reply(f"🔔 {esc(run.messages[language])}\n\n<i>{esc(footer)}</i>", ((stop,),))
