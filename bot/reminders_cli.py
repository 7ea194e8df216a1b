"""`preventbot reminders run-due | announce | list`: the reminders from cron or a terminal."""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import TextIO

from bot.announce import announcement_run, resolve_places
from bot.config import Settings
from bot.delivery import (
    DEFAULT_CONCURRENCY,
    DeliveryOptions,
    calendar,
    quiet_hours,
    run_due_pass,
)
from bot.errors import ConfigError
from bot.i18n import Translator
from bot.places import load_places
from bot.ratelimit import TokenBucket
from bot.reminders import upcoming
from bot.storage import Storage


@dataclass(slots=True)
class CliServices:
    """What a reminder pass needs, without the NLU and the dialogue (see ReminderServices)."""

    settings: Settings
    storage: Storage
    translator: Translator
    now: Callable[[], datetime]


def run(args: argparse.Namespace, settings: Settings) -> int:
    """Dispatch the `reminders` sub-commands."""
    if args.action == "run-due":
        return asyncio.run(_run_due(settings, args))
    if args.action == "announce":
        return asyncio.run(_announce(settings, args, sys.stdin, sys.stdout))
    return _list(settings, sys.stdout)


def _now(settings: Settings, text: str | None) -> datetime:
    if not text:
        return datetime.now(settings.timezone)
    moment = datetime.fromisoformat(text)
    return moment if moment.tzinfo else moment.replace(tzinfo=settings.timezone)


@asynccontextmanager
async def _services(settings: Settings, now: datetime | None = None) -> AsyncIterator[CliServices]:
    storage = await Storage.open(settings.db_path)
    clock = (lambda: now) if now is not None else (lambda: datetime.now(settings.timezone))
    try:
        yield CliServices(settings, storage, Translator(settings.languages), clock)
    finally:
        await storage.close()


async def _run_due(settings: Settings, args: argparse.Namespace) -> int:
    if settings.telegram.token is None:
        raise ConfigError("TELEGRAM_BOT_TOKEN: not set; it is needed to send reminders")
    fixed = _now(settings, args.now) if args.now else None
    options = DeliveryOptions(concurrency=max(1, args.concurrency))
    limiter = TokenBucket(None if args.no_limit else settings.reminders.messages_per_second)
    from bot.telegram_push import telegram_sender  # only sending needs Telegram

    async with (
        _services(settings, fixed) as services,
        telegram_sender(settings, options.concurrency) as sender,
    ):
        report = await run_due_pass(services, sender, services.now(), limiter, options)
    print(
        f"planned {report.planned}, sent {report.sent}, failed {report.failed}, "
        f"forbidden {report.forbidden}, moved {report.moved}, skipped {report.skipped}, "
        f"pending {report.pending}" + (f" (stopped: {report.stopped})" if report.stopped else "")
    )
    return 0


async def _announce(
    settings: Settings, args: argparse.Namespace, stdin: TextIO, out: TextIO
) -> int:
    places = load_places(settings.content_dir)
    codes, problems = resolve_places(places, args.places)
    texts: dict[str, str] = {}
    bad = []
    for item in args.text:
        code, _sep, body = item.partition("=")
        if code.strip().lower() in settings.languages and body.strip():
            texts[code.strip().lower()] = body.strip()
        else:
            bad.append(item)
    if problems or not codes or bad:
        for problem in problems:
            print(f"place not found or ambiguous: {problem}", file=sys.stderr)
        if bad:
            print(
                "--text needs LANG=TEXT with LANG in " + ", ".join(settings.languages),
                file=sys.stderr,
            )
        return 2
    async with _services(settings) as services:
        now = services.now()
        reach = await services.storage.subscriptions.reach(codes)
        names = ", ".join(sorted(place.name("fr") for place in map(places.get, codes) if place))
        print(
            f"Places: {names}\nLanguages: {', '.join(sorted(texts))}\nSubscribers: {reach}",
            file=out,
        )
        if not args.yes:
            print("Send it? [y/N] ", end="", file=out, flush=True)
            if stdin.readline().strip().lower() not in ("y", "yes", "o", "oui", "j", "ja"):
                print("Cancelled.", file=out)
                return 1
        run = announcement_run(codes, texts, 0, now, quiet_hours(settings), settings.timezone)
        count = await services.storage.deliveries.plan(run, now, settings.default_language)
        print(f"Planned {run.occurrence}: {count} messages.", file=out)
        if settings.telegram.token is None:
            print(
                "No TELEGRAM_BOT_TOKEN here: the running bot sends it at its next pass.", file=out
            )
            return 0
        from bot.telegram_push import telegram_sender

        async with telegram_sender(settings, DEFAULT_CONCURRENCY) as sender:
            report = await run_due_pass(services, sender, now)
        print(f"Sent {report.sent}, pending {report.pending}.", file=out)
    return 0


def _list(settings: Settings, out: TextIO) -> int:
    now = datetime.now(settings.timezone)
    rows = []
    for campaign in calendar(settings.content_dir):
        nxt = upcoming(
            campaign.id, campaign.schedule, now, settings.timezone, quiet_hours(settings)
        )
        rows.append((nxt.send_from.strftime("%Y-%m-%d %H:%M") if nxt else "-", campaign.id))
    for when, campaign_id in sorted(rows):
        print(f"{when}  {campaign_id}", file=out)
    return 0
