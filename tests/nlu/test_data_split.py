"""The evaluation sets stay unseen: no held-out or blind sentence appears in the training data."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import pytest

from nlu.reader import read_directory, read_files

ROOT = Path(__file__).parents[2] / "nlu"


def key(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(char for char in folded if not unicodedata.combining(char))
    return re.sub(r"[\W_]+", " ", plain).strip()


@pytest.mark.parametrize(
    ("folder", "size"),
    [
        ("heldout", 1000),
        ("heldout-blind", 800),
        ("heldout-scope", 400),
        ("heldout-scope2", 500),
        ("heldout-scope3", 350),
        ("heldout-scope4", 350),
        ("heldout-emergency", 120),
    ],
)
def test_no_heldout_sentence_is_trained_on(folder: str, size: int) -> None:
    training = {(e.language, key(e.text)) for e in read_directory(ROOT / "data").examples}
    heldout = read_files(
        (ROOT / folder / f"{lang}.yml", lang) for lang in ("fr", "nl", "de", "en")
    )
    assert len(heldout.examples) > size
    leaked = [e.text for e in heldout.examples if (e.language, key(e.text)) in training]
    assert leaked == []
