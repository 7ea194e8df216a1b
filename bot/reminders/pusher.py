"""The sending half of a pass: claim a batch, send it with concurrent senders behind one token
bucket, mark each row; again until nothing is left to claim (other passes claim beside it)."""

from __future__ import annotations

import asyncio
import logging
import time
from collections import deque
from dataclasses import replace

from bot.base.errors import StorageError
from bot.base.turns import Button, Reply, esc
from bot.reminders.options import (
    QUIET,
    DeliveryOptions,
    PassReport,
    ReminderServices,
    quiet_hours,
)
from bot.reminders.ratelimit import TokenBucket
from bot.reminders.sender import Sender, SendResult, SendStatus
from bot.reminders.subscriptions import CB_UNSUBSCRIBE, UNSUBSCRIBE_ALL
from bot.storage import Delivery, DeliveryLog, Run
from bot.storage import deliveries as log_status

logger = logging.getLogger(__name__)


class Pusher:
    """Claims pending rows and sends them with a few concurrent senders behind one bucket."""

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
        self.queue: deque[Delivery] = deque()
        self.stop = ""

    async def run(self, report: PassReport) -> None:
        """Send claimed batches until nothing is free to claim or quiet hours start."""
        opts = self.opts
        self.runs = await self.log.open_runs()
        total = (await self.log.counts(self.runs)).get(log_status.PENDING, 0)
        last_progress = time.monotonic()
        while not self.stop:
            if self.quiet.contains(self.services.now(), self.services.settings.timezone):
                self.stop = QUIET
                break
            now = self.services.now().timestamp()
            batch = await self.log.claims.claim(
                self.owner, now, now + opts.claim_seconds, opts.batch_size
            )
            if not batch:
                break
            self.renewed = time.monotonic()
            if any(row.occurrence not in self.runs for row in batch):
                self.runs = await self.log.open_runs()  # planned since the pass started
            self.queue = deque(await self._skip_unreachable(batch, report))
            workers = min(opts.concurrency, len(self.queue))
            await asyncio.gather(*(self._work(report) for _ in range(workers)))
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

    async def _work(self, report: PassReport) -> None:
        while self.queue and not self.stop:
            if self.quiet.contains(self.services.now(), self.services.settings.timezone):
                self.stop = QUIET
                return
            await self._keep_claims()
            if self.queue:
                await self._send_one(self.queue.popleft(), report)

    async def _keep_claims(self) -> None:
        # Renewed a few times per claim lifetime, so a slow batch (long RetryAfter waits) never
        # lets the claims lapse while we still send. A row the renewal did not keep was taken
        # for a dead worker's and freed: another worker sends it, so this one must not.
        if time.monotonic() - self.renewed < self.opts.claim_seconds / 4:
            return
        self.renewed = time.monotonic()
        now = self.services.now().timestamp()
        kept = await self.log.claims.renew(self.owner, now + self.opts.claim_seconds)
        lost = [row for row in self.queue if row.id not in kept]
        if lost:
            logger.warning("Reminders: %d claimed rows were taken over; not sent here", len(lost))
            self.queue = deque(row for row in self.queue if row.id in kept)

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
