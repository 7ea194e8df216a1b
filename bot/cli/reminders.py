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

from bot.base.errors import ConfigError
from bot.base.i18n import Translator
from bot.base.settings import Settings
from bot.catalog.schedule import upcoming
from bot.catalog.store import ContentStore
from bot.reminders.announce import announcement_run, resolve_places
from bot.reminders.delivery import (
    DEFAULT_CONCURRENCY,
    DeliveryOptions,
    quiet_hours,
    run_due_pass,
)
from bot.reminders.options import sending_rate
from bot.reminders.ratelimit import TokenBucket
from bot.storage import Storage


@dataclass(slots=True)
class CliServices:
    """What a reminder pass needs, without the NLU and the dialogue (see ReminderServices)."""

    settings: Settings
    content: ContentStore
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
async def _services(
    settings: Settings, content: ContentStore | None = None, now: datetime | None = None
) -> AsyncIterator[CliServices]:
    if content is None:
        content = ContentStore.load(settings.content_dir)
    storage = await Storage.open(settings.database)
    clock = (lambda: now) if now is not None else (lambda: datetime.now(settings.timezone))
    try:
        yield CliServices(settings, content, storage, Translator(settings.languages), clock)
    finally:
        await storage.close()


async def _run_due(settings: Settings, args: argparse.Namespace) -> int:
    if settings.telegram.token is None:
        raise ConfigError("TELEGRAM_BOT_TOKEN: not set; it is needed to send reminders")
    fixed = _now(settings, args.now) if args.now else None
    options = DeliveryOptions(concurrency=max(1, args.concurrency))
    limiter = TokenBucket(None if args.no_limit else sending_rate(settings))
    from bot.channels.telegram.push import telegram_sender  # only sending needs Telegram

    async with (
        _services(settings, now=fixed) as services,
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
    content = ContentStore.load(settings.content_dir)
    places = content.places
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
    async with _services(settings, content) as services:
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
        from bot.channels.telegram.push import telegram_sender

        async with telegram_sender(settings, DEFAULT_CONCURRENCY) as sender:
            report = await run_due_pass(services, sender, now)
        print(f"Sent {report.sent}, pending {report.pending}.", file=out)
    return 0


def _list(settings: Settings, out: TextIO) -> int:
    now = datetime.now(settings.timezone)
    rows = []
    for campaign in ContentStore.load(settings.content_dir).calendar:
        nxt = upcoming(
            campaign.id, campaign.schedule, now, settings.timezone, quiet_hours(settings)
        )
        rows.append((nxt.send_from.strftime("%Y-%m-%d %H:%M") if nxt else "-", campaign.id))
    for when, campaign_id in sorted(rows):
        print(f"{when}  {campaign_id}", file=out)
    return 0
