"""Language identification on short messages, restricted to fr, nl, de and en."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final

from lingua import Language, LanguageDetector, LanguageDetectorBuilder

from nlu.emergency import normalise

LINGUA_CODES: Final = {
    Language.FRENCH: "fr",
    Language.DUTCH: "nl",
    Language.GERMAN: "de",
    Language.ENGLISH: "en",
}
# Measured (research/nlu-findings.md): at >= 0.7 lingua kept most messages at 99 % accuracy.
CONFIDENT: Final = 0.7
MIN_WORDS: Final = 2
SHORT: Final = 3
# Short chit-chat no detector labels reliably, written one way in one language only
# ("merci", "hallo", "ok" and "bye" are used in several: the user's language decides those).
SHORT_PHRASES: Final[dict[str, tuple[str, ...]]] = {
    "fr": ("bonjour", "bonsoir", "salut", "coucou", "au revoir", "merci beaucoup", "aidez moi"),
    "nl": ("goeiedag", "goedemorgen", "hoi", "dank u", "dank je", "dankjewel", "dank u wel",
           "bedankt", "tot ziens", "doei", "help mij"),
    "de": ("guten tag", "guten morgen", "servus", "moin", "danke", "danke schon", "vielen dank",
           "tschuss", "auf wiedersehen", "hilf mir"),
    "en": ("hello", "good morning", "hi there", "thanks", "thank you", "cheers", "goodbye",
           "see you", "help me"),
}  # fmt: skip
_LEXICON: Final = {phrase: lang for lang, phrases in SHORT_PHRASES.items() for phrase in phrases}
_WORD_RE: Final = re.compile(r"[^\W\d_]{2,}")


@dataclass(frozen=True, slots=True)
class Detection:
    """The detected language, the confidence, and whether it overrides the user's own."""

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
        if hint is None and len(words) <= SHORT:
            known = _LEXICON.get(normalise(" ".join(words)))
            if known is not None:
                return Detection(known, 1.0, True)
        values = self._detector.compute_language_confidence_values(" ".join(words)[:500])
        best = values[0]
        code = LINGUA_CODES[best.language]
        confident = len(words) >= MIN_WORDS and best.value >= CONFIDENT
        if confident or hint is None:
            return Detection(code, best.value, confident)
        return Detection(fallback or default, best.value, False)
