"""Telegram throughput: updates per second one bot process handles, and its peak memory.

The real application (handlers, dialogue core, NLU, SQLite, HTTP to the Bot API) long-polls a
fake Bot API server that runs in a separate process, so the server's work is not counted. Each
run feeds the same mix of updates from many users (/start, a question in the user's language,
a button press, /menu) and times them from the start of polling until the last one is fully
handled. The rate limiter's throughput caps are off: in production Telegram's own limits (about
30 messages per second per bot) are the ceiling, and the limiter enforces them.

    .venv/bin/python bench/telegram.py [--updates 1000] [--runs 5] [--no-recent]

The mix repeats a dozen questions, so the NLU's memo of recent embeddings answers most of them;
`--no-recent` embeds every one, as the code before the memo did.
"""

from __future__ import annotations

import sys
from pathlib import Path

# Note: this file is called telegram.py; its folder must not shadow the `telegram` package.
HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != HERE]
sys.path.insert(0, str(ROOT))

import argparse  # noqa: E402
import asyncio  # noqa: E402
import functools  # noqa: E402
import logging  # noqa: E402
import multiprocessing  # noqa: E402
import os  # noqa: E402
import resource  # noqa: E402
import statistics  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from dataclasses import replace  # noqa: E402
from datetime import datetime  # noqa: E402
from multiprocessing.connection import Connection  # noqa: E402
from typing import Any  # noqa: E402

QUESTIONS = {
    "fr": ["comment rejoindre un PLP ?", "comment sécuriser ma porte d'entrée", "merci"],
    "nl": ["hoe word ik lid van een BIN", "hoe beveilig ik mijn voordeur", "bedankt"],
    "de": ["wie trete ich einem NIN bei", "wie sichere ich meine Haustür", "danke"],
    "en": ["how do I join a PLP", "how do I secure my front door", "thanks"],
}
LANGUAGES = tuple(QUESTIONS)


