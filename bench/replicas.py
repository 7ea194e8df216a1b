"""Replies' latency during a broadcast: two replicas, one shared database, one sending budget.

Two real bot replicas (webhook mode, in this process) share a database (SQLite, or PostgreSQL
with --postgres) and its sending budget (`telegram.messages_per_second` 30). The fake Bot API
runs in another process, as Telegram: it delivers "/help" from new users to the replicas in
turn at `--rate` a second and times each until its answer arrives. Three conditions alternate:

- idle: no broadcast;
- broadcast: one replica pushes messages as fast as the budget lets broadcasts go (25 of the
  30 a second: `reminders.messages_per_second`), the rest stays for replies;
- no reserve: the same broadcast allowed the whole 30 a second (what a per-process limit
  without a shared reply share amounts to): replies wait for whatever it leaves.

    .venv/bin/python bench/replicas.py [--replies 40] [--rate 4] [--rounds 2] [--postgres]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import functools
import logging
import multiprocessing
import os
import statistics
import sys
import tempfile
import time
from dataclasses import replace
from datetime import datetime
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

# Note: bench/telegram.py would shadow the `telegram` package: this folder leaves sys.path.
HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != HERE]
sys.path.insert(0, str(ROOT))

BROADCAST_CHATS = 900_000  # chat ids of the broadcast's recipients start here
CONDITIONS = ("idle", "broadcast", "no reserve")


def telegram_side(connection: Connection) -> None:
    """The fake Bot API process: serve, and on request deliver replies' updates and time them."""

    async def main() -> None:
        from tests.helpers.fake_bot_api import FakeBotAPI

        async with FakeBotAPI() as api:
            connection.send(api.port)
            loop = asyncio.get_running_loop()
            # Wait for the parent off the loop: the server must go on answering the bots.
            urls, secret = await loop.run_in_executor(None, connection.recv)
            api.use_webhooks(urls, secret)
            next_chat = 1
            while (order := await loop.run_in_executor(None, connection.recv)) is not None:
                count, rate = order
                chats = list(range(next_chat, next_chat + count))
                next_chat += count
                connection.send(await measure(api, chats, rate))
            broadcast = sum(
                1 for c in api.calls_of("sendMessage") if c.params["chat_id"] >= BROADCAST_CHATS
            )
            connection.send(broadcast)

    asyncio.run(main())


async def measure(api: Any, chats: list[int], rate: float) -> list[float]:
    """Deliver "/help" from each chat at `rate` a second; each one's seconds until answered."""
    started: dict[int, float] = {}

    async def one(chat: int) -> None:
        started[chat] = time.monotonic()
        await api.deliver(api.text_update(chat, "/help"))

    tasks = []
    for chat in chats:
        tasks.append(asyncio.create_task(one(chat)))
        await asyncio.sleep(1 / rate)
    await asyncio.gather(*tasks)
    answered: dict[int, float] = {}
    deadline = time.monotonic() + 60
    while len(answered) < len(chats) and time.monotonic() < deadline:
        for call in api.calls_of("sendMessage"):
            chat = call.params["chat_id"]
            if chat in started and chat not in answered:
                answered[chat] = call.at
        await asyncio.sleep(0.05)
    return [answered[chat] - started[chat] for chat in chats if chat in answered]


async def broadcast(application: Any, stop: asyncio.Event) -> None:
    """Push messages to ever new chats through the reminders' sender, with as many concurrent
    senders as a reminder pass (`DEFAULT_CONCURRENCY`), until `stop`."""
    from bot.base.turns import Reply
    from bot.channels.telegram.sender import TelegramSender
    from bot.reminders.options import DEFAULT_CONCURRENCY

    sender = TelegramSender(application.bot)
    chats = iter(range(BROADCAST_CHATS, BROADCAST_CHATS * 10))

    async def worker() -> None:
        while not stop.is_set():
            await sender.send(next(chats), Reply("🔔 Campagne : fermez vos fenêtres."))

    await asyncio.gather(*(worker() for _ in range(DEFAULT_CONCURRENCY)))


