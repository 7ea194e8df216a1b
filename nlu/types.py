"""Frozen value types for training examples and predictions."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Final

EMERGENCY_INTENT: Final = "emergency_now"
OUT_OF_SCOPE_INTENT: Final = "out_of_scope"
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
    OUT_OF_SCOPE_INTENT,
)


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
