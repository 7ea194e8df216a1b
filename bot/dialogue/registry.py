"""The flows, registered in order, and the tables that route commands, buttons, steps, intents."""

from __future__ import annotations

from typing import TypeVar

from bot.base.flows import Command, Flow
from bot.base.turns import Outcome, Turn

K = TypeVar("K")
V = TypeVar("V")
ANY_INTENT = "*"  # declared by the flow that answers every intent no other flow claims


class RegistryError(ValueError):
    """Two flows claim the same command, button prefix, step or intent."""


class FlowRegistry:
    """Which flow handles an input; flows are included in order, clashes refused at once."""

    def __init__(self) -> None:
        self.flows: list[Flow] = []
        self._commands: dict[str, tuple[Flow, Command]] = {}
        self._intents: dict[str, Flow] = {}
        self._callbacks: list[tuple[str, Flow]] = []
        self._steps: list[tuple[str, Flow]] = []

    def include(self, *flows: Flow) -> FlowRegistry:
        """Add flows after those already included (as aiogram's `include_routers`)."""
        for flow in flows:
            for command in flow.commands:
                _claim(self._commands, command.name, (flow, command), f"/{command.name}")
            for intent in flow.intents:
                _claim(self._intents, intent, flow, f"intent {intent!r}")
            for prefix in flow.callbacks:
                _claim(dict(self._callbacks), prefix, flow, f"button {prefix!r}")
                self._callbacks.append((prefix, flow))
            for step in flow.steps:
                _claim(dict(self._steps), step, flow, f"step {step!r}")
                self._steps.append((step, flow))
            self.flows.append(flow)
        # Longest first, so that "subpick:" is never taken for "sub:".
        self._callbacks.sort(key=lambda item: -len(item[0]))
        self._steps.sort(key=lambda item: -len(item[0]))
        return self

    def command(self, name: str) -> tuple[Flow, Command] | None:
        """The flow and declaration of a command, by its name without the slash."""
        return self._commands.get(name)

    def commands(self) -> tuple[Command, ...]:
        """Every command in registration order (for the channel's command menu)."""
        return tuple(command for _flow, command in self._commands.values())

    def button(self, data: str) -> Flow | None:
        """The flow whose prefix `data` starts with ("menu" without a colon must match whole)."""
        for prefix, flow in self._callbacks:
            if data == prefix or (prefix.endswith(":") and data.startswith(prefix)):
                return flow
        return None

    def step(self, pending: str) -> Flow | None:
        """The flow waiting for a pending step, named `step` or `step:detail`."""
        for step, flow in self._steps:
            if pending == step or pending.startswith(step + ":"):
                return flow
        return None

    def intent(self, intent: str) -> Flow | None:
        """The flow that declared an NLU intent, else the one that answers any intent."""
        return self._intents.get(intent) or self._intents.get(ANY_INTENT)

    def manages_chat(self, command: str | None = None, button: str | None = None) -> bool:
        """Whether a command or button changes the whole chat (in a group: its admins only)."""
        found = self._commands.get(command or "")
        flow = found[0] if found else self.button(button) if button else None
        return flow is not None and flow.manages_chat

    async def describe(self, turn: Turn) -> list[str]:
        """Every flow's /mydata lines, in registration order."""
        return [line for flow in self.flows for line in await flow.describe(turn)]

    async def start(self, turn: Turn, payload: str) -> Outcome | None:
        """The first flow that recognises a /start deep link, in registration order."""
        for flow in self.flows:
            outcome = await flow.on_start(turn, payload)
            if outcome is not None:
                return outcome
        return None


def _claim(table: dict[K, V], key: K, value: V, what: str) -> None:
    if key in table:
        raise RegistryError(f"{what} is declared by two flows")
    table[key] = value
