"""What a reminder pass needs and reports: the services, the options, the report, the limits."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Final, Protocol

from bot.base.i18n import Translator
from bot.base.settings import Settings
from bot.catalog.schedule import QuietHours
from bot.catalog.store import ContentStore
from bot.reminders.ratelimit import TokenBucket
from bot.storage import Storage

DEFAULT_CONCURRENCY: Final = 8  # also the most messages a worker's crash can leave ambiguous
QUIET: Final = "quiet hours"


class ReminderServices(Protocol):
    """What a pass needs; the dialogue services have it, and so does the CLI bundle."""

    @property
    def settings(self) -> Settings:
        """The settings."""

    @property
    def content(self) -> ContentStore:
        """The content being served: the calendar and the places."""

    @property
    def storage(self) -> Storage:
        """The open database."""

    @property
    def translator(self) -> Translator:
        """Interface texts per language."""

    @property
    def now(self) -> Callable[[], datetime]:
        """The clock (time-zone aware)."""


@dataclass(frozen=True, slots=True)
class DeliveryOptions:
    """How a pass sends: parallel senders, batch size, retries, claims and progress period."""

    concurrency: int = DEFAULT_CONCURRENCY
    batch_size: int = 200
    max_attempts: int = 5
    # How long a claim on a batch holds without renewal: after a crash, its rows wait this long.
    claim_seconds: float = 120.0
    progress_seconds: float = 30.0
    keep_days: int = 90


@dataclass(slots=True)
class PassReport:
    """What one pass did; `pending` is what is left for a later pass."""

    planned: int = 0
    sent: int = 0
    failed: int = 0
    forbidden: int = 0
    moved: int = 0
    skipped: int = 0
    expired: int = 0
    retried: int = 0
    deferred: int = 0
    reaped: int = 0  # rows freed from the expired claims of a stopped worker
    pending: int = 0
    stopped: str = ""
    counts: dict[str, int] = field(default_factory=dict)


def quiet_hours(settings: Settings) -> QuietHours:
    """The configured quiet hours."""
    return QuietHours(settings.reminders.quiet_start, settings.reminders.quiet_end)


def sending_rate(settings: Settings) -> float:
    """Reminders a second: Telegram allows about 30 for free, up to 1,000 paid (in Stars) when
    `reminders.paid_broadcast` is on."""
    reminders = settings.reminders
    if reminders.paid_broadcast:
        return reminders.paid_messages_per_second
    return reminders.messages_per_second


def limiter_for(settings: Settings) -> TokenBucket:
    """The broadcast limit from the settings (see `sending_rate`)."""
    return TokenBucket(sending_rate(settings))
