"""The embedded intent classifier: TF-IDF and sentence embeddings side by side, linear SVM."""

from __future__ import annotations

import hashlib
import json
import logging
import os
import pickle
import re
import warnings
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final

import numpy as np
import numpy.typing as npt
from scipy import sparse
from sklearn.exceptions import ConvergenceWarning
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.svm import LinearSVC

from nlu.embedding import Embedder, Matrix
from nlu.emergency import normalise
from nlu.errors import NLUError
from nlu.types import Example, IntentScore

logger = logging.getLogger(__name__)

# Code defaults (as Rasa's classifiers); measured on the held-out split, see bench/nlu.py.
DEFAULTS: Final[Mapping[str, Any]] = {
    "char_ngram_min": 2,
    "char_ngram_max": 5,
    "word_ngram_max": 2,
    # Weight of the (unit-length) sentence embedding next to the TF-IDF vectors.
    "embedding_weight": 4.0,
    "C": 1.0,
    "max_iter": 3000,
    # Softmax temperature turning SVM margins into confidences (cross-validated on training).
    "temperature": 6.0,
    # The k most similar training sentences (by embedding) vote too; their share of the
    # confidence, and how sharply similarity counts (5-fold cross-validation on training).
    "knn_k": 5,
    "knn_weight": 0.5,
    "knn_sharpness": 20.0,
}
MODEL_VERSION: Final = 5
_EMAIL_RE: Final = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
Scores = npt.NDArray[np.float64]


@dataclass(slots=True)
class TextFeatures:
    """Character and word TF-IDF side by side.

    sklearn's FeatureUnion does the same through joblib, which costs about a millisecond a
    message for nothing when there is one message to transform.
    """

    chars: TfidfVectorizer
    words: TfidfVectorizer

    def fit_transform(self, texts: Sequence[str]) -> sparse.csr_matrix:
        """Learn both vocabularies and return the joined matrix."""
        return _hstack(self.chars.fit_transform(texts), self.words.fit_transform(texts))

    def transform(self, texts: Sequence[str]) -> sparse.csr_matrix:
        """The joined matrix for new texts: the same values as sklearn's transform.

        sklearn validates its input on every call (about 2 ms a message); this computes the
        sublinear, idf-weighted, l2-normalised counts straight from the fitted vocabularies.
        """
        offset = len(self.chars.vocabulary_)
        width = offset + len(self.words.vocabulary_)
        chars, words = self.chars.build_analyzer(), self.words.build_analyzer()
        rows = []
        for text in texts:
            char_index, char_values = _weights(self.chars, chars(text))
            word_index, word_values = _weights(self.words, words(text))
            index = np.concatenate([char_index, word_index + offset])
            values = np.concatenate([char_values, word_values])
            rows.append(sparse.csr_matrix((values, index, [0, len(index)]), shape=(1, width)))
        if not rows:
            return sparse.csr_matrix((0, width), dtype=np.float32)
        return sparse.csr_matrix(sparse.vstack(rows, format="csr"))


@dataclass(frozen=True, slots=True)
class LinearScores:
    """A trained linear model's weights, split by feature block so prediction never joins them."""

    text: npt.NDArray[np.float32]  # (TF-IDF features, intents)
    embedding: npt.NDArray[np.float32]  # (embedding dimensions, intents); empty without one
    intercept: npt.NDArray[np.float32]  # (intents,)

    @classmethod
    def from_svm(
        cls, model: LinearSVC, text_width: int, embedding_weight: float = 1.0
    ) -> LinearScores:
        """Take the weights out of a fitted LinearSVC trained on [TF-IDF, weight * embedding].

        The weight is folded into the embedding coefficients: one multiply less per message.
        """
        coef = np.asarray(model.coef_, dtype=np.float32)
        intercept = np.asarray(model.intercept_, dtype=np.float32)
        if len(model.classes_) == 2:
            # A binary SVM keeps one hyperplane (for the second class): give each class a side.
            coef, intercept = np.vstack([-coef, coef]), np.concatenate([-intercept, intercept])
        return cls(
            np.ascontiguousarray(coef[:, :text_width].T),
            np.ascontiguousarray(coef[:, text_width:].T * embedding_weight),
            intercept,
        )

    def margins(self, tfidf: sparse.csr_matrix, embedding: Matrix | None) -> Scores:
        """Signed distances to each intent's hyperplane, one row per text."""
        margins = np.asarray(tfidf @ self.text, dtype=np.float64)
        if embedding is not None:
            margins += embedding @ self.embedding
        return margins + self.intercept


