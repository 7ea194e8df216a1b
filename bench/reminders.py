"""Campaign reminders at scale: plan, push, rate limit, and a crash in the middle of a pass.

100,000 subscribers spread over all 565 municipalities (a fifth follow a second place), one
campaign for all of Belgium. Measured:

1. planning the pass (one pending row per subscriber in the delivery log), in a child process;
2. pushing it through a fake Bot API server with the rate limit off: our own overhead;
3. the same with the configured limit on, over `--limited` subscribers (2,000 at 25/s ≈ 80 s);
4. SIGKILL of the pass midway, then a resumed pass: duplicates and misses counted from what the
   fake server received.

Every push is the real `preventbot reminders run-due` command in a child process (PTB, HTTP,
SQLite); the fake server runs in this process, so its work is not counted in the child's.

    .venv/bin/python bench/reminders.py [--subscribers 100000] [--limited 2000] [--kill 20000]
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
import contextlib  # noqa: E402
import multiprocessing  # noqa: E402
import os  # noqa: E402
import random  # noqa: E402
import signal  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from collections import Counter  # noqa: E402
from dataclasses import dataclass, replace  # noqa: E402
from datetime import datetime  # noqa: E402
from multiprocessing.connection import Connection  # noqa: E402
from zoneinfo import ZoneInfo  # noqa: E402

NOW = datetime(2026, 11, 25, 14, 30, tzinfo=ZoneInfo("Europe/Brussels"))
LANGUAGE_WEIGHTS = {"nl": 55, "fr": 35, "de": 2, "en": 8}
CALENDAR = """campaigns:
  - id: bench-campaign
    target: all
    when: {date: 2026-11-25, time: "10:00"}
    message:
      fr: Rappel de test.
      nl: Testherinnering.
      de: Testerinnerung.
      en: Test reminder.
