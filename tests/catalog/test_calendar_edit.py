"""Campaign messages written into campaigns.yml: round trip, checked first, atomic."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.catalog.calendar_edit import (
    CalendarConflictError,
    CalendarEditError,
    folded,
    messages_hash,
    publish_messages,
    replace_messages,
)
from bot.catalog.campaigns import CALENDAR_FILE, read_calendar
from tests.helpers.content import real_content, write_calendar
from tests.helpers.project import project_path

REAL = project_path("content", CALENDAR_FILE).read_text(encoding="utf-8")
NEW = {
    "fr": "Nouveau texte, avec « guillemets » et un lien besafe.be. " * 6,
    "nl": "Nieuwe tekst: met een dubbele punt # en een hekje.",
    "de": "Neuer Text <b>nicht fett</b> & mehr.",
    "en": "New text   with   spaces\nand a line break.",
}


@pytest.fixture
def content_dir(tmp_path: Path) -> Path:
    return write_calendar(tmp_path / "content", REAL)


def messages_of(root: Path, campaign_id: str) -> dict[str, str]:
    campaigns, problems = read_calendar(root, real_content().places)
    assert problems == []
    return next(c for c in campaigns if c.id == campaign_id).messages


def test_only_that_campaigns_messages_change_and_comments_stay(content_dir: Path) -> None:
    new = replace_messages(REAL, "dark-season", NEW)
    old_lines, new_lines = REAL.splitlines(), new.splitlines()
    # Everything before the campaign's `fr: >-` and after its `en` text is the same text.
    start = old_lines.index("  - id: dark-season")
    assert old_lines[:start] == new_lines[:start]
    assert old_lines[-40:] == new_lines[-40:]  # the next campaigns, untouched
    assert "# Campaign calendar: the reminders that subscribers receive" in new
    assert "    # Editions 2014-2021 fell in October-December" in new
    assert 'time: "10:00"' in new
    assert max(len(line) for line in new_lines) <= 99


def test_unchanged_texts_keep_their_lines(content_dir: Path) -> None:
    same = messages_of(content_dir, "summer-absence")
    assert replace_messages(REAL, "summer-absence", same) == REAL
    one = replace_messages(REAL, "summer-absence", same | {"nl": "Nieuw."})
    changed = [line for line in one.splitlines() if line not in REAL.splitlines()]
    assert changed == ["        Nieuw."]


def test_publishing_writes_the_file_that_the_calendar_reads(content_dir: Path) -> None:
    before = messages_of(content_dir, "dark-season")
    publish_messages(content_dir, "dark-season", NEW, real_content().places, messages_hash(before))
    written = messages_of(content_dir, "dark-season")
    assert written == {code: " ".join(text.split()) for code, text in NEW.items()}
    assert messages_of(content_dir, "summer-absence") == messages_of(
        project_path("content"), "summer-absence"
    )
    assert [p.name for p in content_dir.iterdir() if p.name.startswith(".")] == []


def test_a_change_that_the_calendar_refuses_writes_nothing(content_dir: Path) -> None:
    too_long = NEW | {"nl": "x " * 800}
    with pytest.raises(CalendarEditError):
        publish_messages(content_dir, "dark-season", too_long, real_content().places)
    assert (content_dir / CALENDAR_FILE).read_text(encoding="utf-8") == REAL


def test_messages_changed_meanwhile_are_a_conflict(content_dir: Path) -> None:
    with pytest.raises(CalendarConflictError):
        publish_messages(content_dir, "dark-season", NEW, real_content().places, "stale")
    assert (content_dir / CALENDAR_FILE).read_text(encoding="utf-8") == REAL


def test_an_unknown_campaign_is_refused(content_dir: Path) -> None:
    with pytest.raises(CalendarEditError, match="no campaign"):
        publish_messages(content_dir, "no-such-campaign", NEW, real_content().places)


def test_folding_keeps_long_words_whole() -> None:
    url = "https://www.example.be/" + "a" * 120
    scalar = folded(f"Voir {url} pour plus.")
    assert url in str(scalar)
    assert all(str(scalar)[position] == " " for position in scalar.fold_pos)
