"""`preventbot content check` and `preventbot content gaps`."""

from __future__ import annotations

import argparse
import asyncio
import sys
from datetime import datetime

from bot.base.settings import Settings
from bot.catalog.files import Problem
from bot.catalog.rules import review_problems, sourcing_problems, training_problems
from bot.catalog.store import read_content
from bot.storage import Storage
from nlu import ACTION_INTENTS, read_directory


def check(settings: Settings, today: datetime | None = None) -> list[Problem]:
    """Every problem in the content and its link with the training data."""
    root = settings.content_dir
    # The store's own reader: the problems that would make it reject this content, then the
    # editorial rules on what is valid.
    snapshot, problems = read_content(root)
    catalog = snapshot.catalog
    now = today or datetime.now(settings.timezone)
    problems += review_problems(catalog, root, now.date(), settings.max_review_age_days)
    problems += sourcing_problems(
        catalog, root, settings.trusted_domains, settings.blocked_domains
    )
    data = read_directory(settings.nlu_data_dir, strict=False)
    problems += [Problem(root, 0, message) for message in data.problems]
    problems += training_problems(catalog, root, data.intents, ACTION_INTENTS)
    return problems


def run(args: argparse.Namespace, settings: Settings) -> int:
    """Dispatch the `content` sub-commands."""
    if args.action == "check":
        problems = check(settings)
        for problem in problems:
            print(problem)
        if problems:
            print(f"{len(problems)} problem(s)", file=sys.stderr)
            return 1
        print("content OK", file=sys.stderr)
        return 0
    return asyncio.run(_gaps(settings, args.limit))


async def _gaps(settings: Settings, limit: int) -> int:
    storage = await Storage.open(settings.database)
    try:
        now = datetime.now(settings.timezone)
        await storage.gaps.purge(now, settings.gaps_retention_days)
        await storage.usage.purge(now, settings.gaps_retention_days)  # the dashboard's counts
        gaps = await storage.gaps.top_unanswered(limit)
        votes = await storage.gaps.unhelpful_topics(limit)
    finally:
        await storage.close()
    print(f"Unanswered questions (last {settings.gaps_retention_days} days), most frequent first:")
    for gap in gaps:
        guesses = ", ".join(gap.guesses[:3])
        print(f"{gap.count:5d}  [{gap.language}] {gap.text}    (guesses: {guesses})")
    if not gaps:
        print("  none")
    print("\nAnswers voted 'not helpful':")
    for topic_id, language, bad, good in votes:
        print(f"{bad:5d}  [{language}] {topic_id}  ({good} helpful)")
    if not votes:
        print("  none")
    return 0
