"""The typed context every Telegram callback receives: services as properties, not dict keys."""

from __future__ import annotations

from typing import Any

from telegram.ext import CallbackContext, ExtBot

from bot.channels.telegram.flood import FloodGuard, SharedFloodGuard
from bot.channels.telegram.replicas import Shared
from bot.dialogue.router import Dialogue
from bot.dialogue.services import Services


class BotData:
    """The application-wide state (PTB's bot_data): the services and what is built on them."""

    def __init__(self) -> None:
        self._services: Services | None = None
        self._dialogue: Dialogue | None = None
        self._flood: FloodGuard | SharedFloodGuard | None = None
        # Set when this process is one of several replicas sharing the database.
        self.shared: Shared | None = None
        # The content problems last sent to the admins, so a broken state is reported once.
        self.reported_problems: tuple[str, ...] = ()

    def attach(self, services: Services) -> None:
        """Plug in the services (done in post_init, once the event loop runs)."""
        telegram = services.settings.telegram
        self._services = services
        self._dialogue = services.dialogue
        self._flood = FloodGuard(telegram.flood_max_messages, telegram.flood_window_seconds)

    def share(self, shared: Shared) -> None:
        """Use the state shared with the other replicas (after `attach`)."""
        self.shared = shared
        self._flood = shared.flood

    @property
    def attached(self) -> bool:
        """True once post_init has attached the services."""
        return self._services is not None

    @property
    def services(self) -> Services:
        """Storage, content, NLU, translations and settings."""
        if self._services is None:
            raise RuntimeError("services are not attached yet: post_init has not run")
        return self._services

    @property
    def dialogue(self) -> Dialogue:
        """The channel-independent conversation core."""
        if self._dialogue is None:
            raise RuntimeError("services are not attached yet: post_init has not run")
        return self._dialogue

    @property
    def flood(self) -> FloodGuard | SharedFloodGuard:
        """The per-user flood limit."""
        if self._flood is None:
            raise RuntimeError("services are not attached yet: post_init has not run")
        return self._flood


class BotContext(CallbackContext[ExtBot[Any], dict[Any, Any], dict[Any, Any], BotData]):
    """PTB's callback context with the bot's services as typed properties."""

    @property
    def services(self) -> Services:
        """Storage, content, NLU, translations and settings."""
        return self.bot_data.services

    @property
    def dialogue(self) -> Dialogue:
        """The channel-independent conversation core."""
        return self.bot_data.dialogue

    @property
    def flood(self) -> FloodGuard | SharedFloodGuard:
        """The per-user flood limit."""
        return self.bot_data.flood
