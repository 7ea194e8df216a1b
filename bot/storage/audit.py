"""The audit log of the workspace: who did what to which subject, and when."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.ext.asyncio import AsyncConnection

from bot.storage.engine import SerialConnection
from bot.storage.schema import audit_log, staff


@dataclass(frozen=True, slots=True)
class AuditEntry:
    """One action: when, who (None once the account is gone), what, on what, details."""

    at: datetime
    staff_name: str | None
    action: str
    subject: str
    detail: str


@dataclass(frozen=True, slots=True)
class AuditNote:
    """An entry to append in the same transaction as the change it records (see StaffStore)."""

    staff_id: int | None
    action: str
    subject: str
    detail: str = ""


def _row(note: AuditNote, now: datetime) -> dict[str, Any]:
    return {
        "at": now.isoformat(),
        "staff_id": note.staff_id,
        "action": note.action,
        "subject": note.subject,
        "detail": note.detail,
    }


async def write_note(db: AsyncConnection, note: AuditNote | None, now: datetime) -> None:
    """Append `note` inside a unit of work of another repository: both commit or neither."""
    if note is not None:
        await db.execute(insert(audit_log), _row(note, now))


class AuditLog:
    """The audit_log table: append and read, never edit."""

    def __init__(self, connection: SerialConnection) -> None:
        self._db = connection

    async def record(
        self, staff_id: int | None, action: str, subject: str, now: datetime, detail: str = ""
    ) -> None:
        """Append one entry."""
        async with self._db.transaction() as db:
            await write_note(db, AuditNote(staff_id, action, subject, detail), now)

    async def recent(self, limit: int = 200, subject: str | None = None) -> list[AuditEntry]:
        """The newest entries first, optionally about one subject."""
        query = (
            select(audit_log, staff.c.name)
            .outerjoin(staff, staff.c.id == audit_log.c.staff_id)
            .order_by(audit_log.c.id.desc())
            .limit(limit)
        )
        if subject is not None:
            query = query.where(audit_log.c.subject == subject)
        async with self._db.transaction() as db:
            rows = (await db.execute(query)).all()
        return [
            AuditEntry(datetime.fromisoformat(r.at), r.name, r.action, r.subject, r.detail)
            for r in rows
        ]
