"""Read-only sums for the workspace's dashboard: answer votes per topic and language over a
period, and subscribers per area (province, region). Counts leave this module, never chat ids.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Final

from sqlalchemy import bindparam, case, false, func, select, true

from bot.storage.engine import SerialConnection
from bot.storage.schema import subscriptions as s
from bot.storage.schema import users, votes

DAY_CHARS: Final = 10  # the YYYY-MM-DD that starts an ISO timestamp


@dataclass(frozen=True, slots=True)
class VoteCount:
    """Votes on one topic's answer in one language: how many in all, how many "not helpful"."""

    topic: str
    language: str
    unhelpful: int
    total: int


# Votes are stamped in the bot's time zone (ISO text), so their first ten characters are the
# local day, comparable with the period's days in both databases.
_vote_day = func.substr(votes.c.created_at, 1, DAY_CHARS)
_unhelpful = func.sum(case((votes.c.helpful == false(), 1), else_=0)).label("unhelpful")
_VOTES: Final = (
    select(votes.c.topic_id, votes.c.language, _unhelpful, func.count().label("total"))
    .where(
        _vote_day >= bindparam("since"),
        _vote_day <= bindparam("until"),
        votes.c.language.in_(bindparam("languages", expanding=True)),
    )
    .group_by(votes.c.topic_id, votes.c.language)
    .order_by(votes.c.topic_id, votes.c.language)
)
_FOLLOWING: Final = (
    select(s.c.chat_id, s.c.nis)
    .join(users, users.c.chat_id == s.c.chat_id)
    .where(users.c.active == true(), s.c.language.in_(bindparam("languages", expanding=True)))
)


class Statistics:
    """Sums over the votes and the subscriptions, for the dashboard."""

    def __init__(self, connection: SerialConnection) -> None:
        self._db = connection

    async def votes(self, since: date, until: date, languages: Collection[str]) -> list[VoteCount]:
        """Votes per topic and language cast from `since` to `until` (both included)."""
        values = {
            "since": since.isoformat(),
            "until": until.isoformat(),
            "languages": sorted(languages),
        }
        async with self._db.transaction() as db:
            rows = (await db.execute(_VOTES, values)).all()
        return [VoteCount(row[0], row[1], int(row[2]), int(row[3])) for row in rows]

    async def subscribers(
        self, area_of: Mapping[str, str], languages: Collection[str]
    ) -> dict[str, int]:
        """Active subscribers per area (`area_of`: NIS code -> area), each counted once per
        area however many of its places they follow; places without an area are left out."""
        chats: dict[str, set[int]] = {}
        async with self._db.transaction() as db:
            rows = (await db.execute(_FOLLOWING, {"languages": sorted(languages)})).all()
        for chat_id, nis in rows:
            area = area_of.get(nis)
            if area is not None:
                chats.setdefault(area, set()).add(chat_id)
        return {area: len(members) for area, members in chats.items()}
