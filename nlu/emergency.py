"""Rule-based detection of a crime in progress, independent of any classifier.

A message is an emergency when it combines signals: an intruder, an act of breaking in, someone
inside the home, a word for "now", a cry for help. Each signal alone is too common in ordinary
prevention questions ("what do burglars steal?"); two together, without a marker of the past
("after the burglary", "yesterday") or of a general question ("how fast can a burglar..."),
are not. Key words are matched despite one or two typos ("theif", "inbaak", "volleur").

Situations told as a story count too: fake officials still inside a relative's home, a door
found forced with someone maybe still inside, an alarm going off with noises, a door handle
being tried, a relative narrating it on the phone (`nlu/emergency_stories.py`).
"""

from __future__ import annotations

import functools
import re
import unicodedata
from typing import Final

from rapidfuzz.distance import OSA

from nlu.emergency_stories import Signals, is_story_of_crime_now
from nlu.emergency_words import (
    ACT_WORDS,
    ACTS,
    BREAK_INS,
    CRIES,
    HYPOTHETICALS,
    INSIDE,
    INTRUDERS,
    NOT_A_CRY,
    NOW_PHRASES,
    NOW_WORDS,
    PAST_OR_GENERAL,
    PAST_TIMES,
    PLURAL_BREAK_INS,
    SENSES,
    STRONG,
)


def _compile(patterns: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{pattern})" for pattern in patterns))


_ACTS_RE: Final = _compile(ACTS)
_INSIDE_RE: Final = _compile(INSIDE)
_NOW_RE: Final = _compile(NOW_PHRASES)
_SENSES_RE: Final = _compile(SENSES)
_STRONG_RE: Final = _compile(STRONG)
_PAST_RE: Final = _compile(PAST_OR_GENERAL)
_HYPOTHETICAL_RE: Final = _compile(HYPOTHETICALS)
_PAST_TIME_RE: Final = _compile(PAST_TIMES)
_NOT_A_CRY_RE: Final = _compile(NOT_A_CRY)
# Being followed is happening now whatever else the message says ("since the station").
_FOLLOWED_RE: Final = re.compile(
    r"\b(?:(?:is|are|keeps?|been) following me|follows me|(?:me suit|me suivent|me poursui\w*)\b|"
    r"volg(?:t|en) (?:me|mij)|loopt me (?:al )?(?:\w+ ){0,4}achterna|"
    r"(?:lauft|laufen|geht|gehen) mir "
    r"(?:\w+ ){0,5}(?:hinterher|nach)|verfolg(?:t|en) mich)"
)
_SENTENCE_END_RE: Final = re.compile(r"(?<=[.!?;:\n])\s+")
# A message of this many sentences is a story: its last sentence is checked alone too.
STORY_SENTENCES: Final = 3
_TOKEN_RE: Final = re.compile(r"[a-z]+(?:-[a-z]+)?")
_ACTOR_RE: Final = re.compile(
    r"\b(?:som+e? ?(?:one|body)|some1|sum1|a man|two men|men|guys|a guy|a dude|people|they|"
    r"quelqu.un|qqn|(?:un|deux|trois|des) (?:hommes?|types?|gens|personnes?|mecs?|gars)|ils|"
    # French "on" when it does something to the house ("on force la porte")
    r"on (?=(?:est en train|essa[iy]e|tente|force|casse|tourne|secoue|tripote|fouille|entre|"
    r"rentre|grimpe)\b)|iemand|een man|(?:twee|drie) mannen|mannen|een kerel|een vent|ze|"
    r"jemand|einer|ein mann|ein typ|ein kerl|(?:zwei|drei|ein paar) (?:manner|typen|kerle|leute)|"
    r"manner|typen|kerle|leute)\b"
)
_HIDING_RE: Final = re.compile(
    r"\b(?:i.m hiding|i am hiding|je suis cachee?|je me cache|ik verstop me|ik zit verstopt|"
    r"ich verstecke mich|ich bin versteckt)\b"
)
_NOISE_RE: Final = re.compile(
    r"\b(?:noises?|footsteps|voices|glass|bruits?|voix|verre|gestommel|geluid|stemmen|"
    r"voetstappen|glas|gepolter|gerausche?|schritte|stimmen|lawaai|herrie|larm|krach)\b|"
    # French "pas" is also the negation: footsteps only as "des pas", "bruits de pas"
    r"\b(?:des|de) pas\b"
)


