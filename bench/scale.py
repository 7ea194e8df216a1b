"""Belgium-wide reminders on PostgreSQL: 1,000,000 subscribers, 4 workers, one killed.

A real PostgreSQL server is started for the run (tests/helpers/postgres.py, Debian's binaries,
durable settings: fsync and synchronous commits on), loaded with `--subscribers` users (each
following one municipality, a fifth a second one) by COPY, and one calendar campaign for all
of Belgium is due. Measured:

1. planning: the first plan of the pass (one pending row per subscriber, INSERT ... SELECT),
   the next pass's incremental plan after `--new` more subscriptions, and for comparison a
   full re-plan of the same run (what every pass did before);
2. claim throughput: `--workers` processes each run `run_due_pass` at once on the same
   database (claims FOR UPDATE SKIP LOCKED, 8 concurrent senders each, no rate limit) with a
   sender that records every chat it "sends" to in a file and answers at once: our own
   overhead, Telegram left out;
3. one worker SIGKILLed after `--kill-after` messages; the others finish; a last pass after
   its claims expired reaps them. Misses and duplicates are counted from the files;
4. peak resident memory (VmHWM) per worker process.

Replies' latency during a broadcast is measured by the replicas work (their bench drives
replicas and the fake Bot API): point their reply probe at this server while step 2 runs (the
URL is printed at the start), or use `--hold N` to keep the loaded server up N seconds after.

    .venv/bin/python bench/scale.py [--subscribers 1000000] [--workers 4] [--kill-after 100000]
"""

from __future__ import annotations

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != HERE]
sys.path.insert(0, str(ROOT))

import argparse  # noqa: E402
import asyncio  # noqa: E402
import multiprocessing  # noqa: E402
import os  # noqa: E402
import random  # noqa: E402
import shutil  # noqa: E402
import signal  # noqa: E402
import struct  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from collections import Counter  # noqa: E402
from dataclasses import replace  # noqa: E402
from datetime import datetime, timedelta  # noqa: E402
from multiprocessing.connection import Connection  # noqa: E402
from typing import Any  # noqa: E402
from zoneinfo import ZoneInfo  # noqa: E402

import asyncpg  # noqa: E402

from bench.reminders import make_content  # noqa: E402  (the same one-campaign calendar)
from bot.base.i18n import Translator  # noqa: E402
from bot.base.settings import Secret, Settings, load_settings  # noqa: E402
from bot.base.turns import Reply  # noqa: E402
from bot.catalog.places import read_places  # noqa: E402
from bot.catalog.store import ContentStore  # noqa: E402
from bot.cli.reminders import CliServices  # noqa: E402
from bot.reminders.delivery import DeliveryOptions, plan_due, run_due_pass  # noqa: E402
from bot.reminders.ratelimit import TokenBucket  # noqa: E402
from bot.reminders.sender import SendResult, SendStatus  # noqa: E402
from bot.storage import Storage  # noqa: E402
from tests.helpers.postgres import PostgresServer  # noqa: E402

NOW = datetime(2026, 11, 25, 14, 30, tzinfo=ZoneInfo("Europe/Brussels"))
PASS_AT = NOW + timedelta(minutes=15)
LANGUAGES = ("nl", "fr", "de", "en")
WEIGHTS = (55, 35, 2, 8)
CHAT = struct.Struct("<q")


async def load(url: str, first: int, count: int, stamp: datetime, seed: int) -> None:
    """COPY `count` users from chat id `first`, with their subscriptions stamped `stamp`."""
    codes = sorted(read_places(ROOT / "content")[0].municipalities)
    rng = random.Random(seed)
    text = stamp.isoformat()
    chats = range(first, first + count)
    languages = rng.choices(LANGUAGES, WEIGHTS, k=count)
    people = [(chat, lang, True, text, text) for chat, lang in zip(chats, languages, strict=True)]
    follows = {
        (chat, rng.choice(codes), lang) for chat, lang in zip(chats, languages, strict=True)
    }
    follows |= {(c, rng.choice(codes), lang) for c, _n, lang in follows if rng.random() < 0.2}
    places = [(chat, nis, lang, text) for chat, nis, lang in sorted(follows)]
    connection = await asyncpg.connect(url)
    try:
        columns = ("chat_id", "language", "active", "created_at", "updated_at")
        await connection.copy_records_to_table("users", records=people, columns=columns)
        await connection.copy_records_to_table(
            "subscriptions", records=places, columns=("chat_id", "nis", "language", "created_at")
        )
        await connection.execute("ANALYZE")
    finally:
        await connection.close()


