"""Places in words for the pages: who a campaign or an announcement reaches, in the reader's
language ("Eupen, Kelmis", "Limburg (42 municipalities)", "All of Belgium")."""

from __future__ import annotations

from collections.abc import Collection
from typing import Final

from bot.base.i18n import N_, Gettext
from bot.catalog.campaigns import Target
from bot.catalog.places import Places

SHOWN: Final = 12  # names listed before "and N more"
EVERYWHERE: Final = N_("All of Belgium")
AND_MORE: Final = N_("{names} and {count} more")
MUNICIPALITIES: Final = N_("{names} ({count} municipalities)")


def place_names(
    codes: Collection[str] | None, places: Places, language: str, _: Gettext, shown: int = SHOWN
) -> str:
    """NIS codes as municipality names in `language`, sorted; None: all of Belgium."""
    if codes is None:
        return _(EVERYWHERE)
    found = (places.get(code) for code in codes)
    names = sorted(place.name(language) for place in found if place is not None)
    if len(names) <= shown:
        return ", ".join(names)
    return _(AND_MORE).format(names=", ".join(names[:shown]), count=len(names) - shown)


def target_words(
    target: Target, reached: Collection[str] | None, places: Places, language: str, _: Gettext
) -> str:
    """A campaign's target as the calendar names it, with how many municipalities it covers."""
    if target.everywhere or reached is None:
        return _(EVERYWHERE)
    named = [
        *target.regions,
        *target.provinces,
        *(_municipality(name, places, language) for name in target.municipalities),
        *target.postcodes,
    ]
    return _(MUNICIPALITIES).format(names=", ".join(named), count=len(reached))


def _municipality(name: str, places: Places, language: str) -> str:
    """A NIS code as the municipality's name; a name stays as the calendar writes it."""
    found = places.get(name) if name.isdigit() else None
    return found.name(language) if found is not None else name
