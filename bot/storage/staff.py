"""Staff of the prevention services: accounts and roles, one-time sign-in links, sessions.

Only hashes of sign-in tokens and session ids are stored: a copy of the database signs nobody in.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Final

from sqlalchemy import Row, bindparam, delete, insert, select, update

from bot.storage.audit import AuditNote, write_note
from bot.storage.engine import SerialConnection
from bot.storage.schema import signin_links, staff, staff_sessions

ROLES: Final = ("editor", "reviewer", "admin")


@dataclass(frozen=True, slots=True)
class StaffMember:
    """A staff account: who, which role, which interface language, linked Telegram account."""

    id: int
    name: str
    role: str
    language: str = "fr"
    telegram_id: int | None = None
    active: bool = True


@dataclass(frozen=True, slots=True)
class StaffSession:
    """A signed-in browser: whose, its CSRF token, until when (Unix time)."""

    staff: StaffMember
    csrf: str
    expires_at: float


_COLUMNS: Final = (
    staff.c.id,
    staff.c.name,
    staff.c.role,
    staff.c.language,
    staff.c.telegram_id,
    staff.c.active,
)
_BY_ID: Final = select(*_COLUMNS).where(staff.c.id == bindparam("staff_id"))
_BY_TELEGRAM: Final = select(*_COLUMNS).where(staff.c.telegram_id == bindparam("telegram"))
_ALL: Final = select(*_COLUMNS).order_by(staff.c.name, staff.c.id)
_CONSUME: Final = (
    update(signin_links)
    .where(
        signin_links.c.token_hash == bindparam("token"),
        signin_links.c.used_at.is_(None),
        signin_links.c.expires_at > bindparam("now_ts"),
    )
    .values(used_at=bindparam("used"))
    .returning(signin_links.c.staff_id)
)
_SESSION: Final = (
    select(*_COLUMNS, staff_sessions.c.csrf, staff_sessions.c.expires_at)
    .join(staff, staff.c.id == staff_sessions.c.staff_id)
    .where(
        staff_sessions.c.id_hash == bindparam("session"),
        staff_sessions.c.expires_at > bindparam("now_ts"),
        staff.c.active,
    )
)


def _member(row: Row[Any]) -> StaffMember:
    return StaffMember(
        int(row.id),
        row.name,
        row.role,
        row.language,
        row.telegram_id,
        bool(row.active),
    )


def _link_row(staff_id: int, token_hash: str, expires_at: float, now: datetime) -> dict[str, Any]:
    return {
        "token_hash": token_hash,
        "staff_id": staff_id,
        "expires_at": expires_at,
        "created_at": now.isoformat(),
    }


def _session_row(
    staff_id: int, id_hash: str, csrf: str, expires_at: float, now: datetime
) -> dict[str, Any]:
    return {
        "id_hash": id_hash,
        "staff_id": staff_id,
        "csrf": csrf,
        "expires_at": expires_at,
        "created_at": now.isoformat(),
    }


class StaffStore:
    """The staff, signin_links and staff_sessions tables."""

    def __init__(self, connection: SerialConnection) -> None:
        self._db = connection

    async def add(self, name: str, role: str, language: str, now: datetime) -> StaffMember:
        """Create an account (the caller checked the role)."""
        row = {"name": name, "role": role, "language": language, "created_at": now.isoformat()}
        async with self._db.transaction() as db:
            result = await db.execute(insert(staff).returning(staff.c.id), row)
            staff_id = int(result.scalar_one())
        return StaffMember(staff_id, name, role, language)

    async def invite(
        self,
        name: str,
        role: str,
        language: str,
        link: tuple[str, float],
        now: datetime,
        by: int | None = None,
    ) -> StaffMember:
        """Create an account with its first sign-in link `(token hash, expires at)`, audited as
        `staff.invite` by `by`, in one unit of work: nothing stays behind if any part fails."""
        row = {"name": name, "role": role, "language": language, "created_at": now.isoformat()}
        async with self._db.transaction() as db:
            result = await db.execute(insert(staff).returning(staff.c.id), row)
            staff_id = int(result.scalar_one())
            await db.execute(insert(signin_links), _link_row(staff_id, *link, now))
            note = AuditNote(by, "staff.invite", f"staff:{staff_id}", f"{role}: {name}")
            await write_note(db, note, now)
        return StaffMember(staff_id, name, role, language)

    async def get(self, staff_id: int) -> StaffMember | None:
        """One account by id."""
        async with self._db.transaction() as db:
            row = (await db.execute(_BY_ID, {"staff_id": staff_id})).first()
        return _member(row) if row is not None else None

    async def by_telegram(self, telegram_id: int) -> StaffMember | None:
        """The account linked to a Telegram user, if any."""
        async with self._db.transaction() as db:
            row = (await db.execute(_BY_TELEGRAM, {"telegram": telegram_id})).first()
        return _member(row) if row is not None else None

    async def all(self) -> list[StaffMember]:
        """Every account, by name."""
        async with self._db.transaction() as db:
            rows = (await db.execute(_ALL)).all()
        return [_member(row) for row in rows]

    async def change(
        self,
        staff_id: int,
        *,
        audit: AuditNote | None = None,
        now: datetime | None = None,
        **values: object,
    ) -> None:
        """Set some of role, language, telegram_id, active, name; with `audit` (and `now`),
        append that entry in the same unit of work."""
        allowed = {"role", "language", "telegram_id", "active", "name"}
        unknown = set(values) - allowed
        if unknown:
            raise ValueError(f"not a staff field: {sorted(unknown)}")
        if audit is not None and now is None:
            raise ValueError("an audited change needs `now`")
        async with self._db.transaction() as db:
            if values.get("telegram_id") is not None:
                # One staff account per Telegram user: the newest link wins.
                clear = update(staff).where(staff.c.telegram_id == values["telegram_id"])
                await db.execute(clear.values(telegram_id=None))
            await db.execute(update(staff).where(staff.c.id == staff_id).values(**values))
            if now is not None:
                await write_note(db, audit, now)

    async def add_link(
        self,
        staff_id: int,
        token_hash: str,
        expires_at: float,
        now: datetime,
        audit: AuditNote | None = None,
    ) -> None:
        """Store a sign-in link's token hash until it expires or is used (with `audit`, that
        entry too, in the same unit of work)."""
        async with self._db.transaction() as db:
            row = _link_row(staff_id, token_hash, expires_at, now)
            await db.execute(insert(signin_links), row)
            await write_note(db, audit, now)

    async def use_link(self, token_hash: str, now: datetime) -> StaffMember | None:
        """Mark a valid, unused link used and return its account; None if it is not valid."""
        values = {"token": token_hash, "now_ts": now.timestamp(), "used": now.isoformat()}
        async with self._db.transaction() as db:
            staff_id = (await db.execute(_CONSUME, values)).scalar_one_or_none()
            row = None
            if staff_id is not None:
                row = (await db.execute(_BY_ID, {"staff_id": staff_id})).first()
        member = _member(row) if row is not None else None
        return member if member is not None and member.active else None

    async def sign_in(
        self, token_hash: str, session: tuple[str, str, float], now: datetime
    ) -> StaffMember | None:
        """Use a sign-in link and open a session `(id hash, csrf, expires at)` for its active
        account, audited as `signin`, in one unit of work; None if the link is not valid."""
        values = {"token": token_hash, "now_ts": now.timestamp(), "used": now.isoformat()}
        async with self._db.transaction() as db:
            staff_id = (await db.execute(_CONSUME, values)).scalar_one_or_none()
            row = None
            if staff_id is not None:
                row = (await db.execute(_BY_ID, {"staff_id": staff_id})).first()
            member = _member(row) if row is not None else None
            if member is None or not member.active:
                return None
            await db.execute(insert(staff_sessions), _session_row(member.id, *session, now))
            await write_note(db, AuditNote(member.id, "signin", f"staff:{member.id}"), now)
        return member

    async def add_session(
        self, id_hash: str, staff_id: int, csrf: str, expires_at: float, now: datetime
    ) -> None:
        """Remember a signed-in browser by the hash of its session id."""
        async with self._db.transaction() as db:
            row = _session_row(staff_id, id_hash, csrf, expires_at, now)
            await db.execute(insert(staff_sessions), row)

    async def session(self, id_hash: str, now: datetime) -> StaffSession | None:
        """The live session with this id hash (an expired one or a deactivated account: None)."""
        values = {"session": id_hash, "now_ts": now.timestamp()}
        async with self._db.transaction() as db:
            row = (await db.execute(_SESSION, values)).first()
        if row is None:
            return None
        return StaffSession(_member(row), row.csrf, float(row.expires_at))

    async def end_session(
        self, id_hash: str, audit: AuditNote | None = None, now: datetime | None = None
    ) -> None:
        """Sign out: forget the session (and append `audit` at `now`, in the same unit)."""
        async with self._db.transaction() as db:
            await db.execute(delete(staff_sessions).where(staff_sessions.c.id_hash == id_hash))
            if now is not None:
                await write_note(db, audit, now)

    async def purge(self, now: datetime) -> None:
        """Forget expired sessions and links."""
        moment = now.timestamp()
        async with self._db.transaction() as db:
            await db.execute(delete(staff_sessions).where(staff_sessions.c.expires_at <= moment))
            await db.execute(delete(signin_links).where(signin_links.c.expires_at <= moment))