async def bot_side(
    args: argparse.Namespace, database: str, parent: Connection
) -> dict[str, list[float]]:
    """Two replicas on `database`; the latencies of each condition, rounds pooled."""
    from telegram.ext import AIORateLimiter

    from bot.app import assemble, build_nlu
    from bot.base.i18n import Translator
    from bot.base.settings import Secret, TelegramSettings, load_settings
    from bot.catalog.store import ContentStore
    from bot.channels.telegram.app import build_application, webhook_options
    from bot.dialogue.services import Services
    from bot.storage import Storage
    from tests.helpers.fake_bot_api import TOKEN
    from tests.helpers.replicas import free_port

    port = parent.recv()
    base = load_settings(environ={})
    telegram = TelegramSettings(
        token=Secret(TOKEN),
        base_url=f"http://127.0.0.1:{port}/bot",
        flood_max_messages=1_000_000,
        replicas=True,
        messages_per_second=30,
    )
    settings = replace(base, telegram=telegram, db_path=Path(database))
    if "://" in database:
        settings = replace(settings, db_url=Secret(database))
    nlu, content = build_nlu(settings), ContentStore.load(settings.content_dir)
    translator = Translator(settings.languages)

    async def services() -> Services:
        storage = await Storage.open(settings.database)
        clock = functools.partial(datetime.now, settings.timezone)
        return assemble(settings, content, nlu, storage, clock, translator)

    replicas, urls = [], []
    async with contextlib.AsyncExitStack() as stack:
        for _ in range(2):
            limiter = AIORateLimiter(overall_max_rate=0, group_max_rate=0, max_retries=3)
            application = build_application(settings, services, rate_limiter=limiter)
            listen = free_port()
            options = webhook_options(
                settings, "https://bot.example.be/hook", "127.0.0.1", listen, {}
            )
            await application.initialize()
            await application.post_init(application)
            await application.updater.start_webhook(**options)
            await application.start()
            stack.push_async_callback(stop_replica, application)
            replicas.append(application)
            urls.append(f"http://127.0.0.1:{listen}/hook")
        parent.send((urls, options["secret_token"]))
        latencies: dict[str, list[float]] = {name: [] for name in CONDITIONS}
        for _round in range(args.rounds):
            for name in CONDITIONS:
                for application in replicas:
                    application.bot.rate_limiter.budget.broadcast = (
                        30 if name == "no reserve" else 25
                    )
                stop = asyncio.Event()
                pusher = (
                    asyncio.create_task(broadcast(replicas[0], stop)) if name != "idle" else None
                )
                await asyncio.sleep(1.0 if pusher else 0)  # the broadcast is under way
                parent.send((args.replies, args.rate))
                got = await asyncio.get_running_loop().run_in_executor(None, parent.recv)
                stop.set()
                if pusher is not None:
                    await pusher
                latencies[name].extend(got)
                print(f"{name:>10}: {len(got)} replies, median {median_ms(got)} ms", flush=True)
        parent.send(None)
        broadcast_sent = parent.recv()
    print(f"broadcast messages sent during the run: {broadcast_sent}")
    return latencies


async def stop_replica(application: Any) -> None:
    """Stop one replica in order."""
    await application.updater.stop()
    await application.stop()
    await application.shutdown()
    await application.post_shutdown(application)


def median_ms(values: list[float]) -> str:
    """The median in milliseconds."""
    return f"{statistics.median(values) * 1000:.0f}" if values else "-"


def p99_ms(values: list[float]) -> str:
    """The 99th percentile in milliseconds (the largest below 100 values)."""
    if not values:
        return "-"
    ordered = sorted(values)
    return f"{ordered[min(len(ordered) - 1, int(0.99 * len(ordered)))] * 1000:.0f}"


def main() -> int:
    """Run the benchmark and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--replies", type=int, default=40, help="replies per condition and round")
    parser.add_argument("--rate", type=float, default=4.0, help="replies' updates a second")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--postgres", action="store_true", help="a real PostgreSQL server")
    args = parser.parse_args()
    os.environ.setdefault("PTB_TIMEDELTA", "true")
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    logging.getLogger("apscheduler").setLevel(logging.ERROR)
    parent, child = multiprocessing.get_context("spawn").Pipe()
    server = multiprocessing.get_context("spawn").Process(target=telegram_side, args=(child,))
    server.start()
    postgres = None
    try:
        with tempfile.TemporaryDirectory() as folder:
            database = str(Path(folder) / "replicas.sqlite3")
            if args.postgres:
                from tests.helpers.postgres import PostgresServer

                postgres = PostgresServer().start()
                database = asyncio.run(postgres.create())
            latencies = asyncio.run(bot_side(args, database, parent))
    finally:
        server.join(30)
        if server.is_alive():
            server.kill()
        if postgres is not None:
            postgres.stop()
    backend = "PostgreSQL" if args.postgres else "SQLite"
    print(f"replicas ({backend}, 2 replicas, replies at {args.rate:g}/s, budget 30/s):")
    for name in CONDITIONS:
        values = latencies[name]
        figures = f"median {median_ms(values)} ms, p99 {p99_ms(values)} ms"
        print(f"  {name:>10}: {figures} ({len(values)} replies)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
