"""Builders for the inbox tests: a writable copy of the training data (the repository's
nlu/data is never changed), an engine that retrains from it, and the workspace over both."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime
from pathlib import Path

from starlette.applications import Starlette

from bot.app import engine_config
from bot.base.i18n import Translator
from bot.base.settings import Settings
from bot.base.turns import Incoming, Reply
from bot.catalog.store import ContentStore
from bot.dialogue.services import Services
from bot.editorial import Editorial
from bot.storage import Storage
from bot.web.app import create_app
from bot.web.services import WebServices
from bot.web.signing import Signer
from nlu import EmbeddedNLU, RetrainingNLU, training_stamps
from tests.helpers.content import real_content
from tests.helpers.editorial import rules_for
from tests.helpers.project import project_path
from tests.helpers.web import TEST_KEY

# Measured on the real model: not understood (out of scope first), "bike.register" second.
ENGRAVE_SCOOTER = "où faire marquer ma trottinette électrique"
# Not understood either, with a phone number that must never be stored.
NEIGHBOUR_PHONE = "mon voisin m'écrit au 0470 12 34 56 pour la fête de quartier"
NEIGHBOUR_MASKED = "mon voisin m'écrit au <phone> pour la fête de quartier"
# One question in two languages (cosine 0.93 with the real embeddings): one group.
WEATHER = (
    "quel temps fera-t-il demain à Namur ?",
    "what will the weather be like in Namur tomorrow?",
)


def training_copy(folder: Path) -> Path:
    """A copy of nlu/data (and the shipped embeddings beside it: only new sentences are
    embedded when retraining); returns the copy's data folder."""
    root = folder / "nlu"
    shutil.copytree(project_path("nlu", "data"), root / "data")
    shutil.copy(project_path("nlu", "embeddings.npz"), root / "embeddings.npz")
    return root / "data"


def learning_settings(settings: Settings, folder: Path) -> Settings:
    """The settings with the training data in a writable copy under `folder`."""
    return replace(settings, nlu_data_dir=training_copy(folder))


def retraining_nlu(trained: EmbeddedNLU, settings: Settings, cache: Path) -> RetrainingNLU:
    """An engine serving `trained` (the session's model of the same data) that retrains from
    the settings' data folder into `cache` (never the project's cache: it keeps one model)."""
    config = replace(engine_config(settings), data_dir=settings.nlu_data_dir, cache_dir=cache)
    return RetrainingNLU(trained, config, training_stamps(settings.nlu_data_dir))


def inbox_app(
    settings: Settings, storage: Storage, now: Callable[[], datetime], nlu: RetrainingNLU | None
) -> Starlette:
    """The workspace with its own retraining engine, on the test's storage."""
    content = ContentStore(settings.content_dir, real_content())
    translator = Translator(settings.languages)
    services = WebServices(settings, storage, content, translator, now, Signer(TEST_KEY), nlu)
    app = create_app(services)
    rules = rules_for(settings, settings.content_dir)
    app.state.editorial = Editorial(storage, content, settings, now, rules)
    return app


async def ask(services: Services, text: str, chat_id: int = 7) -> tuple[Reply, ...]:
    """One message through the real dialogue."""
    return await services.dialogue.process(chat_id, Incoming(text=text))


async def retrained(nlu: RetrainingNLU) -> bool:
    """Start (or join) the retrain the changed files call for and wait until it serves."""
    task = nlu.retrain_if_changed()
    if task is None:
        # Nothing to start: a message (the local chat checks before each) may have started
        # the retrain, and it may already serve. It must have happened, though.
        assert nlu.generation > 0, "the training files did not change"
        return True
    return await task
