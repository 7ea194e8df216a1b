"""A topic as an editable form: plain fields an editor types, read from a topic's YAML.

Field names (the `name=` of the web form's inputs; `xx` is fr, nl, de or en):

- `id`, `group`: one line each (the id is fixed once the topic exists);
- `related`: topic ids, one per line (commas also separate);
- `xx.title`: one line; `xx.answer`, `xx.more`: free text, blank lines between paragraphs;
- `xx.sources`: one link per line, optionally followed by markers in brackets:
  `https://www.besafe.be/fr/plp`, `https://www.lesoir.be/123 [press]`,
  `https://www.politie.be/5998/nl/inbraak [lang:nl]`, `https://x.be/a [press] [lang:en]`;
- `xx.terms`: the words citizens use, separated by commas or line breaks.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Final

import yaml

from bot.base.languages import LANGUAGES

TEXT_PARTS: Final = ("title", "answer", "more", "sources", "terms")
TOPIC_PARTS: Final = ("id", "group", "related")
FIELDS: Final = (*TOPIC_PARTS, *(f"{lang}.{part}" for lang in LANGUAGES for part in TEXT_PARTS))
PRESS_MARK: Final = "[press]"
_LOADER: Final = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
# What YAML may hold (PyYAML's printable set), less the line separators it treats specially.
_UNPRINTABLE: Final = re.compile(
    "[^\t\n\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]"
)
_MARK_RE: Final = re.compile(r"\[\s*(press|lang\s*[:=]\s*[^\]\s]+)\s*\]", re.IGNORECASE)
_LIST_SPLIT: Final = re.compile(r"[,\n]")


class FormError(ValueError):
    """A topic text that cannot be read as a form (not a topic mapping)."""


@dataclass(frozen=True, slots=True)
class SourceItem:
    """One source link: the URL, whether it is a press article, the page's declared language."""

    url: str
    press: bool = False
    lang: str | None = None

    def line(self) -> str:
        """The item as the editor types it: the URL and its markers."""
        marks = [PRESS_MARK] if self.press else []
        marks += [f"[lang:{self.lang}]"] if self.lang else []
        return " ".join([self.url, *marks])


@dataclass(frozen=True, slots=True)
class TextForm:
    """A topic in one language, as typed."""

    title: str = ""
    answer: str = ""
    more: str = ""
    sources: tuple[SourceItem, ...] = ()
    terms: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class TopicForm:
    """The editable part of a topic: id, menu group, related topics and the four texts."""

    id: str
    group: str
    related: tuple[str, ...] = ()
    texts: dict[str, TextForm] = field(default_factory=dict)

    def text(self, language: str) -> TextForm:
        """The text in `language` (blank if the form has none)."""
        return self.texts.get(language) or TextForm()


def clean_text(value: str) -> str:
    """Text as stored: Unix line breaks, no control characters, no trailing blanks per line."""
    value = _UNPRINTABLE.sub("", value.replace("\r\n", "\n").replace("\r", "\n"))
    return "\n".join(line.rstrip() for line in value.split("\n")).strip()


def clean_line(value: str) -> str:
    """One-line text: every run of blanks and line breaks becomes one space."""
    return " ".join(clean_text(value).split())


def parse_list(value: str) -> tuple[str, ...]:
    """Items separated by commas or line breaks (empty items dropped)."""
    return tuple(item for part in _LIST_SPLIT.split(value) if (item := clean_line(part)))


def parse_sources(value: str) -> tuple[SourceItem, ...]:
    """One source per line: a URL, then `[press]` and/or `[lang:xx]`; other text stays in the URL
    (so the check reports the link as bad rather than dropping what was typed)."""
    items = []
    for raw in clean_text(value).split("\n"):
        line = clean_line(raw).removeprefix("- ").strip()
        if not line:
            continue
        press, lang = False, None
        for mark in _MARK_RE.findall(line):
            if mark.lower() == "press":
                press = True
            else:
                lang = re.split(r"[:=]", mark, maxsplit=1)[1].strip().lower()
        items.append(SourceItem(clean_line(_MARK_RE.sub(" ", line)), press, lang))
    return tuple(items)


def form_from_fields(fields: Mapping[str, str], topic_id: str | None = None) -> TopicForm:
    """The form from posted fields (names as above; missing ones are blank); `topic_id` wins."""

    def get(name: str) -> str:
        return str(fields.get(name, ""))

    texts = {
        lang: TextForm(
            clean_line(get(f"{lang}.title")),
            clean_text(get(f"{lang}.answer")),
            clean_text(get(f"{lang}.more")),
            parse_sources(get(f"{lang}.sources")),
            parse_list(get(f"{lang}.terms")),
        )
        for lang in LANGUAGES
    }
    return TopicForm(
        topic_id or clean_line(get("id")),
        clean_line(get("group")),
        parse_list(get("related")),
        texts,
    )


def form_fields(form: TopicForm) -> dict[str, str]:
    """The form as field values to fill the inputs with (the inverse of `form_from_fields`)."""
    values = {"id": form.id, "group": form.group, "related": "\n".join(form.related)}
    for lang in LANGUAGES:
        text = form.text(lang)
        values[f"{lang}.title"] = text.title
        values[f"{lang}.answer"] = text.answer
        values[f"{lang}.more"] = text.more
        values[f"{lang}.sources"] = "\n".join(item.line() for item in text.sources)
        values[f"{lang}.terms"] = ", ".join(text.terms)
    return values


def form_from_yaml(text: str) -> TopicForm:
    """The form of a topic file's text; FormError if it is not YAML or not a mapping."""
    try:
        data = yaml.load(text, Loader=_LOADER)
    except yaml.YAMLError as exc:
        raise FormError(f"not valid YAML: {exc}") from exc
    if not isinstance(data, dict):
        raise FormError("a topic file is a YAML mapping")
    texts = {lang: _text_form(data.get(lang)) for lang in LANGUAGES}
    return TopicForm(
        _scalar(data.get("id")), _scalar(data.get("group")), _strings(data.get("related")), texts
    )


def _text_form(data: Any) -> TextForm:
    if not isinstance(data, dict):
        return TextForm()
    sources = data.get("sources")
    items = sources if isinstance(sources, list) else []
    return TextForm(
        _scalar(data.get("title")),
        _scalar(data.get("answer")).strip(),
        _scalar(data.get("more")).strip(),
        tuple(source_item(item) for item in items),
        _strings(data.get("terms")),
    )


def source_item(item: Any) -> SourceItem:
    """A `sources` entry of a topic file (a URL, or a mapping with url, press, lang)."""
    if isinstance(item, Mapping):
        lang = item.get("lang")
        return SourceItem(
            _scalar(item.get("url")).strip(),
            item.get("press") is True,
            None if lang is None else str(lang),
        )
    return SourceItem(_scalar(item).strip())


def _scalar(value: Any) -> str:
    return "" if value is None else str(value)


def _strings(value: Any) -> tuple[str, ...]:
    items: Iterable[Any] = value if isinstance(value, list) else ()
    return tuple(str(item).strip() for item in items if item is not None)
