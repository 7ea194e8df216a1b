"""Fixtures for the editorial features: a copy of the content, the features on it, a team."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.base.settings import Settings
from bot.editorial.review import Editorial
from bot.storage import Storage
from tests.helpers.editorial import Team, copy_content, make_editorial, make_team


@pytest.fixture
def content_dir(tmp_path: Path) -> Path:
    """A writable copy of the real content."""
    return copy_content(tmp_path)


@pytest.fixture
def editorial(storage: Storage, settings: Settings, content_dir: Path) -> Editorial:
    """The editorial features on the copy and a fresh database."""
    return make_editorial(storage, settings, content_dir)


@pytest.fixture
async def team(storage: Storage) -> Team:
    """Ana and Bob (editors), Rita (reviewer), Adam (admin)."""
    return await make_team(storage)
