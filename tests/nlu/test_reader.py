"""Reading Rasa 3 YAML: good blocks are kept, broken ones reported with file and line."""

from __future__ import annotations

from pathlib import Path

import pytest

from nlu.errors import TrainingDataError
from nlu.reader import parse_text, read_directory, read_files

GOOD = """\
version: "3.1"
nlu:
- intent: alarm.declare
  examples: |
    - do I have to declare my [alarm](device)?
    - declare alarm
- lookup: alarm_terms
  examples: |
    - siren
    - monitoring centre
- synonym: alarm
  examples: |
    - alarm system
"""

BROKEN = """\
version: "3.1"
nlu:
- intent: greet
  examples: |
    - hello
- intent: thanks
- just a string
- intent: goodbye
  examples: |
    - bye
- name: no_kind
  examples: |
    - what am I
"""


def test_intents_lookups_and_entity_markup() -> None:
    examples, lookups, problems = parse_text(GOOD, "en", "good.yml")
    assert problems == []
    assert [(e.text, e.intent, e.language) for e in examples] == [
        ("do I have to declare my alarm?", "alarm.declare", "en"),
        ("declare alarm", "alarm.declare", "en"),
    ]
    assert examples[0].source == "good.yml"
    assert examples[0].line == 5
    assert [(t.name, t.elements) for t in lookups] == [
        ("alarm_terms", ("siren", "monitoring centre"))
    ]


def test_broken_blocks_are_reported_and_skipped() -> None:
    examples, _, problems = parse_text(BROKEN, "en", "broken.yml")
    assert [e.intent for e in examples] == ["greet", "goodbye"]
    assert len(problems) == 3
    assert problems[0].startswith("broken.yml:6:")
    assert "no 'examples'" in problems[0]
    assert problems[1].startswith("broken.yml:7:")
    assert "needs 'intent'" in problems[2]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("nlu: [unclosed", "not valid YAML"),
        ("- a list", "must be a mapping"),
        ("nlu: 3", "'nlu' must be a list"),
    ],
)
def test_structural_errors(text: str, message: str) -> None:
    examples, _, problems = parse_text(text, "fr", "x.yml")
    assert examples == []
    assert len(problems) == 1
    assert message in problems[0]
    assert problems[0].startswith("x.yml:")


def test_a_file_without_nlu_key_has_nothing() -> None:
    assert parse_text('version: "3.1"\n', "fr") == ([], [], [])


def test_strict_reading_stops_with_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "en" / "broken.yml"
    path.parent.mkdir()
    path.write_text(BROKEN, encoding="utf-8")
    with pytest.raises(TrainingDataError, match=r"broken\.yml:6:"):
        read_directory(tmp_path)
    lenient = read_files([(path, "en")], strict=False)
    assert len(lenient.examples) == 2
    assert len(lenient.problems) == 3


def test_missing_folder_and_unreadable_file(tmp_path: Path) -> None:
    with pytest.raises(TrainingDataError, match="no training files"):
        read_directory(tmp_path)
    data = read_files([(tmp_path / "missing.yml", "fr")], strict=False)
    assert "cannot read" in data.problems[0]


def test_project_data_has_the_55_intents_in_four_languages() -> None:
    data = read_directory(Path(__file__).parents[2] / "nlu" / "data")
    assert data.problems == ()
    # 46 topics and actions, and since issue 14: abuse, bot_identity, other_country and the six
    # referrals (noise is decided by rules only)
    assert len(data.intents) == 55
    for language in ("fr", "nl", "de", "en"):
        per_language = {e.intent for e in data.examples if e.language == language}
        assert per_language == data.intents
