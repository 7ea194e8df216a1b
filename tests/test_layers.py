"""The dependency arrow points one way: nlu never imports bot; telegram stays in the adapters."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

from tests.conftest import project_path

ADAPTER_PREFIXES = ("bot.channels.telegram",)


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
            name for name in imported(path) if top(name) in {"bot", "telegram", "aiosqlite"}
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


def test_the_dialogue_core_imports_no_channel() -> None:
    names = imported(project_path("bot", "dialogue", "router.py"))
    assert not any(
        name.startswith(("telegram", "bot.telegram", "bot.channels.console")) for name in names
    )


def test_the_walker_sees_imports() -> None:
    # Guard against a walker that silently finds nothing.
    assert "nlu.engine" in imported(project_path("bot", "app.py"))
    assert any(module == "nlu.engine" for module, _ in modules("nlu"))
