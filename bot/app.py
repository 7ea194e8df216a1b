"""The composition root: builds storage, content, NLU and the dialogue with its flows, in order."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import datetime

from bot.base.i18n import Translator
from bot.base.settings import Settings
from bot.catalog.store import ContentStore
from bot.dialogue.flows.answers import AnswersFlow
from bot.dialogue.flows.basics import BasicsFlow
from bot.dialogue.flows.privacy import PrivacyFlow
from bot.dialogue.flows.reload import ReloadFlow
from bot.dialogue.flows.scope import ScopeFlow
from bot.dialogue.registry import FlowRegistry
from bot.dialogue.router import Dialogue
from bot.dialogue.services import Services
from bot.gaps.recorder import GapRecorder
from bot.reminders.announce import AnnounceFlow
from bot.reminders.subscriptions import SubscriptionsFlow
from bot.staff.flow import SigninFlow
from bot.storage import Storage
from nlu import EmbeddedNLU, EngineConfig, NLUBackend, RasaServerNLU, RetrainingNLU


def engine_config(settings: Settings) -> EngineConfig:
    """The embedded engine's settings from the bot's; unset thresholds keep the library's."""
    config = EngineConfig(
        data_dir=settings.nlu_data_dir,
        cache_dir=settings.nlu.model_cache_dir,
        default_language=settings.default_language,
    )
    if settings.nlu.threshold is not None:
        config = replace(config, threshold=settings.nlu.threshold)
    if settings.nlu.ambiguity_margin is not None:
        config = replace(config, ambiguity_margin=settings.nlu.ambiguity_margin)
    return config


def build_nlu(settings: Settings) -> NLUBackend:
    """The configured NLU backend; the embedded engine is the default, and it retrains itself
    when the training files change (`Services.retrain_if_changed`, polled by the channels)."""
    if settings.nlu.backend != "rasa":
        return RetrainingNLU.from_config(engine_config(settings))
    embedded = EmbeddedNLU.from_config(engine_config(settings))
    return RasaServerNLU(
        settings.nlu.rasa_url,
        settings.nlu.rasa_timeout_seconds,
        fallback=embedded,
        detect_language=embedded.detect_language,
        second_opinion=embedded,
    )


def register_flows(
    settings: Settings, content: ContentStore, storage: Storage, translator: Translator
) -> FlowRegistry:
    """Every feature of the dialogue, in order: the order of the command menus and deep links."""
    registry = FlowRegistry()
    subscriptions = storage.subscriptions
    registry.include(
        BasicsFlow(
            content,
            translator,
            settings.languages,
            deep_links=registry.start,
        ),
        # Note: order matters for /start: topic deep links before the reminder ones (sub-).
        AnswersFlow(content, GapRecorder(storage)),
        # Noise, abuse, "are you a bot?", other countries: each its own reply, never a gap.
        ScopeFlow(content),
        SubscriptionsFlow(content, subscriptions, storage, translator, settings.reminders),
        PrivacyFlow(storage, translator, settings.gaps_retention_days, describe=registry.describe),
        AnnounceFlow(
            content, subscriptions, storage.drafts, storage.deliveries, storage, settings
        ),
        ReloadFlow(content),
        # Staff of the prevention services: sign-in links to the workspace (bot/web/).
        SigninFlow(storage.staff, settings.web.public_url),
    )
    return registry


def assemble(
    settings: Settings,
    content: ContentStore,
    nlu: NLUBackend,
    storage: Storage,
    now: Callable[[], datetime],
    translator: Translator | None = None,
) -> Services:
    """The services and the dialogue over already opened parts (tests pass their own)."""
    translator = translator or Translator(settings.languages)
    flows = register_flows(settings, content, storage, translator)
    dialogue = Dialogue(flows, nlu, storage, translator, settings, now)
    return Services(settings, content, nlu, storage, translator, now, dialogue)


async def build_services(
    settings: Settings,
    now: Callable[[], datetime] | None = None,
    nlu: NLUBackend | None = None,
) -> Services:
    """Open storage, load content and NLU; the caller closes `services.storage`."""
    clock = now or (lambda: datetime.now(settings.timezone))
    content = ContentStore.load(settings.content_dir)
    backend = nlu or build_nlu(settings)
    storage = await Storage.open(settings.database)
    return assemble(settings, content, backend, storage, clock)
