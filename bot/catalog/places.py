"""Belgian places: municipalities (NIS codes), postcodes and FR/NL/DE names, with fuzzy lookup."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Final

from rapidfuzz import fuzz, process

from bot.catalog.files import Problem, read_csv_rows

PLACES_DIR: Final = "places"
NAME_LANGUAGES: Final = ("fr", "nl", "de")
FLANDERS: Final = "02000"
WALLONIA: Final = "03000"
BRUSSELS: Final = "04000"
# The nine municipalities of the German-speaking Community (their local names are German).
GERMAN_SPEAKING: Final = frozenset(
    {"63001", "63012", "63013", "63023", "63040", "63048", "63061", "63067", "63087"}
)
REGION_ALIASES: Final = {
    "flanders": FLANDERS,
    "vlaanderen": FLANDERS,
    "flandre": FLANDERS,
    "flandern": FLANDERS,
    "wallonia": WALLONIA,
    "wallonie": WALLONIA,
    "wallonien": WALLONIA,
    "brussels": BRUSSELS,
    "bruxelles": BRUSSELS,
    "brussel": BRUSSELS,
    "brussel hauptstadt": BRUSSELS,
}
FUZZY_CUTOFF: Final = 75.0
SURE_SCORE: Final = 90.0  # a single fuzzy candidate at least this good is taken as meant
SURE_MARGIN: Final = 6.0  # ... when the next one is at least this much worse
MAX_CANDIDATES: Final = 5
MIN_QUERY: Final = 2
_POSTCODE: Final = re.compile(r"^(?:b )?(\d{4})(?: (.*))?$")
_PROVINCE_PREFIX: Final = re.compile(r"^(?:province (?:de |du |d )?|provincie |provinz )")


def normalise(text: str) -> str:
    """Lower case, no accents, ’ and ' alike, no qualifiers or punctuation, single spaces."""
    text = text.replace("’", "'").replace("‘", "'").replace("`", "'")
    text = unicodedata.normalize("NFKD", text.casefold())
    text = "".join(char for char in text if not unicodedata.combining(char))
    text = re.sub(r"\([^)]*\)", " ", text)
    return " ".join(re.sub(r"[\W_]+", " ", text).split())


@dataclass(frozen=True, slots=True)
class Municipality:
    """One municipality: NIS code, names, province (empty in Brussels), region, postcodes."""

    nis: str
    names: dict[str, str]
    province_nis: str
    region_nis: str
    postcodes: tuple[str, ...] = ()

    def name(self, language: str) -> str:
        """The name in `language`; in English the local official name(s)."""
        if language in self.names:
            return self.names[language]
        if self.nis in GERMAN_SPEAKING:
            return self.names["de"]
        if self.region_nis == BRUSSELS and self.names["fr"] != self.names["nl"]:
            return f"{self.names['fr']} / {self.names['nl']}"
        return self.names["nl" if self.region_nis == FLANDERS else "fr"]


@dataclass(frozen=True, slots=True)
class Lookup:
    """What a typed place matched: candidates best first; `exact` if postcode or full name."""

    matches: tuple[Municipality, ...]
    exact: bool = False

    @property
    def unique(self) -> Municipality | None:
        """The one municipality meant, when there is no doubt."""
        return self.matches[0] if len(self.matches) == 1 else None


@dataclass(frozen=True, slots=True)
class Places:
    """All municipalities with their postcodes, names (current and pre-2025) and areas."""

    municipalities: dict[str, Municipality] = field(default_factory=dict)
    postcodes: dict[str, tuple[str, ...]] = field(default_factory=dict)
    names: dict[str, set[str]] = field(default_factory=dict)
    provinces: dict[str, set[str]] = field(default_factory=dict)
    regions: dict[str, set[str]] = field(default_factory=dict)
    # Province and region NIS code -> their official names by language (fr, nl, de).
    area_names: dict[str, dict[str, str]] = field(default_factory=dict)

    def get(self, nis: str) -> Municipality | None:
        """The municipality with this NIS code."""
        return self.municipalities.get(nis)

    def lookup(self, query: str) -> Lookup:
        """Find what the user meant by a postcode or a name in any language, typos tolerated."""
        key = normalise(query)
        match = _POSTCODE.match(key)
        if match:
            found = self._many(self.postcodes.get(match[1], ()))
            if match[2] and len(found) > 1:
                found = self._best_by_name(found, match[2]) or found
            return Lookup(found, exact=True)
        if len(key) < MIN_QUERY:
            return Lookup(())
        if key in self.names:
            return Lookup(self._many(sorted(self.names[key])), exact=True)
        return self._fuzzy(key)

    def _fuzzy(self, key: str) -> Lookup:
        best: dict[str, float] = {}
        hits = process.extract(
            key, list(self.names), scorer=_score, score_cutoff=FUZZY_CUTOFF, limit=30
        )
        for name, score, _index in hits:
            for nis in self.names[name]:
                best[nis] = max(best.get(nis, 0.0), float(score))
        ranked = sorted(best, key=lambda nis: (-best[nis], nis))[:MAX_CANDIDATES]
        if not ranked:
            return Lookup(())
        top = best[ranked[0]]
        runner_up = best[ranked[1]] if len(ranked) > 1 else 0.0
        if top >= SURE_SCORE and top - runner_up >= SURE_MARGIN:
            ranked = ranked[:1]
        return Lookup(self._many(ranked))

    def _best_by_name(
        self, found: tuple[Municipality, ...], name: str
    ) -> tuple[Municipality, ...] | None:
        scored = [(max(_score(name, normalise(n)) for n in m.names.values()), m) for m in found]
        score, municipality = max(scored, key=lambda item: item[0])
        return (municipality,) if score >= SURE_SCORE else None

    def _many(self, codes: Iterable[str]) -> tuple[Municipality, ...]:
        return tuple(self.municipalities[nis] for nis in codes if nis in self.municipalities)

    def province(self, name_or_code: str) -> set[str] | None:
        """The NIS codes of a province given by NIS code or name (with or without "Province")."""
        return self.provinces.get(_province_key(name_or_code))

    def region(self, name_or_code: str) -> set[str] | None:
        """The NIS codes of a region given by NIS code, official name or usual short name."""
        key = normalise(name_or_code)
        return self.regions.get(REGION_ALIASES.get(key, key))


