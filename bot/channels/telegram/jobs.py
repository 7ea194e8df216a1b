"""Repeating jobs: the live content reload (problems go to the admins once) and reminders."""

from __future__ import annotations

import functools
import logging
from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Any, Final

from telegram.ext import Application, JobQueue

from bot.base.i18n import N_
from bot.base.turns import Reply, esc
from bot.channels.telegram.context import BotContext
from bot.channels.telegram.io import chat_language
from bot.channels.telegram.sender import TelegramSender
from bot.dialogue.services import Services
from bot.reminders.delivery import run_due_pass
from bot.reminders.sender import Sender, SendStatus

logger = logging.getLogger(__name__)

CONTENT_JOB: Final = "content:reload"
REMINDERS_JOB: Final = "reminders:due"
SWEEP_JOB: Final = "updates:sweep"
SWEEP_INTERVAL_SECONDS: Final = 10
CONTENT_INTERVAL_SECONDS: Final = 30
MAX_PROBLEMS_SHOWN: Final = 20
# The same message id as the core's /reload answer, so they share one translation.
REJECTED: Final = N_("The edit was rejected; I keep serving the last good content:")

DuePass = Callable[[Services, Sender, datetime], Awaitable[object]]


def _job_queue(
    application: Application[Any, BotContext, Any, Any, Any, Any],
) -> JobQueue[BotContext]:
    """The application's job queue (PTB makes one only with the job-queue extra)."""
    if application.job_queue is None:
        raise RuntimeError("PTB's job queue is missing: install python-telegram-bot[job-queue]")
    return application.job_queue


def schedule_jobs(application: Application[Any, BotContext, Any, Any, Any, Any]) -> None:
    """Register the repeating jobs on the application's job queue."""
    job_queue = _job_queue(application)
    job_queue.run_repeating(
        reload_content,
        interval=CONTENT_INTERVAL_SECONDS,
        first=CONTENT_INTERVAL_SECONDS,
        name=CONTENT_JOB,
    )
    schedule_reminders(application)


async def reload_content(context: BotContext) -> None:
    """Reload edited content; tell the admins about a rejected edit, once per broken state.
    Training files changed by the workspace's inbox start a retrain in the background."""
    context.services.retrain_if_changed()
    result = context.services.content.reload_if_changed()
    if result is None:
        return
    data = context.bot_data
    problems = tuple(str(problem) for problem in result.problems)
    if problems != data.reported_problems:
        # With replicas, only the first one to see these problems tells the admins.
        shared = data.shared
        first = shared is None or await shared.first_to_announce(problems)
        if problems and first:
            await notify_admins(context, problems)
    data.reported_problems = problems


async def notify_admins(context: BotContext, problems: tuple[str, ...]) -> None:
    """Send the problems of a rejected content edit to every admin, in their language."""
    sender = TelegramSender(context.bot)
    details = esc("\n".join(problems[:MAX_PROBLEMS_SHOWN]))
    for admin in sorted(context.services.settings.admins):
        language = await chat_language(context, admin, None)
        head = context.services.translator.gettext(language)(REJECTED)
        result = await sender.send(admin, Reply(f"{esc(head)}\n<pre>{details}</pre>"))
        if result.status is not SendStatus.SENT:
            logger.warning("Content problems not sent to an admin: %s", result.status.value)


def schedule_reminders(application: Application[Any, BotContext, Any, Any, Any, Any]) -> None:
    """Register the campaign reminders pass, every `reminders.check_interval_seconds`."""
    job_queue = application.job_queue
    if job_queue is None:
        raise RuntimeError("PTB's job queue is missing: install python-telegram-bot[job-queue]")
    settings = application.bot_data.services.settings
    job_queue.run_repeating(
        functools.partial(send_reminders, run_due_pass),
        interval=settings.reminders.check_interval_seconds,
        first=10,
        name=REMINDERS_JOB,
    )


async def send_reminders(run: DuePass, context: BotContext) -> None:
    """One pass of the campaign reminders that are due now."""
    services = context.services
    paid = services.settings.reminders.paid_broadcast
    await run(services, TelegramSender(context.bot, paid_broadcast=paid), services.now())


def schedule_sweep(application: Application[Any, BotContext, Any, Any, Any, Any]) -> None:
    """Register the sweep of updates left pending by a replica that died (replicas only)."""
    _job_queue(application).run_repeating(
        sweep_updates,
        interval=SWEEP_INTERVAL_SECONDS,
        first=SWEEP_INTERVAL_SECONDS,
        name=SWEEP_JOB,
    )


async def sweep_updates(context: BotContext) -> None:
    """Handle the updates another replica recorded but never handled (it died meanwhile)."""
    shared = context.bot_data.shared
    if shared is not None:
        handled = await shared.order.sweep()
        if handled:
            logger.warning("Handled %d updates another replica left pending", handled)
