"""The curated answers: one file per topic under `content/topics/`, and the menu, validated."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Final

import yaml

from bot.base.languages import LANGUAGES
from bot.catalog.files import Problem, fields_of, line_of, read_yaml, value_of
from bot.catalog.menu import MENU_FILE, Group, read_menu
from bot.catalog.sources import Source, read_sources

TOPICS_DIR: Final = "topics"

TOPIC_KEYS: Final = frozenset({"id", "group", "reviewed", "related", *LANGUAGES})
# Written by the workspace when a reviewer publishes: who reviewed (their name), beside `reviewed`.
OPTIONAL_KEYS: Final = frozenset({"reviewed_by"})
TEXT_KEYS: Final = frozenset({"title", "answer", "more", "sources", "terms"})
MAX_TITLE: Final = 40
ANSWER_WORDS: Final = (40, 180)  # outside this band is an error
ANSWER_GUIDELINE: Final = (60, 150)  # what editors aim for (the workspace's word counter)
# `group.name`: also what keeps a topic id from naming another path (no `/`, `..`, `\\`).
ID_PATTERN: Final = re.compile(r"^[a-z][a-z_]*\.[a-z][a-z_]*$")


@dataclass(frozen=True, slots=True)
class TopicText:
    """A topic in one language; `sources` are the URLs, `source_items` the full entries."""

    title: str
    answer: str
    more: str
    sources: tuple[str, ...]
    terms: tuple[str, ...]
    source_items: tuple[Source, ...] = ()
    # File lines of the first line of `answer` and `more` (exact for `|` blocks), for messages.
    answer_line: int = 0
    more_line: int = 0


@dataclass(frozen=True, slots=True)
class Topic:
    """One topic: its id, menu group, review date, related topics and four texts."""

    id: str
    group: str
    reviewed: date
    related: tuple[str, ...]
    texts: dict[str, TopicText]
    reviewed_by: str = ""

    def text(self, language: str) -> TopicText:
        """The text in `language`, or French if that language is somehow missing."""
        return self.texts.get(language) or self.texts["fr"]


@dataclass(frozen=True, slots=True)
class Referral:
    """A near-scope question's answer: which official service to turn to, in four languages."""

    id: str
    reviewed: date
    texts: dict[str, TopicText]

    def text(self, language: str) -> TopicText:
        """The text in `language`, or French if that language is somehow missing."""
        return self.texts.get(language) or self.texts["fr"]


@dataclass(frozen=True, slots=True)
class Catalog:
    """All topics and the menu: the content the bot serves."""

    topics: dict[str, Topic]
    groups: tuple[Group, ...] = field(default_factory=tuple)
    # Near-scope questions answered by pointing to another official service (referrals.py),
    # by intent id ("referral.online_scam").
    referrals: dict[str, Referral] = field(default_factory=dict)

    def group(self, group_id: str) -> Group | None:
        """The menu group with this id, if any."""
        return next((group for group in self.groups if group.id == group_id), None)


def topic_file(root: Path, topic_id: str) -> Path:
    """The file of a topic under the content folder `root`."""
    return root / TOPICS_DIR / f"{topic_id}.yml"


def read_catalog(root: Path) -> tuple[Catalog, list[Problem]]:
    """The topics and the menu: what is valid, with the list of problems found."""
    problems: list[Problem] = []
    topics: dict[str, Topic] = {}
    files = sorted((root / TOPICS_DIR).glob("*.yml"))
    if not files:
        problems.append(Problem(root / TOPICS_DIR, 0, "no topic files (*.yml) found"))
    for path in files:
        topic = read_topic(path, problems)
        if topic is not None:
            topics[topic.id] = topic
    declared = {topic_id: topic.group for topic_id, topic in topics.items()}
    groups = read_menu(root / MENU_FILE, declared, problems)
    for topic in topics.values():
        path = topic_file(root, topic.id)
        for related in topic.related:
            if related not in topics:
                problems.append(Problem(path, 1, f"related topic '{related}' does not exist"))
    return Catalog(topics, groups), problems


