"""The real content read once, and content folders with a calendar written inline."""

from __future__ import annotations

import functools
import os
from pathlib import Path

from bot.catalog.campaigns import CALENDAR_FILE
from bot.catalog.store import CALENDAR, ContentStore, Snapshot, load_content, read_content
from tests.helpers.project import project_path

CAMPAIGN_YAML = """
campaigns:
  - id: {id}
    target: {target}
    when:
      {when}
      time: "{time}"
    message:
      fr: Rappel en français.
      nl: Herinnering in het Nederlands.
      de: Erinnerung auf Deutsch.
      en: Reminder in English.
"""


@functools.cache
def real_content() -> Snapshot:
    """The project's content/ (read-only in the tests), read once per session."""
    return load_content(project_path("content"))


def campaign(
    id: str = "test-campaign",
    target: str = "all",
    when: str = "date: 2026-11-25",
    time: str = "10:00",
) -> str:
    """One campaign in YAML (four one-line messages)."""
    return CAMPAIGN_YAML.format(id=id, target=target, when=when, time=time)


def write_calendar(content_dir: Path, text: str) -> Path:
    """A content folder with the real topics, menu and places, and `text` as campaigns.yml."""
    content_dir.mkdir(parents=True, exist_ok=True)
    for item in project_path("content").iterdir():
        link = content_dir / item.name
        if item.name != CALENDAR_FILE and not link.exists():
            link.symlink_to(item, target_is_directory=item.is_dir())
    touch(content_dir / CALENDAR_FILE, text)
    return content_dir


def touch(path: Path, text: str) -> None:
    """Write `text`, and make the change visible even where timestamps are coarse."""
    before = path.stat().st_mtime_ns if path.exists() else 0
    path.write_text(text, encoding="utf-8")
    stat = path.stat()
    if stat.st_mtime_ns <= before + 1_000_000_000:
        os.utime(path, ns=(stat.st_atime_ns, before + 2_000_000_000))


def calendar_store(content_dir: Path) -> ContentStore:
    """A store over a `write_calendar` folder: only its calendar is read, the rest is shared."""
    snapshot, problems = read_content(content_dir, real_content(), (CALENDAR,))
    assert problems == [], problems
    return ContentStore(content_dir, snapshot)


def edit_calendar(store: ContentStore, text: str) -> None:
    """An editor changes the store's campaigns.yml; the running bot's watcher picks it up."""
    write_calendar(store.root, text)
    result = store.reload_if_changed()
    assert result is not None
    assert result.problems == ()
