"""Fixtures for the reminders: a settable clock, a fake sender, calendars written inline."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from bot.app import assemble
from bot.base.settings import Settings
from bot.catalog.store import ContentStore
from bot.cli.reminders import CliServices
from bot.dialogue.router import Dialogue
from bot.dialogue.services import Services
from bot.reminders.ratelimit import TokenBucket
from bot.storage import Storage
from tests.helpers.content import calendar_store, campaign, real_content, write_calendar
from tests.helpers.postgres import parametrize_backends
from tests.helpers.reminders import Clock, FakeNLU, FakeSender, FakeSleep, shared_translator


@pytest.fixture
def clock() -> Clock:
    """The clock every service reads (starts at tests.helpers.project.NOW)."""
    return Clock()


@pytest.fixture
def calendar_dir(tmp_path: Path) -> Path:
    """A content folder whose calendar the test writes (one campaign due on NOW's day)."""
    return write_calendar(tmp_path / "content", campaign())


@pytest.fixture
def bundle(settings: Settings, storage: Storage, clock: Clock, calendar_dir: Path) -> CliServices:
    """What a reminder pass needs, over the test calendar (reload it after an edit)."""
    return CliServices(
        replace(settings, content_dir=calendar_dir),
        calendar_store(calendar_dir),
        storage,
        shared_translator(settings.languages),
        clock,
    )


@pytest.fixture
def sender() -> FakeSender:
    """A sender that records what reached Telegram."""
    return FakeSender()


@pytest.fixture
def sleep() -> FakeSleep:
    """Fake time for the rate limiter: RetryAfter waits are recorded, not slept."""
    return FakeSleep()


@pytest.fixture
def limiter(sleep: FakeSleep) -> TokenBucket:
    """No rate limit, but RetryAfter pauses go through the fake sleep."""
    return TokenBucket(None, clock=sleep.clock, sleep=sleep)


@pytest.fixture
def services(settings: Settings, storage: Storage, clock: Clock) -> Services:
    """The services on the real content and places, with an NLU that understands nothing."""
    content = ContentStore(settings.content_dir, real_content())
    translator = shared_translator(settings.languages)
    return assemble(settings, content, FakeNLU(), storage, clock, translator)


@pytest.fixture
def dialogue(services: Services) -> Dialogue:
    """The dialogue core with the reminders attached."""
    return services.dialogue


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """Every test on the database runs on SQLite and on PostgreSQL."""
    parametrize_backends(metafunc)
