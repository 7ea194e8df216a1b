"""From a classifier ranking and the scope rules to the final intent of a message.

Order matters: a crime in progress first (the engine checks it before this), then what rules
know for certain (noise, a question about the bot), then the classifier with the fallback
policy, then what rules correct in the classifier's answer (another country named beside one
of our subjects, a message that is only an insult).
"""

from __future__ import annotations

from nlu.emergency import is_past_or_general, normalise
from nlu.fallback import FallbackPolicy
from nlu.scope import asks_about_the_bot, is_generic, is_insult, is_noise, names_other_country
from nlu.types import (
    ABUSE_INTENT,
    BOT_IDENTITY_INTENT,
    EMERGENCY_INTENT,
    NOISE_INTENT,
    OTHER_COUNTRY_INTENT,
    OUT_OF_SCOPE_INTENT,
    IntentScore,
    Parse,
    is_rejection,
    is_topic,
)

# How much of a long message the rules read (the emergency rules read as much).
MAX_STORY_CHARS = 2000
# The share of confidence a specific kind needs, behind "out_of_scope", to be chosen instead.
SPECIFIC_KIND_SHARE = 0.3


def decide(
    text: str, language: str, ranking: tuple[IntentScore, ...], policy: FallbackPolicy
) -> Parse:
    """Apply the fallback policy to a ranking; any out-of-scope kind counts as a fallback."""
    top = ranking[0]
    if top.intent == EMERGENCY_INTENT and is_past_or_general(text) and len(ranking) > 1:
        # "What should I do if I ever hear a burglar?", "thieves were inside yesterday": advice,
        # not help now (the rules, which read the past, already said it is not happening now).
        ranking = tuple(score for score in ranking if score.intent != EMERGENCY_INTENT)
        top = ranking[0]
    if top.intent == EMERGENCY_INTENT:
        # Recall first: a possible crime in progress is never turned into a fallback.
        return Parse(text, language, EMERGENCY_INTENT, top.confidence, ranking)
    if policy.is_unsure(ranking):
        return Parse(text, language, OUT_OF_SCOPE_INTENT, top.confidence, ranking, True)
    return Parse(text, language, top.intent, top.confidence, ranking, is_rejection(top.intent))


def decide_in_scope(
    text: str,
    clean: str,
    language: str,
    ranking: tuple[IntentScore, ...],
    policy: FallbackPolicy,
    question: tuple[str, tuple[IntentScore, ...]] | None = None,
) -> Parse:
    """The final parse of a message that is not an emergency by the rules.

    `question` is the final question of a long story with its own ranking: it is answered
    rather than a word of the story, unless it is too short to mean anything alone.
    """
    plain = normalise(clean)
    if is_noise(plain):
        return _kind(text, language, NOISE_INTENT, ranking)
    if asks_about_the_bot(plain):
        return _kind(text, language, BOT_IDENTITY_INTENT, ranking)
    parse = decide(text, language, ranking, policy)
    if question is not None and parse.intent != EMERGENCY_INTENT:
        story = parse
        asked, asked_ranking = question
        answer = decide(text, language, asked_ranking, policy)
        if answer.intent == EMERGENCY_INTENT or not is_generic(asked):
            parse = answer
        kept = is_topic(parse.intent) or parse.fallback or parse.intent == EMERGENCY_INTENT
        if not kept and not is_generic(asked):
            # A story is never a command: "[...] what present would you suggest?" is not /help.
            # "How can we stop this?" needs its story: the story's own topic when it has one.
            story_topic = is_topic(story.intent) and not story.fallback
            parse = (
                story
                if story_topic
                else Parse(text, language, OUT_OF_SCOPE_INTENT, 0.0, parse.ranking, True)
            )
    if parse.intent == EMERGENCY_INTENT:
        return parse
    runners = [score.intent for score in parse.ranking[:2]]
    foreign = is_topic(parse.intent) or (
        parse.intent == OUT_OF_SCOPE_INTENT
        and any(is_topic(intent) or intent == OTHER_COUNTRY_INTENT for intent in runners)
    )
    # The whole story: "I live in France [...] how do I secure my door?"
    if foreign and names_other_country(normalise(text[:MAX_STORY_CHARS])):
        return _kind(text, language, OTHER_COUNTRY_INTENT, parse.ranking)
    if parse.intent == OUT_OF_SCOPE_INTENT:
        parse = _specific_kind(parse)
    if is_insult(plain):
        return _kind(text, language, ABUSE_INTENT, parse.ranking)
    return parse


def _specific_kind(parse: Parse) -> Parse:
    """ "Out of scope" with a specific kind close behind (a referral, another country...): the
    specific kind, whose reply helps more. Both are rejections: in-scope answers are unchanged."""
    for score in parse.ranking[1:2]:
        specific = score.intent != OUT_OF_SCOPE_INTENT and is_rejection(score.intent)
        if specific and score.confidence >= SPECIFIC_KIND_SHARE:
            return _kind(parse.text, parse.language, score.intent, parse.ranking)
    return parse


def _kind(text: str, language: str, intent: str, ranking: tuple[IntentScore, ...]) -> Parse:
    rest = tuple(score for score in ranking if score.intent != intent)
    return Parse(text, language, intent, 1.0, (IntentScore(intent, 1.0), *rest), fallback=True)
