"""The topic menu (`content/menu.yml`): groups with a title per language and their topics."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

from bot.base.languages import LANGUAGES
from bot.catalog.files import Problem, read_yaml, value_of

MENU_FILE: Final = "menu.yml"


@dataclass(frozen=True, slots=True)
class Group:
    """A menu group with its title in each language and its topics in order."""

    id: str
    titles: dict[str, str]
    topics: tuple[str, ...]


def read_menu(
    path: Path, topic_groups: Mapping[str, str], problems: list[Problem]
) -> tuple[Group, ...]:
    """The menu groups; every topic (id -> its declared group) must be listed in its group."""
    node = read_yaml(path, problems)
    if node is None:
        return ()
    raw = value_of(node).get("groups")
    if not isinstance(raw, list):
        problems.append(Problem(path, 1, "'groups' must be a list"))
        return ()
    groups: list[Group] = []
    seen: dict[str, str] = {}
    for index, item in enumerate(raw):
        group = _menu_group(item, index, path, topic_groups, seen, problems)
        if group is not None:
            groups.append(group)
    for topic_id, declared in topic_groups.items():
        if topic_id not in seen:
            problems.append(Problem(path, 1, f"topic '{topic_id}' is in no menu group"))
        elif seen[topic_id] != declared:
            problems.append(
                Problem(
                    path,
                    1,
                    f"topic '{topic_id}' says group '{declared}' but is listed "
                    f"under '{seen[topic_id]}'",
                )
            )
    return tuple(groups)


def _menu_group(
    item: Any,
    index: int,
    path: Path,
    topic_groups: Mapping[str, str],
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
        if topic_id not in topic_groups:
            problems.append(Problem(path, 1, f"{where} lists unknown topic '{topic_id}'"))
        seen[str(topic_id)] = item["id"]
    return Group(item["id"], {k: str(v) for k, v in titles.items()}, tuple(map(str, members)))
