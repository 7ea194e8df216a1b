"""The turn types every layer shares: what a user sent, what the bot answers, the user's state."""

from __future__ import annotations

import html
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Final

from bot.base.i18n import Gettext

MAX_CALLBACK_BYTES: Final = 64  # Telegram's limit for a button's callback data


@dataclass(frozen=True, slots=True)
class Incoming:
    """What the user sent: a text (or command), or a button's callback data."""

    text: str | None = None
    callback: str | None = None
    language_code: str | None = None


@dataclass(frozen=True, slots=True)
class Button:
    """An inline button: what it says and the callback data it sends back."""

    label: str
    data: str


@dataclass(frozen=True, slots=True)
class Reply:
    """One message: HTML-safe text (only <b>, <i>, <a>, <pre> tags) and rows of buttons."""

    text: str
    buttons: tuple[tuple[Button, ...], ...] = field(default_factory=tuple)


@dataclass(frozen=True, slots=True)
class UserRecord:
    """What is stored about one chat: its language, the pending step, whether it is reachable."""

    chat_id: int
    language: str | None = None
    pending: str | None = None
    active: bool = True
    created_at: datetime | None = None


# What a turn came to, counted per day for the workspace's dashboard (no chat id, no text).
ANSWERED: Final = "answered"  # a question answered with a topic
UNANSWERED: Final = "unanswered"  # a question the bot could not answer (the unsure menu)
EMERGENCY: Final = "emergency"  # a crime in progress: the emergency numbers
OTHER: Final = "other"  # another understood message: hello, thanks, subscribe... (its intent)
OPENED: Final = "opened"  # a topic opened with a button (menu, related topic, guess) or a link
# The outcomes of a question typed in free text (OPENED is a button or a link).
QUESTION_OUTCOMES: Final = (ANSWERED, UNANSWERED, EMERGENCY, OTHER)


@dataclass(frozen=True, slots=True)
class Usage:
    """One anonymous count: a turn's language, its topic (or intent; "" for none), its outcome."""

    language: str
    topic: str
    outcome: str


@dataclass(frozen=True, slots=True)
class Outcome:
    """The replies to send, in order, and the user's new state (None: the user was forgotten),
    and what the turn counts as in the usage statistics (None: it is not counted)."""

    replies: tuple[Reply, ...]
    user: UserRecord | None
    usage: Usage | None = None

    def counted(self, usage: Usage) -> Outcome:
        """The same outcome, counted as `usage`."""
        return replace(self, usage=usage)


@dataclass(frozen=True, slots=True)
class Understood:
    """What the NLU made of a message: the intent, the text, and its ranked guesses."""

    intent: str
    text: str
    guesses: tuple[tuple[str, float], ...] = ()


@dataclass(frozen=True, slots=True)
class Turn:
    """One input being handled: who sent it, in which language, when, and their gettext."""

    user: UserRecord
    language: str
    now: datetime
    gettext: Gettext
    is_admin: bool = False
    language_code: str | None = None

    def reply(self, *replies: Reply) -> Outcome:
        """Answer without changing the user's state."""
        return Outcome(replies, self.user)

    def done(self, *replies: Reply) -> Outcome:
        """Answer and end any pending step."""
        return Outcome(replies, replace(self.user, pending=None))

    def usage(self, outcome: str, topic: str = "") -> Usage:
        """A usage count of this turn, in its language."""
        return Usage(self.language, topic, outcome)

    def step(self, name: str | None, *replies: Reply) -> Outcome:
        """Answer and wait for the user's next text as step `name` (None: no step)."""
        return Outcome(replies, replace(self.user, pending=name))


def esc(text: str) -> str:
    """Escape text for Telegram's HTML parse mode."""
    return html.escape(text, quote=False)


def link(url: str) -> str:
    """A safe HTML link whose visible text is the address itself."""
    return f'<a href="{html.escape(url, quote=True)}">{esc(url)}</a>'


def rows(buttons: list[Button], per_row: int = 1) -> tuple[tuple[Button, ...], ...]:
    """Arrange buttons in rows of `per_row`."""
    return tuple(tuple(buttons[i : i + per_row]) for i in range(0, len(buttons), per_row))
