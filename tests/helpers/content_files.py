"""A one-topic content folder written inline, and the problems `content check` finds in it."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from bot.base.languages import LANGUAGES
from bot.base.settings import BLOCKED_DOMAINS, TRUSTED_DOMAINS
from bot.catalog.rules import sourcing_problems
from bot.catalog.topics import Catalog, read_catalog

ANSWER = "Fermez toujours la porte à clé, même pour une courte absence. " * 5
SOURCE_LINE = 12  # the line of the first `fr` source item in the file `write_topic` writes


def write_topic(root: Path, fr_sources: str, more: str = "Rien de plus.") -> Path:
    """A one-topic content folder; `fr_sources` is the YAML under `fr: sources:`."""
    (root / "topics").mkdir(parents=True)
    text = "id: plp.join\ngroup: plp\nreviewed: 2026-01-01\nrelated: []\n"
    for language in LANGUAGES:
        sources = fr_sources if language == "fr" else f"    - https://www.police.be/{language}/x\n"
        text += (
            f"{language}:\n  title: Titre\n  answer: |\n    {ANSWER}\n"
            f"  more: |\n    {more}\n  sources:\n{sources}  terms: []\n"
        )
    path = root / "topics" / "plp.join.yml"
    path.write_text(text, encoding="utf-8")
    titles = ", ".join(f"{language}: P" for language in LANGUAGES)
    (root / "menu.yml").write_text(
        f"groups:\n  - id: plp\n    title: {{{titles}}}\n    topics: [plp.join]\n", "utf-8"
    )
    return path


def problems(root: Path) -> list[str]:
    """Structural problems, then the source and statistic rules with the default domains."""
    catalog, found = read_catalog(root)
    found += sourcing_problems(catalog, root, TRUSTED_DOMAINS, BLOCKED_DOMAINS)
    return [str(problem) for problem in found]


def review_day(catalog: Catalog, now: datetime) -> datetime:
    """`now`, or the day of the latest review if later: the real files age, the tests do not."""
    latest = max(topic.reviewed for topic in catalog.topics.values())
    return max(now, now.replace(year=latest.year, month=latest.month, day=latest.day))
