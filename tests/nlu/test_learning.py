"""Phrasings added to the training files: valid Rasa YAML read back by the reader, one file
per language, duplicates and evaluation sentences refused, hostile text kept on one line,
a hand-broken file never overwritten, concurrent additions all kept."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import yaml

from nlu import LEARNED_FILE, PhrasingError, TrainingFiles, comparable, read_directory

TRAINING = """version: "3.1"
nlu:
- intent: plp.join
  examples: |
    - comment rejoindre un PLP ?
- intent: out_of_scope
  examples: |
    - quelle heure est-il
"""
HELDOUT = """version: "3.1"
nlu:
- intent: plp.join
  examples: |
    - Puis-je devenir membre d'un PLP
"""
INTENTS = frozenset({"plp.join", "out_of_scope"})


@pytest.fixture
def files(tmp_path: Path) -> TrainingFiles:
    """A small data folder and one evaluation set beside it."""
    for language in ("fr", "nl"):
        (tmp_path / "data" / language).mkdir(parents=True)
        (tmp_path / "data" / language / "plp.yml").write_text(TRAINING, "utf-8")
    (tmp_path / "heldout").mkdir()
    (tmp_path / "heldout" / "fr.yml").write_text(HELDOUT, "utf-8")
    missing = tmp_path / "heldout-scope"  # an evaluation set that does not exist (yet)
    return TrainingFiles(tmp_path / "data", (tmp_path / "heldout", missing))


def learned(files: TrainingFiles, language: str) -> list[tuple[str, str]]:
    """The (intent, text) pairs the reader finds in a language's learned file."""
    path = str(files.data_dir / language / LEARNED_FILE)
    return [
        (e.intent, e.text) for e in read_directory(files.data_dir).examples if e.source == path
    ]


def test_phrasings_are_appended_per_language_as_valid_rasa_yaml(files: TrainingFiles) -> None:
    files.add("où faire graver ma trottinette", "plp.join", "fr", INTENTS)
    files.add("hoe word ik lid", "plp.join", "nl", INTENTS)
    files.add("météo à Namur", "out_of_scope", "fr", INTENTS)
    files.add("  un autre\tPLP\n?  ", "plp.join", "fr", INTENTS)

    assert learned(files, "fr") == [
        ("plp.join", "où faire graver ma trottinette"),
        ("plp.join", "un autre PLP ?"),
        ("out_of_scope", "météo à Namur"),
    ]
    assert learned(files, "nl") == [("plp.join", "hoe word ik lid")]
    document = yaml.safe_load((files.data_dir / "fr" / LEARNED_FILE).read_text("utf-8"))
    assert document["version"] == "3.1"
    assert len(document["nlu"]) == 2
    assert not list(files.data_dir.glob("*/.*"))  # no temporary file left behind


@pytest.mark.parametrize(
    ("text", "intent", "language", "code"),
    [
        ("Comment rejoindre un PLP", "plp.join", "fr", "duplicate"),  # case and "?" ignored
        ("puis-je devenir MEMBRE d’un plp ?", "plp.join", "fr", "evaluation"),
        ("  ?! ", "plp.join", "fr", "empty"),
        ("x" * 301, "plp.join", "fr", "too_long"),
        ("bonjour", "plp.join", "xx", "language"),
        ("bonjour", "plp.unknown", "fr", "intent"),
        ("bonjour", "plp.join: {x}", "fr", "intent"),
        ("un [PLP](topic) ?", "plp.join", "fr", "unwritable"),  # entity markup would change it
    ],
)
def test_refusals(files: TrainingFiles, text: str, intent: str, language: str, code: str) -> None:
    with pytest.raises(PhrasingError) as refused:
        files.add(text, intent, language, INTENTS | {"plp.join: {x}"})
    assert refused.value.code == code
    assert not (files.data_dir / "fr" / LEARNED_FILE).exists()


def test_a_sentence_trained_in_another_language_may_be_added(files: TrainingFiles) -> None:
    files.add("comment rejoindre un PLP ?", "plp.join", "de", INTENTS)
    with pytest.raises(PhrasingError):
        files.add("comment rejoindre un PLP", "plp.join", "de", INTENTS)


@pytest.mark.parametrize(
    "text",
    [
        "- examples: | # not a comment",
        "\"quoted\" and 'single' : colon",
        "tab\tand\x00null\x1b[31m and \u2028 separator",
        "intent: plp.join",
        "é" * 300,
    ],
)
def test_hostile_text_stays_one_example(files: TrainingFiles, text: str) -> None:
    files.add(text, "plp.join", "fr", INTENTS)
    ((intent, stored),) = learned(files, "fr")
    assert intent == "plp.join"
    assert comparable(stored) == comparable(text)
    assert "\n" not in stored
    assert "\x00" not in stored


def test_a_hand_broken_learned_file_is_never_overwritten(files: TrainingFiles) -> None:
    path = files.data_dir / "fr" / LEARNED_FILE
    path.write_text("nlu: [this is: not closed\n", "utf-8")
    with pytest.raises(PhrasingError) as refused:
        files.add("une question", "plp.join", "fr", INTENTS)
    assert refused.value.code == "unwritable"
    assert path.read_text("utf-8") == "nlu: [this is: not closed\n"


def test_concurrent_additions_are_all_kept(files: TrainingFiles) -> None:
    texts = [f"question numéro {n}" for n in range(16)]
    with ThreadPoolExecutor(max_workers=4) as pool:
        list(pool.map(lambda t: files.add(t, "plp.join", "fr", INTENTS), texts))
    assert sorted(text for _intent, text in learned(files, "fr")) == sorted(texts)
