"""The rules of `preventbot content check` on one edited topic, each message next to its field.

The form is written as YAML and read by the catalog's own topic reader (`read_topic` on text),
then the same source, statistic and training rules run on it; a problem's line in that YAML
tells its field. Fast enough for every keystroke: a few milliseconds for one topic.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, Final

import yaml

from bot.base.languages import LANGUAGES
from bot.base.settings import Settings
from bot.catalog.files import Problem
from bot.catalog.rules import sourcing_problems, training_problems
from bot.catalog.topics import ANSWER_GUIDELINE, MAX_TITLE, Catalog, read_topic, topic_file
from bot.editorial.form import FIELDS, TopicForm
from nlu import ACTION_INTENTS, read_directory

TOPIC: Final = "topic"  # the messages about the topic as a whole (no one field)
_FIELD_RE: Final = re.compile(rf"\b({'|'.join(LANGUAGES)})\.(title|answer|more|sources|terms)\b")
_LOADER: Final = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
# The form is checked as of an arbitrary fixed review date: approval sets the real one.
_ANY_DAY: Final = date(2000, 1, 1)


@dataclass(frozen=True, slots=True)
class Count:
    """A live counter next to a field: its value against the guideline."""

    value: int
    low: int
    high: int
    unit: str

    @property
    def ok(self) -> bool:
        """Whether the value is within the guideline."""
        return self.low <= self.value <= self.high


@dataclass(frozen=True, slots=True)
class Report:
    """Errors (they block approval) and warnings by field name, and the live counters."""

    errors: dict[str, list[str]] = field(default_factory=dict)
    warnings: dict[str, list[str]] = field(default_factory=dict)
    counts: dict[str, Count] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        """True when nothing blocks publishing."""
        return not self.errors


class Rules:
    """What the checks need besides the topic: the content folder, domains, training intents."""

    def __init__(
        self,
        root: Path,
        trusted: Collection[str],
        blocked: Collection[str],
        intents: Collection[str],
    ) -> None:
        self.root, self.trusted, self.blocked, self.intents = root, trusted, blocked, intents

    @classmethod
    def from_settings(cls, settings: Settings) -> Rules:
        """The rules of `content check` for these settings (reads the NLU training data once)."""
        intents = read_directory(settings.nlu_data_dir, strict=False).intents
        return cls(
            settings.content_dir, settings.trusted_domains, settings.blocked_domains, intents
        )


class _Dumper(getattr(yaml, "CSafeDumper", yaml.SafeDumper)):  # type: ignore[misc]
    """libyaml's writer, with multi-line texts as literal blocks (exact lines for messages)."""


class _Block(str):
    """A text written as a `|` block."""


def _block(dumper: Any, data: _Block) -> Any:
    return dumper.represent_scalar("tag:yaml.org,2002:str", str(data), style="|")


_Dumper.add_representer(_Block, _block)


def form_yaml(form: TopicForm, reviewed: date = _ANY_DAY) -> str:
    """The form as a plain topic file (the layout of an existing file is `apply_to_yaml`'s job)."""
    data: dict[str, Any] = {
        "id": form.id,
        "group": form.group,
        "reviewed": reviewed,
        "related": list(form.related),
    }
    for language in LANGUAGES:
        text = form.text(language)
        section: dict[str, Any] = {"title": text.title, "answer": _Block(text.answer + "\n")}
        if text.more:
            section["more"] = _Block(text.more + "\n")
        section["sources"] = [
            {
                "url": s.url,
                **({"press": True} if s.press else {}),
                **({"lang": s.lang} if s.lang else {}),
            }
            if s.press or s.lang
            else s.url
            for s in text.sources
        ]
        section["terms"] = list(text.terms)
        data[language] = section
    return str(yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=4096))


def validate(form: TopicForm, catalog: Catalog, rules: Rules) -> Report:
    """The problems `content check` would find if the form were published (the live check)."""
    return validate_text(form_yaml(form), catalog, rules)


def validate_text(text: str, catalog: Catalog, rules: Rules) -> Report:
    """The problems `content check` would find in this topic file text, by field."""
    problems: list[Problem] = []
    topic_id = _topic_id(text)
    path = topic_file(rules.root, topic_id or "topic")
    topic = read_topic(path, problems, text, lenient=True)
    report = Report()
    locate = _locator(text)
    for problem in problems:
        _add(report.errors, locate(problem), problem.message)
    if topic is None:
        return report
    if catalog.group(topic.group) is None and topic.group:
        groups = ", ".join(group.id for group in catalog.groups)
        _add(report.errors, "group", f"group '{topic.group}' is not a menu group ({groups})")
    for related in topic.related:
        if related not in catalog.topics:
            _add(report.errors, "related", f"related topic '{related}' does not exist")
    single = Catalog({topic.id: topic}, catalog.groups)
    for problem in sourcing_problems(single, rules.root, rules.trusted, rules.blocked):
        _add(report.errors, locate(problem), problem.message)
    everything = Catalog({**catalog.topics, topic.id: topic}, catalog.groups)
    for problem in training_problems(everything, rules.root, rules.intents, ACTION_INTENTS):
        if problem.path == path:
            _add(report.warnings, locate(problem), problem.message)
    for language, texts in topic.texts.items():
        low, high = ANSWER_GUIDELINE
        report.counts[f"{language}.answer"] = Count(len(texts.answer.split()), low, high, "words")
        report.counts[f"{language}.title"] = Count(len(texts.title), 1, MAX_TITLE, "characters")
    return report


def _topic_id(text: str) -> str:
    match = re.search(r"^id:[ \t]*['\"]?([^'\"\n#]*)", text, re.MULTILINE)
    return match[1].strip() if match else ""


def _add(messages: dict[str, list[str]], name: str, message: str) -> None:
    messages.setdefault(name, []).append(message)


def _locator(text: str) -> Any:
    """A function from a problem to its field: named in the message, else by its line."""
    starts: list[int] = []
    names: list[str] = []
    try:
        root = yaml.compose(text, Loader=_LOADER)
    except yaml.YAMLError:
        root = None
    for key, value in root.value if isinstance(root, yaml.MappingNode) else ():
        starts.append(key.start_mark.line + 1)
        names.append(str(key.value))
        if str(key.value) in LANGUAGES and isinstance(value, yaml.MappingNode):
            for sub, _ in value.value:
                starts.append(sub.start_mark.line + 1)
                names.append(f"{key.value}.{sub.value}")

    def locate(problem: Problem) -> str:
        named = _FIELD_RE.search(problem.message)
        if named:
            return named[0]
        index = bisect.bisect_right(starts, problem.line) - 1
        name = names[index] if index >= 0 and problem.line > 1 else "id"
        return name if name in FIELDS else TOPIC

    return locate
