"""`preventbot nlu train | seed | parse | eval`: the NLU engine from the command line."""

from __future__ import annotations

import argparse
import json
import sys
import time
from typing import TextIO

from bot.app import build_nlu, engine_config
from bot.base.settings import Settings
from nlu import EmbeddedNLU, NLUError, evaluate_files, format_report, write_seed


def _engine(settings: Settings) -> EmbeddedNLU:
    return EmbeddedNLU.from_config(engine_config(settings))


def parse_lines(engine: EmbeddedNLU, source: TextIO, out: TextIO) -> int:
    """One JSON object per input line, in order; a bad line gets an `error` object."""
    for raw in source:
        if not raw.strip():
            continue
        try:
            item = json.loads(raw)
            text = item["text"]
            hint = item.get("lang")
            if not isinstance(text, str) or (hint is not None and not isinstance(hint, str)):
                raise TypeError("'text' must be a string and 'lang' a string or absent")
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            out.write(json.dumps({"error": f"bad input line: {exc}"}) + "\n")
            continue
        out.write(json.dumps(engine.parse_sync(text, hint).to_json(), ensure_ascii=False) + "\n")
        out.flush()
    return 0


def run(args: argparse.Namespace, settings: Settings) -> int:
    """Dispatch the `nlu` sub-commands."""
    if args.action == "train":
        started = time.perf_counter()
        build_nlu(settings)
        print(f"model ready in {time.perf_counter() - started:.1f} s", file=sys.stderr)
        return 0
    if args.action == "seed":
        config = engine_config(settings)
        try:
            count = write_seed(config)
        except NLUError as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 1
        print(f"{config.seed_file}: {count} training sentences", file=sys.stderr)
        return 0
    if args.action == "parse":
        return parse_lines(_engine(settings), sys.stdin, sys.stdout)
    # The configured backend: PREVENTBOT_NLU=rasa evaluates the Rasa server.
    report = evaluate_files(build_nlu(settings), args.files, args.lang)
    print(format_report(report))
    return 0
