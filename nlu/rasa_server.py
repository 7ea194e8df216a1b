"""The Rasa backend: ask a Rasa server (`POST /model/parse`), fall back to the embedded engine."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

import httpx

from nlu.decision import MAX_STORY_CHARS, decide_in_scope
from nlu.emergency import is_emergency_told
from nlu.engine import NLUBackend, clean_input
from nlu.errors import BackendUnavailableError
from nlu.fallback import FallbackPolicy
from nlu.types import EMERGENCY_INTENT, OUT_OF_SCOPE_INTENT, IntentScore, Parse

logger = logging.getLogger(__name__)
RASA_FALLBACK_INTENT = "nlu_fallback"
# Rasa's own FallbackClassifier decides when it is unsure (nlu_fallback): ours accepts the rest.
_ACCEPT_ALL = FallbackPolicy(threshold=0.0, margin=0.0)


class RasaServerNLU:
    """Parse through a Rasa 3 server; on any failure log it and use `fallback` instead."""

    def __init__(
        self,
        url: str,
        timeout_seconds: float,
        fallback: NLUBackend,
        client: httpx.AsyncClient | None = None,
        detect_language: Callable[[str, str | None], str] | None = None,
        second_opinion: NLUBackend | None = None,
    ) -> None:
        self.url = url.rstrip("/")
        self.fallback = fallback
        self.detect_language = detect_language
        # Asked when Rasa sees no emergency: DIET misses crimes told as stories that the
        # embedded classifier recognises (emergency recall 75-92 % alone on the scope sets).
        self.second_opinion = second_opinion
        self._client = client or httpx.AsyncClient(timeout=timeout_seconds)

    async def parse(self, text: str, language_hint: str | None = None) -> Parse:
        """Ask the server; if it is down or answers badly, the embedded engine answers."""
        try:
            intent, confidence, ranking = await self.parse_remote(text)
        except BackendUnavailableError as exc:
            logger.warning("Rasa server unavailable, using the embedded engine: %s", exc)
            return await self.fallback.parse(text, language_hint)
        # Language identification stays local: Rasa has no notion of the message's language.
        if self.detect_language is not None:
            language = self.detect_language(text, language_hint)
        else:
            language = (await self.fallback.parse(text, language_hint)).language
        clean = clean_input(text)
        if not clean:
            return Parse(text, language, OUT_OF_SCOPE_INTENT, 0.0, (), fallback=True)
        if is_emergency_told(clean_input(text, MAX_STORY_CHARS)):
            # Recall first: the rule layer overrides the model, as in the embedded engine.
            ranking = (
                IntentScore(EMERGENCY_INTENT, 1.0),
                *(score for score in ranking if score.intent != EMERGENCY_INTENT),
            )
            return Parse(text, language, EMERGENCY_INTENT, 1.0, ranking)
        if intent == RASA_FALLBACK_INTENT:
            ranking = (IntentScore(OUT_OF_SCOPE_INTENT, confidence), *ranking)
        elif not ranking or ranking[0].intent != intent:
            ranking = (IntentScore(intent, confidence), *ranking)
        # The same scope rules as the embedded engine: noise, questions about the bot, another
        # country, an insult, a hypothetical the model took for an emergency.
        parse = decide_in_scope(text, clean, language, ranking, _ACCEPT_ALL)
        if parse.intent != EMERGENCY_INTENT and self.second_opinion is not None:
            other = await self.second_opinion.parse(text, language_hint)
            if other.intent == EMERGENCY_INTENT:
                # Recall first: either model suspecting a crime in progress is enough.
                return Parse(text, language, EMERGENCY_INTENT, other.confidence, other.ranking)
        return parse

    async def parse_remote(self, text: str) -> tuple[str, float, tuple[IntentScore, ...]]:
        """The raw answer of the Rasa server: intent, confidence and ranking."""
        try:
            response = await self._client.post(f"{self.url}/model/parse", json={"text": text})
            response.raise_for_status()
            body: Any = response.json()
        except (httpx.HTTPError, ValueError) as exc:
            raise BackendUnavailableError(f"{self.url}: {exc!r}") from exc
        try:
            intent = body["intent"]
            if intent is None:
                # Rasa answers `"intent": null` for an empty message: nothing understood.
                return RASA_FALLBACK_INTENT, 0.0, ()
            ranking = tuple(
                IntentScore(str(item["name"]), float(item["confidence"]))
                for item in body.get("intent_ranking", [])
                if item.get("name") != RASA_FALLBACK_INTENT
            )
            return str(intent["name"]), float(intent["confidence"]), ranking
        except (KeyError, TypeError, ValueError) as exc:
            raise BackendUnavailableError(f"{self.url}: unexpected answer {body!r:.200}") from exc

    async def aclose(self) -> None:
        """Close the HTTP client."""
        await self._client.aclose()
