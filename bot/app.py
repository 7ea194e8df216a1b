"""Build the services every channel shares: storage, content, NLU, translations."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime

from bot.base.i18n import Translator
from bot.base.settings import Settings
from bot.catalog.store import ContentStore
from bot.dialogue.router import Services
from bot.reminders.subscriptions import build_subscriptions
from bot.storage import Storage
from nlu import EmbeddedNLU, EngineConfig, NLUBackend, RasaServerNLU

logger = logging.getLogger(__name__)


def engine_config(settings: Settings) -> EngineConfig:
    """The embedded engine's settings from the bot's."""
    return EngineConfig(
        data_dir=settings.nlu_data_dir,
        cache_dir=settings.nlu.model_cache_dir,
        threshold=settings.nlu.threshold,
        ambiguity_margin=settings.nlu.ambiguity_margin,
        default_language=settings.default_language,
    )


def build_nlu(settings: Settings) -> NLUBackend:
    """The configured NLU backend; the embedded engine is the default."""
    embedded = EmbeddedNLU.from_config(engine_config(settings))
    if settings.nlu.backend == "rasa":
        return RasaServerNLU(
            settings.nlu.rasa_url,
            settings.nlu.rasa_timeout_seconds,
            fallback=embedded,
            detect_language=embedded.detect_language,
        )
    return embedded


async def build_services(
    settings: Settings,
    now: Callable[[], datetime] | None = None,
    nlu: NLUBackend | None = None,
) -> Services:
    """Open storage, load content and NLU; the caller closes `services.storage`."""
    clock = now or (lambda: datetime.now(settings.timezone))
    content = ContentStore.load(settings.content_dir)
    backend = nlu or build_nlu(settings)
    storage = await Storage.open(settings.db_path)
    services = Services(
        settings=settings,
        content=content,
        nlu=backend,
        storage=storage,
        translator=Translator(settings.languages),
        now=clock,
    )
    attach_features(services)
    return services


def attach_features(services: Services) -> None:
    """Plug the campaign reminders into the dialogue: subscriptions and admin announcements."""
    # Also sets services.admin (bot/announce.py): both share the places and the store.
    services.subscriptions = build_subscriptions(services)
