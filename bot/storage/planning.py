"""Planning a run into the delivery log: in full once, then only the new subscriptions.

The first plan of a run inserts one pending row per active chat that follows its places
(INSERT ... SELECT, one statement). Later passes plan it again, but only over the
subscriptions created since it was last planned (`reminder_runs.planned_at`, less an overlap,
through the index on `subscriptions.created_at`): a 1,000,000-row run is not re-planned in full
every pass. Both are idempotent (one row per occurrence and chat, ON CONFLICT DO NOTHING), so
the overlap only costs a few rows read twice. The run's row is locked while it is planned
(FOR UPDATE on PostgreSQL; SQLite's write lock), so two workers never plan it in full twice.

The overlap covers a subscription committed just after a plan with a slightly earlier stamp
(another process's clock, a slow transaction) and the change of UTC offset stored in the
ISO 8601 stamps (compared as text: the summer/winter switch moves the clock by one hour).
What incremental planning does not see: a chat that becomes active again (it was blocked)
during a run keeps its subscriptions but gets this run's message only if it subscribes anew;
it gets the next runs.
"""

from __future__ import annotations

import functools
import json
from datetime import datetime, timedelta
from typing import Any, Final

from sqlalchemy import Insert, Text, bindparam, func, select, true, update

from bot.storage import portable
from bot.storage.schema import deliveries as d
from bot.storage.schema import reminder_runs as r
from bot.storage.schema import subscriptions as s
from bot.storage.schema import users

OVERLAP: Final = timedelta(hours=3)
STATE: Final = (
    select(r.c.planned, r.c.planned_at).where(r.c.occurrence == bindparam("run")).with_for_update()
)
SET_PLANNED: Final = (
    update(r)
    .where(r.c.occurrence == bindparam("run"))
    .values(planned=true(), planned_at=bindparam("stamp"))
)


@functools.cache
def statements(dialect: str) -> dict[tuple[bool, bool], Insert]:
    """The planning INSERT ... SELECT per (everywhere, incremental)."""
    return {
        (everywhere, since): _planning(dialect, everywhere=everywhere, incremental=since)
        for everywhere in (True, False)
        for since in (True, False)
    }


def run_row(
    occurrence: str,
    campaign_id: str,
    messages: dict[str, str],
    places: list[str] | None,
    due_at: datetime,
    expires_at: datetime,
    now: datetime,
) -> dict[str, Any]:
    """A reminder_runs row."""
    return {
        "occurrence": occurrence,
        "campaign_id": campaign_id,
        "messages": json.dumps(messages, ensure_ascii=False),
        "places": None if places is None else json.dumps(places),
        "due_at": due_at.isoformat(),
        "expires_at": expires_at.timestamp(),
        "created_at": now.isoformat(),
    }


def since(planned: Any, planned_at: str | None) -> str | None:
    """From which subscription stamp to plan again (None: in full)."""
    if not planned or not planned_at:
        return None
    return (datetime.fromisoformat(planned_at) - OVERLAP).isoformat()


def _planning(dialect: str, *, everywhere: bool, incremental: bool) -> Insert:
    """INSERT ... SELECT of one pending row per active chat that follows the run's places."""
    language = func.coalesce(
        func.min(users.c.language), func.min(s.c.language), bindparam("language", type_=Text)
    )
    chosen = (
        select(bindparam("run", type_=Text), s.c.chat_id, language, bindparam("stamp", type_=Text))
        .join_from(s, users, users.c.chat_id == s.c.chat_id)
        .where(users.c.active == true())
    )
    if not everywhere:
        chosen = chosen.where(s.c.nis.in_(bindparam("places", expanding=True)))
    if incremental:
        chosen = chosen.where(s.c.created_at >= bindparam("since", type_=Text))
    chosen = chosen.group_by(s.c.chat_id).order_by(s.c.chat_id)
    columns = ["occurrence", "chat_id", "language", "updated_at"]
    return portable.insert_or_ignore(dialect, d).from_select(columns, chosen)