def normalise(text: str) -> str:
    """Lower-case, strip accents, fold apostrophes and repeated letters ("heeelp" -> "heelp")."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(char for char in decomposed if not unicodedata.combining(char))
    plain = plain.replace("’", "'").replace("ß", "ss")
    return re.sub(r"(.)\1{2,}", r"\1\1", plain)


def is_emergency(text: str) -> bool:
    """True when the message reports a crime happening now, misspellings tolerated."""
    plain = normalise(text[:2000])
    if (
        _FOLLOWED_RE.search(plain)
        and not _HYPOTHETICAL_RE.search(plain)
        and not _PAST_TIME_RE.search(plain)
    ):
        return True
    if _PAST_RE.search(plain):
        return False
    if _STRONG_RE.search(plain):
        return True
    tokens = _TOKEN_RE.findall(plain)
    # Break-ins in the plural are talked about, not reported: not read as a burglar either.
    told = [token for token in tokens if token not in PLURAL_BREAK_INS]
    intruder = _any_fuzzy(told, INTRUDERS)
    break_in = _any_fuzzy(told, BREAK_INS)
    act = bool(_ACTS_RE.search(plain)) or _any_fuzzy(tokens, ACT_WORDS)
    inside = bool(_INSIDE_RE.search(plain))
    now = _says_now(plain, tokens)
    calls = _TOKEN_RE.findall(_NOT_A_CRY_RE.sub(" ", plain))
    cry = _any_fuzzy(calls, CRIES) or bool(_HIDING_RE.search(plain))
    actor = intruder or bool(_ACTOR_RE.search(plain))
    if act and (actor or inside or now or cry):
        return True
    if intruder and (inside or now or cry):
        return True
    if break_in and (now or cry):
        return True
    noise = bool(_NOISE_RE.search(plain))
    if inside and (actor or noise) and (now or cry):
        return True
    # "I hear someone forcing the lock": what one hears or sees happens now.
    senses = bool(_SENSES_RE.search(plain))
    if senses and (act or (inside and (now or actor or noise))):
        return True
    signals = Signals(intruder, actor, act, inside, now, cry, senses)
    return is_story_of_crime_now(plain, signals)


def is_past_or_general(text: str) -> bool:
    """A possible situation ("what if I ever..."), or a past or general question with no "now"."""
    plain = normalise(text[:2000])
    if _HYPOTHETICAL_RE.search(plain):
        return True
    if not _PAST_RE.search(plain) or _FOLLOWED_RE.search(plain):
        return False
    return not _says_now(plain, _TOKEN_RE.findall(plain))


def _says_now(plain: str, tokens: list[str]) -> bool:
    """A marker of the present moment: "right now", "en train de", "gerade", "nu"."""
    return bool(_NOW_RE.search(plain)) or any(token in NOW_WORDS for token in tokens)


def is_emergency_told(text: str) -> bool:
    """`is_emergency` of a short message; of a story, by two sentences and its last one alone.

    The background of a story ("since my mother died", "we call him every evening") holds
    markers of the past or of habits that must not hide what its end says is happening.
    """
    sentences = [s for s in _SENTENCE_END_RE.split(text[:2000].strip()) if s.strip()]
    if len(sentences) < STORY_SENTENCES:
        return is_emergency(text)
    # A story is read two sentences at a time: a crime and its "now" are told together, and
    # "now" in one sentence must not join a burglary told three sentences earlier.
    windows = [" ".join(sentences[i : i + 2]) for i in range(len(sentences) - 1)]
    return any(map(is_emergency, windows)) or is_emergency(sentences[-1])


def _any_fuzzy(tokens: list[str], words: frozenset[str]) -> bool:
    return any(_matches(token, words) for token in tokens)


@functools.lru_cache(maxsize=16384)
def _matches(token: str, words: frozenset[str]) -> bool:
    # Cached: the same words come back in message after message (the sets are constants).
    if token in words:
        return True
    if len(token) < 4:
        return False
    allowed = 1 if len(token) < 9 else 2
    # Four letters leave too little to tell a typo from another word ("vide" is not "vite",
    # "spel" not "snel"): only two swapped letters ("hepl") count there.
    swapped_only = len(token) == 4
    return any(
        abs(len(word) - len(token)) <= allowed
        and (not swapped_only or sorted(word) == sorted(token))
        and OSA.distance(token, word, score_cutoff=allowed) <= allowed
        for word in _by_initial(words).get(token[0], ())
    )


@functools.cache
def _by_initial(words: frozenset[str]) -> dict[str, tuple[str, ...]]:
    """The words of four letters or more by first letter: typos are tolerated after the first."""
    index: dict[str, list[str]] = {}
    for word in words:
        if len(word) >= 4:
            index.setdefault(word[0], []).append(word)
    return {initial: tuple(group) for initial, group in index.items()}
