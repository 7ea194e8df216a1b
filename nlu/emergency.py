"""Rule-based detection of a crime in progress, independent of any classifier."""

from __future__ import annotations

import re
import unicodedata
from typing import Final

from rapidfuzz.distance import Levenshtein

# Words that name an intruder or a break-in as it happens (normalised: lower case, no accents).
# Note: "burglary" alone is not here: "I was burgled yesterday" is not an emergency.
INTRUDER_WORDS: Final = frozenset(
    {
        # fr
        "cambrioleur",
        "cambrioleurs",
        "voleur",
        "voleurs",
        "intrus",
        "agresseur",
        "cambriole",
        "cambriolent",
        "cambrioler",
        "fracture",
        "fracturent",
        "forcent",
        "force",
        # nl
        "inbreker",
        "inbrekers",
        "dief",
        "dieven",
        "indringer",
        "insluiper",
        "inbreken",
        "forceert",
        "forceren",
        "ingebroken",
        "breekt",
        "breken",
        # de
        "einbrecher",
        "dieb",
        "diebe",
        "eindringling",
        "einbruch",
        "bricht",
        "brechen",
        "aufbrechen",
        "einzubrechen",
        # en
        "burglar",
        "burglars",
        "intruder",
        "intruders",
        "thief",
        "thieves",
        "robber",
        "robbers",
        "breaking",
        "forcing",
        "prowler",
    }
)
# Signals that it is happening now, or a cry for help.
NOW_WORDS: Final = frozenset(
    {
        "maintenant",
        "actuellement",
        "moment",
        "train",
        "secours",
        "aide",
        "vite",
        "urgent",
        "nu",
        "momenteel",
        "bezig",
        "help",
        "hulp",
        "snel",
        "dringend",
        "gerade",
        "jetzt",
        "hilfe",
        "sofort",
        "schnell",
        "now",
        "currently",
        "happening",
        "hurry",
        "quick",
        "downstairs",
        "beneden",
        "unten",
        "en-bas",
        "urgence",
        "noodgeval",
        "notfall",
        "emergency",
    }
)
# Whole phrases that are enough on their own (normalised).
PHRASES: Final = (
    r"\bbreak(?:s|ing)? in(?:to)?\b",
    r"\bbreaking into\b",
    r"\bsomeone (?:is )?(?:in|inside) (?:my|the|our) (?:house|home|flat|apartment)\b",
    r"\bglass (?:is )?break",
    r"\bbreekt (?:hier |nu |bij ons |bij mij )?in\b",
    r"\biemand (?:is )?(?:in|binnen in) (?:mijn|ons|het) (?:huis|appartement|woning)\b",
    r"\bbricht (?:gerade |jetzt |bei mir |bei uns )?ein\b",
    r"\bjemand (?:ist )?(?:in|im) (?:meinem|unserem|dem)? ?(?:haus|wohnung)\b",
    r"\bquelqu.un (?:est )?(?:entre |rentre )?(?:chez moi|dans (?:ma|la|notre) maison)\b",
    r"\b(?:il y a|y a) (?:un|des) (?:voleurs?|cambrioleurs?|intrus) (?:chez|dans)\b",
    r"\bau secours\b",
    r"\bforce(?:nt)? (?:ma|la|notre) porte\b",
)
_PHRASE_RE: Final = re.compile("|".join(PHRASES))
_TOKEN_RE: Final = re.compile(r"[a-z]+(?:-[a-z]+)?")


def normalise(text: str) -> str:
    """Lower-case, strip accents, fold apostrophes and repeated letters ("heeelp" -> "heelp")."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(char for char in decomposed if not unicodedata.combining(char))
    plain = plain.replace("’", "'").replace("ß", "ss")
    return re.sub(r"(.)\1{2,}", r"\1\1", plain)


def is_emergency(text: str) -> bool:
    """True when the message reports a crime happening now, misspellings tolerated."""
    plain = normalise(text[:2000])
    if _PHRASE_RE.search(plain):
        return True
    tokens = _TOKEN_RE.findall(plain)
    intruder = any(_matches(token, INTRUDER_WORDS) for token in tokens)
    if not intruder:
        return False
    urgent = any(_matches(token, NOW_WORDS) for token in tokens) or "!!" in plain
    return urgent


def _matches(token: str, words: frozenset[str]) -> bool:
    if token in words:
        return True
    if len(token) < 5:
        return False
    allowed = 1 if len(token) < 9 else 2
    return any(
        abs(len(word) - len(token)) <= allowed
        and Levenshtein.distance(token, word, score_cutoff=allowed) <= allowed
        for word in words
        if len(word) >= 5
    )
