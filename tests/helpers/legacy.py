"""The databases written before Alembic (tests/helpers/data/legacy_v*.sqlite3), to copy."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Final

DATA: Final = Path(__file__).with_name("data")
LEGACY_VERSIONS: Final = (1, 2, 3)


def legacy_copy(version: int, path: Path) -> Path:
    """A copy of the database at legacy `PRAGMA user_version` `version`, at `path`."""
    shutil.copyfile(DATA / f"legacy_v{version}.sqlite3", path)
    return path
