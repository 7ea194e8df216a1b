"""Random tokens and the digests stored in their place: a copy of the database signs nobody in.

Each digest is SHA-256 over the token prefixed with its purpose, so a sign-in token can never
pass for a session id or a Telegram link code, even if one leaked where the other is checked.
"""

from __future__ import annotations

import hashlib
import secrets
from typing import Final

SIGNIN: Final = "signin"
TELEGRAM: Final = "telegram"
SESSION: Final = "session"
TOKEN_BYTES: Final = 32  # 256 bits: 43 URL-safe characters


def new_token(nbytes: int = TOKEN_BYTES) -> str:
    """A random, URL-safe token."""
    return secrets.token_urlsafe(nbytes)


def digest(token: str, purpose: str) -> str:
    """What is stored for `token` used as `purpose` (hex SHA-256)."""
    return hashlib.sha256(f"{purpose}:{token}".encode()).hexdigest()
