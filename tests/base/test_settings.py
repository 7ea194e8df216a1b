"""Settings: defaults from config.yml, environment overrides, and bad values named by key."""

from __future__ import annotations

from datetime import time
from pathlib import Path

import pytest

from bot.base.errors import ConfigError
from bot.base.settings import (
    BLOCKED_DOMAINS,
    DEFAULT_CONFIG,
    TRUSTED_DOMAINS,
    Secret,
    load_settings,
)


def write_config(tmp_path: Path, section: str) -> Path:
    path = tmp_path / "config.yml"
    path.write_text("recipe: default.v1\nlanguage: fr\npipeline: []\npolicies: []\n" + section)
    return path


def test_project_config_loads_with_its_values() -> None:
    settings = load_settings(environ={})
    assert settings.languages == ("fr", "nl", "de", "en")
    assert settings.default_language == "fr"
    assert str(settings.timezone) == "Europe/Brussels"
    assert settings.reminders.quiet_start == time(21, 0)
    assert settings.gaps_retention_days == 90
    assert settings.telegram.token is None
    assert settings.config_path == DEFAULT_CONFIG


def test_project_config_stays_a_rasa_config() -> None:
    import yaml

    raw = yaml.safe_load(DEFAULT_CONFIG.read_text())
    assert {"recipe", "language", "pipeline", "policies"} <= set(raw)
    assert isinstance(raw["language"], str)


def test_environment_overrides_the_file(tmp_path: Path) -> None:
    env = {
        "PREVENTBOT_DB": str(tmp_path / "x.db"),
        "PREVENTBOT_NLU": "rasa",
        "RASA_URL": "http://127.0.0.1:9999",
        "TELEGRAM_BOT_TOKEN": "123:abc",
        "PREVENTBOT_ADMINS": "1, 2;3",
    }
    settings = load_settings(environ=env)
    assert settings.db_path == tmp_path / "x.db"
    assert settings.nlu.backend == "rasa"
    assert settings.nlu.rasa_url == "http://127.0.0.1:9999"
    assert settings.admins == frozenset({1, 2, 3})
    assert settings.telegram.token is not None
    assert settings.telegram.token.reveal() == "123:abc"


def test_secret_never_shows_itself() -> None:
    secret = Secret("123456:very-secret")
    assert "very-secret" not in repr(secret)
    assert "very-secret" not in str(secret)
    settings = load_settings(environ={"TELEGRAM_BOT_TOKEN": "123456:very-secret"})
    assert "very-secret" not in repr(settings)


@pytest.mark.parametrize(
    ("section", "key"),
    [
        ("preventbot:\n  nlu:\n    threshold: high\n", "preventbot.nlu.threshold"),
        ("preventbot:\n  nlu:\n    threshold: 1.5\n", "preventbot.nlu.threshold"),
        ("preventbot:\n  nlu:\n    backend: spacy\n", "preventbot.nlu.backend"),
        ("preventbot:\n  timezone: Mars/Olympus\n", "preventbot.timezone"),
        ("preventbot:\n  languages: [fr, es]\n", "preventbot.languages"),
        ("preventbot:\n  languages: [nl]\n  default_language: fr\n", "default_language"),
        ("preventbot:\n  reminders:\n    quiet_start: '25:00'\n", "reminders.quiet_start"),
        ("preventbot:\n  reminders:\n    messages_per_second: -3\n", "messages_per_second"),
        ("preventbot:\n  gaps:\n    retention_days: soon\n", "gaps.retention_days"),
        ("preventbot:\n  telegram:\n    base_url: ftp://x\n", "telegram.base_url"),
    ],
)
def test_bad_value_names_the_key(tmp_path: Path, section: str, key: str) -> None:
    with pytest.raises(ConfigError, match=key.replace(".", r"\.")):
        load_settings(write_config(tmp_path, section), environ={})


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("police.be", "must be a list of domain names"),
        ("{police: be}", "must be a list of domain names"),
        ("[https://www.police.be]", "'https://www.police.be' is not a domain name"),
        ("[police.be/fr]", "'police.be/fr' is not a domain name"),
        ("[police.be, 42]", "42 is not a domain name"),
        ("[[police.be]]", "is not a domain name"),
    ],
)
@pytest.mark.parametrize("key", ["trusted_domains", "blocked_domains"])
def test_bad_domain_list_names_the_key(tmp_path: Path, key: str, value: str, reason: str) -> None:
    path = write_config(tmp_path, f"preventbot:\n  content:\n    {key}: {value}\n")
    with pytest.raises(ConfigError, match=rf"^preventbot\.content\.{key}: ") as caught:
        load_settings(path, environ={})
    assert reason in str(caught.value)


