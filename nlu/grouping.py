"""Group sentences by meaning: near duplicates, in any language, from their embeddings."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Final

import numpy as np

from nlu.embedding import Matrix

MAX_REMEMBERED: Final = 20_000

# multilingual-e5-small scores unrelated questions up to ~0.86 and one question in two
# languages from ~0.88 ("how do I protect my e-bike" / "wie schütze ich mein E-Bike": 0.94;
# "garden shed" / "abri de jardin": 0.88; "bike" / "garden shed": 0.86). Measured here.
SAME_MEANING: Final = 0.88


def group_by_meaning(vectors: Matrix, threshold: float = SAME_MEANING) -> list[list[int]]:
    """Row indices grouped by meaning, in order of each group's first row.

    Leader grouping: each row joins the group whose mean direction is most similar, if that
    similarity reaches `threshold`, else starts a group. Order the rows most frequent first:
    the common phrasing leads its group.
    """
    groups: list[list[int]] = []
    sums: list[np.ndarray] = []
    for index, vector in enumerate(np.asarray(vectors, dtype=np.float32)):
        best, similarity = -1, threshold
        if sums:
            centres = np.stack(sums)
            centres /= np.linalg.norm(centres, axis=1, keepdims=True).clip(1e-12)
            scores = centres @ vector
            best = int(np.argmax(scores))
            similarity = float(scores[best])
        if best >= 0 and similarity >= threshold:
            groups[best].append(index)
            sums[best] = sums[best] + vector
        else:
            groups.append([index])
            sums.append(vector.copy())
    return groups


class SentenceGrouper:
    """Groups sentences by meaning, keeping their vectors in memory (never on disk: they are
    users' messages) so that showing the same sentences again embeds only the new ones."""

    def __init__(
        self,
        embed: Callable[[Sequence[str]], Matrix | None],
        threshold: float = SAME_MEANING,
    ) -> None:
        self.embed = embed
        self.threshold = threshold
        self._vectors: dict[str, Matrix] = {}

    def group(self, texts: Sequence[str]) -> list[list[int]]:
        """Indices of `texts` grouped by meaning (without embeddings: each text alone)."""
        if len(self._vectors) + len(texts) > MAX_REMEMBERED:
            self._vectors.clear()  # a bounded memory: embed these texts afresh
        missing = sorted({text for text in texts if text not in self._vectors})
        if missing:
            vectors = self.embed(missing)
            if vectors is None:
                return [[index] for index in range(len(texts))]
            self._vectors.update(zip(missing, np.asarray(vectors, dtype=np.float32), strict=True))
        if not texts:
            return []
        matrix = np.stack([self._vectors[text] for text in texts])
        return group_by_meaning(matrix, self.threshold)