def services(settings: Settings, storage: Storage, moment: datetime) -> CliServices:
    """What a pass needs, with the clock fixed at `moment` (claims expire on that clock)."""
    content = ContentStore.load(settings.content_dir)
    return CliServices(settings, content, storage, Translator(settings.languages), lambda: moment)


async def timed_plan(settings: Settings, moment: datetime) -> tuple[float, int]:
    """Seconds and rows of planning the due campaign at `moment`."""
    storage = await Storage.open(settings.database)
    try:
        bundle = services(settings, storage, moment)
        start = time.perf_counter()
        rows = await plan_due(bundle, storage.deliveries, moment)
        return time.perf_counter() - start, rows
    finally:
        await storage.close()


class RecordingSender:
    """Writes each chat id to a file (one write: the message "reached Telegram"), answers SENT."""

    def __init__(self, path: Path) -> None:
        self.fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)

    async def send(self, chat_id: int, reply: Reply) -> SendResult:
        os.write(self.fd, CHAT.pack(chat_id))
        await asyncio.sleep(0)  # a real send awaits the network: let the other senders run
        return SendResult(SendStatus.SENT)


def peak_mb() -> float:
    """This process's peak resident memory (VmHWM) in MB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def worker(
    settings: Settings, moment: datetime, record: str, options: Any, pipe: Connection
) -> None:
    """A worker process: one pass at `moment`; sends (sent, reaped, start, end, peak MB)."""

    async def run() -> tuple[int, int, float, float]:
        storage = await Storage.open(settings.database)
        try:
            bundle = services(settings, storage, moment)
            sender = RecordingSender(Path(record))
            start = time.time()
            report = await run_due_pass(bundle, sender, moment, TokenBucket(None), options)
            return report.sent, report.reaped, start, time.time()
        finally:
            await storage.close()

    sent, reaped, start, end = asyncio.run(run())
    pipe.send((sent, reaped, start, end, peak_mb()))


def start_worker(
    settings: Settings, moment: datetime, record: Path, options: DeliveryOptions
) -> tuple[multiprocessing.process.BaseProcess, Connection]:
    """Start one worker process; return it and the end of its pipe."""
    context = multiprocessing.get_context("spawn")
    receiver, sender = context.Pipe(duplex=False)
    process = context.Process(
        target=worker, args=(settings, moment, str(record), options, sender), daemon=True
    )
    process.start()
    return process, receiver


def sent_chats(folder: Path) -> Counter[int]:
    """Every chat any worker sent to, with how many times."""
    received: Counter[int] = Counter()
    for path in sorted(folder.glob("worker-*.bin")):
        data = path.read_bytes()
        received.update(chat for (chat,) in CHAT.iter_unpack(data[: len(data) // 8 * 8]))
    return received


async def broadcast(
    settings: Settings, folder: Path, workers: int, kill_after: int, options: DeliveryOptions
) -> dict[str, Any]:
    """Run the workers together, kill the first after `kill_after` sends, reap, count."""
    started = [
        start_worker(settings, PASS_AT, folder / f"worker-{index}.bin", options)
        for index in range(workers)
    ]
    victim, _pipe = started[0]
    victim_file = folder / "worker-0.bin"
    killed_at = 0
    while victim.is_alive():
        size = victim_file.stat().st_size if victim_file.exists() else 0
        if size // 8 >= kill_after:
            os.kill(victim.pid or 0, signal.SIGKILL)
            killed_at = size // 8
            break
        await asyncio.sleep(0.01)
    victim.join()
    results = [await asyncio.to_thread(pipe.recv) for _process, pipe in started[1:]]
    for process, _pipe in started[1:]:
        process.join()
    # The claims the dead worker held expire `claim_seconds` later on the pass clock.
    after = PASS_AT + timedelta(seconds=options.claim_seconds + 1)
    reaper, pipe = start_worker(settings, after, folder / "worker-reaper.bin", options)
    final = await asyncio.to_thread(pipe.recv)
    reaper.join()
    return {"results": results, "final": final, "killed_at": killed_at}


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--subscribers", type=int, default=1_000_000)
    parser.add_argument("--new", type=int, default=1_000, help="subscribers added mid-run")
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--kill-after", type=int, default=100_500)
    parser.add_argument("--batch", type=int, default=1_000, help="rows per claim")
    parser.add_argument("--hold", type=float, default=0, help="keep the server up N s after")
    args = parser.parse_args()
    print(f"load before: {os.getloadavg()}, cores: {os.cpu_count()}")
    server = PostgresServer(durable=True).start()
    print(f"PostgreSQL at {server.url()}")
    folder: Path | None = None
    try:
        url = await server.create()
        await (await Storage.open(url)).close()  # migrated
        folder = Path(tempfile.mkdtemp(prefix="preventbot-scale-"))
        settings = replace(
            load_settings(environ={}),
            db_url=Secret(url),
            content_dir=make_content(folder / "content"),
        )
        start = time.perf_counter()
        await load(url, 1, args.subscribers, NOW - timedelta(days=30), seed=6)
        print(f"loaded {args.subscribers} subscribers (COPY): {time.perf_counter() - start:.1f} s")

        seconds, rows = await timed_plan(settings, NOW)
        print(f"plan, first pass (in full): {rows} rows in {seconds:.2f} s")
        await load(url, args.subscribers + 1, args.new, NOW + timedelta(minutes=5), seed=7)
        seconds, rows = await timed_plan(settings, NOW + timedelta(minutes=10))
        print(
            f"plan, next pass (incremental, {args.new} new subscribers): "
            f"{rows} rows in {seconds:.3f} s"
        )
        connection = await asyncpg.connect(url)
        await connection.execute("UPDATE reminder_runs SET planned = false")  # as before 0008
        await connection.close()
        seconds, rows = await timed_plan(settings, NOW + timedelta(minutes=11))
        print(
            f"plan, a full re-plan of the same run (every pass before): "
            f"{rows} rows in {seconds:.2f} s"
        )

        options = DeliveryOptions(concurrency=8, batch_size=args.batch, claim_seconds=120)
        print(
            f"broadcast: {args.workers} workers, batch {args.batch}, 8 senders each; "
            f"worker 0 killed after {args.kill_after} messages (load {os.getloadavg()})"
        )
        outcome = await broadcast(settings, folder, args.workers, args.kill_after, options)
        results = outcome["results"]
        first = min(result[2] for result in results)
        last = max(result[3] for result in results)
        total = sum(result[0] for result in results)
        print(f"  worker 0 SIGKILLed after {outcome['killed_at']} sends")
        for index, (sent, _reaped, begin, end, peak) in enumerate(results, start=1):
            print(
                f"  worker {index}: sent {sent} in {end - begin:.1f} s "
                f"({sent / (end - begin):.0f}/s), peak memory {peak:.0f} MB"
            )
        print(
            f"  survivors together: {total} in {last - first:.1f} s = "
            f"{total / (last - first):.0f} messages/s"
        )
        sent, reaped, begin, end, peak = outcome["final"]
        print(
            f"  reaper pass after the claims expired: reaped {reaped}, sent {sent} "
            f"in {end - begin:.1f} s, peak memory {peak:.0f} MB"
        )
        received = sent_chats(folder)
        expected = args.subscribers + args.new
        misses = expected - len(received)
        duplicates = sum(count - 1 for count in received.values())
        print(
            f"  delivered to {len(received)} of {expected} chats: {misses} missed, "
            f"{duplicates} duplicates (bound: {options.concurrency}, one killed worker)"
        )
        connection = await asyncpg.connect(url)
        counts = dict(await connection.fetch("SELECT status, count(*) FROM deliveries GROUP BY 1"))
        await connection.close()
        print(f"  delivery log: {counts}")
        print(f"load after: {os.getloadavg()}")
        if args.hold:
            print(f"server up for {args.hold} s at {server.url()}")
            await asyncio.sleep(args.hold)
    finally:
        server.stop()
        if folder is not None:
            shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    asyncio.run(main())
