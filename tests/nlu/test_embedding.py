"""The memo of recent embeddings: the vectors the engine computes, bounded, no text kept."""

from __future__ import annotations

import numpy as np
import pytest

from nlu import embedding
from nlu.embedding import E5Embedder
from nlu.engine import EmbeddedNLU


def test_a_remembered_vector_is_the_one_the_engine_computes(trained_nlu: EmbeddedNLU) -> None:
    embedder = trained_nlu.classifier.embedder
    assert isinstance(embedder, E5Embedder)
    first = embedder.embed(["comment rejoindre un PLP", "hoe beveilig ik mijn deur"])
    again = embedder.embed(["hoe beveilig ik mijn deur", "wie melde ich eine Kamera an"])
    fresh = E5Embedder().embed(["hoe beveilig ik mijn deur", "wie melde ich eine Kamera an"])
    assert np.array_equal(again, fresh)
    assert np.array_equal(first[1], again[0])


def test_the_memo_is_bounded_and_keeps_digests_not_texts(
    trained_nlu: EmbeddedNLU, monkeypatch: pytest.MonkeyPatch
) -> None:
    embedder = trained_nlu.classifier.embedder
    assert isinstance(embedder, E5Embedder)
    monkeypatch.setattr(embedding, "RECENT", 3)
    texts = [f"question numéro {n} sur les serrures" for n in range(5)]
    vectors = embedder.embed(texts)
    assert vectors.shape == (5, embedding.DIMENSIONS)
    remembered = list(embedder._recent)
    assert len(remembered) == 3
    assert all(isinstance(key, bytes) and len(key) == 16 for key in remembered)
    assert not any(text.encode() in key for text in texts for key in remembered)
    assert embedder.embed([]).shape == (0, embedding.DIMENSIONS)
