"""The live content: the last good catalog, reloaded when its files change."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

from bot.catalog.topics import Catalog, Problem, read_catalog

logger = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class ReloadResult:
    """What a reload did: whether the catalog changed, and the problems that blocked it."""

    changed: bool
    problems: tuple[Problem, ...] = ()


class ContentStore:
    """Holds the catalog being served; `reload` swaps it only for a valid one."""

    def __init__(self, root: Path, catalog: Catalog) -> None:
        self.root = root
        self.catalog = catalog
        self._stamp = self._fingerprint()

    @classmethod
    def load(cls, root: Path) -> ContentStore:
        """Load the content at start-up; a broken catalog stops the start (ContentError)."""
        from bot.catalog.topics import load_catalog

        return cls(root, load_catalog(root))

    def _fingerprint(self) -> tuple[tuple[str, int, int], ...]:
        files = sorted([*self.root.glob("topics/*.yml"), *self.root.glob("*.yml")])
        stamps = []
        for path in files:
            try:
                stat = path.stat()
            except OSError:
                continue
            stamps.append((str(path), stat.st_mtime_ns, stat.st_size))
        return tuple(stamps)

    def changed_on_disk(self) -> bool:
        """True if any content file was added, removed or modified since the last (re)load."""
        return self._fingerprint() != self._stamp

    def reload(self) -> ReloadResult:
        """Re-read the files; keep serving the last good catalog if the new one has problems."""
        stamp = self._fingerprint()
        catalog, problems = read_catalog(self.root)
        self._stamp = stamp
        if problems:
            logger.warning(
                "Content reload rejected (%d problems); serving the last good content",
                len(problems),
            )
            return ReloadResult(False, tuple(problems))
        self.catalog = catalog
        logger.info("Content reloaded: %d topics", len(catalog.topics))
        return ReloadResult(True)

    def reload_if_changed(self) -> ReloadResult | None:
        """Reload only when files changed (the polling watcher calls this); None if unchanged."""
        if not self.changed_on_disk():
            return None
        return self.reload()
