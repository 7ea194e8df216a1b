"""One fact, one place: the version, the NLU thresholds' defaults and the language list."""

from __future__ import annotations

import dataclasses
import importlib.metadata
import re
import tomllib
from pathlib import Path

import bot
import nlu
from bot.app import engine_config
from bot.base.languages import LANGUAGES
from bot.base.settings import load_settings
from tests.helpers.project import project_path


def test_the_version_is_written_only_in_bot_init() -> None:
    project = tomllib.loads(project_path("pyproject.toml").read_text(encoding="utf-8"))
    assert "version" not in project["project"]
    assert "version" in project["project"]["dynamic"]
    dynamic = project["tool"]["setuptools"]["dynamic"]["version"]
    assert dynamic == {"attr": "bot.__version__"}
    assert importlib.metadata.version("preventbot") == bot.__version__


def test_no_other_file_repeats_the_version() -> None:
    pattern = re.compile(rf"\b{re.escape(bot.__version__)}\b")
    files = [*project_path("bot").rglob("*.py"), project_path("pyproject.toml")]
    files += [project_path(name) for name in ("README.md", "config.yml", "Makefile")]
    copies = [path for path in files if pattern.search(path.read_text(encoding="utf-8"))]
    assert copies == [project_path("bot", "__init__.py")]


def library_default(name: str) -> object:
    return next(f.default for f in dataclasses.fields(nlu.EngineConfig) if f.name == name)


def test_unset_thresholds_are_the_nlu_librarys_defaults(tmp_path: Path) -> None:
    config = tmp_path / "config.yml"
    config.write_text("preventbot:\n  nlu:\n    backend: embedded\n", encoding="utf-8")
    settings = load_settings(config, environ={})
    assert (settings.nlu.threshold, settings.nlu.ambiguity_margin) == (None, None)
    engine = engine_config(settings)
    assert engine.threshold == library_default("threshold")
    assert engine.ambiguity_margin == library_default("ambiguity_margin")


def test_the_project_config_uses_the_librarys_thresholds() -> None:
    engine = engine_config(load_settings(environ={}))
    assert engine.threshold == library_default("threshold")
    assert engine.ambiguity_margin == library_default("ambiguity_margin")


def test_a_configured_threshold_overrides_the_librarys(tmp_path: Path) -> None:
    config = tmp_path / "config.yml"
    config.write_text("preventbot:\n  nlu:\n    threshold: 0.6\n", encoding="utf-8")
    engine = engine_config(load_settings(config, environ={}))
    assert engine.threshold == 0.6
    assert engine.ambiguity_margin == library_default("ambiguity_margin")


def test_one_language_list() -> None:
    # The Makefile compiles the catalogs it finds in bot/locales; nlu keeps its own list as a
    # library independent of the bot, and must agree.
    locales = sorted(path.parent.name for path in project_path("bot", "locales").glob("*/LC_*"))
    assert locales == sorted(LANGUAGES)
    assert nlu.LANGUAGES == LANGUAGES
    assert load_settings(environ={}).languages == LANGUAGES
    makefile = project_path("Makefile").read_text(encoding="utf-8")
    assert re.search(r"^LANGS := .*bot/locales", makefile, re.MULTILINE)
