"""The repository's paths and the fixed moment the tests live in."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from bot.base.settings import PROJECT_ROOT

BRUSSELS = ZoneInfo("Europe/Brussels")
NOW = datetime(2026, 11, 25, 14, 30, tzinfo=BRUSSELS)


def project_path(*parts: str) -> Path:
    """A path inside the repository."""
    return PROJECT_ROOT.joinpath(*parts)
