"""Builders for the editorial tests: a copy of the real content, a team, a ticking clock."""

from __future__ import annotations

import functools
import shutil
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from pathlib import Path

from bot.base.settings import Settings
from bot.catalog.store import ContentStore
from bot.editorial.form import TextForm, TopicForm
from bot.editorial.review import Editorial
from bot.editorial.validation import Rules
from bot.storage import StaffMember, Storage
from nlu import read_directory
from tests.helpers.project import NOW, project_path

# A French answer of 70 words, without figures: valid under every rule.
ANSWER_FR = " ".join(["Fermez toujours la porte à clé, même pour une courte absence."] * 7)


def copy_content(folder: Path) -> Path:
    """A writable copy of the project's content/ (the tests publish into it)."""
    target = folder / "content"
    shutil.copytree(project_path("content"), target)
    return target


@functools.cache
def training_intents() -> frozenset[str]:
    """The intents of the real training data, read once."""
    return read_directory(project_path("nlu", "data"), strict=False).intents


def rules_for(settings: Settings, content_dir: Path) -> Rules:
    """The `content check` rules on a content folder, with the real training intents."""
    return Rules(
        content_dir, settings.trusted_domains, settings.blocked_domains, training_intents()
    )


class Ticking:
    """A clock that moves one second per reading, from the tests' fixed moment."""

    def __init__(self, start: datetime = NOW) -> None:
        self.moment = start

    def __call__(self) -> datetime:
        self.moment += timedelta(seconds=1)
        return self.moment


def make_editorial(storage: Storage, settings: Settings, content_dir: Path) -> Editorial:
    """The editorial features on a content folder and a database."""
    settings = replace(settings, content_dir=content_dir)
    store = ContentStore.load(content_dir)
    return Editorial(storage, store, settings, Ticking(), rules_for(settings, content_dir))


@dataclass(frozen=True, slots=True)
class Team:
    """Two editors, a reviewer and an admin."""

    ana: StaffMember  # editor
    bob: StaffMember  # editor
    rita: StaffMember  # reviewer
    adam: StaffMember  # admin


async def make_team(storage: Storage) -> Team:
    """The team's accounts in the database."""
    return Team(
        await storage.staff.add("Ana", "editor", "fr", NOW),
        await storage.staff.add("Bob", "editor", "nl", NOW),
        await storage.staff.add("Rita", "reviewer", "fr", NOW),
        await storage.staff.add("Adam", "admin", "en", NOW),
    )


def edited(form: TopicForm, language: str, **changes: object) -> TopicForm:
    """The form with some fields of one language changed."""
    text: TextForm = replace(form.text(language), **changes)  # type: ignore[arg-type]
    return replace(form, texts={**form.texts, language: text})
