"""NLU benchmark: held-out accuracy, training time, latency and memory, embedded beside Rasa.

Run by `make bench`. Each engine runs in its own process, so the peak RSS is its own:
  python bench/nlu.py                      embedded (trained with no model cache, once from the
                                           shipped embeddings as on a fresh clone, once truly
                                           cold) and, when .venv-rasa and a trained model exist,
                                           the Rasa server

Latency is measured side by side: with a Rasa server up, the embedded serving process times
each sample message twice, once in process and once over HTTP to Rasa, alternating which goes
first, so both see the same load; the table ends with the ratio of the medians.
  python bench/nlu.py --no-rasa            embedded only
  python bench/nlu.py --variant tfidf      one engine variant, printed as JSON (used internally)
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import http.client
import json
import os
import resource
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

LANGUAGES = ("fr", "nl", "de", "en")
LATENCY_SAMPLE = 300
VARIANTS = {
    "embedded": "TF-IDF + e5 embeddings + kNN (default)",
    "tfidf": "TF-IDF only (use_embeddings: false)",
}


# The sets of what is not ours to answer (issue 14), reported per language when present.
SCOPE_FOLDERS = {
    "scope": "heldout-scope",
    "scope2": "heldout-scope2",
    "scope3": "heldout-scope3",
    "scope4": "heldout-scope4",
}


def heldout_files(folder: str = "heldout") -> list[Path]:
    """The held-out split (or the blind sets: "heldout-blind", "heldout-scope"...), one file per
    language that exists."""
    files = [ROOT / "nlu" / folder / f"{lang}.yml" for lang in LANGUAGES]
    return [path for path in files if path.exists()]


def scope_summary(report: Any, name: str) -> dict[str, Any]:
    """A scope set's figures per language: out-of-scope recall (any kind rejected), the
    kind's accuracy, in-scope rejected, emergency recall and false alarms."""
    result = {f"{name}_in_scope_accuracy": report.in_scope_accuracy_for(None).value}
    for lang in LANGUAGES:
        result |= {
            f"{name}_oos_recall_{lang}": report.oos_recall_for(lang).value,
            f"{name}_kind_{lang}": report.kind_accuracy_for(lang).value,
            f"{name}_rejected_{lang}": report.false_rejection_for(lang).value,
            f"{name}_emergency_{lang}": report.emergency_recall_for(lang).value,
            f"{name}_alarms_{lang}": report.false_alarms_for(lang).value,
        }
    return result


def scope_columns() -> list[tuple[str, str, str]]:
    """The table rows of the scope sets."""
    columns = []
    for name, folder in SCOPE_FOLDERS.items():
        columns.append((f"{name}_in_scope_accuracy", f"{folder} in-scope accuracy", "{:.1%}"))
        for lang in LANGUAGES:
            columns += [
                (f"{name}_oos_recall_{lang}", f"  {lang} out-of-scope recall", "{:.1%}"),
                (f"{name}_kind_{lang}", f"  {lang} kind accuracy", "{:.1%}"),
                (f"{name}_rejected_{lang}", f"  {lang} in-scope rejected", "{:.1%}"),
                (f"{name}_emergency_{lang}", f"  {lang} emergency recall", "{:.1%}"),
                (f"{name}_alarms_{lang}", f"  {lang} false alarms", "{:.1%}"),
            ]
    return columns


def engine_config(variant: str, cache: Path, seed: bool = True) -> Any:
    """The project's NLU settings with the given model cache."""
    from bot.app import engine_config as project_config
    from bot.base.settings import load_settings

    return dataclasses.replace(
        project_config(load_settings(environ={})),
        cache_dir=cache,
        use_embeddings=variant == "embedded",
        use_seed=seed,
    )


def run_training(variant: str, cache: Path, seed: bool = True) -> dict[str, Any]:
    """Train into an empty model cache; measure time and peak RSS, then both evaluation sets."""
    from nlu import EmbeddedNLU, evaluate_files

    started = time.perf_counter()
    engine = EmbeddedNLU.from_config(engine_config(variant, cache, seed))
    train_seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    if not seed:
        return {"cold_train_s": train_seconds, "cold_train_rss_mb": peak}
    result = {"engine": VARIANTS[variant], "train_s": train_seconds, "train_rss_mb": peak}
    result |= summary(evaluate_files(engine, heldout_files()))
    blind = summary(evaluate_files(engine, heldout_files("heldout-blind")))
    result |= {f"blind_{key}": value for key, value in blind.items()}
    for name, folder in SCOPE_FOLDERS.items():
        if heldout_files(folder):
            result |= scope_summary(evaluate_files(engine, heldout_files(folder)), name)
    return result


