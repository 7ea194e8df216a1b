"""The fallback policy: a threshold and an ambiguity margin, apart from the model."""

from __future__ import annotations

from nlu.engine import decide
from nlu.fallback import FallbackPolicy
from nlu.types import EMERGENCY_INTENT, OUT_OF_SCOPE_INTENT, IntentScore


def ranking(*pairs: tuple[str, float]) -> tuple[IntentScore, ...]:
    return tuple(IntentScore(intent, confidence) for intent, confidence in pairs)


def test_threshold_and_margin() -> None:
    policy = FallbackPolicy(threshold=0.4, margin=0.1)
    assert not policy.is_unsure(ranking(("greet", 0.8), ("thanks", 0.1)))
    assert policy.is_unsure(ranking(("greet", 0.39), ("thanks", 0.1)))
    assert policy.is_unsure(ranking(("greet", 0.5), ("thanks", 0.45)))
    assert not policy.is_unsure(ranking(("greet", 0.5)))
    assert policy.is_unsure(())


def test_zero_margin_only_checks_the_threshold() -> None:
    policy = FallbackPolicy(threshold=0.3, margin=0.0)
    assert not policy.is_unsure(ranking(("greet", 0.35), ("thanks", 0.35)))


def test_unsure_becomes_out_of_scope_with_the_ranking_kept() -> None:
    scores = ranking(("alarm.declare", 0.2), ("camera.declare", 0.15))
    parse = decide("x", "fr", scores, FallbackPolicy(0.3, 0.0))
    assert (parse.intent, parse.fallback) == (OUT_OF_SCOPE_INTENT, True)
    assert parse.ranking == scores
    assert parse.confidence == 0.2


def test_a_confident_out_of_scope_is_a_fallback_too() -> None:
    parse = decide("x", "fr", ranking((OUT_OF_SCOPE_INTENT, 0.9)), FallbackPolicy())
    assert (parse.intent, parse.fallback) == (OUT_OF_SCOPE_INTENT, True)


def test_an_unsure_emergency_is_still_an_emergency() -> None:
    scores = ranking((EMERGENCY_INTENT, 0.2), ("burglary.after_burglary", 0.19))
    parse = decide("x", "fr", scores, FallbackPolicy(0.3, 0.05))
    assert (parse.intent, parse.fallback) == (EMERGENCY_INTENT, False)


def test_a_confident_answer() -> None:
    parse = decide("x", "nl", ranking(("bike.register", 0.7)), FallbackPolicy(0.3, 0.0))
    assert (parse.intent, parse.language, parse.fallback) == ("bike.register", "nl", False)
