"""nlu/ is a pure library: it never imports the bot, Telegram or the database driver."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

NLU = Path(__file__).parents[2] / "nlu"
FORBIDDEN = ("bot", "telegram", "aiosqlite")


def imported_modules(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


@pytest.mark.parametrize("path", sorted(NLU.rglob("*.py")), ids=lambda p: p.name)
def test_nlu_module_imports_nothing_from_the_bot(path: Path) -> None:
    bad = {name for name in imported_modules(path) if name.split(".")[0] in FORBIDDEN}
    assert bad == set()


def test_the_walk_sees_imports(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text("import telegram.ext\nfrom bot.app import x\nfrom . import y\n")
    assert imported_modules(sample) == {"telegram.ext", "bot.app"}
