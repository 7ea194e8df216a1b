"""The curated content: topic files and the menu under `content/`, loaded and validated."""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, Final

import yaml

from bot.base.errors import ContentError
from bot.base.languages import LANGUAGES
from bot.catalog.sources import Source, read_sources

TOPIC_KEYS: Final = frozenset({"id", "group", "reviewed", "related", *LANGUAGES})
TEXT_KEYS: Final = frozenset({"title", "answer", "more", "sources", "terms"})
MAX_TITLE: Final = 40
ANSWER_WORDS: Final = (40, 180)  # the guideline is 60-150; outside this band is an error
_ID_RE: Final = re.compile(r"^[a-z][a-z_]*\.[a-z][a-z_]*$")


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong in a content file, printed as `file:line: message`."""

    path: Path
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"


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

    def text(self, language: str) -> TopicText:
        """The text in `language`, or French if that language is somehow missing."""
        return self.texts.get(language) or self.texts["fr"]


@dataclass(frozen=True, slots=True)
class Group:
    """A menu group with its title in each language and its topics in order."""

    id: str
    titles: dict[str, str]
    topics: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Catalog:
    """All topics and the menu: the content the bot serves."""

    topics: dict[str, Topic]
    groups: tuple[Group, ...] = field(default_factory=tuple)

    def group(self, group_id: str) -> Group | None:
        """The menu group with this id, if any."""
        return next((group for group in self.groups if group.id == group_id), None)


def load_catalog(root: Path) -> Catalog:
    """Load and validate `root`; raise `ContentError` listing every problem."""
    catalog, problems = read_catalog(root)
    if problems:
        raise ContentError("\n".join(str(problem) for problem in problems))
    return catalog


def read_catalog(root: Path) -> tuple[Catalog, list[Problem]]:
    """Load what is valid and return it with the list of problems found."""
    problems: list[Problem] = []
    topics: dict[str, Topic] = {}
    files = sorted((root / "topics").glob("*.yml"))
    if not files:
        problems.append(Problem(root / "topics", 0, "no topic files (*.yml) found"))
    for path in files:
        topic = _read_topic(path, problems)
        if topic is not None:
            topics[topic.id] = topic
    groups = _read_menu(root / "menu.yml", topics, problems)
    for topic in topics.values():
        path = root / "topics" / f"{topic.id}.yml"
        for related in topic.related:
            if related not in topics:
                problems.append(Problem(path, 1, f"related topic '{related}' does not exist"))
    return Catalog(topics, groups), problems


def read_yaml(path: Path, problems: list[Problem]) -> yaml.MappingNode | None:
    """A content YAML file's root mapping, or None with the problem (file:line) recorded."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        problems.append(Problem(path, 1, f"cannot read file: {exc}"))
        return None
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else 1
        reason = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        if "\t" in text.splitlines()[line - 1 if line - 1 < len(text.splitlines()) else -1]:
            reason = f"{reason} (a tab is not allowed for indentation: use spaces)"
        problems.append(Problem(path, line, f"invalid YAML: {reason}"))
        return None
    if not isinstance(node, yaml.MappingNode):
        problems.append(Problem(path, 1, "the file must be a YAML mapping"))
        return None
    return node


def read_csv_rows(path: Path, problems: list[Problem]) -> list[tuple[int, dict[str, str]]]:
    """A content CSV file's rows with their line numbers, or [] with the problem recorded."""
    try:
        with path.open(encoding="utf-8", newline="") as handle:
            reader = csv.DictReader(handle)
            return [(index + 2, dict(row)) for index, row in enumerate(reader)]
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        problems.append(Problem(path, 1, f"cannot read file: {exc}"))
        return []


def _fields(node: yaml.MappingNode) -> dict[str, yaml.Node]:
    return {str(key.value): value for key, value in node.value}


def _line(node: yaml.Node) -> int:
    return int(node.start_mark.line) + 1


def _construct(node: yaml.Node) -> Any:
    return yaml.SafeLoader("").construct_object(node, deep=True)


def _read_topic(path: Path, problems: list[Problem]) -> Topic | None:
    node = read_yaml(path, problems)
    if node is None:
        return None
    fields = _fields(node)
    before = len(problems)
    for key in sorted(set(fields) - TOPIC_KEYS):
        problems.append(Problem(path, _line(fields[key]), f"unknown key '{key}'"))
    for key in sorted(TOPIC_KEYS - set(fields)):
        problems.append(Problem(path, 1, f"missing key '{key}'"))
    topic_id = _string(fields.get("id"), path, "id", problems)
    if topic_id and topic_id != path.stem:
        problems.append(
            Problem(path, _line(fields["id"]), f"id '{topic_id}' must match the file name")
        )
    if topic_id and not _ID_RE.match(topic_id):
        problems.append(Problem(path, _line(fields["id"]), f"id '{topic_id}' is not group.name"))
    group = _string(fields.get("group"), path, "group", problems)
    reviewed = _date(fields.get("reviewed"), path, problems)
    related = _strings(fields.get("related"), path, "related", problems, allow_empty=True)
    texts = {}
    for language in LANGUAGES:
        text = _read_text(fields.get(language), path, language, problems)
        if text is not None:
            texts[language] = text
    if len(problems) > before or not topic_id or reviewed is None:
        return None
    return Topic(topic_id, group, reviewed, related, texts)


