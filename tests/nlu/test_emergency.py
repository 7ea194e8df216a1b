"""The emergency rule layer: crimes in progress, misspelled or mixed, and what is not one."""

from __future__ import annotations

from pathlib import Path

import pytest

from nlu.emergency import is_emergency, normalise
from nlu.reader import read_directory, read_files
from nlu.types import EMERGENCY_INTENT

ROOT = Path(__file__).parents[2]

# Written for these tests: none is in the training or held-out data.
EMERGENCIES = [
    "HELP there's a burglar in the kitchen",
    "someone is braking into my house rigth now",
    "theres a theif in my garage!!",
    "au secour quelqu'un force la porte",
    "il y a un cambrioleur dans mon salon",
    "un voleur est chez moi maintenant",
    "un type avec une cagoule rôde dans le jardin",
    "j'entends du bruit dans la cave et je suis seule, vite",
    "help er is een inbreker bij mij binnen nu",
    "er is iemand in mijn huis!!",
    "iemand probeert het raam open te breken",
    "er wordt nu ingebroken bij de buren",
    "hilfe jemand ist in meinem Haus",
    "ein Einbrecher ist gerade im Keller",
    "jemand versucht die Tür aufzubrechen",
    "die Diebe sind noch im Haus, schnell",
    "ok so like theres a dude w/ a crowbar at my back door",
    "sorry pour mon français, burglar dans ma maison now!!",
    "inbreker in huis, what do I do",
    "vite qqn essaye de forcer ma porte",
    "au secours ils essayent dentrer par le garage",
]
NOT_EMERGENCIES = [
    "how do I prevent a burglary",
    "what do burglars steal most",
    "I was burgled yesterday, what now?",
    "j'ai été cambriolé la semaine passée",
    "hoe snel breekt een inbreker een deur open",
    "wie schnell knackt ein Einbrecher eine Tür",
    "psychologische hulp na een inbraak",
    "which lock is best against burglars",
    "is een alarm nuttig tegen inbrekers?",
    "hello",
    "comment déclarer ma caméra",
    "do thieves still steal bikes from gardens now",
    "gaan inbrekers nu vaker overdag aan de slag",
    "kommen Diebe jetzt öfter am Wochenende",
    "à quel moment de la journée les cambrioleurs frappent-ils",
    "welche Tageszeit bevorzugen Einbrecher",
]


@pytest.mark.parametrize("text", EMERGENCIES)
def test_crime_in_progress_is_an_emergency(text: str) -> None:
    assert is_emergency(text)


@pytest.mark.parametrize("text", NOT_EMERGENCIES)
def test_prevention_questions_are_not(text: str) -> None:
    assert not is_emergency(text)


def test_every_emergency_example_in_the_data_is_caught() -> None:
    train = read_directory(ROOT / "nlu" / "data").examples
    heldout = read_files(
        [(ROOT / "nlu" / "heldout" / f"{lang}.yml", lang) for lang in ("fr", "nl", "de", "en")]
    ).examples
    examples = [*train, *heldout]
    urgent = [e.text for e in examples if e.intent == EMERGENCY_INTENT]
    assert len(urgent) > 150
    assert [text for text in urgent if not is_emergency(text)] == []
    calm = [e.text for e in examples if e.intent != EMERGENCY_INTENT]
    false_alarms = [text for text in calm if is_emergency(text)]
    # It may fire now and then on a question about burglars; rarely.
    assert len(false_alarms) <= len(calm) // 200, false_alarms


def test_normalise_folds_case_accents_and_shouting() -> None:
    assert normalise("AIDEZ-MOI, À L’AIDE!!!") == "aidez-moi, a l'aide!!"
    assert normalise("Heeeeelp") == "heelp"
    assert normalise("Straße") == "strasse"


def test_very_long_text_is_cut_not_slow() -> None:
    assert not is_emergency("alarm " * 50_000)
