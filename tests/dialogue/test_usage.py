"""Real turns through the dialogue add to the day's anonymous counts, and nothing else."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from bot.app import assemble
from bot.base.turns import ANSWERED, EMERGENCY, OPENED, OTHER, UNANSWERED
from bot.dialogue.router import Dialogue
from bot.dialogue.services import Services
from bot.storage import DayCount, Storage
from tests.helpers.db import execute, rows
from tests.helpers.dialogue import press, say
from tests.helpers.project import NOW

TODAY = NOW.date()
ALL = ("fr", "nl", "de", "en")


async def counts(storage: Storage) -> set[tuple[str, str, str, int]]:
    """Every usage row as (language, topic, outcome, count)."""
    found = await rows(storage, "SELECT language, topic, outcome, count FROM usage_daily")
    return {tuple(row) for row in found}  # type: ignore[misc]


async def test_questions_are_counted_by_outcome_topic_and_language(
    dialogue: Dialogue, services: Services
) -> None:
    await say(dialogue, "comment rejoindre un PLP ?", chat_id=1)
    await say(dialogue, "comment rejoindre un PLP ?", chat_id=2)
    await say(dialogue, "hoe beveilig ik mijn voordeur", chat_id=3)
    await say(dialogue, "what is the weather tomorrow in Ostend", chat_id=4)
    await say(dialogue, "au secours un cambrioleur !!", chat_id=5)
    await say(dialogue, "bonjour", chat_id=6)
    assert await counts(services.storage) == {
        ("fr", "plp.join", ANSWERED, 2),
        ("nl", "burglary.doors_locks", ANSWERED, 1),
        ("en", "", UNANSWERED, 1),
        ("fr", "", EMERGENCY, 1),
        ("fr", "greet", OTHER, 1),
    }


async def test_buttons_and_links_count_topics_opened_and_commands_nothing(
    dialogue: Dialogue, services: Services
) -> None:
    await say(dialogue, "/language de")
    await say(dialogue, "/menu")
    await press(dialogue, "group:plp")
    await press(dialogue, "topic:plp.join")
    await press(dialogue, "vote:plp.join:0@de")  # votes have their own table
    await press(dialogue, "topic:no.such.topic")  # forged: nothing counted
    await say(dialogue, "/start plp-join", chat_id=11)
    assert await counts(services.storage) == {
        ("de", "plp.join", OPENED, 1),
        ("fr", "plp.join", OPENED, 1),
    }


async def test_the_day_is_the_bots_local_day(services: Services) -> None:
    # 23:30 UTC on the 25th is already the 26th in Brussels.
    moment = datetime(2026, 11, 25, 23, 30, tzinfo=UTC)
    dialogue = assemble(
        services.settings, services.content, services.nlu, services.storage, lambda: moment
    ).dialogue
    await say(dialogue, "comment rejoindre un PLP ?")
    [count] = await services.storage.usage.by_day(TODAY, TODAY + timedelta(days=1), ALL)
    assert count == DayCount(date(2026, 11, 26), "fr", ANSWERED, 1)


async def test_no_chat_id_and_no_text_is_stored_with_the_counts(
    dialogue: Dialogue, services: Services
) -> None:
    secret = "cambriolage chez moi rue des Roses 12, appelez le 0470 12 34 56"
    await say(dialogue, secret, chat_id=987654321)
    stored = await rows(services.storage, "SELECT * FROM usage_daily")
    assert stored
    flat = " ".join(str(value) for row in stored for value in row)
    assert "987654321" not in flat
    assert "Roses" not in flat
    assert "0470" not in flat


async def test_a_failed_count_never_costs_the_answer(
    dialogue: Dialogue, services: Services
) -> None:
    await execute(services.storage, "DROP TABLE usage_daily")
    replies = await say(dialogue, "comment rejoindre un PLP ?")
    assert "PLP" in replies[0].text
