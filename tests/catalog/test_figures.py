"""A statistic carries its year: which figures need one, which do not, and where it is reported."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.catalog.figures import statistic_findings
from tests.helpers.content_files import problems, write_topic

NBSP = "\u00a0"
NARROW = "\u202f"


def flagged(text: str) -> list[str]:
    """The messages for `text` as an answer starting on line 10."""
    return [f"{line}: {message}" for line, message in statistic_findings(text, 10, "fr.answer")]


@pytest.mark.parametrize(
    "figure",
    [
        "5 %",
        "5%",
        "5,5 %",
        f"12{NBSP}%",
        "4 290",
        f"4{NBSP}290",
        f"4{NARROW}290",
        "4.290",
        "4,290",
        "4290",
        "1 250 000",
        "350 millions",
        "1,5 miljoen",
    ],
)
def test_a_statistic_without_a_year_is_reported(figure: str) -> None:
    assert flagged(f"La police a compté {figure} cambriolages.") == [
        f'10: fr.answer: a statistic needs its year ("{figure} cambriolages. ...")'
    ]


@pytest.mark.parametrize(
    ("text", "excerpt"),
    [
        ("Amendes de 250 à 20 000 euros.", "20 000 euros."),
        ("Un coût de € 2 500 par cambriolage.", "2 500 par"),
        ("Un coût de 350 millions d'euros par an.", "350 millions d'euros"),
    ],
)
def test_an_amount_of_1000_or_more_is_a_statistic(text: str, excerpt: str) -> None:
    assert flagged(text) == [f'10: fr.answer: a statistic needs its year ("{excerpt} ...")']


@pytest.mark.parametrize(
    "text",
    [
        "En 2022, la police a compté 4 290 cambriolages.",
        "4 290 cambriolages (chiffres de 1998).",
        "Selon le Moniteur de sécurité 2021,\n33 % des habitants sont inquiets.",
        "Fin 2023 : 1.400 netwerken, in de jaren 2030 meer.",
    ],
)
def test_a_statistic_with_its_year_in_the_paragraph_is_accepted(text: str) -> None:
    assert flagged(text) == []


@pytest.mark.parametrize(
    "text",
    [
        "Appelez le 101 ou le 112 en cas d'urgence.",
        "Depuis le 1er septembre 2009, la déclaration est obligatoire.",
        "La loi du 29 juillet 1934 sur les milices privées reste en vigueur.",
        "Card Stop : 078 170 170 ; Doc Stop : 00800 2123 2123 ; +32 2 557 33 53.",
        "Médecin de garde : appelez le 1733 ; bel het nummer 1712.",
        "Code postal 4700, Postleitzahl 4780, article 1382 du Code civil.",
        "Un cadenas coûte environ € 50, un détecteur 250 euros.",
        "Voir https://www.besafe.be/fr/5998/page?id=123456 pour le détail.",
        "Ouvert 24 h sur 24, 7 jours sur 7, de 9 h à 17 h.",
        "Fermez les 2 portes et les 3 fenêtres.",
    ],
)
def test_numbers_that_are_not_statistics_are_not_reported(text: str) -> None:
    assert flagged(text) == []


def test_a_plain_four_digit_year_alone_is_not_a_statistic() -> None:
    assert flagged("Les premiers PLP datent de 1990.\n\nIls existent depuis 1995.") == []


def test_each_paragraph_needs_its_own_year() -> None:
    text = "En 2023, 15 % des vols.\n\nEt 1 400 partenariats au total.\n"
    assert flagged(text) == [
        '12: fr.answer: a statistic needs its year ("1 400 partenariats ...")'
    ]


def test_a_bullet_line_is_its_own_paragraph() -> None:
    text = (
        "Fin 2023, on comptait :\n"
        "• 1 060 PLP en Flandre ;\n"
        "• 311 PLP en Wallonie ;\n"
        "- 2 500 en 2023 à Anvers ;\n"
        "Soit près de 1 400 au total.\n"
        "  (dont 12 % de PLP-I)\n"
    )
    assert flagged(text) == [
        '11: fr.answer: a statistic needs its year ("1 060 PLP ...")',
        '14: fr.answer: a statistic needs its year ("1 400 au ...")',
    ]


def test_an_indented_line_continues_its_bullet() -> None:
    assert flagged("• 1 060 PLP en Flandre\n  (chiffres de fin 2023) ;\n") == []


def test_one_problem_per_paragraph_at_the_line_of_its_first_figure() -> None:
    text = "Les cambriolages sont fréquents.\nOn en compte 4 290,\ndont 30 % de jour."
    assert flagged(text) == ['11: fr.answer: a statistic needs its year ("4 290, ...")']


def test_content_check_reports_the_file_and_line_of_a_bare_figure(tmp_path: Path) -> None:
    path = write_topic(
        tmp_path, "    - https://www.police.be/fr/x\n", more="On compte 4 290 cambriolages."
    )
    found = problems(tmp_path)
    message = 'fr.more: a statistic needs its year ("4 290 cambriolages. ...")'
    assert found[0] == f"{path}:10: {message}"
    assert len(found) == 4  # the fixture writes the same `more` in the four languages
