"""What every page gets: settings, storage, content, translations, the clock, the cookie key."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from bot.base.i18n import Translator
from bot.base.settings import Settings
from bot.catalog.store import ContentStore
from bot.storage import Storage
from bot.web.signing import Signer
from nlu import RetrainingNLU


@dataclass(frozen=True)
class WebServices:
    """The workspace's services, built once by `build_web_services` (tests build their own)."""

    settings: Settings
    storage: Storage
    content: ContentStore
    translator: Translator
    now: Callable[[], datetime]
    signer: Signer
    # The embedded engine: the inbox groups questions and shows what the bot now answers.
    nlu: RetrainingNLU | None = None