def make_updates(count: int) -> list[dict[str, Any]]:
    """`count` updates: users of the four languages, four updates each, interleaved."""
    from tests.helpers.fake_bot_api import FakeBotAPI

    builder = FakeBotAPI()
    users = max(1, count // 4)
    steps: list[list[dict[str, Any]]] = [[] for _ in range(4)]
    for user in range(users):
        chat_id, language = 10_000 + user, LANGUAGES[user % 4]
        question = QUESTIONS[language][user % 3]
        steps[0].append(builder.text_update(chat_id, "/start", language_code=language))
        steps[1].append(builder.text_update(chat_id, question, language_code=language))
        steps[2].append(builder.callback_update(chat_id, "topic:plp.join"))
        steps[3].append(builder.text_update(chat_id, "/menu", language_code=language))
    updates = [update for step in steps for update in step][:count]
    for update_id, update in enumerate(updates, start=1):
        update["update_id"] = update_id
    return updates


def serve(connection: Connection, updates: list[dict[str, Any]]) -> None:
    """The fake Bot API server process: queue the updates, serve until told to stop."""

    async def main() -> None:
        from tests.helpers.fake_bot_api import FakeBotAPI

        async with FakeBotAPI(poll_timeout=0.05) as api:
            for update in updates:
                api.push(update)
            connection.send(api.port)
            await asyncio.get_running_loop().run_in_executor(None, connection.recv)
            connection.send(len(api.unexpected))

    asyncio.run(main())


async def one_run(nlu: Any, content: Any, translator: Any, updates: list[dict[str, Any]]) -> float:
    """Updates per second for one run against a fresh server and a fresh database."""
    from telegram import Update
    from telegram.ext import AIORateLimiter, TypeHandler

    from bot.app import assemble
    from bot.base.settings import Secret, TelegramSettings, load_settings
    from bot.channels.telegram.app import build_application
    from bot.dialogue.services import Services
    from bot.storage import Storage
    from tests.helpers.fake_bot_api import TOKEN
    from tests.helpers.telegram_bot import DONE_GROUP

    parent, child = multiprocessing.get_context("spawn").Pipe()
    server = multiprocessing.get_context("spawn").Process(target=serve, args=(child, updates))
    server.start()
    if not parent.poll(60):
        server.kill()
        raise RuntimeError("the fake Bot API server did not start")
    port = parent.recv()
    with tempfile.TemporaryDirectory() as folder:
        telegram = TelegramSettings(
            token=Secret(TOKEN),
            base_url=f"http://127.0.0.1:{port}/bot",
            flood_max_messages=1_000_000,
        )
        settings = replace(
            load_settings(environ={}), db_path=Path(folder) / "bench.sqlite3", telegram=telegram
        )

        async def services() -> Services:
            storage = await Storage.open(settings.db_path)
            clock = functools.partial(datetime.now, settings.timezone)
            return assemble(settings, content, nlu, storage, clock, translator)

        limiter = AIORateLimiter(overall_max_rate=0, group_max_rate=0, max_retries=3)
        application = build_application(settings, services, rate_limiter=limiter)
        last_id = updates[-1]["update_id"]
        finished = asyncio.Event()

        async def mark(update: Update, context: Any) -> None:
            if update.update_id == last_id:
                finished.set()

        application.add_handler(TypeHandler(Update, mark), group=DONE_GROUP)
        await application.initialize()
        assert application.post_init is not None
        assert application.updater is not None
        await application.post_init(application)
        started = time.perf_counter()
        await application.updater.start_polling(poll_interval=0, timeout=1)
        await application.start()
        await asyncio.wait_for(finished.wait(), timeout=600)
        elapsed = time.perf_counter() - started
        await application.updater.stop()
        await application.stop()
        await application.shutdown()
        assert application.post_shutdown is not None
        await application.post_shutdown(application)
    parent.send("stop")
    unexpected = parent.recv() if parent.poll(30) else -1
    server.join(30)
    if unexpected:
        raise RuntimeError(f"the bot made {unexpected} unexpected calls")
    return len(updates) / elapsed


def rss_mb(field: str) -> float:
    """A memory figure of this process from /proc (VmRSS now, VmHWM peak), in MB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> int:
    """Run the benchmark and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--updates", type=int, default=1000, help="updates per run")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument(
        "--no-recent",
        action="store_true",
        help="embed every message, even one seen lately (the work the flat code of 51f47bf did)",
    )
    args = parser.parse_args()
    os.environ.setdefault("PTB_TIMEDELTA", "true")
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    # The content-reload job fires late while the loop is busy: expected in a benchmark.
    logging.getLogger("apscheduler").setLevel(logging.ERROR)

    from bot.app import build_nlu
    from bot.base.i18n import Translator
    from bot.base.settings import load_settings
    from bot.catalog.store import ContentStore
    from nlu import embedding

    if args.no_recent:
        # The bench repeats a dozen questions: without this, it times the memo, not e5.
        setattr(embedding, "RECENT", 0)  # noqa: B010
    settings = load_settings(environ={})
    nlu = build_nlu(settings)  # the cached model in var/nlu (trained on first use)
    content = ContentStore.load(settings.content_dir)
    translator = Translator(settings.languages)
    updates = make_updates(args.updates)
    baseline = rss_mb("VmRSS")
    rates = []
    for run in range(1, args.runs + 1):
        rate = asyncio.run(one_run(nlu, content, translator, updates))
        rates.append(rate)
        print(f"run {run}: {len(updates)} updates, {rate:.0f} updates/s", flush=True)
    memo = "off" if args.no_recent else f"{embedding.RECENT} recent embeddings remembered"
    print(
        f"telegram ({memo}): median {statistics.median(rates):.0f} updates/s "
        f"(min {min(rates):.0f}, max {max(rates):.0f}, {args.runs} runs of {len(updates)}); "
        f"RSS {baseline:.0f} MB after loading the model and content, "
        f"peak {rss_mb('VmHWM'):.0f} MB"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
