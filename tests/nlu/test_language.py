"""Language identification on short messages, with the user's language as a hint."""

from __future__ import annotations

import pytest

from nlu.language import LanguageIdentifier


@pytest.fixture(scope="module")
def identifier() -> LanguageIdentifier:
    return LanguageIdentifier()


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("alarme qui sonne", "fr"),
        ("mijn fiets registreren", "nl"),
        ("Kamera anmelden bitte", "de"),
        ("declare my camera", "en"),
        ("buurtinformatienetwerk oprichten", "nl"),
        ("comment déclarer", "fr"),
        ("wie melde ich", "de"),
    ],
)
def test_two_or_three_words_without_hint(
    identifier: LanguageIdentifier, text: str, language: str
) -> None:
    assert identifier.detect(text).language == language


@pytest.mark.parametrize(
    ("text", "language"),
    [("dankjewel", "nl"), ("tschüss", "de"), ("bonjour", "fr"), ("thank you", "en")],
)
def test_short_chit_chat_without_hint(
    identifier: LanguageIdentifier, text: str, language: str
) -> None:
    detection = identifier.detect(text)
    assert detection.language == language
    assert detection.confident


@pytest.mark.parametrize("text", ["ok", "merci", "hallo", "bye", "??", "", "112"])
@pytest.mark.parametrize("hint", ["fr", "nl", "de", "en"])
def test_the_hint_wins_when_the_text_cannot_tell(
    identifier: LanguageIdentifier, text: str, hint: str
) -> None:
    detection = identifier.detect(text, hint)
    assert detection.language == hint
    assert not detection.confident


def test_a_clear_sentence_overrides_the_hint(identifier: LanguageIdentifier) -> None:
    detection = identifier.detect("ik wil mijn alarm aangeven bij de politie", hint="fr")
    assert (detection.language, detection.confident) == ("nl", True)


def test_unknown_hint_and_no_text_use_the_default(identifier: LanguageIdentifier) -> None:
    assert identifier.detect("", hint="xx", default="nl").language == "nl"
    assert identifier.detect("...", default="de").language == "de"
