"""Shared fixtures: settings on a temporary database, a trained NLU, the real content."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.config import PROJECT_ROOT, Settings, load_settings
from bot.content import Catalog, load_catalog
from bot.content_store import ContentStore
from bot.dialogue import Dialogue, Services
from bot.i18n import Translator
from bot.storage import Storage
from nlu.engine import EmbeddedNLU, EngineConfig
from tests.helpers.db import make_template, open_copy

BRUSSELS = ZoneInfo("Europe/Brussels")
NOW = datetime(2026, 11, 25, 14, 30, tzinfo=BRUSSELS)


@pytest.fixture(scope="session")
def nlu_cache_dir() -> Path:
    """The project's model cache (var/, ignored by git), keyed by the data's hash: the model
    is trained at most once per data version, shared by test runs and `make run`."""
    return load_settings(environ={}).nlu.model_cache_dir


@pytest.fixture(scope="session")
def catalog() -> Catalog:
    """The real content, loaded once."""
    return load_catalog(load_settings(environ={}).content_dir)


@pytest.fixture(scope="session")
def trained_nlu(nlu_cache_dir: Path) -> EmbeddedNLU:
    """The real embedded engine trained on the real data (once per session)."""
    settings = load_settings(environ={})
    return EmbeddedNLU.from_config(
        EngineConfig(
            data_dir=settings.nlu_data_dir,
            cache_dir=nlu_cache_dir,
            threshold=settings.nlu.threshold,
            ambiguity_margin=settings.nlu.ambiguity_margin,
            default_language=settings.default_language,
        )
    )


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    """The project's settings with the database in a temporary folder and one admin (id 42)."""
    base = load_settings(environ={})
    return replace(base, db_path=tmp_path / "preventbot.sqlite3", admins=frozenset({42}))


@pytest.fixture(scope="session")
def storage_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A database migrated once per session; each test's database starts as a copy of it."""
    return make_template(tmp_path_factory.mktemp("storage"))


@pytest.fixture
async def storage(settings: Settings, storage_template: Path) -> AsyncIterator[Storage]:
    """A real SQLite file, migrated, closed after the test."""
    store = await open_copy(storage_template, settings.db_path)
    yield store
    await store.close()


@pytest.fixture
def clock() -> Callable[[], datetime]:
    """A fixed clock: tests pass time in, they never read the real one."""
    return lambda: NOW


@pytest.fixture
def services(
    settings: Settings,
    storage: Storage,
    trained_nlu: EmbeddedNLU,
    clock: Callable[[], datetime],
    catalog: Catalog,
) -> Services:
    """The real services on the real content, a fresh database and the session's NLU."""
    from bot.app import attach_features

    built = Services(
        settings=settings,
        content=ContentStore(settings.content_dir, catalog),
        nlu=trained_nlu,
        storage=storage,
        translator=Translator(settings.languages),
        now=clock,
    )
    attach_features(built)
    return built


@pytest.fixture
def dialogue(services: Services) -> Dialogue:
    """The dialogue core over the real services."""
    return Dialogue(services)


def project_path(*parts: str) -> Path:
    """A path inside the repository."""
    return PROJECT_ROOT.joinpath(*parts)
