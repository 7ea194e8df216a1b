"""The editorial rules `content check` adds to the loader's: review age, training, sources."""

from __future__ import annotations

from collections.abc import Collection, Iterable
from datetime import date
from pathlib import Path

from bot.catalog.figures import statistic_findings
from bot.catalog.files import Problem
from bot.catalog.referrals import REFERRAL_PREFIX, REFERRALS_DIR, referral_file
from bot.catalog.sources import Finding, source_findings
from bot.catalog.topics import TOPICS_DIR, Catalog, Referral, Topic, topic_file


def review_problems(catalog: Catalog, root: Path, today: date, max_age_days: int) -> list[Problem]:
    """Topics whose review date is older than `max_age_days` (or in the future)."""
    problems = []
    for topic in _answers(catalog):
        age = (today - topic.reviewed).days
        path = _file_of(root, topic.id)
        if age > max_age_days:
            problems.append(Problem(path, 1, f"reviewed {age} days ago (limit {max_age_days})"))
        elif age < 0:
            problems.append(Problem(path, 1, "reviewed date is in the future"))
    return problems


def training_problems(
    catalog: Catalog, root: Path, intents: Iterable[str], action_intents: Iterable[str]
) -> list[Problem]:
    """Topics without training data, and training intents that are neither topic nor action."""
    known = set(intents)
    answered = {*catalog.topics, *catalog.referrals}
    problems = [
        Problem(_file_of(root, topic_id), 1, "no training examples for this topic")
        for topic_id in sorted(answered)
        if topic_id not in known
    ]
    for intent in sorted(known - answered - set(action_intents)):
        if intent.startswith(REFERRAL_PREFIX):
            folder = root / REFERRALS_DIR
            problems.append(Problem(folder, 0, f"training intent '{intent}' has no referral file"))
            continue
        problems.append(
            Problem(root / TOPICS_DIR, 0, f"training intent '{intent}' has no topic file")
        )
    return problems


def sourcing_problems(
    catalog: Catalog, root: Path, trusted: Collection[str], blocked: Collection[str]
) -> list[Problem]:
    """Editorial rules: trusted source domains, pages in the answer's language, dated figures."""
    problems = []
    for topic in _answers(catalog):
        path = _file_of(root, topic.id)
        findings: list[Finding] = []
        for language, text in topic.texts.items():
            where = f"{language}."
            findings += source_findings(
                text.source_items, language, where + "sources", trusted, blocked
            )
            findings += statistic_findings(text.answer, text.answer_line, where + "answer")
            findings += statistic_findings(text.more, text.more_line, where + "more")
        problems += [Problem(path, line, message) for line, message in sorted(findings)]
    return problems


def _file_of(root: Path, answer_id: str) -> Path:
    """The file of a topic or of a referral (`referral.<name>`)."""
    if answer_id.startswith(REFERRAL_PREFIX):
        return referral_file(root, answer_id)
    return topic_file(root, answer_id)


def _answers(catalog: Catalog) -> list[Topic | Referral]:
    """The topics and the referrals: both are reviewed and sourced."""
    return [*catalog.topics.values(), *catalog.referrals.values()]
