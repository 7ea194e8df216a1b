"""What a feature declares to plug into the dialogue: its commands, buttons, steps and intents.

Features subclass `Flow` and are registered, in order, by the composition root (`bot/app.py`);
the dialogue routes to them through tables built from these declarations, as aiogram's routers
and PTB's handler groups do. No flow knows another's commands, buttons or steps.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from bot.base.turns import Outcome, Turn, Understood


@dataclass(frozen=True, slots=True)
class Command:
    """A slash command: its name, its menu description (an English msgid), who may use it."""

    name: str
    description: str
    admin: bool = False  # prevention-service admins only (PREVENTBOT_ADMINS)
    menu: bool = True  # listed in the channel's command menu


class Flow:
    """A feature in the dialogue; the router calls a hook only for what the flow declared."""

    name: ClassVar[str] = "flow"
    commands: ClassVar[tuple[Command, ...]] = ()
    callbacks: ClassVar[tuple[str, ...]] = ()  # callback-data prefixes, e.g. "sub:"
    steps: ClassVar[tuple[str, ...]] = ()  # users.pending prefixes, e.g. "subscribe"
    intents: ClassVar[tuple[str, ...]] = ()  # NLU intents it answers
    # In a group, only the group's administrators may use its commands and buttons.
    manages_chat: ClassVar[bool] = False

    async def on_command(self, turn: Turn, command: str, argument: str) -> Outcome:
        """One of the declared commands, with the rest of the line as `argument`."""
        raise NotImplementedError(f"{self.name} declares /{command} but does not handle it")

    async def on_button(self, turn: Turn, data: str) -> Outcome | None:
        """A button with one of the declared prefixes; None when its data is stale or forged."""
        raise NotImplementedError(f"{self.name} declares {data!r} but does not handle it")

    async def on_step(self, turn: Turn, text: str) -> Outcome:
        """A text answering one of the flow's pending steps (`turn.user.pending`)."""
        raise NotImplementedError(f"{self.name} declares a step but does not handle it")

    async def on_intent(self, turn: Turn, understood: Understood) -> Outcome:
        """A message the NLU understood as one of the declared intents."""
        raise NotImplementedError(f"{self.name} declares {understood.intent!r}, not handled")

    async def on_start(self, turn: Turn, payload: str) -> Outcome | None:
        """A /start deep link; None when the payload is not this flow's."""
        return None

    async def describe(self, turn: Turn) -> list[str]:
        """Lines for /mydata about what this flow stores for the user."""
        return []
