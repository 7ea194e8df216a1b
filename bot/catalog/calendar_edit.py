"""Changing one campaign's messages in `content/campaigns.yml`, as the workspace publishes them.

A round-trip edit with ruamel.yaml: comments, order, quotes and the layout of every other line
stay as they were; only the `message:` texts of that one campaign change (folded `>-` blocks,
wrapped like their neighbours). The new file is read again by the calendar's own reader before
anything is written: if it has a problem, or if anything but that campaign's messages would
change, nothing is written. The write itself is atomic (a hidden temporary file, flushed, then
renamed over the old one), under an exclusive lock on the content folder, so a reader (the bot's
content watcher) sees the old calendar or the new one, never half of one.
"""

from __future__ import annotations

import dataclasses
import hashlib
import io
import json
import textwrap
from collections.abc import Mapping
from pathlib import Path
from typing import Final

from ruamel.yaml import YAML
from ruamel.yaml.error import YAMLError
from ruamel.yaml.scalarstring import FoldedScalarString

from bot.base.errors import ContentError
from bot.base.languages import LANGUAGES
from bot.catalog.campaigns import CALENDAR_FILE, Campaign, read_calendar
from bot.catalog.places import Places
from bot.catalog.writing import folder_lock_blocking, write_files

FOLD_WIDTH: Final = 88  # the file's lines stay under 99 columns with their 8 spaces of indent


class CalendarEditError(ContentError):
    """The calendar could not be changed as asked; nothing was written."""


class CalendarConflictError(CalendarEditError):
    """The campaign's messages in the file are no longer those the change started from."""


def messages_hash(messages: Mapping[str, str]) -> str:
    """A fingerprint of a campaign's messages (as the calendar reader returns them)."""
    text = json.dumps(dict(messages), sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def publish_messages(
    root: Path,
    campaign_id: str,
    messages: Mapping[str, str],
    places: Places,
    expected: str | None = None,
) -> str:
    """Write the campaign's new messages into `root/campaigns.yml`; return the new file's text.

    `expected`: the `messages_hash` of the messages the change started from; if the file now
    holds others, CalendarConflictError and nothing is written. Blocking (file lock and disk):
    call it in a worker thread.
    """
    path = root / CALENDAR_FILE
    with folder_lock_blocking(root):
        old = path.read_text(encoding="utf-8")
        before = _campaigns(root, places, old)
        current = next((c for c in before if c.id == campaign_id), None)
        if current is None:
            raise CalendarEditError(f"no campaign '{campaign_id}' in {path}")
        if expected is not None and messages_hash(current.messages) != expected:
            raise CalendarConflictError(f"the messages of '{campaign_id}' changed meanwhile")
        new = replace_messages(old, campaign_id, messages)
        _check(root, places, new, before, campaign_id, messages)
        write_files([(path, new)])
    return new


def replace_messages(text: str, campaign_id: str, messages: Mapping[str, str]) -> str:
    """`text` (a calendar) with the messages of one campaign replaced, the rest untouched."""
    yaml = _round_trip()
    try:
        data = yaml.load(text)
    except YAMLError as exc:
        raise CalendarEditError(f"{CALENDAR_FILE} cannot be read: {exc}") from exc
    for item in data.get("campaigns") or ():
        if isinstance(item, dict) and item.get("id") == campaign_id:
            target = item["message"]
            for language in LANGUAGES:
                if " ".join(str(target.get(language, "")).split()) != _words(messages[language]):
                    target[language] = folded(messages[language])  # unchanged texts stay as is
            out = io.StringIO()
            yaml.dump(data, out)
            return out.getvalue()
    raise CalendarEditError(f"no campaign '{campaign_id}' in {CALENDAR_FILE}")


def folded(text: str, width: int = FOLD_WIDTH) -> FoldedScalarString:
    """A one-paragraph text as a folded block, wrapped at `width` (long words stay whole)."""
    words = _words(text)
    scalar = FoldedScalarString(words)
    lines = textwrap.wrap(words, width, break_long_words=False, break_on_hyphens=False)
    positions, at = [], 0
    for line in lines[:-1]:
        at += len(line)
        positions.append(at)  # the space where the line is folded
        at += 1
    scalar.fold_pos = positions  # type: ignore[attr-defined]  # set by ruamel, not declared
    return scalar


def _words(text: str) -> str:
    """A message as the calendar reader returns it: its words, one space apart."""
    return " ".join(text.split())


def _round_trip() -> YAML:
    yaml = YAML()  # round-trip mode: comments and layout are kept
    yaml.preserve_quotes = True
    yaml.width = 4096  # never re-wrap lines the file already has
    yaml.indent(mapping=2, sequence=4, offset=2)  # the calendar's own layout
    return yaml


def _campaigns(root: Path, places: Places, text: str) -> tuple[Campaign, ...]:
    campaigns, problems = read_calendar(root, places, text)
    if problems:
        raise CalendarEditError("; ".join(str(problem) for problem in problems))
    return campaigns


def _check(
    root: Path,
    places: Places,
    new: str,
    before: tuple[Campaign, ...],
    campaign_id: str,
    messages: Mapping[str, str],
) -> None:
    """The new calendar reads without problems and differs only in that campaign's messages."""
    after = _campaigns(root, places, new)
    wanted = {language: _words(messages[language]) for language in LANGUAGES}
    expected = [
        dataclasses.replace(c, messages=wanted) if c.id == campaign_id else c for c in before
    ]
    if [_unplaced(c) for c in after] != [_unplaced(c) for c in expected]:
        raise CalendarEditError(f"the edit of '{campaign_id}' would change more than its messages")


def _unplaced(campaign: Campaign) -> Campaign:
    return dataclasses.replace(campaign, line=0)  # lines below move when a message grows
