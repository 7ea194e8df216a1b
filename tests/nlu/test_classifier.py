"""Classifier and engine properties (as Rasa's classifier tests): rankings, save and load."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from nlu.classifier import IntentClassifier, fingerprint
from nlu.embedding import CachedEmbedder, Matrix
from nlu.engine import EmbeddedNLU, NLUBackend, load_or_train
from nlu.errors import NLUError
from nlu.types import EMERGENCY_INTENT, Example, TrainingData

SAMPLES = [
    "comment déclarer mon alarme",
    "fiets registreren",
    "Hallo",
    "quelqu'un est dans ma maison au secours",
    "what is the weather tomorrow",
    "",
    "   ",
    "🙂",
    "x" * 3000,
]
SMALL = [
    Example("how do I declare my alarm", "alarm.declare", "en"),
    Example("alarm declaration", "alarm.declare", "en"),
    Example("déclarer mon alarme", "alarm.declare", "fr"),
    Example("register my bike", "bike.register", "en"),
    Example("fiets registreren", "bike.register", "nl"),
    Example("engraving my bicycle", "bike.register", "en"),
    Example("hello", "greet", "en"),
    Example("bonjour", "greet", "fr"),
    Example("hallo", "greet", "nl"),
]


class FakeEmbedder:
    """A deterministic stand-in for the sentence model that counts what it embeds."""

    name = "fake"

    def __init__(self) -> None:
        self.seen: list[str] = []

    def embed(self, texts: list[str] | tuple[str, ...]) -> Matrix:
        self.seen.extend(texts)
        rows = [np.random.default_rng(abs(hash(t)) % 2**32).normal(size=8) for t in texts]
        matrix = np.array(rows, dtype=np.float32).reshape(len(texts), 8)
        return matrix / np.linalg.norm(matrix, axis=1, keepdims=True).clip(1e-9)


@pytest.mark.parametrize("text", SAMPLES)
async def test_parse_properties(backend: NLUBackend, text: str) -> None:
    parse = await backend.parse(text, "fr")
    assert parse.text == text
    assert parse.language in ("fr", "nl", "de", "en")
    assert 0.0 <= parse.confidence <= 1.0
    confidences = [score.confidence for score in parse.ranking]
    assert all(0.0 <= c <= 1.0 for c in confidences)
    assert confidences == sorted(confidences, reverse=True)
    if parse.ranking and not parse.fallback:
        assert parse.ranking[0].intent == parse.intent
        assert parse.ranking[0].confidence == pytest.approx(parse.confidence)


async def test_an_emergency_tops_the_ranking(backend: NLUBackend) -> None:
    parse = await backend.parse("au secours un cambrioleur est dans ma maison", "fr")
    assert parse.intent == EMERGENCY_INTENT
    assert parse.ranking[0].intent == EMERGENCY_INTENT


def test_save_then_load_gives_the_same_predictions(
    trained_nlu: EmbeddedNLU, tmp_path: Path
) -> None:
    path = tmp_path / "model.pkl"
    trained_nlu.classifier.save(path)
    loaded = IntentClassifier.load(path, trained_nlu.classifier.embedder)
    texts = [t for t in SAMPLES if t.strip()]
    assert loaded.rank_many(texts) == trained_nlu.classifier.rank_many(texts)


def test_batch_parse_equals_one_by_one(trained_nlu: EmbeddedNLU) -> None:
    # The embedding engine's batch path rounds differently in the last digits only.
    for single, batch in zip(
        [trained_nlu.parse_sync(text) for text in SAMPLES],
        trained_nlu.parse_many(SAMPLES),
        strict=True,
    ):
        assert (batch.intent, batch.language, batch.fallback) == (
            single.intent,
            single.language,
            single.fallback,
        )
        assert batch.confidence == pytest.approx(single.confidence, abs=1e-3)


def test_loading_needs_the_same_embedder(tmp_path: Path) -> None:
    model = IntentClassifier(embedder=FakeEmbedder())
    model.train(SMALL)
    model.save(tmp_path / "m.pkl")
    with pytest.raises(NLUError, match="needs embeddings"):
        IntentClassifier.load(tmp_path / "m.pkl", None)
    (tmp_path / "bad.pkl").write_bytes(b"not a pickle")
    with pytest.raises(NLUError, match="cannot load"):
        IntentClassifier.load(tmp_path / "bad.pkl")


def test_tfidf_only_model_ranks_every_intent() -> None:
    model = IntentClassifier()
    model.train(SMALL)
    ranking = model.rank("register bike")
    assert ranking[0].intent == "bike.register"
    assert {s.intent for s in ranking} == {"alarm.declare", "bike.register", "greet"}
    assert sum(s.confidence for s in ranking) == pytest.approx(1.0)


def test_untrained_and_single_intent_models_fail_clearly() -> None:
    with pytest.raises(NLUError, match="not trained"):
        IntentClassifier().rank("hello")
    with pytest.raises(NLUError, match="two intents"):
        IntentClassifier().train(SMALL[:2])


def test_cached_model_is_reused_and_retrained_when_data_change(tmp_path: Path) -> None:
    embedder = FakeEmbedder()
    first = load_or_train(TrainingData(tuple(SMALL)), tmp_path, embedder)
    assert len(list(tmp_path.glob("intent-*.pkl"))) == 1
    trained_on = len(embedder.seen)
    again = load_or_train(TrainingData(tuple(SMALL)), tmp_path, embedder)
    assert again.rank_many(["hello"]) == first.rank_many(["hello"])
    assert len(embedder.seen) == trained_on + 2  # only the two "hello" predictions
    more = (*SMALL, Example("bye now", "greet", "en"))
    load_or_train(TrainingData(more), tmp_path, embedder)
    # The old model is pruned; the training cache embedded the one new sentence only.
    assert len(list(tmp_path.glob("intent-*.pkl"))) == 1
    assert embedder.seen[-1] == "bye now"
    assert "embeddings.npz" in {p.name for p in tmp_path.iterdir()}


def test_training_cache_never_sees_user_messages(tmp_path: Path) -> None:
    inner = FakeEmbedder()
    model = IntentClassifier(embedder=inner)
    model.train(SMALL, CachedEmbedder(inner, tmp_path / "e.npz"))
    before = (tmp_path / "e.npz").read_bytes()
    model.rank("my secret message")
    assert (tmp_path / "e.npz").read_bytes() == before


def test_fingerprint_depends_on_data_options_and_embedder() -> None:
    base = fingerprint(SMALL, {})
    assert fingerprint(list(reversed(SMALL)), {}) == base
    assert fingerprint(SMALL[:-1], {}) != base
    assert fingerprint(SMALL, {"C": 2.0}) != base
    assert fingerprint(SMALL, {}, "fake") != base
