"""Referrals: near-scope questions answered by naming the official service that handles them.

One file per referral under `content/referrals/`, read with the topics (the same reload rule,
the same source rules in `content check`): an id `referral.<name>` that is also the NLU intent,
a review date, and per language a title, a short answer and its sources.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Final

from bot.base.languages import LANGUAGES
from bot.catalog.files import Problem, fields_of, line_of, read_yaml, value_of
from bot.catalog.topics import ID_PATTERN, Referral, read_text

REFERRALS_DIR: Final = "referrals"
REFERRAL_PREFIX: Final = "referral."
REFERRAL_KEYS: Final = frozenset({"id", "reviewed", *LANGUAGES})


def referral_file(root: Path, referral_id: str) -> Path:
    """The file of a referral under the content folder `root`."""
    return root / REFERRALS_DIR / f"{referral_id}.yml"


def read_referrals(root: Path) -> tuple[dict[str, Referral], list[Problem]]:
    """Every referral file (none is fine): the valid ones by id, and the problems found."""
    problems: list[Problem] = []
    referrals: dict[str, Referral] = {}
    for path in sorted((root / REFERRALS_DIR).glob("*.yml")):
        referral = read_referral(path, problems)
        if referral is not None:
            referrals[referral.id] = referral
    return referrals, problems


def read_referral(path: Path, problems: list[Problem]) -> Referral | None:
    """One referral file; None (with the problems listed) if anything is wrong."""
    node = read_yaml(path, problems)
    if node is None:
        return None
    fields = fields_of(node)
    before = len(problems)
    for key in sorted(set(fields) - REFERRAL_KEYS):
        problems.append(Problem(path, line_of(fields[key]), f"unknown key '{key}'"))
    for key in sorted(REFERRAL_KEYS - set(fields)):
        problems.append(Problem(path, 1, f"missing key '{key}'"))
    referral_id = str(value_of(fields["id"])) if "id" in fields else ""
    if referral_id != path.stem:
        problems.append(Problem(path, 1, f"id '{referral_id}' must match the file name"))
    if not (referral_id.startswith(REFERRAL_PREFIX) and ID_PATTERN.match(referral_id)):
        problems.append(Problem(path, 1, f"id '{referral_id}' is not referral.<name>"))
    reviewed = value_of(fields["reviewed"]) if "reviewed" in fields else None
    if "reviewed" in fields and not isinstance(reviewed, date):
        problems.append(Problem(path, 1, "'reviewed' must be a date (YYYY-MM-DD)"))
    texts = {}
    for language in LANGUAGES:
        text = read_text(fields.get(language), path, language, problems)
        if text is not None:
            texts[language] = text
    if len(problems) > before or not isinstance(reviewed, date):
        return None
    return Referral(referral_id, reviewed, texts)
