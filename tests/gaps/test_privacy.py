"""Personal data is masked before an unanswered question is stored."""

from __future__ import annotations

import pytest

from bot.gaps.privacy import mask_personal_data


@pytest.mark.parametrize(
    ("text", "hidden", "kept"),
    [
        ("appelez-moi au 0470 12 34 56 svp", "0470", "appelez-moi"),
        ("mijn nummer is +32 2 123 45 67", "123 45 67", "mijn nummer"),
        ("bel 0032470123456", "0032470123456", "bel"),
        ("mail me: jan.peeters@example.be", "jan.peeters", "mail me"),
        ("ik woon in de Kerkstraat 12 in 2000 Antwerpen", "Kerkstraat 12", "2000 Antwerpen"),
        ("j'habite rue de la Loi 16 à Bruxelles", "Loi 16", "Bruxelles"),
        ("Hauptstraße 3b, 4700 Eupen", "Hauptstraße 3b", "4700 Eupen"),
        ("au numéro 27 il y a un souci", "numéro 27", "souci"),
    ],
)
def test_masks_phones_emails_and_house_numbers(text: str, hidden: str, kept: str) -> None:
    masked = mask_personal_data(text)
    assert hidden not in masked
    assert kept in masked


def test_postcodes_and_years_are_kept() -> None:
    assert mask_personal_data("PLP à 4700 depuis 2019") == "PLP à 4700 depuis 2019"
