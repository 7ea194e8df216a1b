"""Frozen value types for training examples and predictions."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Final

EMERGENCY_INTENT: Final = "emergency_now"
OUT_OF_SCOPE_INTENT: Final = "out_of_scope"
# What is not ours to answer, each kind with its own reply (issue 14).
NOISE_INTENT: Final = "noise"
ABUSE_INTENT: Final = "abuse"
BOT_IDENTITY_INTENT: Final = "bot_identity"
OTHER_COUNTRY_INTENT: Final = "other_country"
# Near-scope questions referred to another official service: "referral.<id>".
REFERRAL_PREFIX: Final = "referral."
SCOPE_INTENTS: Final = (
    OUT_OF_SCOPE_INTENT,
    NOISE_INTENT,
    ABUSE_INTENT,
    BOT_IDENTITY_INTENT,
    OTHER_COUNTRY_INTENT,
)
ACTION_INTENTS: Final = (
    "greet",
    "goodbye",
    "thanks",
    "help",
    "subscribe",
    "unsubscribe",
    "change_language",
    "my_data",
    EMERGENCY_INTENT,
    *SCOPE_INTENTS,
)


def is_rejection(intent: str) -> bool:
    """Not answered with a topic or an action: out of scope of any kind, or a referral."""
    return intent in SCOPE_INTENTS or intent.startswith(REFERRAL_PREFIX)


def is_topic(intent: str) -> bool:
    """A topic of the catalog: neither an action, an emergency nor a rejection."""
    return intent not in ACTION_INTENTS and not is_rejection(intent)


@dataclass(frozen=True, slots=True)
class Example:
    """One training sentence with its intent, language and where it came from."""

    text: str
    intent: str
    language: str
    source: str = ""
    line: int = 0


@dataclass(frozen=True, slots=True)
class LookupTable:
    """A named list of terms (Rasa's `lookup:` block)."""

    name: str
    elements: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class TrainingData:
    """Everything read from the Rasa-format files."""

    examples: tuple[Example, ...]
    lookups: tuple[LookupTable, ...] = ()
    problems: tuple[str, ...] = ()

    @property
    def intents(self) -> frozenset[str]:
        """The intent ids that have at least one example."""
        return frozenset(example.intent for example in self.examples)


@dataclass(frozen=True, slots=True)
class IntentScore:
    """One intent with its confidence in [0, 1]."""

    intent: str
    confidence: float


@dataclass(frozen=True, slots=True)
class Parse:
    """The understanding of one message: the chosen intent, its confidence and the ranking."""

    text: str
    language: str
    intent: str
    confidence: float
    ranking: tuple[IntentScore, ...] = field(default_factory=tuple)
    fallback: bool = False

    def to_json(self) -> dict[str, object]:
        """The stable JSON shape of `preventbot nlu parse`."""
        return {
            "text": self.text,
            "lang": self.language,
            "intent": self.intent,
            "confidence": round(self.confidence, 4),
            "ranking": [
                {"intent": score.intent, "confidence": round(score.confidence, 4)}
                for score in self.ranking
            ],
        }