def read_topic(
    path: Path, problems: list[Problem], text: str | None = None, lenient: bool = False
) -> Topic | None:
    """One topic file (or `text` as that file); None if it has a problem, unless `lenient`.

    A lenient read (the workspace's preview of a draft) returns what is readable, with blanks
    for what is not, as long as the topic has an id.
    """
    node = read_yaml(path, problems, text)
    if node is None:
        return None
    fields = fields_of(node)
    before = len(problems)
    for key in sorted(set(fields) - TOPIC_KEYS - OPTIONAL_KEYS):
        problems.append(Problem(path, line_of(fields[key]), f"unknown key '{key}'"))
    for key in sorted(TOPIC_KEYS - set(fields)):
        problems.append(Problem(path, 1, f"missing key '{key}'"))
    topic_id = _string(fields.get("id"), path, "id", problems)
    if topic_id and topic_id != path.stem:
        problems.append(
            Problem(path, line_of(fields["id"]), f"id '{topic_id}' must match the file name")
        )
    if topic_id and not ID_PATTERN.match(topic_id):
        problems.append(Problem(path, line_of(fields["id"]), f"id '{topic_id}' is not group.name"))
    group = _string(fields.get("group"), path, "group", problems)
    reviewed = _date(fields.get("reviewed"), path, problems)
    reviewed_by = ""
    if "reviewed_by" in fields:
        reviewed_by = _string(fields["reviewed_by"], path, "reviewed_by", problems).strip()
    related = _strings(fields.get("related"), path, "related", problems, allow_empty=True)
    texts = {}
    for language in LANGUAGES:
        found = read_text(fields.get(language), path, language, problems)
        if found is not None:
            texts[language] = found
    if lenient and topic_id:
        return Topic(topic_id, group, reviewed or date.min, related, texts, reviewed_by)
    if len(problems) > before or not topic_id or reviewed is None:
        return None
    return Topic(topic_id, group, reviewed, related, texts, reviewed_by)


def read_text(
    node: yaml.Node | None, path: Path, language: str, problems: list[Problem]
) -> TopicText | None:
    """One language's title, answer, more, sources and terms (topics and referrals alike)."""
    if node is None:
        return None
    if not isinstance(node, yaml.MappingNode):
        problems.append(Problem(path, line_of(node), f"'{language}' must be a mapping"))
        return None
    fields = fields_of(node)
    for key in sorted(set(fields) - TEXT_KEYS):
        problems.append(Problem(path, line_of(fields[key]), f"{language}: unknown key '{key}'"))
    where = f"{language}."
    title = _string(fields.get("title"), path, where + "title", problems, line_of(node))
    answer = _string(fields.get("answer"), path, where + "answer", problems, line_of(node))
    more = _string(fields.get("more"), path, where + "more", problems, optional=True)
    sources = _sources(fields.get("sources"), path, where + "sources", problems, line_of(node))
    terms = _strings(fields.get("terms"), path, where + "terms", problems, allow_empty=True)
    if len(title) > MAX_TITLE:
        problems.append(
            Problem(path, line_of(fields["title"]), f"{where}title is over {MAX_TITLE} characters")
        )
    words = len(answer.split())
    if answer and not ANSWER_WORDS[0] <= words <= ANSWER_WORDS[1]:
        problems.append(
            Problem(
                path,
                line_of(fields["answer"]),
                f"{where}answer has {words} words "
                f"({ANSWER_GUIDELINE[0]}-{ANSWER_GUIDELINE[1]} expected)",
            )
        )
    return TopicText(
        title,
        answer.strip(),
        more.strip(),
        tuple(source.url for source in sources),
        terms,
        sources,
        _first_line(fields.get("answer"), answer),
        _first_line(fields.get("more"), more),
    )


def _sources(
    node: yaml.Node | None, path: Path, key: str, problems: list[Problem], line: int
) -> tuple[Source, ...]:
    if node is None:
        problems.append(Problem(path, line, f"missing key '{key}'"))
        return ()
    sources, findings = read_sources(node, key)
    problems.extend(Problem(path, at, message) for at, message in findings)
    return sources


def _first_line(node: yaml.Node | None, value: str) -> int:
    """The file line of the stripped value's first line: exact for a literal (`|`) block."""
    if node is None:
        return 0
    if getattr(node, "style", None) != "|":
        return line_of(node)
    return line_of(node) + 1 + value[: len(value) - len(value.lstrip())].count("\n")


def _string(
    node: yaml.Node | None,
    path: Path,
    key: str,
    problems: list[Problem],
    line: int = 1,
    optional: bool = False,
) -> str:
    if node is None:
        if not optional:
            problems.append(Problem(path, line, f"missing key '{key}'"))
        return ""
    if not isinstance(node, yaml.ScalarNode) or not str(node.value).strip():
        problems.append(Problem(path, line_of(node), f"'{key}' must be non-empty text"))
        return ""
    return str(node.value)


def _strings(
    node: yaml.Node | None,
    path: Path,
    key: str,
    problems: list[Problem],
    line: int = 1,
    allow_empty: bool = False,
) -> tuple[str, ...]:
    if node is None:
        if not allow_empty:
            problems.append(Problem(path, line, f"missing key '{key}'"))
        return ()
    values = value_of(node) if isinstance(node, yaml.SequenceNode) else None
    if not isinstance(values, list) or not all(isinstance(v, str) and v.strip() for v in values):
        problems.append(Problem(path, line_of(node), f"'{key}' must be a list of texts"))
        return ()
    if not values and not allow_empty:
        problems.append(Problem(path, line_of(node), f"'{key}' must not be empty"))
    return tuple(str(value).strip() for value in values)


def _date(node: yaml.Node | None, path: Path, problems: list[Problem]) -> date | None:
    if node is None:
        return None
    value = value_of(node)
    if not isinstance(value, date):
        problems.append(Problem(path, line_of(node), "'reviewed' must be a date (YYYY-MM-DD)"))
        return None
    return value