"""


def make_content(folder: Path) -> Path:
    """A content folder: the real topics, menu and places, a one-campaign calendar due today."""
    folder.mkdir(parents=True)
    for item in (ROOT / "content").iterdir():
        if item.name != "campaigns.yml":
            (folder / item.name).symlink_to(item, target_is_directory=item.is_dir())
    (folder / "campaigns.yml").write_text(CALENDAR, encoding="utf-8")
    return folder


async def make_database(path: Path, count: int, seed: int = 6) -> None:
    """`count` users, each following one random municipality (a fifth follow two)."""
    from bot.catalog.places import read_places
    from bot.storage import Storage
    from bot.storage.schema import subscriptions, users

    codes = sorted(read_places(ROOT / "content")[0].municipalities)
    rng = random.Random(seed)
    languages = rng.choices(list(LANGUAGE_WEIGHTS), list(LANGUAGE_WEIGHTS.values()), k=count)
    stamp = NOW.isoformat()
    people = [
        {"chat_id": chat, "language": language, "created_at": stamp, "updated_at": stamp}
        for chat, language in enumerate(languages, start=1)
    ]
    follows = {(chat, rng.choice(codes)) for chat in range(1, count + 1)}
    follows |= {(chat, rng.choice(codes)) for chat in range(1, count + 1) if rng.random() < 0.2}
    places = [
        {"chat_id": chat, "nis": nis, "language": languages[chat - 1], "created_at": stamp}
        for chat, nis in sorted(follows)
    ]
    storage = await Storage.open(path)
    try:
        async with storage.connection.transaction() as db:
            await db.execute(users.insert(), people)
            await db.execute(subscriptions.insert(), places)
    finally:
        await storage.close()


def plan_in_child(db_path: str, content_dir: str, pipe: Connection) -> None:
    """Child process: time the planning of the pass; send (seconds, rows, peak RSS in MB)."""

    async def plan() -> tuple[float, int]:
        from bot.base.i18n import Translator
        from bot.base.settings import load_settings
        from bot.catalog.store import ContentStore
        from bot.cli.reminders import CliServices
        from bot.reminders.delivery import plan_due
        from bot.storage import Storage

        settings = replace(
            load_settings(environ={}), db_path=Path(db_path), content_dir=Path(content_dir)
        )
        content = ContentStore.load(settings.content_dir)  # the bot has it loaded already
        storage = await Storage.open(settings.db_path)
        try:
            translator = Translator(settings.languages)
            bundle = CliServices(settings, content, storage, translator, lambda: NOW)
            async with storage.delivery_pass() as log:
                start = time.perf_counter()
                rows = await plan_due(bundle, log, NOW)
                return time.perf_counter() - start, rows
        finally:
            await storage.close()

    seconds, rows = asyncio.run(plan())
    # VmHWM, not ru_maxrss: the latter also counts the parent's memory, shared between the fork
    # and the exec that start a spawned child.
    pipe.send((seconds, rows, _peak_mb(os.getpid())))


@dataclass(frozen=True, slots=True)
class Push:
    """What one child pass did, seen from the fake server."""

    calls: list[tuple[int, float]]  # (chat_id, monotonic time) of every sendMessage
    seconds: float  # from the first to the last sendMessage
    peak_mb: float  # the child's peak resident memory (VmHWM)
    killed: bool
    log: str

    @property
    def rate(self) -> float:
        """Messages per second between the first and the last one."""
        return (len(self.calls) - 1) / self.seconds if self.seconds > 0 else 0.0


async def push(
    db: Path, content: Path, *, limited: bool, kill_after: int | None = None, log_name: str
) -> Push:
    """Run `preventbot reminders run-due` against a fresh fake server; SIGKILL it if asked."""
    from tests.helpers.fake_bot_api import TOKEN, FakeBotAPI

    async with FakeBotAPI() as api:
        env = {
            **os.environ,
            "PREVENTBOT_DB": str(db),
            "PREVENTBOT_CONTENT_DIR": str(content),
            "TELEGRAM_BOT_TOKEN": TOKEN,
            "TELEGRAM_BASE_URL": api.base_url,
        }
        command = ["-m", "bot", "reminders", "run-due", "--now", NOW.isoformat()]
        log_path = db.parent / log_name
        with log_path.open("w") as log:
            child = await asyncio.create_subprocess_exec(
                sys.executable,
                *command,
                *([] if limited else ["--no-limit"]),
                cwd=ROOT,
                env=env,
                stdout=log,
                stderr=log,
            )
            peak, killed = 0.0, False
            while child.returncode is None:
                peak = max(peak, _peak_mb(child.pid))
                if kill_after is not None and len(api.calls_of("sendMessage")) >= kill_after:
                    child.send_signal(signal.SIGKILL)
                    killed = True
                    await child.wait()
                    break
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(child.wait(), 0.05)
        await asyncio.sleep(0.2)  # requests already on the wire reach the server
        calls = [(int(c.params["chat_id"]), c.at) for c in api.calls_of("sendMessage")]
        assert api.unexpected == [], api.unexpected
    seconds = calls[-1][1] - calls[0][1] if len(calls) > 1 else 0.0
    return Push(calls, seconds, peak, killed, log_path.read_text())


def _peak_mb(pid: int) -> float:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return 0.0
    for line in status.splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


async def push_without_http(db: Path, content: Path) -> tuple[int, float]:
    """The pass with a sender that does nothing: our own cost per message (SQLite, asyncio)."""
    from bot.base.i18n import Translator
    from bot.base.settings import load_settings
    from bot.base.turns import Reply
    from bot.catalog.store import ContentStore
    from bot.cli.reminders import CliServices
    from bot.reminders.delivery import DeliveryOptions, plan_due, run_due_pass
    from bot.reminders.ratelimit import TokenBucket
    from bot.reminders.sender import SendResult, SendStatus
    from bot.storage import Storage

    class NullSender:
        async def send(self, chat_id: int, reply: Reply) -> SendResult:
            await asyncio.sleep(0)
            return SendResult(SendStatus.SENT)

    settings = replace(load_settings(environ={}), db_path=db, content_dir=content)
    store = ContentStore.load(content)
    storage = await Storage.open(db)
    try:
        translator = Translator(settings.languages)
        bundle = CliServices(settings, store, storage, translator, lambda: NOW)
        await plan_due(bundle, storage.deliveries, NOW)
        start = time.perf_counter()
        report = await run_due_pass(
            bundle, NullSender(), NOW, TokenBucket(None), DeliveryOptions()
        )
        return report.sent, time.perf_counter() - start
    finally:
        await storage.close()


def plan(db: Path, content: Path) -> tuple[float, int, float]:
    """Plan in a child process (so its peak memory is its own)."""
    parent, child_end = multiprocessing.Pipe()
    process = multiprocessing.get_context("spawn").Process(
        target=plan_in_child, args=(str(db), str(content), child_end)
    )
    process.start()
    result: tuple[float, int, float] = parent.recv()
    process.join()
    return result


def count(calls: list[tuple[int, float]], expected: range) -> tuple[int, int]:
    """(duplicates, misses) among the chats of `expected`."""
    received = Counter(chat for chat, _at in calls)
    duplicates = sum(n - 1 for n in received.values() if n > 1)
    misses = sum(1 for chat in expected if received[chat] == 0)
    return duplicates, misses


def last_line(log: str, start: str) -> str:
    """The last log line containing `start`, without the timestamp."""
    lines = [line for line in log.splitlines() if start in line]
    return lines[-1].split(": ", 1)[-1] if lines else "(none)"


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--subscribers", type=int, default=100_000)
    parser.add_argument("--limited", type=int, default=2_000, help="subscribers, limit on")
    parser.add_argument("--kill", type=int, default=5_000, help="subscribers, kill test")
    parser.add_argument("--kills", type=int, default=3, help="kill tests (at 25%%, 50%%, …)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-reminders-") as tmp:
        base = Path(tmp)
        content = make_content(base / "content")

        print(f"# Reminders benchmark: {args.subscribers:,} subscribers, 565 municipalities")
        big = base / "big.sqlite3"
        started = time.perf_counter()
        await make_database(big, args.subscribers)
        print(f"setup: database filled in {time.perf_counter() - started:.1f} s")
        seconds, rows, peak = plan(big, content)
        print(f"plan: {rows:,} deliveries planned in {seconds:.2f} s (child peak {peak:.0f} MB)")

        result = await push(big, content, limited=False, log_name="push.log")
        duplicates, misses = count(result.calls, range(1, args.subscribers + 1))
        print(
            f"push, limit off: {len(result.calls):,} messages in {result.seconds:.1f} s = "
            f"{result.rate:,.0f} msg/s; child peak {result.peak_mb:.0f} MB; "
            f"duplicates {duplicates}, misses {misses}"
        )
        print(f"  {last_line(result.log, 'Reminder pass:')}")

        bare = base / "bare.sqlite3"
        await make_database(bare, args.subscribers)
        sent, seconds = await push_without_http(bare, content)
        print(
            f"pass without HTTP (a sender that does nothing): {sent:,} messages in "
            f"{seconds:.1f} s = {sent / seconds:,.0f} msg/s (SQLite log + scheduling only)"
        )

        small = base / "limited.sqlite3"
        await make_database(small, args.limited)
        result = await push(small, content, limited=True, log_name="limited.log")
        steady = [at for _chat, at in result.calls]
        window = [at for at in steady if at - steady[0] >= 1.0]  # after the first second's burst
        steady_rate = (len(window) - 1) / (window[-1] - window[0]) if len(window) > 1 else 0.0
        duplicates, misses = count(result.calls, range(1, args.limited + 1))
        print(
            f"push, limit on (configured 25 msg/s): {len(result.calls):,} messages in "
            f"{result.seconds:.1f} s = {result.rate:.2f} msg/s overall, {steady_rate:.2f} msg/s "
            f"after the initial burst; duplicates {duplicates}, misses {misses}"
        )

        for index in range(args.kills):
            fraction = (index + 1) / (args.kills + 1)
            db = base / f"kill{index}.sqlite3"
            await make_database(db, args.kill, seed=index)
            first = await push(
                db,
                content,
                limited=False,
                kill_after=int(args.kill * fraction),
                log_name=f"kill{index}.log",
            )
            second = await push(db, content, limited=False, log_name=f"resume{index}.log")
            duplicates, misses = count(first.calls + second.calls, range(1, args.kill + 1))
            print(
                f"kill at {fraction:.0%}: SIGKILL after {len(first.calls):,} sends (killed: "
                f"{first.killed}), resumed pass sent {len(second.calls):,}; "
                f"duplicates {duplicates}, misses {misses} (max allowed: 8 in flight)"
            )


if __name__ == "__main__":
    asyncio.run(main())
