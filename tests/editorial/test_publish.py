"""Publishing is atomic: a failed write leaves the old files, and the draft, as they were."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from bot.catalog.writing import write_files
from bot.editorial.errors import PublishError
from bot.editorial.review import Editorial
from bot.storage import Storage
from tests.helpers.editorial import Team, edited

KEYS = "burglary.keys"


def failing_replace(fail_on: int) -> object:
    """os.replace that raises on its `fail_on`-th call (1-based)."""
    calls = []
    real = os.replace

    def replace(source: str | Path, target: str | Path) -> None:
        calls.append(target)
        if len(calls) == fail_on:
            raise OSError(28, "No space left on device")
        real(source, target)

    return replace


async def test_a_failed_write_leaves_the_old_file_and_the_draft_submitted(
    editorial: Editorial,
    team: Team,
    storage: Storage,
    content_dir: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    path = content_dir / "topics" / f"{KEYS}.yml"
    before = path.read_bytes()
    draft = await editorial.start(KEYS, team.ana)
    form = edited(editorial.form(draft), "fr", title="Vos clés à l'abri")
    saved = await editorial.save(draft.id, draft.revision, form, team.ana)
    draft = await editorial.submit(saved.draft.id, saved.draft.revision, "", team.ana)

    monkeypatch.setattr(os, "replace", failing_replace(1))
    with pytest.raises(PublishError, match="No space left"):
        await editorial.approve(draft.id, draft.revision, team.rita)
    monkeypatch.undo()

    assert path.read_bytes() == before
    assert sorted(p.name for p in path.parent.iterdir() if p.name.startswith(".")) == []
    assert (await editorial.draft(draft.id)).status == "submitted"
    assert [v.author_name for v in await editorial.history(KEYS)] == [None]  # the file as it was
    entries = await storage.audit.recent(subject=KEYS)
    assert entries[0].action == "topic.publish_failed"
    # Once the disk has room again, the same approval goes through.
    published = await editorial.approve(draft.id, draft.revision, team.rita)
    assert "Vos clés à l'abri" in published.path.read_text(encoding="utf-8")


def test_files_are_written_all_or_none(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    first, second, third = tmp_path / "a.yml", tmp_path / "b.yml", tmp_path / "new.yml"
    first.write_text("a: 1\n", encoding="utf-8")
    second.write_text("b: 1\n", encoding="utf-8")
    os.chmod(first, 0o640)
    monkeypatch.setattr(os, "replace", failing_replace(3))
    with pytest.raises(OSError, match="No space left"):
        write_files([(first, "a: 2\n"), (third, "new: 2\n"), (second, "b: 2\n")])
    monkeypatch.undo()
    assert first.read_text(encoding="utf-8") == "a: 1\n"  # put back
    assert not third.exists()  # a new file removed again
    assert second.read_text(encoding="utf-8") == "b: 1\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.yml", "b.yml"]

    write_files([(first, "a: 3\n"), (third, "new: 3\n")])
    assert first.read_text(encoding="utf-8") == "a: 3\n"
    assert first.stat().st_mode & 0o777 == 0o640  # the file keeps its mode
    assert third.stat().st_mode & 0o777 == 0o644
