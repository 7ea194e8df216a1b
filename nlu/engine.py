"""The NLU facade: language, emergency rules, classifier and fallback in one `parse` call."""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from nlu.classifier import IntentClassifier, fingerprint
from nlu.emergency import is_emergency
from nlu.errors import NLUError
from nlu.fallback import FallbackPolicy
from nlu.language import LanguageIdentifier
from nlu.reader import read_directory
from nlu.types import EMERGENCY_INTENT, OUT_OF_SCOPE_INTENT, IntentScore, Parse, TrainingData

logger = logging.getLogger(__name__)
MAX_RANKING = 10


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
    threshold: float = 0.45
    ambiguity_margin: float = 0.05
    default_language: str = "fr"


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
        classifier = load_or_train(data, config.cache_dir)
        policy = FallbackPolicy(config.threshold, config.ambiguity_margin)
        return cls(classifier, LanguageIdentifier(), policy, config.default_language)

    async def parse(self, text: str, language_hint: str | None = None) -> Parse:
        """Understand one message (CPU-bound and about a millisecond: no thread needed)."""
        return self.parse_sync(text, language_hint)

    def parse_sync(self, text: str, language_hint: str | None = None) -> Parse:
        """The synchronous parse, for the CLI and benchmarks."""
        clean = text.strip()
        language = self.languages.detect(clean, language_hint, self.default_language).language
        if not clean:
            return Parse(text, language, OUT_OF_SCOPE_INTENT, 0.0, (), fallback=True)
        ranking = self.classifier.rank(clean)[:MAX_RANKING]
        if is_emergency(clean):
            # Recall first: a crime in progress must never hinge on the classifier.
            ranking = _promote(ranking, EMERGENCY_INTENT)
            return Parse(text, language, EMERGENCY_INTENT, 1.0, ranking)
        top = ranking[0]
        if self.policy.is_unsure(ranking):
            return Parse(text, language, OUT_OF_SCOPE_INTENT, top.confidence, ranking, True)
        return Parse(text, language, top.intent, top.confidence, ranking)


def load_or_train(data: TrainingData, cache_dir: Path) -> IntentClassifier:
    """Return the cached model keyed by the data's hash, or train and cache a new one."""
    classifier = IntentClassifier()
    path = cache_dir / f"intent-{fingerprint(data.examples, classifier.options)}.pkl"
    if path.exists():
        try:
            return IntentClassifier.load(path)
        except NLUError as exc:
            logger.warning("Cached model unusable, retraining: %s", exc)
    started = time.perf_counter()
    classifier.train(data.examples)
    logger.info(
        "Trained the intent model on %d examples in %.1f s",
        len(data.examples),
        time.perf_counter() - started,
    )
    try:
        classifier.save(path)
    except OSError as exc:
        logger.warning("Could not cache the model at %s: %s", path, exc)
    return classifier


def _promote(ranking: tuple[IntentScore, ...], intent: str) -> tuple[IntentScore, ...]:
    rest = tuple(score for score in ranking if score.intent != intent)
    return (IntentScore(intent, 1.0), *rest)