def test_domain_lists_default_to_the_project_lists(tmp_path: Path) -> None:
    project = load_settings(environ={})
    assert project.trusted_domains == TRUSTED_DOMAINS
    assert project.blocked_domains == BLOCKED_DOMAINS
    bare = load_settings(write_config(tmp_path, "preventbot:\n  content:\n    dir: c\n"), {})
    assert (bare.trusted_domains, bare.blocked_domains) == (TRUSTED_DOMAINS, BLOCKED_DOMAINS)


def test_domain_lists_are_read_lower_case_and_may_be_empty(tmp_path: Path) -> None:
    section = "preventbot:\n  content:\n    trusted_domains: [Police.BE]\n    blocked_domains:\n"
    section += "      []\n"
    settings = load_settings(write_config(tmp_path, section), environ={})
    assert settings.trusted_domains == ("police.be",)
    assert settings.blocked_domains == ()


def test_bad_environment_value_names_the_key(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"preventbot\.nlu\.backend"):
        load_settings(environ={"PREVENTBOT_NLU": "gpt"})
    with pytest.raises(ConfigError, match="PREVENTBOT_ADMINS"):
        load_settings(environ={"PREVENTBOT_ADMINS": "alice"})


def test_unreadable_and_broken_files_are_reported(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="cannot read"):
        load_settings(tmp_path / "missing.yml", environ={})
    broken = tmp_path / "broken.yml"
    broken.write_text("preventbot: [unclosed\n")
    with pytest.raises(ConfigError, match="not valid YAML"):
        load_settings(broken, environ={})
    scalar = tmp_path / "scalar.yml"
    scalar.write_text("just text\n")
    with pytest.raises(ConfigError, match="mapping"):
        load_settings(scalar, environ={})


def test_relative_paths_resolve_against_the_config_file(tmp_path: Path) -> None:
    path = write_config(tmp_path, "preventbot:\n  storage:\n    path: data/bot.db\n")
    settings = load_settings(path, environ={})
    assert settings.db_path == tmp_path / "data" / "bot.db"


def test_settings_are_frozen() -> None:
    settings = load_settings(environ={})
    with pytest.raises(AttributeError):
        settings.default_language = "nl"  # type: ignore[misc]


def test_the_workspace_settings_have_defaults_and_environment_overrides() -> None:
    settings = load_settings(environ={})
    assert settings.web.public_url == "http://127.0.0.1:8080"
    assert (settings.web.session_hours, settings.web.max_form_bytes) == (12, 262144)
    assert settings.web.secret is None
    env = {"PREVENTBOT_WEB_URL": "https://prevention.example.be/", "PREVENTBOT_WEB_SECRET": "x"}
    changed = load_settings(environ=env)
    assert changed.web.public_url == "https://prevention.example.be"
    assert changed.web.secret == Secret("x")
    assert "x'" not in repr(changed)


@pytest.mark.parametrize(
    ("section", "key"),
    [
        ("  web:\n    public_url: ftp://x\n", "preventbot.web.public_url"),
        ("  web:\n    session_hours: 0\n", "preventbot.web.session_hours"),
        ("  web:\n    max_form_bytes: lots\n", "preventbot.web.max_form_bytes"),
    ],
)
def test_a_bad_workspace_setting_names_its_key(tmp_path: Path, section: str, key: str) -> None:
    path = write_config(tmp_path, "preventbot:\n" + section)
    with pytest.raises(ConfigError, match=key):
        load_settings(path, environ={})


def test_a_database_url_is_kept_secret_and_sqlite_stays_the_default(tmp_path: Path) -> None:
    url = "postgresql://bot:pa55word@db.internal:5432/preventbot"
    settings = load_settings(environ={"PREVENTBOT_DB": url})
    assert settings.db_url is not None
    assert settings.database == url
    assert "pa55word" not in repr(settings)
    default = load_settings(environ={})
    assert default.db_url is None
    assert default.database == default.db_path


def test_paid_broadcasts_are_off_by_default_and_capped(tmp_path: Path) -> None:
    assert load_settings(environ={}).reminders.paid_broadcast is False
    config = tmp_path / "config.yml"
    config.write_text(
        "preventbot:\n  reminders:\n    paid_broadcast: true\n    paid_messages_per_second: 500\n"
    )
    reminders = load_settings(config, environ={}).reminders
    assert (reminders.paid_broadcast, reminders.paid_messages_per_second) == (True, 500.0)
    config.write_text("preventbot:\n  reminders:\n    paid_messages_per_second: 5000\n")
    with pytest.raises(ConfigError, match="at most 1000"):
        load_settings(config, environ={})