def _score(query: str, name: str, **_kwargs: object) -> float:
    """Typos (edit ratio), or the start or words of a longer name; never a shorter name."""
    score = fuzz.ratio(query, name)
    if len(query) <= len(name):
        score = max(score, 0.9 * fuzz.partial_ratio(query, name))
        score = max(score, 0.95 * fuzz.token_set_ratio(query, name))
    return float(score)


def _province_key(text: str) -> str:
    return _PROVINCE_PREFIX.sub("", normalise(text))


def read_places(content_dir: Path) -> tuple[Places, list[Problem]]:
    """Read the three CSV files and report every problem as file:line."""
    root = content_dir / PLACES_DIR
    problems: list[Problem] = []
    places = Places()  # filled here, then never changed
    for line, row in read_csv_rows(root / "municipalities.csv", problems):
        _add_municipality(places, row, root / "municipalities.csv", line, problems)
    by_postcode: dict[str, list[str]] = {}
    for line, row in read_csv_rows(root / "postcodes.csv", problems):
        if not re.fullmatch(r"\d{4}", row.get("postcode", "")):
            problems.append(Problem(root / "postcodes.csv", line, "postcode must be 4 digits"))
        elif row.get("nis") not in places.municipalities:
            problems.append(Problem(root / "postcodes.csv", line, f"unknown NIS {row.get('nis')}"))
        else:
            by_postcode.setdefault(row["postcode"], []).append(row["nis"])
    places.postcodes.update((code, tuple(sorted(nis))) for code, nis in by_postcode.items())
    _link_postcodes(places, root / "municipalities.csv", problems)
    for line, row in read_csv_rows(root / "mergers_2025.csv", problems):
        if row.get("new_nis") not in places.municipalities:
            problems.append(Problem(root / "mergers_2025.csv", line, "unknown new_nis"))
            continue
        for language in NAME_LANGUAGES:
            _index(places.names, row.get(f"old_name_{language}", ""), row["new_nis"])
    return places, problems


def _add_municipality(
    places: Places, row: dict[str, str], path: Path, line: int, problems: list[Problem]
) -> None:
    nis = row.get("nis") or ""
    names = {language: (row.get(f"name_{language}") or "").strip() for language in NAME_LANGUAGES}
    names["de"] = names["de"] or names["nl"]  # the 2025 new names have no German form yet
    if not re.fullmatch(r"\d{5}", nis) or not names["fr"] or not names["nl"]:
        problems.append(
            Problem(path, line, "a municipality needs a 5-digit nis, name_fr, name_nl")
        )
        return
    if nis in places.municipalities:
        problems.append(Problem(path, line, f"duplicate NIS {nis}"))
        return
    region = row.get("region_nis") or ""
    if region not in (FLANDERS, WALLONIA, BRUSSELS):
        problems.append(Problem(path, line, f"unknown region_nis {region!r}"))
    province = row.get("province_nis") or ""
    places.municipalities[nis] = Municipality(nis, names, province, region)
    for area in ("province", "region"):
        area_nis = row.get(f"{area}_nis") or ""
        if area_nis and area_nis not in places.area_names:
            places.area_names[area_nis] = {
                language: (row.get(f"{area}_{language}") or "").strip()
                for language in NAME_LANGUAGES
            }
    for name in names.values():
        _index(places.names, name, nis)
    for key in (region, *(row.get(f"region_{lang}", "") for lang in NAME_LANGUAGES)):
        places.regions.setdefault(normalise(key), set()).add(nis)
    if province:
        for name in (province, *(row.get(f"province_{lang}", "") for lang in NAME_LANGUAGES)):
            places.provinces.setdefault(_province_key(name), set()).add(nis)


def _link_postcodes(places: Places, path: Path, problems: list[Problem]) -> None:
    codes: dict[str, list[str]] = {}
    for postcode, nis_codes in sorted(places.postcodes.items()):
        for nis in nis_codes:
            codes.setdefault(nis, []).append(postcode)
    for nis, municipality in list(places.municipalities.items()):
        if nis not in codes:
            problems.append(Problem(path, 1, f"municipality {nis} has no postcode"))
        places.municipalities[nis] = Municipality(
            nis,
            municipality.names,
            municipality.province_nis,
            municipality.region_nis,
            tuple(codes.get(nis, ())),
        )


def _index(names: dict[str, set[str]], name: str, nis: str) -> None:
    key = normalise(name)
    if key:
        names.setdefault(key, set()).add(nis)
