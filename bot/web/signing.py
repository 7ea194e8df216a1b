"""Cookie values signed with HMAC-SHA256, and the workspace's signing key.

The key is `PREVENTBOT_WEB_SECRET` when set (several servers share it that way); otherwise a
random key made once per installation and kept in `web-secret.key` beside the database, readable
by its owner only (0600). It never appears in a log, a page or an error message.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import logging
import os
import secrets
from pathlib import Path
from typing import Final

from bot.base.errors import ConfigError
from bot.base.settings import Settings

logger = logging.getLogger(__name__)

KEY_FILE: Final = "web-secret.key"
MIN_SECRET_LENGTH: Final = 32


class Signer:
    """Signs and checks cookie values; each purpose has its own signatures."""

    def __init__(self, key: bytes) -> None:
        self._key = key

    def __repr__(self) -> str:
        return "Signer(key=**********)"

    def sign(self, value: str, purpose: str) -> str:
        """`value.signature`, for a value without dots (tokens are URL-safe base64)."""
        return f"{value}.{self._mac(value, purpose)}"

    def unsign(self, signed: str | None, purpose: str) -> str | None:
        """The value of a signed string, or None when it is missing, malformed or forged."""
        if not signed or "." not in signed:
            return None
        value, _sep, signature = signed.rpartition(".")
        expected = self._mac(value, purpose)
        return value if value and hmac.compare_digest(signature, expected) else None

    def _mac(self, value: str, purpose: str) -> str:
        mac = hmac.new(self._key, f"{purpose}:{value}".encode(), hashlib.sha256).digest()
        return base64.urlsafe_b64encode(mac).rstrip(b"=").decode()


def load_signer(settings: Settings) -> Signer:
    """The signer with the configured key, or the installation's own key file."""
    secret = settings.web.secret
    if secret is not None:
        if len(secret.reveal()) < MIN_SECRET_LENGTH:
            raise ConfigError(
                f"PREVENTBOT_WEB_SECRET: must be at least {MIN_SECRET_LENGTH} characters"
            )
        return Signer(secret.reveal().encode())
    return Signer(_key_file(settings.db_path.parent / KEY_FILE))


def _key_file(path: Path) -> bytes:
    if not path.exists():
        _create_key(path)
    try:
        key = path.read_text(encoding="ascii").strip()
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read the workspace key ({exc.strerror})") from exc
    if len(key) < MIN_SECRET_LENGTH:
        raise ConfigError(f"{path}: the workspace key is too short; delete the file")
    if path.stat().st_mode & 0o077:
        logger.warning("%s is readable by other users: chmod 600 it", path)
    return key.encode()


def _create_key(path: Path) -> None:
    # Written whole under a temporary name, then linked into place: when the bot and the
    # workspace start together, one of them creates the key and both read the same one.
    temporary = path.with_name(f".{path.name}.{secrets.token_hex(8)}")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(handle, "w", encoding="ascii") as file:
            file.write(secrets.token_urlsafe(48))
        try:
            os.link(temporary, path)
            logger.info("Created the workspace's signing key in %s", path)
        except FileExistsError:
            pass
    except OSError as exc:
        raise ConfigError(f"{path}: cannot create the workspace key ({exc.strerror})") from exc
    finally:
        temporary.unlink(missing_ok=True)
