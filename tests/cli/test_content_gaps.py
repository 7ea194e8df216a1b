"""`preventbot content gaps` lists what citizens asked that the bot could not answer."""

from __future__ import annotations

import argparse
import asyncio
from datetime import datetime, timedelta

import pytest

from bot.base.turns import Incoming
from bot.cli import content as content_cli
from bot.dialogue.router import Dialogue
from bot.dialogue.services import Services


async def test_gaps_lists_the_most_frequent_masked_questions(
    dialogue: Dialogue, services: Services, capsys: pytest.CaptureFixture[str]
) -> None:
    for chat_id in (1, 2, 3):
        await dialogue.process(chat_id, Incoming(text="who will win the football match tonight"))
    await dialogue.process(4, Incoming(text="recette de la tarte au riz, mail: a.b@c.be"))
    args = argparse.Namespace(action="gaps", limit=10)
    # The command purges with the real clock: the rows above are "now", so they stay.
    assert await asyncio.to_thread(content_cli.run, args, services.settings) == 0
    out = capsys.readouterr().out
    lines = [line for line in out.splitlines() if "football" in line]
    assert lines
    assert lines[0].split()[0] == "3"
    assert "a.b@c.be" not in out
    assert "<email>" in out


async def test_gaps_forget_after_the_retention(services: Services) -> None:
    now = datetime.now(services.settings.timezone)
    storage = services.storage
    await storage.gaps.record_unanswered("very old question", "en", [], now - timedelta(days=120))
    await storage.gaps.record_unanswered("recent question", "en", [], now - timedelta(days=10))
    removed = await storage.gaps.purge(now, services.settings.gaps_retention_days)
    assert removed == 1
    assert [gap.text for gap in await storage.gaps.top_unanswered()] == ["recent question"]


async def test_gaps_purges_the_usage_counts_past_the_retention(services: Services) -> None:
    today = datetime.now(services.settings.timezone).date()
    usage = services.storage.usage
    await usage.add(today - timedelta(days=365), "en", "alarm", "answered")
    await usage.add(today, "en", "alarm", "answered")
    args = argparse.Namespace(action="gaps", limit=10)
    assert await asyncio.to_thread(content_cli.run, args, services.settings) == 0
    kept = await usage.by_day(today - timedelta(days=400), today, ("en",))
    assert [count.day for count in kept] == [today]
