"""Places: postcodes, names in FR/NL/DE, typos, ambiguous postcodes, areas, the data files."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.catalog.places import Places, normalise, read_places
from tests.helpers.content import real_content
from tests.helpers.project import project_path


@pytest.fixture(scope="module")
def places() -> Places:
    return real_content().places


def test_the_real_data_loads_without_problems() -> None:
    places, problems = read_places(project_path("content"))
    assert problems == []
    assert len(places.municipalities) == 565
    assert len(places.postcodes) == 1149
    assert all(m.postcodes for m in places.municipalities.values())


@pytest.mark.parametrize(
    ("query", "nis"),
    [
        ("4700", "63023"),  # Eupen
        ("B-4700", "63023"),
        ("Eupen", "63023"),
        ("Liège", "62063"),
        ("Luik", "62063"),  # NL
        ("Lüttich", "62063"),  # DE
        ("LIEGE", "62063"),
        ("La Calamine", "63040"),  # FR for Kelmis
        ("Kelmis", "63040"),
        ("Elsene", "21009"),
        ("Braine-l'Alleud", "25014"),  # ' typed, ’ in Statbel's data
        ("Braine-l’Alleud", "25014"),
        ("braine l alleud", "25014"),
        ("Borsbeek", "11002"),  # merged into Antwerpen in 2025
        ("Tielt", "37022"),  # new NIS code after the 2025 merger
        ("1050 Ixelles", "21009"),  # a postcode plus the name settles 1050
    ],
)
def test_exact_postcodes_and_names(places: Places, query: str, nis: str) -> None:
    found = places.lookup(query)
    assert found.exact
    assert found.unique is not None
    assert found.unique.nis == nis


@pytest.mark.parametrize(
    ("query", "nis"),
    [
        ("Etterbek", "21005"),
        ("Kortrik", "34022"),
        ("Lieg", "62063"),
        ("Molenbeek", "21012"),  # a word of the full name; not "Mol" or "Olen"
        ("Antwerp", "11002"),
    ],
)
def test_typos_and_partial_names_find_one_municipality(
    places: Places, query: str, nis: str
) -> None:
    found = places.lookup(query)
    assert not found.exact
    assert found.unique is not None
    assert found.unique.nis == nis


@pytest.mark.parametrize(
    ("postcode", "expected"),
    [
        ("1040", {"21004", "21005"}),  # Brussels city + Etterbeek
        ("1050", {"21004", "21009"}),  # Brussels city + Ixelles
        ("1804", {"23088", "23096"}),  # Vilvoorde + Zemst (Cargovil)
    ],
)
def test_postcodes_shared_by_two_municipalities_are_ambiguous(
    places: Places, postcode: str, expected: set[str]
) -> None:
    found = places.lookup(postcode)
    assert found.exact
    assert found.unique is None
    assert {m.nis for m in found.matches} == expected


def test_unclear_names_give_candidates_and_unknown_ones_nothing(places: Places) -> None:
    woluwe = places.lookup("Woluwe")
    assert {m.nis for m in woluwe.matches} == {"21018", "21019"}
    assert woluwe.unique is None
    assert places.lookup("xyzzy").matches == ()
    assert places.lookup("9999").matches == ()
    assert places.lookup("a").matches == ()


def test_names_per_language_with_the_german_fallback(places: Places) -> None:
    pajottegem = places.get("23106")
    assert pajottegem is not None
    assert pajottegem.name("de") == "Pajottegem"  # no German name: the Dutch one
    assert places.lookup("Pajottegem").exact
    liege = places.get("62063")
    assert liege is not None
    assert (liege.name("fr"), liege.name("nl"), liege.name("de")) == ("Liège", "Luik", "Lüttich")
    assert liege.name("en") == "Liège"
    assert places.get("21009").name("en") == "Ixelles / Elsene"  # type: ignore[union-attr]
    assert places.get("63040").name("en") == "Kelmis"  # type: ignore[union-attr]
    assert places.get("44021").name("en") == "Gent"  # type: ignore[union-attr]


def test_provinces_and_regions_by_name_or_code(places: Places) -> None:
    limburg = places.province("Limburg")
    assert limburg is not None
    assert len(limburg) == 38
    assert places.province("Provincie Limburg") == limburg == places.province("70000")
    assert places.province("Province du Limbourg") == limburg
    assert "63046" not in limburg  # the municipality Limbourg (Liège) is not in it
    liege = places.province("Province de Liège")
    assert liege is not None
    assert "63023" in liege
    assert "62063" in liege
    assert places.region("Brussels") == places.region("04000")
    assert len(places.region("Brussels") or ()) == 19
    assert places.province("Atlantis") is None


def test_normalise() -> None:
    assert normalise("  Braine-l’Alleud ") == normalise("BRAINE-L'ALLEUD") == "braine l alleud"
    assert normalise("Tielt (Tielt)") == "tielt"
    assert normalise("Sankt Vith") == normalise("sankt-vith")


def test_broken_files_are_reported_with_file_and_line(tmp_path: Path) -> None:
    folder = tmp_path / "places"
    folder.mkdir()
    (folder / "municipalities.csv").write_text(
        "nis,name_fr,name_nl,name_de,province_nis,region_nis\n"
        "63023,Eupen,Eupen,Eupen,60000,03000\n"
        "123,Nowhere,,,,03000\n",
        encoding="utf-8",
    )
    (folder / "postcodes.csv").write_text("postcode,nis\n4700,63023\n47,63023\n9999,99999\n")
    (folder / "mergers_2025.csv").write_text(
        "old_nis,old_name_nl,old_name_fr,old_name_de,new_nis\n"
    )
    _places, problems = read_places(tmp_path)
    lines = sorted((p.path.name, p.line) for p in problems)
    assert lines == [("municipalities.csv", 3), ("postcodes.csv", 3), ("postcodes.csv", 4)]
