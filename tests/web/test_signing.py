"""The cookie signer and the workspace key: from the environment, or a private file."""

from __future__ import annotations

import stat
from dataclasses import replace
from pathlib import Path

import pytest

from bot.base.errors import ConfigError
from bot.base.settings import Secret, Settings
from bot.web.signing import KEY_FILE, Signer, load_signer


def with_db(settings: Settings, folder: Path, secret: str | None = None) -> Settings:
    web = replace(settings.web, secret=Secret(secret) if secret else None)
    return replace(settings, db_path=folder / "preventbot.sqlite3", web=web)


def test_signatures_check_value_and_purpose() -> None:
    signer = Signer(b"k" * 32)
    signed = signer.sign("abc", "pb_session")
    assert signer.unsign(signed, "pb_session") == "abc"
    assert signer.unsign(signed, "pb_csrf") is None
    assert signer.unsign("abd" + signed[3:], "pb_session") is None
    assert signer.unsign(None, "pb_session") is None
    assert Signer(b"j" * 32).unsign(signed, "pb_session") is None
    assert "kkkk" not in repr(signer)


def test_without_a_secret_a_private_key_file_is_made_once(
    settings: Settings, tmp_path: Path
) -> None:
    configured = with_db(settings, tmp_path / "var")
    first = load_signer(configured)
    path = tmp_path / "var" / KEY_FILE
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    second = load_signer(configured)  # the bot and the workspace read the same key
    assert second.unsign(first.sign("x", "p"), "p") == "x"
    assert [p.name for p in path.parent.iterdir()] == [KEY_FILE]


def test_the_environments_secret_wins_and_must_be_long(settings: Settings, tmp_path: Path) -> None:
    signer = load_signer(with_db(settings, tmp_path, "s" * 40))
    assert signer.unsign(Signer(b"s" * 40).sign("x", "p"), "p") == "x"
    assert not (tmp_path / KEY_FILE).exists()
    with pytest.raises(ConfigError, match="PREVENTBOT_WEB_SECRET"):
        load_signer(with_db(settings, tmp_path, "short"))
