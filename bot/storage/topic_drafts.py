"""Topic edits in the workspace: drafts under review, and the published versions (history)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Final

from sqlalchemy import Row, bindparam, insert, select, update

from bot.storage.engine import SerialConnection
from bot.storage.schema import staff, topic_drafts, topic_versions

# A draft's life: draft -> submitted -> (returned -> submitted ...) -> published; or discarded.
STATUSES: Final = ("draft", "submitted", "returned", "published", "discarded")
OPEN: Final = ("draft", "submitted", "returned")


@dataclass(frozen=True, slots=True)
class TopicDraft:
    """An edit of one topic, as YAML text, with where it stands in the review."""

    id: int
    topic_id: str
    base_hash: str | None
    content: str
    status: str
    author_id: int | None
    author_name: str | None
    reviewer_id: int | None
    comment: str | None
    review_comment: str | None
    revision: int
    updated_at: datetime


@dataclass(frozen=True, slots=True)
class TopicVersion:
    """A published version of a topic file."""

    id: int
    topic_id: str
    content: str
    content_hash: str
    author_name: str | None
    reviewer_name: str | None
    published_at: datetime


class StaleDraftError(Exception):
    """Someone else changed the draft since it was read (optimistic lock)."""


_author = staff.alias("author")
_reviewer = staff.alias("reviewer")
_DRAFTS: Final = select(topic_drafts, _author.c.name.label("author_name")).outerjoin(
    _author, _author.c.id == topic_drafts.c.author_id
)
_VERSIONS: Final = (
    select(
        topic_versions,
        _author.c.name.label("author_name"),
        _reviewer.c.name.label("reviewer_name"),
    )
    .outerjoin(_author, _author.c.id == topic_versions.c.author_id)
    .outerjoin(_reviewer, _reviewer.c.id == topic_versions.c.reviewer_id)
)


def _draft(row: Row[Any]) -> TopicDraft:
    r = row
    return TopicDraft(
        int(r.id),
        r.topic_id,
        r.base_hash,
        r.content,
        r.status,
        r.author_id,
        r.author_name,
        r.reviewer_id,
        r.comment,
        r.review_comment,
        int(r.revision),
        datetime.fromisoformat(r.updated_at),
    )


def _version(row: Row[Any]) -> TopicVersion:
    r = row
    return TopicVersion(
        int(r.id),
        r.topic_id,
        r.content,
        r.content_hash,
        r.author_name,
        r.reviewer_name,
        datetime.fromisoformat(r.published_at),
    )


class TopicDraftStore:
    """The topic_drafts and topic_versions tables."""

    def __init__(self, connection: SerialConnection) -> None:
        self._db = connection

    async def create(
        self,
        topic_id: str,
        content: str,
        base_hash: str | None,
        author_id: int,
        now: datetime,
    ) -> TopicDraft:
        """A new draft by `author_id`, starting from the published file with `base_hash`."""
        row = {
            "topic_id": topic_id,
            "base_hash": base_hash,
            "content": content,
            "status": "draft",
            "author_id": author_id,
            "created_at": now.isoformat(),
            "updated_at": now.isoformat(),
        }
        async with self._db.transaction() as db:
            result = await db.execute(insert(topic_drafts).returning(topic_drafts.c.id), row)
            draft_id = int(result.scalar_one())
        draft = await self.get(draft_id)
        assert draft is not None
        return draft

    async def get(self, draft_id: int) -> TopicDraft | None:
        """One draft by id."""
        async with self._db.transaction() as db:
            row = (await db.execute(_DRAFTS.where(topic_drafts.c.id == draft_id))).first()
        return _draft(row) if row is not None else None

    async def find(
        self, statuses: tuple[str, ...] = OPEN, topic_id: str | None = None
    ) -> list[TopicDraft]:
        """Drafts in these states (newest first), optionally of one topic."""
        query = _DRAFTS.where(topic_drafts.c.status.in_(statuses))
        if topic_id is not None:
            query = query.where(topic_drafts.c.topic_id == topic_id)
        async with self._db.transaction() as db:
            rows = (await db.execute(query.order_by(topic_drafts.c.updated_at.desc()))).all()
        return [_draft(row) for row in rows]

    async def update(
        self, draft_id: int, revision: int, now: datetime, **values: object
    ) -> TopicDraft:
        """Change a draft read at `revision`; StaleDraftError if it changed meanwhile."""
        allowed = {"content", "status", "comment", "review_comment", "reviewer_id", "base_hash"}
        if set(values) - allowed:
            raise ValueError(f"not a draft field: {sorted(set(values) - allowed)}")
        statement = (
            update(topic_drafts)
            .where(topic_drafts.c.id == draft_id, topic_drafts.c.revision == revision)
            .values(**values, revision=revision + 1, updated_at=now.isoformat())
        )
        async with self._db.transaction() as db:
            changed = (await db.execute(statement)).rowcount
        if changed != 1:
            raise StaleDraftError(f"draft {draft_id} changed since revision {revision}")
        draft = await self.get(draft_id)
        assert draft is not None
        return draft

    async def add_version(
        self,
        topic_id: str,
        content: str,
        content_hash: str,
        draft: TopicDraft | None,
        reviewer_id: int | None,
        now: datetime,
    ) -> None:
        """Record a published file in the history."""
        row = {
            "topic_id": topic_id,
            "content": content,
            "content_hash": content_hash,
            "draft_id": draft.id if draft else None,
            "author_id": draft.author_id if draft else None,
            "reviewer_id": reviewer_id,
            "published_at": now.isoformat(),
        }
        async with self._db.transaction() as db:
            await db.execute(insert(topic_versions), row)

    async def versions(self, topic_id: str) -> list[TopicVersion]:
        """The published versions of a topic, newest first."""
        query = _VERSIONS.where(topic_versions.c.topic_id == bindparam("topic"))
        async with self._db.transaction() as db:
            rows = (
                await db.execute(query.order_by(topic_versions.c.id.desc()), {"topic": topic_id})
            ).all()
        return [_version(row) for row in rows]

    async def version(self, version_id: int) -> TopicVersion | None:
        """One published version by id."""
        async with self._db.transaction() as db:
            row = (await db.execute(_VERSIONS.where(topic_versions.c.id == version_id))).first()
        return _version(row) if row is not None else None
