"""An engine that retrains itself in the background when its training files change.

The files are fingerprinted (path, modification time, size) as the bot's content store does:
polling costs a directory listing. Training runs in a worker thread while the current engine
keeps answering; when it is done, one assignment swaps the engine in, so a message is parsed
wholly by the old model or wholly by the new one. A broken training file is logged and the
current model stays, as a broken content edit does.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Sequence
from pathlib import Path

from nlu.embedding import Matrix
from nlu.engine import EmbeddedNLU, EngineConfig
from nlu.errors import NLUError
from nlu.types import Parse

logger = logging.getLogger(__name__)
Stamps = tuple[tuple[str, int, int], ...]


def training_stamps(data_dir: Path) -> Stamps:
    """A cheap fingerprint of the training files: each `<lang>/*.yml` with its time and size."""
    stamps = []
    for path in sorted(data_dir.glob("*/*.yml")):
        try:
            stat = path.stat()
        except OSError:
            continue  # removed while listing: the next poll sees the folder as it is then
        stamps.append((str(path), stat.st_mtime_ns, stat.st_size))
    return tuple(stamps)


class RetrainingNLU:
    """Serves an `EmbeddedNLU` and replaces it by one trained on the changed files."""

    def __init__(
        self, engine: EmbeddedNLU, config: EngineConfig, stamps: Stamps | None = None
    ) -> None:
        """`stamps`: the files' fingerprint taken before `engine` read them (default: now)."""
        self.config = config
        self._stamps = training_stamps(config.data_dir) if stamps is None else stamps
        self._engine = engine
        self._task: asyncio.Task[bool] | None = None
        self.generation = 0  # how many retrains were swapped in
        self.last_seconds: float | None = None  # how long the last retrain took

    @classmethod
    def from_config(cls, config: EngineConfig) -> RetrainingNLU:
        """Load (or train) the engine for the files as they are now."""
        stamps = training_stamps(config.data_dir)  # first: an edit made meanwhile is seen next
        return cls(EmbeddedNLU.from_config(config), config, stamps)

    @property
    def engine(self) -> EmbeddedNLU:
        """The engine serving now."""
        return self._engine

    @property
    def training(self) -> bool:
        """Whether a retrain is running."""
        return self._task is not None and not self._task.done()

    async def parse(self, text: str, language_hint: str | None = None) -> Parse:
        """Understand one message with the engine serving now."""
        return await self._engine.parse(text, language_hint)

    def parse_sync(self, text: str, language_hint: str | None = None) -> Parse:
        """The synchronous parse, for the CLI and benchmarks."""
        return self._engine.parse_sync(text, language_hint)

    def detect_language(self, text: str, language_hint: str | None = None) -> str:
        """The message's language (see `EmbeddedNLU.detect_language`)."""
        return self._engine.detect_language(text, language_hint)

    def embed(self, texts: Sequence[str]) -> Matrix | None:
        """Sentence embeddings of messages (see `EmbeddedNLU.embed`)."""
        return self._engine.embed(texts)

    def changed(self) -> bool:
        """Whether the training files differ from those of the serving model."""
        return training_stamps(self.config.data_dir) != self._stamps

    def retrain_if_changed(self) -> asyncio.Task[bool] | None:
        """Start retraining in the background when the files changed; the running task if one
        is running (await it to know when the new model serves), else None."""
        if self.training:
            return self._task
        stamps = training_stamps(self.config.data_dir)
        if stamps == self._stamps:
            return None
        self._task = asyncio.create_task(self._retrain(stamps), name="nlu:retrain")
        return self._task

    async def _retrain(self, stamps: Stamps) -> bool:
        started = time.perf_counter()
        try:
            engine = await asyncio.to_thread(self._engine.retrained, self.config)
        except NLUError as exc:
            logger.warning("Training data rejected, the current model keeps serving: %s", exc)
            self._stamps = stamps  # not again until the files change again
            return False
        except Exception:
            # A background task: whatever failed, the bot keeps answering with its model.
            logger.exception("Retraining failed, the current model keeps serving")
            self._stamps = stamps
            return False
        self._engine, self._stamps = engine, stamps  # the swap: one reference each
        self.generation += 1
        self.last_seconds = time.perf_counter() - started
        logger.info("Retrained the intent model in %.1f s; it serves now", self.last_seconds)
        return True
