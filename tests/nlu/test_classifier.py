"""Classifier and engine properties (as Rasa's classifier tests): rankings, save and load."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from nlu.classifier import IntentClassifier, fingerprint
from nlu.embedding import CachedEmbedder, Matrix, coverage
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


def test_seed_serves_training_and_is_never_written(tmp_path: Path) -> None:
    inner = FakeEmbedder()
    seed = tmp_path / "seed.npz"
    texts = [example.text for example in SMALL]
    assert CachedEmbedder(inner, tmp_path / "a.npz", seed).write_seed(texts) == len(SMALL)
    seeded = inner.seen[:]
    before = seed.read_bytes()
    # A fresh cache directory: the seed answers every sentence it holds, only new ones cost.
    cache = CachedEmbedder(inner, tmp_path / "fresh" / "e.npz", seed)
    vectors = cache.embed([*texts, "a new sentence"])
    assert inner.seen[len(seeded) :] == ["a new sentence"]
    assert seed.read_bytes() == before
    assert coverage(seed, texts) == 1.0
    assert coverage(seed, ["a new sentence"]) == 0.0
    # Fresh and cached vectors are the same numbers (both kept in float16).
    again = CachedEmbedder(inner, tmp_path / "fresh" / "e.npz", seed).embed(texts)
    assert np.array_equal(again, vectors[: len(texts)])


def test_broken_cache_or_seed_is_ignored_not_fatal(tmp_path: Path) -> None:
    inner = FakeEmbedder()
    (tmp_path / "e.npz").write_bytes(b"not a numpy file")
    (tmp_path / "seed.npz").write_bytes(b"")
    vectors = CachedEmbedder(inner, tmp_path / "e.npz", tmp_path / "seed.npz").embed(["hello"])
    assert vectors.shape == (1, 8)
    assert inner.seen == ["hello"]
    assert coverage(tmp_path / "missing.npz", ["hello"]) == 0.0


def test_tfidf_transform_matches_sklearn() -> None:
    model = IntentClassifier()
    model.train(SMALL)
    features = model._features
    assert features is not None
    texts = [*SAMPLES, "ALARM alarm alarm déclarer", "\u0301\u200b", "a", "fiets 🙂 fiets"]
    ours = features.transform(texts).toarray()
    theirs = np.hstack(
        [features.chars.transform(texts).toarray(), features.words.transform(texts).toarray()]
    )
    assert np.allclose(ours, theirs, atol=1e-6)
    assert features.transform([]).shape == (0, theirs.shape[1])


def test_two_intent_model_ranks_both() -> None:
    model = IntentClassifier(embedder=FakeEmbedder())
    model.train([e for e in SMALL if e.intent != "greet"])
    ranking = model.rank("register my bike")
    assert ranking[0].intent == "bike.register"
    assert {score.intent for score in ranking} == {"alarm.declare", "bike.register"}
    assert abs(sum(score.confidence for score in ranking) - 1.0) < 1e-6


def test_shipped_seed_covers_the_training_data() -> None:
    """Keeps a fresh clone's first training fast; after editing nlu/data: preventbot nlu seed."""
    from nlu.classifier import mask
    from nlu.reader import read_directory

    root = Path(__file__).parents[2] / "nlu"
    texts = sorted({mask(e.text) for e in read_directory(root / "data").examples})
    missing = 1.0 - coverage(root / "embeddings.npz", texts)
    assert missing == 0.0, (
        f"{missing:.1%} of nlu/data is not in nlu/embeddings.npz: run `preventbot nlu seed`"
    )
