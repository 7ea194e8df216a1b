"""Managing staff accounts: invite, change a role, deactivate; each checked and audited."""

from __future__ import annotations

import re
import unicodedata
from datetime import datetime
from typing import Final

from bot.base.errors import BotError
from bot.base.i18n import N_
from bot.base.languages import LANGUAGES
from bot.staff.links import link_url, new_link
from bot.storage import ROLES, AuditNote, StaffMember, StaffStore

MAX_NAME: Final = 80
_SPACES: Final = re.compile(r"\s+")


class StaffError(BotError):
    """A staff change that is refused; `text` is an interface message id to translate."""


def clean_name(name: str) -> str:
    """A display name: spaces collapsed, 1 to 80 characters, no control characters."""
    text = _SPACES.sub(" ", name).strip()
    if not text:
        raise StaffError(N_("Give a name."))
    if len(text) > MAX_NAME:
        raise StaffError(N_("The name is too long (80 characters at most)."))
    if any(unicodedata.category(char).startswith("C") for char in text):
        raise StaffError(N_("The name contains characters that cannot be shown."))
    return text


def check_role(role: str) -> str:
    """One of editor, reviewer, admin."""
    if role not in ROLES:
        raise StaffError(N_("Choose a role: editor, reviewer or admin."))
    return role


def check_language(language: str) -> str:
    """One of the interface languages."""
    if language not in LANGUAGES:
        raise StaffError(N_("Choose a language."))
    return language


async def invite(
    store: StaffStore,
    name: str,
    role: str,
    language: str,
    public_url: str,
    now: datetime,
    by: int | None = None,
) -> tuple[StaffMember, str]:
    """Create an account and its first sign-in link (shown once, never stored in clear)."""
    name, role, language = clean_name(name), check_role(role), check_language(language)
    token, stored = new_link(now)
    member = await store.invite(name, role, language, stored, now, by)
    return member, link_url(public_url, token)


async def change_role(
    store: StaffStore, actor: StaffMember, staff_id: int, role: str, now: datetime
) -> StaffMember:
    """Give another account a new role."""
    target = await _other(store, actor, staff_id)
    role = check_role(role)
    note = AuditNote(actor.id, "staff.role", f"staff:{staff_id}", f"{target.role} -> {role}")
    await store.change(staff_id, role=role, audit=note, now=now)
    return target


async def deactivate(
    store: StaffStore, actor: StaffMember, staff_id: int, now: datetime
) -> StaffMember:
    """Close another account: its sessions and links stop working at once."""
    target = await _other(store, actor, staff_id)
    note = AuditNote(actor.id, "staff.deactivate", f"staff:{staff_id}", target.name)
    await store.change(staff_id, active=False, audit=note, now=now)
    return target


async def _other(store: StaffStore, actor: StaffMember, staff_id: int) -> StaffMember:
    # Nobody changes their own role or closes their own account: no admin locks all out.
    if staff_id == actor.id:
        raise StaffError(N_("You cannot change your own account."))
    target = await store.get(staff_id)
    if target is None or not target.active:
        raise StaffError(N_("This account does not exist or is closed."))
    return target
