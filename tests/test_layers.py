"""The dependency arrow points one way: nlu never imports bot; telegram stays in the adapters."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

from tests.conftest import project_path

ADAPTER_PREFIXES = ("bot.telegram", "bot.handlers", "bot.keyboards")
DATABASE_LIBRARIES = {"sqlalchemy", "alembic", "aiosqlite", "sqlite3"}


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


def top(name: str) -> str:
    return name.split(".")[0]


def test_nlu_imports_nothing_from_bot_telegram_or_storage() -> None:
    offenders = {
        module: sorted(
            name
            for name in imported(path)
            if top(name) in {"bot", "telegram", *DATABASE_LIBRARIES}
        )
        for module, path in modules("nlu")
    }
    assert {module: names for module, names in offenders.items() if names} == {}


def test_telegram_is_imported_only_by_the_adapter_modules() -> None:
    offenders = [
        module
        for module, path in modules("bot")
        if not module.startswith(ADAPTER_PREFIXES)
        and any(top(name) == "telegram" for name in imported(path))
    ]
    assert offenders == []


def test_only_the_storage_package_imports_the_database_libraries() -> None:
    # Its errors become StorageError there; nothing above it sees SQL or a driver.
    offenders = [
        module
        for module, path in modules("bot")
        if not module.startswith("bot.storage")
        and any(top(name) in DATABASE_LIBRARIES for name in imported(path))
    ]
    assert offenders == []


def test_the_dialogue_core_imports_no_channel() -> None:
    names = imported(project_path("bot", "dialogue.py"))
    assert not any(name.startswith(("telegram", "bot.telegram", "bot.console")) for name in names)


def test_the_walker_sees_imports() -> None:
    # Guard against a walker that silently finds nothing.
    assert "nlu.engine" in imported(project_path("bot", "app.py"))
    assert any(module == "nlu.engine" for module, _ in modules("nlu"))
