"""One-time sign-in links (24 hours) and the codes that link a Telegram account (15 minutes)."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from typing import Final

from bot.staff.tokens import SIGNIN, TELEGRAM, digest, new_token
from bot.storage import AuditNote, StaffMember, StaffStore

LINK_VALID: Final = timedelta(hours=24)
CODE_VALID: Final = timedelta(minutes=15)
SIGNIN_PATH: Final = "/signin/"
CODE_BYTES: Final = 16  # typed or pasted into Telegram: shorter, and valid for minutes only


def link_url(public_url: str, token: str) -> str:
    """The address of a sign-in link on the workspace at `public_url`."""
    return public_url.rstrip("/") + SIGNIN_PATH + token


def new_link(now: datetime) -> tuple[str, tuple[str, float]]:
    """A fresh token, and what the database keeps of it: (digest, expiry as Unix time)."""
    token = new_token()
    return token, (digest(token, SIGNIN), (now + LINK_VALID).timestamp())


async def issue_link(
    store: StaffStore,
    staff_id: int,
    public_url: str,
    now: datetime,
    audit: AuditNote | None = None,
) -> str:
    """A new sign-in link for an account, valid 24 hours and usable once (`audit`: recorded
    with it)."""
    token, (token_hash, expires_at) = new_link(now)
    await store.add_link(staff_id, token_hash, expires_at, now, audit)
    return link_url(public_url, token)


async def issue_telegram_code(store: StaffStore, staff_id: int, now: datetime) -> str:
    """A code that, sent as `/signin CODE` to the bot, links the sender's Telegram account."""
    code = new_token(CODE_BYTES)
    await store.add_link(staff_id, digest(code, TELEGRAM), (now + CODE_VALID).timestamp(), now)
    return code


async def link_telegram(
    store: StaffStore, code: str, telegram_id: int, now: datetime
) -> StaffMember | None:
    """Use a Telegram link code: its account is now linked to `telegram_id` (None: invalid)."""
    member = await store.use_link(digest(code.strip(), TELEGRAM), now)
    if member is None:
        return None
    note = AuditNote(member.id, "staff.telegram", f"staff:{member.id}")
    await store.change(member.id, telegram_id=telegram_id, audit=note, now=now)
    return member


# What the logs must never show (bot/base/log_redaction.py masks it, group 1 kept): the token
# of a sign-in link, wherever the address appears, and the code sent with /signin.
SECRET_PATTERNS: Final = (
    re.compile(r"(/signin/)[A-Za-z0-9_-]+"),
    re.compile(r"(/signin(?:@\w+)?\s+)\S+"),
)