@dataclass(slots=True)
class IntentClassifier:
    """Train, predict, save and load; predictions are full rankings over the known intents."""

    options: dict[str, Any] = field(default_factory=lambda: dict(DEFAULTS))
    embedder: Embedder | None = None
    _features: TextFeatures | None = None
    _model: LinearScores | None = None
    _intents: tuple[str, ...] = ()
    _memory: Matrix | None = None
    _memory_labels: npt.NDArray[np.intp] | None = None

    @property
    def intents(self) -> tuple[str, ...]:
        """The intents the model was trained on, in its column order."""
        return self._intents

    @property
    def embedder_name(self) -> str:
        """Which embedding model the classifier needs ("" for TF-IDF only)."""
        return self.embedder.name if self.embedder is not None else ""

    def train(self, examples: Sequence[Example], embeddings: Embedder | None = None) -> None:
        """Fit the model on the examples (all languages in one model).

        `embeddings` may stand in for `embedder` on the training sentences only (a disk cache
        of the same model): user messages are never written anywhere.
        """
        if len({example.intent for example in examples}) < 2:
            raise NLUError("training needs examples of at least two intents")
        if embeddings is not None and embeddings.name != self.embedder_name:
            raise NLUError(f"embeddings {embeddings.name!r} are not {self.embedder_name!r}")
        opts = {**DEFAULTS, **self.options}
        texts = [example.text for example in examples]
        self._features = _tfidf(opts)
        tfidf = self._features.fit_transform([prepare(text) for text in texts])
        source = embeddings or self.embedder
        dense = None if source is None else _embed(source, texts)
        weight = float(opts["embedding_weight"])
        if dense is None:
            matrix = tfidf
        else:
            matrix = sparse.hstack([tfidf, sparse.csr_matrix(dense * weight)], format="csr")
        model = LinearSVC(C=opts["C"], max_iter=opts["max_iter"])
        with warnings.catch_warnings():
            # A few more iterations change nothing measurable; the warning would fail tests.
            warnings.simplefilter("ignore", ConvergenceWarning)
            model.fit(matrix, [example.intent for example in examples])
        self._intents = tuple(str(label) for label in model.classes_)
        self._model = LinearScores.from_svm(model, tfidf.shape[1], weight)
        if dense is not None:
            # The sentences the nearest-neighbour vote compares a message with.
            self._memory = dense
            labels = [self._intents.index(example.intent) for example in examples]
            self._memory_labels = np.asarray(labels, dtype=np.intp)

    def rank(self, text: str) -> tuple[IntentScore, ...]:
        """All intents with their confidences, highest first."""
        return self.rank_many([text])[0]

    def rank_many(self, texts: Sequence[str]) -> list[tuple[IntentScore, ...]]:
        """Rank several texts in one vectorised call."""
        rankings = []
        for row in self.scores(texts):
            order = np.argsort(-row, kind="stable")
            rankings.append(tuple(IntentScore(self._intents[i], float(row[i])) for i in order))
        return rankings

    def scores(self, texts: Sequence[str]) -> Scores:
        """Confidences in [0, 1] summing to 1, one row per text, columns as `intents`."""
        if self._features is None or self._model is None:
            raise NLUError("the classifier is not trained")
        opts = {**DEFAULTS, **self.options}
        tfidf = self._features.transform([prepare(text) for text in texts])
        vectors = None if self.embedder is None else _embed(self.embedder, texts)
        scores = softmax(self._model.margins(tfidf, vectors) * float(opts["temperature"]))
        if vectors is None or self._memory is None or self._memory_labels is None:
            return scores
        if opts["knn_weight"] <= 0:  # the nearest-neighbour vote switched off
            return scores
        votes = _votes(vectors, self._memory, self._memory_labels, len(self._intents), opts)
        weight = float(opts["knn_weight"])
        return np.asarray((1 - weight) * scores + weight * votes, dtype=np.float64)

    def save(self, path: Path) -> None:
        """Write the trained model to `path` (pickle: only ever load files this code wrote)."""
        if self._features is None or self._model is None:
            raise NLUError("the classifier is not trained")
        path.parent.mkdir(parents=True, exist_ok=True)
        state = (MODEL_VERSION, self.options, self.embedder_name, self._features, self._model)
        memory = (self._memory, self._memory_labels)
        # One temporary name per process: the bot and the workspace may train the same data.
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        with tmp.open("wb") as handle:
            pickle.dump((*state, self._intents, memory), handle)
        tmp.replace(path)

    @classmethod
    def load(cls, path: Path, embedder: Embedder | None = None) -> IntentClassifier:
        """Read a model written by `save`; it needs the same embedder it was trained with."""
        try:
            with path.open("rb") as handle:
                stored = pickle.load(handle)
            version, options, embedder_name, features, model, intents, memory = stored
        except (OSError, pickle.UnpicklingError, ValueError, EOFError, TypeError) as exc:
            raise NLUError(f"{path}: cannot load the model ({exc})") from exc
        if version != MODEL_VERSION:
            raise NLUError(f"{path}: model version {version} is not {MODEL_VERSION}")
        if embedder_name != (embedder.name if embedder is not None else ""):
            raise NLUError(f"{path}: the model needs embeddings {embedder_name!r}")
        return cls(options, embedder, features, model, intents, *memory)


