"""Decide when the classifier is unsure: a threshold and an ambiguity margin."""

from __future__ import annotations

from dataclasses import dataclass

from nlu.types import IntentScore


@dataclass(frozen=True, slots=True)
class FallbackPolicy:
    """Reject a prediction below `threshold` or when the runner-up is within `margin`."""

    threshold: float = 0.25
    margin: float = 0.0

    def is_unsure(self, ranking: tuple[IntentScore, ...]) -> bool:
        """True when the top intent should not be trusted."""
        if not ranking:
            return True
        top = ranking[0].confidence
        if top < self.threshold:
            return True
        return len(ranking) > 1 and top - ranking[1].confidence < self.margin