def _read_text(
    node: yaml.Node | None, path: Path, language: str, problems: list[Problem]
) -> TopicText | None:
    if node is None:
        return None
    if not isinstance(node, yaml.MappingNode):
        problems.append(Problem(path, _line(node), f"'{language}' must be a mapping"))
        return None
    fields = _fields(node)
    for key in sorted(set(fields) - TEXT_KEYS):
        problems.append(Problem(path, _line(fields[key]), f"{language}: unknown key '{key}'"))
    where = f"{language}."
    title = _string(fields.get("title"), path, where + "title", problems, _line(node))
    answer = _string(fields.get("answer"), path, where + "answer", problems, _line(node))
    more = _string(fields.get("more"), path, where + "more", problems, optional=True)
    sources = _sources(fields.get("sources"), path, where + "sources", problems, _line(node))
    terms = _strings(fields.get("terms"), path, where + "terms", problems, allow_empty=True)
    if len(title) > MAX_TITLE:
        problems.append(
            Problem(path, _line(fields["title"]), f"{where}title is over {MAX_TITLE} characters")
        )
    words = len(answer.split())
    if answer and not ANSWER_WORDS[0] <= words <= ANSWER_WORDS[1]:
        problems.append(
            Problem(
                path, _line(fields["answer"]), f"{where}answer has {words} words (60-150 expected)"
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
        return _line(node)
    return _line(node) + 1 + value[: len(value) - len(value.lstrip())].count("\n")


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
        problems.append(Problem(path, _line(node), f"'{key}' must be non-empty text"))
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
    values = _construct(node) if isinstance(node, yaml.SequenceNode) else None
    if not isinstance(values, list) or not all(isinstance(v, str) and v.strip() for v in values):
        problems.append(Problem(path, _line(node), f"'{key}' must be a list of texts"))
        return ()
    if not values and not allow_empty:
        problems.append(Problem(path, _line(node), f"'{key}' must not be empty"))
    return tuple(str(value).strip() for value in values)


def _date(node: yaml.Node | None, path: Path, problems: list[Problem]) -> date | None:
    if node is None:
        return None
    value = _construct(node)
    if not isinstance(value, date):
        problems.append(Problem(path, _line(node), "'reviewed' must be a date (YYYY-MM-DD)"))
        return None
    return value


def _read_menu(path: Path, topics: dict[str, Topic], problems: list[Problem]) -> tuple[Group, ...]:
    node = read_yaml(path, problems)
    if node is None:
        return ()
    raw = _construct(node).get("groups")
    if not isinstance(raw, list):
        problems.append(Problem(path, 1, "'groups' must be a list"))
        return ()
    groups: list[Group] = []
    seen: dict[str, str] = {}
    for index, item in enumerate(raw):
        group = _menu_group(item, index, path, topics, seen, problems)
        if group is not None:
            groups.append(group)
    for topic_id, topic in topics.items():
        if topic_id not in seen:
            problems.append(Problem(path, 1, f"topic '{topic_id}' is in no menu group"))
        elif seen[topic_id] != topic.group:
            problems.append(
                Problem(
                    path,
                    1,
                    f"topic '{topic_id}' says group '{topic.group}' but is listed "
                    f"under '{seen[topic_id]}'",
                )
            )
    return tuple(groups)


def _menu_group(
    item: Any,
    index: int,
    path: Path,
    topics: dict[str, Topic],
    seen: dict[str, str],
    problems: list[Problem],
) -> Group | None:
    where = f"groups[{index}]"
    if not isinstance(item, dict) or not isinstance(item.get("id"), str):
        problems.append(Problem(path, 1, f"{where} needs an 'id'"))
        return None
    titles = item.get("title")
    if not isinstance(titles, dict) or any(not titles.get(lang) for lang in LANGUAGES):
        problems.append(
            Problem(path, 1, f"{where} ({item['id']}) needs a title in {', '.join(LANGUAGES)}")
        )
        return None
    members = item.get("topics")
    if not isinstance(members, list) or not members:
        problems.append(Problem(path, 1, f"{where} ({item['id']}) needs a list of topics"))
        return None
    for topic_id in members:
        if topic_id not in topics:
            problems.append(Problem(path, 1, f"{where} lists unknown topic '{topic_id}'"))
        seen[str(topic_id)] = item["id"]
    return Group(item["id"], {k: str(v) for k, v in titles.items()}, tuple(map(str, members)))
