"""What every channel gets: the dialogue and the shared services, built once by `bot/app.py`."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from bot.base.i18n import Translator
from bot.base.settings import Settings
from bot.catalog.store import ContentStore
from bot.dialogue.router import Dialogue
from bot.storage import Storage
from nlu import NLUBackend, RetrainingNLU


@dataclass(frozen=True, slots=True)
class Services:
    """Settings, content, NLU, storage, translations, the clock, and the dialogue on them."""

    settings: Settings
    content: ContentStore
    nlu: NLUBackend
    storage: Storage
    translator: Translator
    now: Callable[[], datetime]
    dialogue: Dialogue

    def retrain_if_changed(self) -> None:
        """Start retraining the embedded engine in the background when its training files
        changed (the inbox adds phrasings); it keeps answering meanwhile. The Rasa server is
        trained by `make rasa`, not by the bot."""
        if isinstance(self.nlu, RetrainingNLU):
            self.nlu.retrain_if_changed()
