"""Writing content files atomically: all of a publication's files, or none of them.

Each file is written to a temporary file in its own folder (a hidden name, which the content
watcher and the topic reader ignore), flushed to disk, then renamed over the old one with
`os.replace`: a reader sees the old file or the new one, never half of one. When a rename fails,
the files already replaced get their old text back. The running bot needs nothing more: its
`ContentStore.reload_if_changed` polls `content/` and serves the new files within a minute.
"""

from __future__ import annotations

import asyncio
import contextlib
import fcntl
import hashlib
import logging
import os
import tempfile
from collections.abc import AsyncIterator, Iterable, Iterator, Sequence
from pathlib import Path
from typing import Final

logger = logging.getLogger(__name__)

NEW_FILE_MODE: Final = 0o644


def content_hash(text: str | None) -> str | None:
    """The SHA-256 of a file's text (UTF-8), or None for no file."""
    return None if text is None else hashlib.sha256(text.encode("utf-8")).hexdigest()


def read_text(path: Path) -> str | None:
    """A content file's text, or None if there is no such file."""
    try:
        return path.read_bytes().decode("utf-8")
    except FileNotFoundError:
        return None


@contextlib.asynccontextmanager
async def folder_lock(folder: Path) -> AsyncIterator[None]:
    """Hold an exclusive lock on a folder: one publication at a time, across processes too
    (between checking that a topic is unchanged and writing it)."""
    fd = os.open(folder, os.O_RDONLY)
    try:
        await asyncio.to_thread(fcntl.flock, fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # closing releases the lock


@contextlib.contextmanager
def folder_lock_blocking(folder: Path) -> Iterator[None]:
    """`folder_lock` for code that already runs in a worker thread."""
    fd = os.open(folder, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)


def write_files(changes: Sequence[tuple[Path, str]]) -> list[tuple[Path, str | None]]:
    """Replace each file with its text, all or none (OSError when nothing was changed).

    Returns the old texts (None: the file was new), for `restore_files` to undo the change.
    """
    temps: list[tuple[Path, Path]] = []
    try:
        for path, text in changes:
            temps.append((path, _temporary(path, text)))
        olds = [read_text(path) for path, _ in temps]
    except OSError:
        _remove(temp for _, temp in temps)
        raise
    done: list[tuple[Path, str | None]] = []
    try:
        for (path, temp), old in zip(temps, olds, strict=True):
            os.replace(temp, path)
            done.append((path, old))
            _sync_folder(path.parent)
    except OSError:
        _remove(temp for _, temp in temps)
        restore_files(done)
        raise
    return done


def _temporary(path: Path, text: str) -> Path:
    """`text` in a hidden temporary file beside `path`, on disk, with the old file's mode."""
    mode = path.stat().st_mode & 0o777 if path.exists() else NEW_FILE_MODE
    handle = tempfile.NamedTemporaryFile(  # noqa: SIM115 - closed below, kept on success
        dir=path.parent, prefix=f".{path.name}.", suffix=".tmp", delete=False
    )
    temp = Path(handle.name)
    try:
        with handle:
            handle.write(text.encode("utf-8"))
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temp, mode)
    except OSError:
        _remove([temp])
        raise
    return temp


def restore_files(done: Sequence[tuple[Path, str | None]]) -> None:
    """Put back files as they were (`write_files`' result), newest first; None: remove it."""
    for path, old in reversed(done):
        try:
            if old is None:
                path.unlink(missing_ok=True)
            else:
                os.replace(_temporary(path, old), path)
        except OSError:
            logger.exception("Could not restore %s after a failed publication", path)


def _remove(paths: Iterable[Path]) -> None:
    for temp in paths:
        with contextlib.suppress(OSError):
            temp.unlink()


def _sync_folder(folder: Path) -> None:
    """Make a rename durable (a no-op where folders cannot be opened)."""
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
