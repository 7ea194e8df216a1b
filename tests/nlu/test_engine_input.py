"""Hostile input reaches the engine safely: huge texts are cut, lone surrogates replaced."""

from __future__ import annotations

from nlu.engine import MAX_INPUT_CHARS, EmbeddedNLU, clean_input


def test_clean_input_cuts_and_replaces_surrogates() -> None:
    assert len(clean_input("a" * 5000)) == MAX_INPUT_CHARS
    assert clean_input("  hi \ud800 there ") == "hi \ufffd there"


def test_huge_and_broken_messages_parse(trained_nlu: EmbeddedNLU) -> None:
    for text in ["cambriolage " * 400, "\ud83d" * 50 + "PLP ?", "\x00\u202e" * 2000]:
        parse = trained_nlu.parse_sync(text)
        assert parse.text == text
        assert 0.0 <= parse.confidence <= 1.0
