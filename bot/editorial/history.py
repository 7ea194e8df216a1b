"""Comparing versions of a topic: a per-language diff for people, a field-by-field merge."""

from __future__ import annotations

import difflib
from typing import Final

from bot.base.languages import LANGUAGES
from bot.editorial.form import TEXT_PARTS, TopicForm, form_fields, form_from_fields, form_from_yaml

TOPIC_SECTION: Final = "topic"  # the group and related topics; then one section per language
SECTIONS: Final = (TOPIC_SECTION, *LANGUAGES)
_BLOCKS: Final = frozenset({"related", "answer", "more", "sources"})


def section_lines(form: TopicForm, section: str) -> list[str]:
    """One section of a topic as lines to compare: `title: ...`, `answer:` then its lines..."""
    values = form_fields(form)
    names = ("group", "related") if section == TOPIC_SECTION else TEXT_PARTS
    lines: list[str] = []
    for name in names:
        value = values[name if section == TOPIC_SECTION else f"{section}.{name}"]
        if name in _BLOCKS:
            lines.append(f"{name}:")
            lines += [f"  {line}" for line in value.split("\n")] if value else []
        else:
            lines.append(f"{name}: {value}")
    return lines


def diff_texts(old: str | None, new: str | None) -> dict[str, list[str]]:
    """What changed from topic file `old` to `new` (None: no file), as unified-diff lines by
    section (`topic`, `fr`, `nl`, `de`, `en`); an unchanged section has no lines."""
    before = form_from_yaml(old) if old else TopicForm("", "")
    after = form_from_yaml(new) if new else TopicForm("", "")
    changes = {}
    for section in SECTIONS:
        lines = difflib.unified_diff(
            section_lines(before, section), section_lines(after, section), lineterm="", n=2
        )
        changes[section] = [line for line in lines if not line.startswith(("---", "+++"))]
    return changes


def merge(
    base: TopicForm | None, theirs: TopicForm, mine: TopicForm
) -> tuple[TopicForm, tuple[str, ...]]:
    """Mine on top of theirs, field by field, from their common `base` (None: unknown).

    A field only one side changed takes that side's value; a field both changed differently
    keeps mine and is listed as a conflict for the person to look at.
    """
    old = form_fields(base) if base is not None else None
    their_values, my_values = form_fields(theirs), form_fields(mine)
    merged: dict[str, str] = {}
    conflicts = []
    for name, my_value in my_values.items():
        their_value = their_values[name]
        if old is not None and my_value == old[name]:
            merged[name] = their_value
        elif my_value == their_value or (old is not None and their_value == old[name]):
            merged[name] = my_value
        else:
            merged[name] = my_value
            conflicts.append(name)
    return form_from_fields(merged, mine.id), tuple(conflicts)
