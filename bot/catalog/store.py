"""The live content: one snapshot of all of `content/`, swapped only for a valid new one.

Every reader of `content/` (the dialogue's flows, the reminders, the command line) goes through
the `ContentStore` and its current `Snapshot`: topics and menu, the campaign calendar, the places.
One rule for all of them: the files are fingerprinted; an edit is read again as a whole new
snapshot, and if any file has a problem the last good snapshot stays, with the problems reported
as `file:line: message`.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Collection
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Final

from bot.base.errors import ContentError
from bot.catalog.campaigns import CALENDAR_FILE, Campaign, read_calendar
from bot.catalog.files import Problem
from bot.catalog.places import PLACES_DIR, Places, read_places
from bot.catalog.referrals import read_referrals
from bot.catalog.topics import Catalog, read_catalog

logger = logging.getLogger(__name__)

# The parts of `content/`, each read again only when one of its files changed: the calendar,
# the places, and everything else (the topics and the menu). Measured on 2 shared cores: the
# catalog 50-150 ms, the places 30-100 ms, the calendar under 5 ms, and a poll that finds
# nothing changed under 1 ms; a reload blocks the bot for that long.
CATALOG: Final = "catalog"
CALENDAR: Final = "calendar"
PLACES: Final = "places"
PARTS: Final = (CATALOG, CALENDAR, PLACES)

Stamp = tuple[tuple[str, int, int], ...]


@dataclass(frozen=True, slots=True)
class Snapshot:
    """Everything under `content/` as read at one moment: served as a whole, never changed."""

    catalog: Catalog
    calendar: tuple[Campaign, ...]
    places: Places


@dataclass(frozen=True, slots=True)
class ReloadResult:
    """What a reload did: whether a new snapshot is served, and the problems that blocked it."""

    changed: bool
    problems: tuple[Problem, ...] = ()


def read_content(
    root: Path, reuse: Snapshot | None = None, parts: Collection[str] = PARTS
) -> tuple[Snapshot, list[Problem]]:
    """Read the `parts` of `root` (the others come from `reuse`): what is valid, and problems."""
    problems: list[Problem] = []
    if reuse is None or CATALOG in parts:
        catalog, found = read_catalog(root)
        referrals, more = read_referrals(root)
        catalog = replace(catalog, referrals=referrals)
        problems += found + more
    else:
        catalog = reuse.catalog
    if reuse is None or PLACES in parts:
        places, found = read_places(root)
        problems += found
    else:
        places = reuse.places
    # The calendar names places: it is checked again whenever they change.
    if reuse is None or CALENDAR in parts or PLACES in parts:
        calendar, found = read_calendar(root, places)
        problems += found
    else:
        calendar = reuse.calendar
    return Snapshot(catalog, calendar, places), problems


def load_content(root: Path) -> Snapshot:
    """All of `root`, valid; `ContentError` listing every problem otherwise."""
    snapshot, problems = read_content(root)
    if problems:
        raise ContentError("\n".join(str(problem) for problem in problems))
    return snapshot


def fingerprint(root: Path) -> dict[str, Stamp]:
    """Path, modification time and size of every file under `root`, by part (no hidden files)."""
    stamps: dict[str, list[tuple[str, int, int]]] = {part: [] for part in PARTS}
    for folder, dirs, files in os.walk(root, followlinks=True):
        dirs[:] = sorted(name for name in dirs if not name.startswith("."))
        for name in sorted(name for name in files if not name.startswith(".")):
            path = Path(folder, name)
            try:
                stat = path.stat()
            except OSError:  # removed meanwhile
                continue
            stamps[_part(path.relative_to(root))].append(
                (str(path), stat.st_mtime_ns, stat.st_size)
            )
    return {part: tuple(found) for part, found in stamps.items()}


def _part(relative: Path) -> str:
    if relative.parts[0] == PLACES_DIR:
        return PLACES
    return CALENDAR if relative == Path(CALENDAR_FILE) else CATALOG


class ContentStore:
    """Holds the snapshot being served; a reload swaps it only for a valid one."""

    def __init__(
        self, root: Path, snapshot: Snapshot, stamps: dict[str, Stamp] | None = None
    ) -> None:
        self.root = root
        self.snapshot = snapshot
        # The files the snapshot was read from, and the files as last seen (good or not).
        self._good = fingerprint(root) if stamps is None else stamps
        self._seen = self._good

    @classmethod
    def load(cls, root: Path) -> ContentStore:
        """Load the content at start-up; any problem stops the start (ContentError)."""
        stamps = fingerprint(root)  # before reading: an edit made meanwhile is seen next time
        return cls(root, load_content(root), stamps)

    @property
    def catalog(self) -> Catalog:
        """The topics and the menu being served."""
        return self.snapshot.catalog

    @property
    def calendar(self) -> tuple[Campaign, ...]:
        """The campaign calendar being served."""
        return self.snapshot.calendar

    @property
    def places(self) -> Places:
        """The municipalities and postcodes being served."""
        return self.snapshot.places

    def reload(self) -> ReloadResult:
        """Read every file again; keep serving the last good snapshot if there are problems."""
        return self._read(fingerprint(self.root), PARTS)

    def reload_if_changed(self) -> ReloadResult | None:
        """Read again the parts whose files changed (the watchers call this); None if none."""
        stamps = fingerprint(self.root)
        if stamps == self._seen:
            return None
        return self._read(stamps, [part for part in PARTS if stamps[part] != self._good[part]])

    def _read(self, stamps: dict[str, Stamp], parts: Collection[str]) -> ReloadResult:
        snapshot, problems = read_content(self.root, self.snapshot, parts)
        self._seen = stamps
        if problems:
            logger.warning(
                "Content reload rejected (%d problems); serving the last good content",
                len(problems),
            )
            return ReloadResult(False, tuple(problems))
        self.snapshot, self._good = snapshot, stamps
        logger.info(
            "Content reloaded (%s): %d topics, %d campaigns, %d municipalities",
            ", ".join(parts) or "nothing changed",
            len(snapshot.catalog.topics),
            len(snapshot.calendar),
            len(snapshot.places.municipalities),
        )
        return ReloadResult(True)
