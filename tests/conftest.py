"""Shared fixtures: settings on a temporary database, a trained NLU, the real content."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from dataclasses import replace
from datetime import datetime
from pathlib import Path

import pytest

from bot.app import assemble, engine_config
from bot.base.settings import Secret, Settings, load_settings
from bot.catalog.store import ContentStore
from bot.catalog.topics import Catalog
from bot.dialogue.router import Dialogue
from bot.dialogue.services import Services
from bot.storage import Storage
from nlu import EmbeddedNLU
from tests.helpers.content import real_content
from tests.helpers.db import make_template, open_copy
from tests.helpers.project import NOW

# The workspace's fixtures (`web`, `client`), for tests/web/ and any test of a page.
# PostgreSQL (`postgres_server`, `postgres_database`), started only by the tests that use it.
pytest_plugins = ("tests.helpers.web", "tests.helpers.postgres")


@pytest.fixture(scope="session")
def nlu_cache_dir() -> Path:
    """The project's model cache (var/, ignored by git), keyed by the data's hash: the model
    is trained at most once per data version, shared by test runs and `make run`."""
    return load_settings(environ={}).nlu.model_cache_dir


@pytest.fixture(scope="session")
def catalog() -> Catalog:
    """The real topics and menu, loaded once."""
    return real_content().catalog


@pytest.fixture(scope="session")
def trained_nlu(nlu_cache_dir: Path) -> EmbeddedNLU:
    """The real embedded engine trained on the real data (once per session)."""
    config = engine_config(load_settings(environ={}))
    return EmbeddedNLU.from_config(replace(config, cache_dir=nlu_cache_dir))


@pytest.fixture
def backend() -> str:
    """The database the `storage` fixture opens: SQLite here; tests/storage and
    tests/reminders run on both (their conftest.py parametrizes it)."""
    return "sqlite"


@pytest.fixture
def settings(tmp_path: Path, backend: str, request: pytest.FixtureRequest) -> Settings:
    """The project's settings with the database in a temporary folder (or a fresh PostgreSQL
    database when `backend` is "postgresql") and one admin (id 42)."""
    base = load_settings(environ={})
    settings = replace(base, db_path=tmp_path / "preventbot.sqlite3", admins=frozenset({42}))
    if backend == "postgresql":
        url: str = request.getfixturevalue("postgres_database")
        settings = replace(settings, db_url=Secret(url))
    return settings


@pytest.fixture(scope="session")
def storage_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A database migrated once per session; each test's database starts as a copy of it."""
    return make_template(tmp_path_factory.mktemp("storage"))


@pytest.fixture
async def storage(settings: Settings, storage_template: Path) -> AsyncIterator[Storage]:
    """A real SQLite file (or PostgreSQL database, see `backend`), migrated, closed after."""
    if settings.db_url is not None:
        store = await Storage.open(settings.database)
    else:
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
) -> Services:
    """The real services on the real content, a fresh database and the session's NLU."""
    content = ContentStore(settings.content_dir, real_content())
    return assemble(settings, content, trained_nlu, storage, clock)


@pytest.fixture
def dialogue(services: Services) -> Dialogue:
    """The dialogue core over the real services."""
    return services.dialogue
