"""`preventbot content check` and `preventbot content gaps`."""

from __future__ import annotations

import argparse
import asyncio
import sys
from datetime import datetime
from pathlib import Path

from bot.campaigns import read_calendar
from bot.config import Settings
from bot.content import Problem, read_catalog, review_problems, training_problems
from bot.places import read_places
from bot.storage import Storage
from nlu.reader import read_directory
from nlu.types import ACTION_INTENTS


def check(settings: Settings, today: datetime | None = None) -> list[Problem]:
    """Every problem in the content and its link with the training data."""
    root = settings.content_dir
    catalog, problems = read_catalog(root)
    now = today or datetime.now(settings.timezone)
    problems += review_problems(catalog, root, now.date(), settings.max_review_age_days)
    data = read_directory(settings.nlu_data_dir, strict=False)
    problems += [Problem(root, 0, message) for message in data.problems]
    problems += training_problems(catalog, root, data.intents, ACTION_INTENTS)
    problems += reminder_problems(root)
    return problems


def reminder_problems(root: Path) -> list[Problem]:
    """Problems in the places (content/places/) and the campaign calendar (campaigns.yml)."""
    places, problems = read_places(root)
    problems += read_calendar(root, places)[1]
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
    storage = await Storage.open(settings.db_path)
    try:
        await storage.gaps.purge(datetime.now(settings.timezone), settings.gaps_retention_days)
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
