"""The embedded intent classifier: TF-IDF (characters and words) with logistic regression."""

from __future__ import annotations

import hashlib
import json
import logging
import pickle
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import FeatureUnion, Pipeline

from nlu.emergency import normalise
from nlu.errors import NLUError
from nlu.types import Example, IntentScore

logger = logging.getLogger(__name__)

# Code defaults, merged with the `nlu:` section of config.yml (as Rasa's classifiers do).
DEFAULTS: Final[Mapping[str, Any]] = {
    "char_ngram_min": 2,
    "char_ngram_max": 5,
    "word_ngram_max": 2,
    "C": 20.0,
    "max_iter": 2000,
}
MODEL_VERSION: Final = 1


@dataclass(slots=True)
class IntentClassifier:
    """Train, predict, save and load; predictions are full rankings over the known intents."""

    options: dict[str, Any] = field(default_factory=lambda: dict(DEFAULTS))
    _pipeline: Pipeline | None = None
    _intents: tuple[str, ...] = ()

    @property
    def intents(self) -> tuple[str, ...]:
        """The intents the model was trained on, in its column order."""
        return self._intents

    def train(self, examples: Sequence[Example]) -> None:
        """Fit the model on the given examples (all languages in one model)."""
        if len({example.intent for example in examples}) < 2:
            raise NLUError("training needs examples of at least two intents")
        opts = {**DEFAULTS, **self.options}
        features = FeatureUnion(
            [
                (
                    "chars",
                    TfidfVectorizer(
                        analyzer="char_wb",
                        ngram_range=(opts["char_ngram_min"], opts["char_ngram_max"]),
                        sublinear_tf=True,
                        min_df=1,
                    ),
                ),
                (
                    "words",
                    TfidfVectorizer(
                        analyzer="word",
                        ngram_range=(1, opts["word_ngram_max"]),
                        sublinear_tf=True,
                        token_pattern=r"(?u)\b\w+\b",
                    ),
                ),
            ]
        )
        model = LogisticRegression(C=opts["C"], max_iter=opts["max_iter"])
        pipeline = Pipeline([("features", features), ("model", model)])
        pipeline.fit([prepare(e.text) for e in examples], [e.intent for e in examples])
        self._pipeline = pipeline
        self._intents = tuple(str(label) for label in model.classes_)

    def rank(self, text: str) -> tuple[IntentScore, ...]:
        """All intents with their probabilities, highest first."""
        return self.rank_many([text])[0]

    def rank_many(self, texts: Sequence[str]) -> list[tuple[IntentScore, ...]]:
        """Rank several texts in one vectorised call."""
        if self._pipeline is None:
            raise NLUError("the classifier is not trained")
        probabilities = self._pipeline.predict_proba([prepare(text) for text in texts])
        rankings = []
        for row in np.asarray(probabilities):
            order = np.argsort(-row)
            rankings.append(tuple(IntentScore(self._intents[i], float(row[i])) for i in order))
        return rankings

    def save(self, path: Path) -> None:
        """Write the trained model to `path` (pickle: only ever load files this code wrote)."""
        if self._pipeline is None:
            raise NLUError("the classifier is not trained")
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        with tmp.open("wb") as handle:
            pickle.dump((MODEL_VERSION, self.options, self._pipeline, self._intents), handle)
        tmp.replace(path)

    @classmethod
    def load(cls, path: Path) -> IntentClassifier:
        """Read a model written by `save`."""
        try:
            with path.open("rb") as handle:
                version, options, pipeline, intents = pickle.load(handle)
        except (OSError, pickle.UnpicklingError, ValueError, EOFError) as exc:
            raise NLUError(f"{path}: cannot load the model ({exc})") from exc
        if version != MODEL_VERSION:
            raise NLUError(f"{path}: model version {version} is not {MODEL_VERSION}")
        return cls(options=options, _pipeline=pipeline, _intents=intents)


def prepare(text: str) -> str:
    """Normalise a message the same way for training and prediction."""
    return normalise(text[:1000]).strip()


def fingerprint(examples: Sequence[Example], options: Mapping[str, Any]) -> str:
    """A hash of the training data and options: the key of the cached model."""
    digest = hashlib.sha256()
    digest.update(json.dumps({"v": MODEL_VERSION, "o": dict(options)}, sort_keys=True).encode())
    for example in sorted(examples, key=lambda e: (e.intent, e.language, e.text)):
        digest.update(f"{example.intent}\t{example.language}\t{example.text}\n".encode())
    return digest.hexdigest()[:16]