def run_serving(variant: str, cache: Path, rasa_port: int | None = None) -> dict[str, Any]:
    """Start as the bot does (cached model, bot modules imported), then time single parses.

    With `rasa_port`, each message also goes to the Rasa server, alternating which engine
    goes first: the two medians are then measured under the same load.
    """
    import bot.app  # noqa: F401  (the bot's own imports count in its memory)
    from nlu import EmbeddedNLU, read_examples

    started = time.perf_counter()
    engine = EmbeddedNLU.from_config(engine_config(variant, cache))
    load_seconds = time.perf_counter() - started
    examples = read_examples(heldout_files())
    texts = [example.text for example in examples][:: max(1, len(examples) // LATENCY_SAMPLE)]
    rasa = None if rasa_port is None else RasaTimer(rasa_port)
    timings, rasa_timings = [], []
    for index, text in enumerate(texts):
        if rasa is not None and index % 2:
            rasa_timings.append(rasa.time(text))
        started = time.perf_counter()
        engine.parse_sync(text)
        timings.append(time.perf_counter() - started)
        if rasa is not None and not index % 2:
            rasa_timings.append(rasa.time(text))
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    result = {"load_s": load_seconds, **latency(timings), "rss_mb": peak}
    if rasa_timings:
        result |= {f"rasa_{key}": value for key, value in latency(rasa_timings).items()}
    return result


class RasaTimer:
    """POST /model/parse over one kept-alive connection, as the bot's HTTP client does."""

    def __init__(self, port: int) -> None:
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        self.time("warm up")

    def time(self, text: str) -> float:
        """Seconds from sending the message to the parsed answer."""
        body = json.dumps({"text": text})
        started = time.perf_counter()
        self.connection.request("POST", "/model/parse", body, {"Content-Type": "application/json"})
        response = self.connection.getresponse()
        json.loads(response.read())
        elapsed = time.perf_counter() - started
        if response.status != 200:
            raise RuntimeError(f"the Rasa server answered {response.status}")
        return elapsed


def summary(report: Any) -> dict[str, Any]:
    """The numbers of an evaluation report that the table shows."""
    return {
        "accuracy": report.accuracy.value,
        **{f"acc_{lang}": report.accuracy_for(lang).value for lang in LANGUAGES},
        "in_scope_accuracy": report.in_scope_accuracy_for(None).value,
        "oos_recall": report.oos_recall.value,
        "false_rejection": report.false_rejection.value,
        "emergency_recall": report.emergency_recall.value,
        "top1": report.top1_accuracy.value,
    }


def latency(timings: list[float]) -> dict[str, float]:
    """Median and 99th percentile in milliseconds."""
    ordered = sorted(timings)
    return {
        "median_ms": 1000 * statistics.median(ordered),
        "p99_ms": 1000 * ordered[min(len(ordered) - 1, int(0.99 * len(ordered)))],
    }


def in_subprocess(
    variant: str, cold: bool = False, rasa_port: int | None = None
) -> dict[str, Any]:
    """Train, then serve, each in a fresh interpreter, so memory is measured alone."""
    result: dict[str, Any] = {}
    stages = ("cold", "train", "serve") if cold else ("train", "serve")
    for stage in stages:
        with tempfile.TemporaryDirectory() as scratch:
            # The cold stage trains into its own empty cache; serving reuses training's.
            cache = scratch if stage == "cold" else str(ROOT / "var" / f"bench-{variant}")
            if stage == "train":
                shutil.rmtree(cache, ignore_errors=True)
            command = [sys.executable, __file__, "--variant", variant, "--stage", stage]
            if stage == "serve" and rasa_port is not None:
                command += ["--rasa-port", str(rasa_port)]
            output = subprocess.run(
                [*command, "--cache", cache], check=True, capture_output=True, text=True, cwd=ROOT
            ).stdout
            result.update(json.loads(output.strip().splitlines()[-1]))
    return result


def rasa_model() -> Path | None:
    """The newest model `make rasa` trained, if Rasa is set up."""
    models = sorted((ROOT / "var" / "rasa" / "models").glob("preventbot-*.tar.gz"))
    if not (ROOT / ".venv-rasa" / "bin" / "rasa").exists() or not models:
        return None
    return max(models, key=lambda path: path.stat().st_mtime)


@dataclasses.dataclass(frozen=True)
class RasaServer:
    """A running `rasa run --enable-api` and how long it took to answer."""

    port: int
    pid: int
    startup_s: float


@contextlib.contextmanager
def rasa_server(model: Path) -> Iterator[RasaServer]:
    """Start `rasa run --enable-api` on a free port; stop it on the way out."""
    port = free_port()
    env = {**os.environ, "RASA_TELEMETRY_ENABLED": "false"}
    command = [str(ROOT / ".venv-rasa" / "bin" / "rasa"), "run", "--enable-api"]
    command += ["-i", "127.0.0.1", "-p", str(port), "-m", str(model)]
    with tempfile.TemporaryFile() as log:
        started = time.perf_counter()
        server = subprocess.Popen(
            command, cwd=model.parent.parent, env=env, stdout=log, stderr=log
        )
        try:
            yield RasaServer(port, server.pid, wait_until_up(port, server, started))
        finally:
            server.terminate()
            server.wait(timeout=30)


def measure_rasa(url: str, pid: int) -> dict[str, Any]:
    """Held-out and blind accuracy through the Rasa backend, and the server's peak RSS."""
    import asyncio

    from nlu import LanguageIdentifier, RasaServerNLU, evaluate, read_examples

    class Unavailable:
        async def parse(self, text: str, language_hint: str | None = None) -> Any:
            raise RuntimeError("the Rasa server did not answer")

    languages = LanguageIdentifier()

    async def run() -> tuple[Any, Any, Any]:
        rasa = RasaServerNLU(
            url, 30.0, Unavailable(), None, lambda t, h: languages.detect(t, h).language
        )
        report = await evaluate(rasa, read_examples(heldout_files()))
        blind = await evaluate(rasa, read_examples(heldout_files("heldout-blind")))
        scoped = {
            name: await evaluate(rasa, read_examples(heldout_files(folder)))
            for name, folder in SCOPE_FOLDERS.items()
            if heldout_files(folder)
        }
        await rasa.aclose()
        return report, blind, scoped

    report, blind, scoped = asyncio.run(run())
    blind_summary = {f"blind_{key}": value for key, value in summary(blind).items()}
    result = {"rss_mb": peak_rss_mb(pid), **summary(report), **blind_summary}
    for name, scope_report in scoped.items():
        result |= scope_summary(scope_report, name)
    return result


def wait_until_up(port: int, server: subprocess.Popen[bytes], started: float) -> float:
    """Seconds until GET /status answers."""
    while time.perf_counter() - started < 300:
        if server.poll() is not None:
            raise RuntimeError("the Rasa server stopped during start-up")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/status", timeout=2):
                return time.perf_counter() - started
        except OSError:
            time.sleep(0.5)  # polling a process we do not control: no event to wait on
    raise RuntimeError("the Rasa server did not answer within 300 s")


def peak_rss_mb(pid: int) -> float:
    """VmHWM (peak resident set) of a process and its children, from /proc."""
    total = 0.0
    for candidate in [pid, *children(pid)]:
        try:
            status = Path(f"/proc/{candidate}/status").read_text()
        except OSError:
            continue
        for line in status.splitlines():
            if line.startswith("VmHWM:"):
                total += int(line.split()[1]) / 1024
    return total


def children(pid: int) -> list[int]:
    """Direct children of a process (Rasa may fork workers)."""
    try:
        text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
    except OSError:
        return []
    return [int(part) for part in text.split()]


def free_port() -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def table(rows: list[dict[str, Any]]) -> str:
    """The side-by-side comparison."""
    columns = [
        ("accuracy", "held-out accuracy", "{:.1%}"),
        ("acc_fr", "  fr", "{:.1%}"),
        ("acc_nl", "  nl", "{:.1%}"),
        ("acc_de", "  de", "{:.1%}"),
        ("acc_en", "  en", "{:.1%}"),
        ("in_scope_accuracy", "in-scope accuracy", "{:.1%}"),
        ("top1", "top-1 before fallback", "{:.1%}"),
        ("oos_recall", "out-of-scope recall", "{:.1%}"),
        ("false_rejection", "in-scope rejected", "{:.1%}"),
        ("emergency_recall", "emergency recall", "{:.1%}"),
        ("blind_accuracy", "blind set accuracy", "{:.1%}"),
        ("blind_acc_fr", "  fr", "{:.1%}"),
        ("blind_acc_nl", "  nl", "{:.1%}"),
        ("blind_acc_de", "  de", "{:.1%}"),
        ("blind_acc_en", "  en", "{:.1%}"),
        ("blind_in_scope_accuracy", "  in-scope accuracy", "{:.1%}"),
        ("blind_oos_recall", "  out-of-scope recall", "{:.1%}"),
        ("blind_false_rejection", "  in-scope rejected", "{:.1%}"),
        ("blind_emergency_recall", "  emergency recall", "{:.1%}"),
        *scope_columns(),
        ("train_s", "training, fresh clone s", "{:.1f}"),
        ("train_rss_mb", "  peak RSS MB", "{:.0f}"),
        ("cold_train_s", "training, nothing cached s", "{:.1f}"),
        ("cold_train_rss_mb", "  peak RSS MB", "{:.0f}"),
        ("load_s", "start-up with cached model s", "{:.1f}"),
        ("startup_s", "server start-up s", "{:.1f}"),
        ("median_ms", "median per message ms", "{:.1f}"),
        ("p99_ms", "p99 per message ms", "{:.1f}"),
        ("rss_mb", "peak RSS serving MB", "{:.0f}"),
    ]
    width = 30
    lines = ["".ljust(width) + "".join(row["engine"][:38].ljust(40) for row in rows)]
    for key, label, fmt in columns:
        cells = [fmt.format(row[key]) if key in row else "-" for row in rows]
        lines.append(label.ljust(width) + "".join(cell.ljust(40) for cell in cells))
    return "\n".join(lines)


def main() -> int:
    """Run the variants and print one table."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--variant", choices=sorted(VARIANTS))
    parser.add_argument("--stage", choices=("cold", "train", "serve"), default="train")
    parser.add_argument("--cache", type=Path)
    parser.add_argument("--rasa-port", type=int, help="also time this Rasa server (serve stage)")
    parser.add_argument("--no-rasa", action="store_true", help="skip the Rasa server")
    parser.add_argument("--tfidf", action="store_true", help="also the TF-IDF-only variant")
    parser.add_argument("--no-cold", action="store_true", help="skip the training from nothing")
    args = parser.parse_args()
    if args.variant:
        if args.stage in ("cold", "train"):
            print(json.dumps(run_training(args.variant, args.cache, args.stage == "train")))
        else:
            print(json.dumps(run_serving(args.variant, args.cache, args.rasa_port)))
        return 0
    load = os.getloadavg()[0]
    print(f"NLU benchmark on {os.cpu_count()} cores (load average {load:.1f} at start)")
    model = None if args.no_rasa else rasa_model()
    if model is None:
        if not args.no_rasa:
            print("Rasa: not set up (run `make rasa` once to train a model); embedded only.")
        rows = [in_subprocess("embedded", cold=not args.no_cold)]
        if args.tfidf:
            rows.append(in_subprocess("tfidf"))
    else:
        with rasa_server(model) as server:
            rows = [in_subprocess("embedded", not args.no_cold, server.port)]
            if args.tfidf:
                rows.append(in_subprocess("tfidf"))
            url = f"http://127.0.0.1:{server.port}"
            rasa = {"engine": "Rasa 3.6 server (DIET)", "startup_s": server.startup_s}
            rasa |= {key[5:]: rows[0].pop(key) for key in ("rasa_median_ms", "rasa_p99_ms")}
            rows.append(rasa | measure_rasa(url, server.pid))
    print(table(rows))
    if model is not None:
        ratio = rows[0]["median_ms"] / rows[-1]["median_ms"]
        print(f"median per message, embedded / Rasa (same messages, alternated): {ratio:.2f}")
    print(f"load average {os.getloadavg()[0]:.1f} at the end")
    return 0


if __name__ == "__main__":
    sys.exit(main())
