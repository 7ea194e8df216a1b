"""Topic and menu files edited in place (ruamel.yaml round-trip): comments, key order and block
scalars of the original stay; a field the form does not change is not touched at all, so an
unchanged form gives back the file byte for byte.
"""

from __future__ import annotations

import difflib
import io
from collections.abc import Sequence
from datetime import date
from typing import Any, Final

import yaml
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import YAMLError
from ruamel.yaml.scalarstring import (
    DoubleQuotedScalarString,
    LiteralScalarString,
    SingleQuotedScalarString,
)

from bot.base.languages import LANGUAGES
from bot.editorial.form import FormError, SourceItem, TextForm, TopicForm, source_item

REVIEWED_BY: Final = "reviewed_by"  # the reviewer's name, written beside `reviewed` on approval
_DUMPER: Final = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


def _yaml() -> YAML:
    # The layout of the project's files: 2-space mappings, `  - item` lists, no line wrapping.
    document = YAML()
    document.preserve_quotes = True
    document.width = 4096
    document.indent(mapping=2, sequence=4, offset=2)
    return document


def text_node(value: str, flow: bool = False) -> str:
    """A text quoted the way the catalog's reader needs it (`flow`: inside `[...]`).

    ruamel.yaml writes YAML 1.2, where `yes`, `no`, `on` are texts and `[:0]` is a list; the
    reader is PyYAML (YAML 1.1), which reads them as booleans or refuses them. So PyYAML decides
    which texts need quotes.
    """
    dumped = yaml.dump(
        [value] if flow else value,
        Dumper=_DUMPER,
        allow_unicode=True,
        width=4096,
        default_flow_style=flow,
    )
    first = dumped[1:2] if flow else dumped[:1]
    if first == "'":
        return SingleQuotedScalarString(value)
    if first == '"':
        return DoubleQuotedScalarString(value)
    return value


def load(text: str) -> CommentedMap:
    """A YAML mapping for round-trip editing; FormError if it is not one."""
    try:
        data = _yaml().load(text)
    except YAMLError as exc:
        raise FormError(f"not valid YAML: {exc}") from exc
    if not isinstance(data, CommentedMap):
        raise FormError("a topic file is a YAML mapping")
    return data


def dump(data: CommentedMap) -> str:
    """The mapping as YAML text."""
    out = io.StringIO()
    _yaml().dump(data, out)
    return out.getvalue()


def apply_to_yaml(original: str, form: TopicForm) -> str:
    """`original` (a topic file) with the form's values; untouched where nothing changed."""
    data = load(original)
    _set(data, "id", form.id)
    _set(data, "group", form.group)
    _set_list(data, "related", list(form.related), flow=False)
    for language in LANGUAGES:
        section = data.get(language)
        if not isinstance(section, CommentedMap):
            section = data[language] = CommentedMap()
        _apply_text(section, form.text(language))
    return dump(data)


def _apply_text(section: CommentedMap, text: TextForm) -> None:
    _set(section, "title", text.title)
    _set_block(section, "answer", text.answer, optional=False)
    _set_block(section, "more", text.more, optional=True)
    items = [_source_node(item) for item in text.sources]
    _set_list(section, "sources", items, flow=False, convert=source_item)
    if text.terms or "terms" in section:
        _set_list(section, "terms", list(text.terms), flow=True)


def _set(data: CommentedMap, key: str, value: str) -> None:
    if key not in data or str(data[key]) != value:
        data[key] = text_node(value)


def _set_block(data: CommentedMap, key: str, value: str, optional: bool) -> None:
    current = data.get(key)
    if current is not None and str(current).strip() == value:
        return
    if not value and optional:
        data.pop(key, None)
    else:
        data[key] = LiteralScalarString(value + "\n") if value else ""


def _source_node(item: SourceItem) -> Any:
    if not item.press and item.lang is None:
        return item.url
    node = CommentedMap(url=text_node(item.url))
    if item.press:
        node["press"] = True
    if item.lang is not None:
        node["lang"] = text_node(item.lang)
    return node


def _set_list(
    data: CommentedMap, key: str, items: list[Any], flow: bool, convert: Any = str
) -> None:
    """Set a list, editing the existing one item by item so comments on kept items stay.

    A block list (`flow` false) that was written `[]` while empty becomes a block again.
    """
    current = data.get(key)
    if not isinstance(current, CommentedSeq):
        current = CommentedSeq()
        data[key] = current
    if flow or not items:
        current.fa.set_flow_style()
    elif not current:
        current.fa.set_block_style()
    inline = bool(current.fa.flow_style())
    items = [text_node(item, inline) if isinstance(item, str) else item for item in items]
    old = [convert(item) for item in current]
    new = [convert(item) for item in items]
    matcher = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
    for tag, i1, i2, j1, j2 in reversed(matcher.get_opcodes()):
        if tag == "equal":
            continue
        for index in range(i2 - 1, i1 - 1, -1):
            del current[index]
        for offset, item in enumerate(items[j1:j2]):
            current.insert(i1 + offset, item)


def set_review(text: str, reviewed: date, reviewer: str) -> str:
    """The topic file with its `reviewed` date and the reviewer's name (`reviewed_by`) set."""
    data = load(text)
    data["reviewed"] = reviewed
    if REVIEWED_BY in data:
        data[REVIEWED_BY] = text_node(reviewer)
    else:
        keys = list(data)
        at = keys.index("reviewed") + 1 if "reviewed" in keys else len(keys)
        data.insert(at, REVIEWED_BY, text_node(reviewer))
    return dump(data)


def new_topic_yaml(topic_id: str, group: str, today: date) -> str:
    """The file of a new topic: its id and group, and blank texts in the four languages."""
    data = CommentedMap(id=text_node(topic_id), group=text_node(group), reviewed=today)
    data["related"] = _flow([])
    for language in LANGUAGES:
        data[language] = CommentedMap(title="", answer="", sources=CommentedSeq(), terms=_flow([]))
    return dump(data)


def _flow(items: Sequence[str]) -> CommentedSeq:
    seq = CommentedSeq(items)
    seq.fa.set_flow_style()
    return seq


def add_to_menu(menu_text: str, group_id: str, topic_id: str) -> str:
    """`content/menu.yml` with `topic_id` at the end of group `group_id` (and in no other)."""
    data = load(menu_text)
    groups = data.get("groups")
    if not isinstance(groups, CommentedSeq):
        raise FormError("menu.yml has no list of groups")
    target = next(
        (g for g in groups if isinstance(g, CommentedMap) and g.get("id") == group_id), None
    )
    if target is None:
        raise FormError(f"no menu group '{group_id}'")
    for group in groups:
        topics = group.get("topics") if isinstance(group, CommentedMap) else None
        if isinstance(topics, CommentedSeq) and topic_id in topics and group is not target:
            topics.remove(topic_id)
    topics = target.get("topics")
    if not isinstance(topics, CommentedSeq):
        raise FormError(f"menu group '{group_id}' has no list of topics")
    if topic_id not in topics:
        topics.append(topic_id)
    return dump(data)
