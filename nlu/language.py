"""Language identification on short messages, restricted to fr, nl, de and en."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final

from lingua import Language, LanguageDetector, LanguageDetectorBuilder

LINGUA_CODES: Final = {
    Language.FRENCH: "fr",
    Language.DUTCH: "nl",
    Language.GERMAN: "de",
    Language.ENGLISH: "en",
}
# Measured (research/nlu-findings.md): at >= 0.7 lingua kept most messages at 99 % accuracy.
CONFIDENT: Final = 0.7
MIN_WORDS: Final = 2
_WORD_RE: Final = re.compile(r"[^\W\d_]{2,}")


@dataclass(frozen=True, slots=True)
class Detection:
    """The detected language, lingua's confidence, and whether it overrides the user's own."""

    language: str
    confidence: float
    confident: bool


class LanguageIdentifier:
    """Lingua, preloaded, high accuracy, four languages; the hint wins on short or unclear text."""

    def __init__(self, detector: LanguageDetector | None = None) -> None:
        self._detector = detector or (
            LanguageDetectorBuilder.from_languages(*LINGUA_CODES)
            .with_preloaded_language_models()
            .build()
        )

    def detect(self, text: str, hint: str | None = None, default: str = "fr") -> Detection:
        """Detect the language of `text`; fall back to `hint`, then `default`, when unsure."""
        fallback = hint if hint in LINGUA_CODES.values() else default
        words = _WORD_RE.findall(text)
        if not words:
            return Detection(fallback or default, 0.0, False)
        values = self._detector.compute_language_confidence_values(" ".join(words)[:500])
        best = values[0]
        code = LINGUA_CODES[best.language]
        confident = len(words) >= MIN_WORDS and best.value >= CONFIDENT
        if confident or hint is None:
            return Detection(code, best.value, confident)
        return Detection(fallback or default, best.value, False)
