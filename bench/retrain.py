"""Retrain-and-swap benchmark: the time to retrain after one added phrasing, and the bot's
answer latency while it retrains, compared with idle, side by side in one run.

    python bench/retrain.py [--runs 3] [--idle 150]

Works on a copy of nlu/data (and the shipped embeddings), never on the repository's files.
Each run alternates: answer `--idle` messages with nothing else running, then add one
phrasing (as the workspace's inbox does), start the background retrain and keep answering
messages one after another until the new model serves. Reports medians and p99.
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.app import engine_config  # noqa: E402 - after the path is set
from bot.base.settings import load_settings  # noqa: E402
from nlu import RetrainingNLU, TrainingFiles, evaluation_dirs, read_examples  # noqa: E402

# Questions the inbox would add (none is in the training or evaluation data).
PHRASINGS = (
    ("où faire graver ma trottinette", "bike.register", "fr"),
    ("waar kan ik mijn step laten graveren", "bike.register", "nl"),
    ("wo kann ich meinen Roller gravieren lassen", "bike.register", "de"),
    ("where can I get my scooter engraved", "bike.register", "en"),
    ("un voisin vigilant peut-il patrouiller la nuit", "plp.rules_privacy", "fr"),
)


def prepared_copy(folder: Path) -> Any:
    """The project's engine settings on a copy of the data, with the project's cached model
    and embeddings copied in (the first load then needs no training)."""
    settings = load_settings(environ={})
    shutil.copytree(settings.nlu_data_dir, folder / "nlu" / "data")
    shutil.copy(ROOT / "nlu" / "embeddings.npz", folder / "nlu" / "embeddings.npz")
    cache = folder / "cache"
    cache.mkdir()
    for cached in settings.nlu.model_cache_dir.glob("*"):
        if cached.suffix in (".pkl", ".npz"):
            shutil.copy(cached, cache / cached.name)
    config = engine_config(settings)
    return dataclasses.replace(config, data_dir=folder / "nlu" / "data", cache_dir=cache)


async def answer_all(nlu: RetrainingNLU, texts: list[str], count: int) -> list[float]:
    """Answer `count` messages one after another; their latencies in seconds."""
    timings = []
    for index in range(count):
        started = time.perf_counter()
        await nlu.parse(texts[index % len(texts)])
        timings.append(time.perf_counter() - started)
    return timings


async def answer_while(nlu: RetrainingNLU, texts: list[str], task: Any) -> list[float]:
    """Answer messages one after another until `task` (the retrain) is done."""
    timings, index = [], 0
    while not task.done():
        started = time.perf_counter()
        await nlu.parse(texts[index % len(texts)])
        timings.append(time.perf_counter() - started)
        index += 1
    return timings


def percentile(values: list[float], share: float) -> float:
    """The value below which `share` of `values` lie (nearest rank)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def milliseconds(values: list[float]) -> str:
    """Median and p99 in ms, and how many."""
    median, p99 = statistics.median(values) * 1000, percentile(values, 0.99) * 1000
    return f"median {median:.1f} ms, p99 {p99:.1f} ms ({len(values)} messages)"


async def bench(runs: int, idle_count: int) -> None:
    """Alternate idle answering and one retrain per run; print the figures."""
    with tempfile.TemporaryDirectory(prefix="retrain-bench-") as tmp:
        config = prepared_copy(Path(tmp))
        started = time.perf_counter()
        nlu = RetrainingNLU.from_config(config)
        print(f"first load: {time.perf_counter() - started:.1f} s")
        texts = [e.text for e in read_examples(sorted((ROOT / "nlu" / "heldout").glob("*.yml")))]
        files = TrainingFiles(config.data_dir, evaluation_dirs(ROOT / "nlu"))
        intents = {e.intent for e in read_examples(sorted(config.data_dir.glob("*/*.yml")))}
        idle: list[float] = []
        during: list[float] = []
        retrains: list[float] = []
        await answer_all(nlu, texts, 20)  # warm-up
        for run in range(runs):
            idle += await answer_all(nlu, texts, idle_count)
            text, intent, language = PHRASINGS[run % len(PHRASINGS)]
            files.add(text, intent, language, intents)
            started = time.perf_counter()
            task = nlu.retrain_if_changed()
            assert task is not None
            answered = await answer_while(nlu, texts, task)
            assert await task, "the retrain failed"
            retrains.append(time.perf_counter() - started)
            during += answered
            learned = (await nlu.parse(text, language)).intent
            print(
                f"run {run + 1}: retrained in {retrains[-1]:.1f} s, {len(answered)} messages "
                f"answered meanwhile; '{text}' -> {learned}"
            )
        print(
            f"\nload: {os.getloadavg()[0]:.2f} {os.getloadavg()[1]:.2f} (1, 5 min), "
            f"{os.cpu_count()} cores"
        )
        print(
            f"retrain after one phrasing: median {statistics.median(retrains):.1f} s "
            f"over {runs} runs (min {min(retrains):.1f}, max {max(retrains):.1f})"
        )
        print(f"answers idle:            {milliseconds(idle)}")
        print(f"answers while retraining: {milliseconds(during)}")
        ratio = statistics.median(during) / statistics.median(idle)
        print(f"median latency while retraining / idle: {ratio:.2f}")


def main() -> int:
    """Parse the arguments and run."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--idle", type=int, default=150, help="messages answered idle per run")
    args = parser.parse_args()
    asyncio.run(bench(max(1, args.runs), max(10, args.idle)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
