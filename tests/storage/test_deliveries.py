"""The delivery log's progress per run, as the workspace's announcements page reads it."""

from __future__ import annotations

from datetime import timedelta

from bot.storage import Run, Storage
from bot.storage import deliveries as status
from tests.helpers.project import NOW
from tests.helpers.reminders import add_subscriber

EUPEN, GENT = "63023", "44021"


def run(key: str, places: frozenset[str] | None, campaign: str = "announcement") -> Run:
    return Run(key, campaign, {"fr": "Texte"}, places, NOW, NOW + timedelta(days=2))


async def test_progress_counts_each_runs_rows_per_status_newest_first(storage: Storage) -> None:
    for chat in (1, 2, 3):
        await add_subscriber(storage, chat, EUPEN)
    await add_subscriber(storage, 4, GENT)
    log = storage.deliveries
    assert await log.plan(run("old", None, "dark-season"), NOW, "fr") == 4
    assert await log.plan(run("new", frozenset({EUPEN})), NOW + timedelta(minutes=1), "fr") == 3
    pending = await log.pending(0, 100)
    new_rows = [row.id for row in pending if row.occurrence == "new"]
    await log.mark(new_rows[0], status.SENT, NOW)
    await log.mark(new_rows[1], status.FAILED, NOW, detail="Bad Request")

    progress = await log.progress()

    assert [item.run.occurrence for item in progress] == ["new", "old"]
    newest, oldest = progress
    assert newest.counts == {status.SENT: 1, status.FAILED: 1, status.PENDING: 1}
    assert newest.count(status.FAILED, status.EXPIRED) == 1
    assert newest.run.places == frozenset({EUPEN})
    assert newest.run.messages == {"fr": "Texte"}
    assert newest.created_at == NOW + timedelta(minutes=1)
    assert oldest.counts == {status.PENDING: 4}
    assert oldest.run.places is None
    assert (oldest.run.campaign_id, oldest.count(status.SENT)) == ("dark-season", 0)


async def test_progress_shows_a_run_that_reached_nobody_and_respects_the_limit(
    storage: Storage,
) -> None:
    log = storage.deliveries
    for minute in range(3):
        await log.plan(
            run(f"run-{minute}", frozenset({GENT})), NOW + timedelta(minutes=minute), "fr"
        )
    progress = await log.progress(limit=2)
    assert [(item.run.occurrence, item.counts) for item in progress] == [
        ("run-2", {}),
        ("run-1", {}),
    ]
    assert await storage.deliveries.progress(limit=0) == []
