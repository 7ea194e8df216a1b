"""Phrasings learned from citizens' questions, appended to the Rasa training files safely.

One file per language, `<data>/<lang>/learned.yml`, in Rasa 3 YAML. Every addition rewrites
the whole file atomically (a temporary file in the same folder, then a rename: a reader never
sees half a file), is read back with the project's own reader before the rename, and happens
under a lock (threads of this process, and other processes through `flock`). A sentence that is
already trained on (any intent, same language) or that belongs to an evaluation set is refused:
the evaluation sets are never trained on, or their scores would lie.
"""

from __future__ import annotations

import fcntl
import os
import re
import threading
import unicodedata
from collections.abc import Collection, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Final

from nlu.emergency import normalise
from nlu.errors import NLUError
from nlu.reader import LANGUAGES, parse_text, read_directory

LEARNED_FILE: Final = "learned.yml"
# Beside the training data: the split, the blind set and the out-of-scope set (when present).
EVALUATION_SETS: Final = (
    "heldout",
    "heldout-blind",
    "heldout-scope",
    "heldout-scope2",
    "heldout-scope3",
    "heldout-scope4",
)
MAX_PHRASING_CHARS: Final = 300
INTENT_PATTERN: Final = re.compile(r"[a-z][a-z0-9_]*(?:\.[a-z0-9_]+)*")
MAX_INTENT_CHARS: Final = 64
HEADER: Final = (
    "# Phrasings learned from citizens' unanswered questions (the workspace's inbox).\n"
    "# Written by preventbot; a running bot retrains by itself when this file changes.\n"
    'version: "3.1"\n'
    "nlu:\n"
)
_LOCK: Final = threading.Lock()


class PhrasingError(NLUError):
    """A phrasing that was refused; `code` says why (for a translated message)."""

    def __init__(self, code: str, detail: str) -> None:
        super().__init__(detail)
        self.code = code


def comparable(text: str) -> str:
    """A sentence as compared for duplicates: case, accents, punctuation and spaces ignored."""
    return " ".join(re.sub(r"[^\w<>]+", " ", normalise(text)).split())


def clean_phrasing(text: str) -> str:
    """One line of text: control characters and line breaks become spaces, spaces collapse."""
    spaced = "".join(
        " " if unicodedata.category(char) in ("Cc", "Cs", "Zl", "Zp") else char for char in text
    )
    return " ".join(spaced.split())


def evaluation_dirs(nlu_root: Path) -> tuple[Path, ...]:
    """The evaluation sets under `nlu_root` (nlu/), whether they exist yet or not."""
    return tuple(nlu_root / name for name in EVALUATION_SETS)


def evaluation_sentences(dirs: Sequence[Path]) -> dict[str, frozenset[str]]:
    """Every sentence of the evaluation sets, comparable, by language (file name `<lang>.yml`)."""
    found: dict[str, set[str]] = {language: set() for language in LANGUAGES}
    for folder in dirs:
        for path in sorted(folder.glob("*.yml")) if folder.is_dir() else ():
            language = path.stem if path.stem in LANGUAGES else ""
            examples, _lookups, _problems = parse_text(path.read_text("utf-8"), language)
            for example in examples:
                # An evaluation file of unknown language protects its sentences everywhere.
                for code in (language,) if language else LANGUAGES:
                    found[code].add(comparable(example.text))
    return {language: frozenset(texts) for language, texts in found.items()}


class TrainingFiles:
    """The training data folder, to which phrasings are added (never to the evaluation sets)."""

    def __init__(self, data_dir: Path, evaluation: Sequence[Path]) -> None:
        self.data_dir = data_dir
        self.evaluation = tuple(evaluation)

    def check(self, text: str, intent: str, language: str, intents: Collection[str]) -> str:
        """The cleaned sentence, or PhrasingError saying why it cannot be added."""
        clean = clean_phrasing(text)
        if not comparable(clean):
            raise PhrasingError("empty", "the sentence is empty")
        if len(clean) > MAX_PHRASING_CHARS:
            raise PhrasingError("too_long", f"longer than {MAX_PHRASING_CHARS} characters")
        if language not in LANGUAGES:
            raise PhrasingError("language", f"unknown language {language[:10]!r}")
        if (
            len(intent) > MAX_INTENT_CHARS
            or not INTENT_PATTERN.fullmatch(intent)
            or intent not in intents
        ):
            raise PhrasingError("intent", f"unknown intent {intent[:MAX_INTENT_CHARS]!r}")
        key = comparable(clean)
        if key in evaluation_sentences(self.evaluation)[language]:
            raise PhrasingError("evaluation", "the sentence is in an evaluation set")
        trained = read_directory(self.data_dir, strict=False).examples
        if any(e.language == language and comparable(e.text) == key for e in trained):
            raise PhrasingError("duplicate", "the sentence is already in the training data")
        return clean

    def add(self, text: str, intent: str, language: str, intents: Collection[str]) -> Path:
        """Append one phrasing of `intent` to `<lang>/learned.yml`; return the file written."""
        with _locked(self.data_dir):
            clean = self.check(text, intent, language, intents)
            path = self.data_dir / language / LEARNED_FILE
            entries = [*learned_entries(path), (intent, clean)]
            rendered = render(entries)
            read_back, _lookups, problems = parse_text(rendered, language, str(path))
            # Blocks group the sentences by intent: compare as sets of pairs, in any order.
            if problems or sorted((e.intent, e.text) for e in read_back) != sorted(entries):
                raise PhrasingError("unwritable", "cannot be written as training data")
            _write_atomically(path, rendered)
        return path


def learned_entries(path: Path) -> list[tuple[str, str]]:
    """The (intent, sentence) pairs of a learned file, in order; [] when there is none."""
    if not path.exists():
        return []
    examples, _lookups, problems = parse_text(path.read_text("utf-8"), "", str(path))
    if problems:
        # Never rewrite over a hand edit we cannot read: that would lose its phrasings.
        raise PhrasingError("unwritable", "; ".join(problems))
    return [(example.intent, example.text) for example in examples]


def render(entries: Sequence[tuple[str, str]]) -> str:
    """The learned file: one block per intent, in order of first appearance."""
    by_intent: dict[str, list[str]] = {}
    for intent, text in entries:
        by_intent.setdefault(intent, []).append(text)
    blocks = [
        f"- intent: {intent}\n  examples: |\n" + "".join(f"    - {text}\n" for text in texts)
        for intent, texts in by_intent.items()
    ]
    return HEADER + "".join(blocks)


@contextmanager
def _locked(folder: Path) -> Iterator[None]:
    # A thread lock for this process, flock on the folder for the others (the web workspace
    # and a command run by hand may both write).
    with _LOCK:
        handle = os.open(folder, os.O_RDONLY)
        try:
            fcntl.flock(handle, fcntl.LOCK_EX)
            yield
        finally:
            os.close(handle)  # releases the flock


def _write_atomically(path: Path, text: str) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with tmp.open("w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        tmp.replace(path)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise PhrasingError("unwritable", f"{path}: {exc.strerror}") from exc
