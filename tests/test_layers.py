"""The layers: a table of the arrows allowed between packages, and nothing else.

As Rasa's `tests/shared/test_shared.py`: every import between two of the project's packages
must be in ALLOWED; a new arrow is a design decision, made here, not by accident.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import nlu
from tests.helpers.project import project_path

# Who may import whom (top to bottom: cli -> app -> channels -> dialogue -> features ->
# storage -> base; nlu is a library beside them). Third-party libraries of one concern are
# listed as packages too, so that only their owner imports them.
ALLOWED: dict[str, set[str]] = {
    "bot": {"cli"},  # bot/__main__.py
    "cli": {
        "app",
        "web",
        "staff",
        "channels",
        "dialogue",
        "reminders",
        "catalog",
        "gaps",
        "storage",
        "base",
        "nlu",
    },
    "app": {"dialogue", "reminders", "catalog", "gaps", "staff", "storage", "base", "nlu"},
    # The workspace: a channel of its own, beside channels/ (it shows a draft topic through
    # the Telegram channel's preview, bot/channels/telegram/preview.py).
    "web": {
        "channels",
        "dialogue",
        "editorial",
        "reminders",
        "catalog",
        "gaps",
        "staff",
        "storage",
        "base",
        "nlu",
        "starlette",
        "jinja2",
    },
    # catalog: the Telegram preview of a draft topic (bot/channels/telegram/preview.py).
    "channels": {"dialogue", "reminders", "catalog", "storage", "base", "telegram"},
    "dialogue": {"reminders", "catalog", "gaps", "storage", "base", "nlu"},
    "reminders": {"catalog", "storage", "base"},
    # nlu: the inbox groups questions by meaning and adds phrasings to the training files.
    "gaps": {"storage", "base", "nlu"},
    "staff": {"storage", "base"},
    # The workspace's editing, review and publishing of topics; nlu: the training intents,
    # for the same "no training examples" warning as `content check`.
    "editorial": {"catalog", "storage", "base", "nlu"},
    "catalog": {"base"},
    "storage": {"base", "aiosqlite", "sqlalchemy", "alembic", "sqlite3"},
    "base": set(),
    "nlu": set(),
}
# Libraries that belong to one package (imported nowhere else).
OWNED = {
    "telegram": "channels",
    "aiosqlite": "storage",
    "sqlalchemy": "storage",
    "alembic": "storage",
    "sqlite3": "storage",
    "starlette": "web",
    "jinja2": "web",
}


def package_of(module: str) -> str:
    """`bot.channels.telegram.io` -> `channels`; `nlu.engine` -> `nlu`."""
    parts = module.split(".")
    if parts[0] == "bot":
        name = parts[1] if len(parts) > 1 else "bot"
        return "bot" if name in ("__main__", "__init__") else name
    return parts[0]


def modules(package: str) -> Iterator[tuple[str, Path]]:
    root = project_path(package)
    for path in sorted(root.rglob("*.py")):
        relative = path.relative_to(root.parent).with_suffix("")
        yield ".".join(relative.parts).removesuffix(".__init__"), path


def imported(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def arrows() -> set[tuple[str, str, str]]:
    """(from package, to package, importing module) for every import between our packages."""
    found = set()
    for top in ("bot", "nlu"):
        for module, path in modules(top):
            source = package_of(module)
            for name in imported(path):
                target = package_of(name)
                if (target in ALLOWED or target in OWNED) and target != source:
                    found.add((source, target, module))
    return found


def test_every_arrow_between_packages_is_allowed() -> None:
    forbidden = sorted(
        f"{module}: {source} -> {target}"
        for source, target, module in arrows()
        if target not in ALLOWED.get(source, set())
    )
    assert forbidden == []


def test_the_table_has_no_cycle() -> None:
    def reaches(start: str, goal: str, seen: frozenset[str] = frozenset()) -> bool:
        return any(
            nxt == goal or (nxt not in seen and reaches(nxt, goal, seen | {nxt}))
            for nxt in ALLOWED.get(start, set())
        )

    assert [name for name in ALLOWED if reaches(name, name)] == []


def test_owned_libraries_are_imported_only_by_their_owner() -> None:
    offenders = sorted(
        module
        for source, target, module in arrows()
        if target in OWNED and source != OWNED[target]
    )
    assert offenders == []


def test_bot_imports_nlu_only_through_its_public_api() -> None:
    deep = sorted(
        f"{module}: {name}"
        for module, path in modules("bot")
        for name in imported(path)
        if name.startswith("nlu.")
    )
    assert deep == []


def test_the_nlu_api_exports_exactly_its_public_names() -> None:
    # As httpx's test_exported_members: every name in __all__ exists, and nothing public is
    # missing from it.
    public = {name for name in dir(nlu) if not name.startswith("_")}
    submodules = {name for name in public if isinstance(getattr(nlu, name), type(nlu))}
    assert set(nlu.__all__) == public - submodules


def test_the_walker_sees_imports() -> None:
    # Guard against a walker that silently finds nothing.
    assert "nlu" in imported(project_path("bot", "app.py"))
    assert ("dialogue", "base", "bot.dialogue.router") in arrows()