def _votes(
    vectors: Matrix,
    memory: Matrix,
    labels: npt.NDArray[np.intp],
    classes: int,
    opts: Mapping[str, Any],
) -> Scores:
    """The weighted vote of the k training sentences most similar to each vector."""
    similarity = vectors @ memory.T
    k = min(int(opts["knn_k"]), similarity.shape[1])
    nearest = np.argpartition(-similarity, k - 1, axis=1)[:, :k]
    votes = np.zeros((len(vectors), classes))
    rows = np.arange(len(vectors))[:, None]
    # exp(sharpness * (s - 1)): 1 for an identical sentence, fading fast with distance.
    weights = np.exp(float(opts["knn_sharpness"]) * (similarity[rows, nearest] - 1.0))
    np.add.at(votes, (rows, labels[nearest]), weights)
    return np.asarray(votes / votes.sum(axis=1, keepdims=True).clip(1e-12), dtype=np.float64)


def _embed(embedder: Embedder, texts: Sequence[str]) -> Matrix:
    return np.asarray(embedder.embed([mask(text) for text in texts]), dtype=np.float32)


def _weights(
    vectorizer: TfidfVectorizer, terms: Iterable[str]
) -> tuple[npt.NDArray[np.intp], npt.NDArray[np.float32]]:
    """One text's TF-IDF entries (sublinear tf, idf, l2 norm), sorted by column."""
    vocabulary = vectorizer.vocabulary_
    counts = Counter(index for index in map(vocabulary.get, terms) if index is not None)
    index = np.fromiter(sorted(counts), dtype=np.intp, count=len(counts))
    values = (1.0 + np.log([counts[i] for i in index])) * vectorizer.idf_[index]
    norm = float(np.sqrt(np.dot(values, values)))
    return index, np.asarray(values / norm if norm > 0 else values, dtype=np.float32)


def _hstack(*blocks: Any) -> sparse.csr_matrix:
    return sparse.csr_matrix(sparse.hstack(blocks, format="csr"))


def _tfidf(opts: Mapping[str, Any]) -> TextFeatures:
    chars = TfidfVectorizer(
        analyzer="char_wb",
        ngram_range=(opts["char_ngram_min"], opts["char_ngram_max"]),
        sublinear_tf=True,
        dtype=np.float32,
    )
    words = TfidfVectorizer(
        analyzer="word",
        ngram_range=(1, opts["word_ngram_max"]),
        sublinear_tf=True,
        token_pattern=r"(?u)\b\w+\b",
        dtype=np.float32,
    )
    return TextFeatures(chars, words)


def softmax(values: npt.NDArray[Any]) -> Scores:
    """Row-wise softmax, numerically stable."""
    shifted = np.exp(values - values.max(axis=1, keepdims=True))
    return np.asarray(shifted / shifted.sum(axis=1, keepdims=True), dtype=np.float64)


def prepare(text: str) -> str:
    """Normalise a message the same way for training and prediction."""
    return normalise(mask(text)).strip()


def mask(text: str) -> str:
    """Cut to 1000 characters and hide e-mail addresses (their domain is not a topic)."""
    return _EMAIL_RE.sub(" ", text[:1000])


def fingerprint(
    examples: Sequence[Example], options: Mapping[str, Any], embedder_name: str = ""
) -> str:
    """A hash of the training data, options and embedding model: the cached model's key."""
    digest = hashlib.sha256()
    settings = {"v": MODEL_VERSION, "o": {**DEFAULTS, **options}, "e": embedder_name}
    digest.update(json.dumps(settings, sort_keys=True).encode())
    for example in sorted(examples, key=lambda e: (e.intent, e.language, e.text)):
        digest.update(f"{example.intent}\t{example.language}\t{example.text}\n".encode())
    return digest.hexdigest()[:16]
