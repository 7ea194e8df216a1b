"""A real PostgreSQL server for tests and benchmarks (Debian's binaries), and its fixtures.

One server per test session, started on first use: `initdb` and `pg_ctl` run as the `postgres`
user when we are root (PostgreSQL refuses to run as root), in a temporary folder, listening on
a free loopback port, with its unix socket in that folder too. Every test gets a fresh
database, `CREATE DATABASE ... TEMPLATE` of one migrated once per session (a file copy inside
the server, a few milliseconds), dropped after the test.

    def test_x(postgres_database: str) -> None: ...   # a migrated database's URL
    async def test_y(storage: Storage) -> None: ...   # both backends in tests/storage and
                                                      # tests/reminders (their conftest.py)

If the binaries are missing, the tests that need them fail with a message that says what to
install: they are never skipped.
"""

from __future__ import annotations

import asyncio
import glob
import itertools
import os
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Final

import asyncpg
import pytest

from bot.storage import Storage

BIN_GLOB: Final = "/usr/lib/postgresql/*/bin"
SUPERUSER: Final = "postgres"
TEMPLATE: Final = "preventbot_template"
BACKENDS: Final = ("sqlite", "postgresql")
# Durability off: a test server's data dies with it, and fsync is most of the time otherwise.
FAST_SETTINGS: Final = ("fsync=off", "synchronous_commit=off", "full_page_writes=off")
MISSING: Final = (
    "PostgreSQL's server binaries (initdb, pg_ctl) were not found in {where}: install the "
    "Debian package `postgresql` (apt-get install postgresql; .ci/run does it when it runs "
    "as root). The PostgreSQL tests are never skipped."
)


def binaries() -> Path:
    """The folder of initdb and pg_ctl (the newest installed version), or a clear error."""
    folders = sorted(glob.glob(BIN_GLOB), key=_version)
    for folder in reversed(folders):
        if (Path(folder) / "initdb").exists() and (Path(folder) / "pg_ctl").exists():
            return Path(folder)
    on_path = shutil.which("initdb")
    if on_path and shutil.which("pg_ctl"):
        return Path(on_path).parent
    raise RuntimeError(MISSING.format(where=f"{BIN_GLOB} or PATH"))


def _version(folder: str) -> tuple[int, ...]:
    number = Path(folder).parent.name
    return tuple(int(part) for part in number.split(".") if part.isdigit())


def free_port() -> int:
    """A loopback port nobody listens on now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class PostgresServer:
    """A throwaway PostgreSQL cluster: `start`, `url(name)`, `create`/`drop`, `stop`."""

    def __init__(self, durable: bool = False) -> None:
        """`durable`: fsync and synchronous commits on, as in production (benchmarks)."""
        self.bin = binaries()
        self.durable = durable
        self.folder = Path(tempfile.mkdtemp(prefix="preventbot-pg-"))
        self.data = self.folder / "data"
        self.port = 0
        self._names = itertools.count(1)

    def _as_owner(self, *command: str) -> list[str]:
        """Run as the postgres user when we are root (the server refuses root)."""
        if os.geteuid() == 0:
            return ["runuser", "-u", SUPERUSER, "--", *command]
        return list(command)

    def start(self) -> PostgresServer:
        """initdb, then start the server on a free port; return self."""
        if os.geteuid() == 0:
            shutil.chown(self.folder, SUPERUSER, SUPERUSER)
        self._run(
            str(self.bin / "initdb"),
            "-D",
            str(self.data),
            "-U",
            SUPERUSER,
            "--auth=trust",
            "--encoding=UTF8",
            "--no-locale",
            "--no-sync",
        )
        for _attempt in range(5):  # another process may take the free port first
            self.port = free_port()
            options = " ".join(
                [
                    f"-p {self.port}",
                    f"-k {self.folder}",
                    "-c listen_addresses=127.0.0.1",
                    "-c max_connections=200",
                    *(f"-c {setting}" for setting in self._settings()),
                ]
            )
            started = subprocess.run(
                self._as_owner(
                    str(self.bin / "pg_ctl"),
                    "-D",
                    str(self.data),
                    "-o",
                    options,
                    "-l",
                    str(self.folder / "server.log"),
                    "-w",
                    "-t",
                    "60",
                    "start",
                ),
                capture_output=True,
                text=True,
                check=False,
            )
            if started.returncode == 0:
                return self
        log = (self.folder / "server.log").read_text(errors="replace")[-2000:]
        raise RuntimeError(f"PostgreSQL did not start: {started.stderr}\n{log}")

    def _settings(self) -> tuple[str, ...]:
        return ("shared_buffers=256MB",) if self.durable else FAST_SETTINGS

    def _run(self, *command: str) -> None:
        done = subprocess.run(
            self._as_owner(*command), capture_output=True, text=True, check=False
        )
        if done.returncode != 0:
            raise RuntimeError(f"{command[0]} failed: {done.stderr or done.stdout}")

    def url(self, database: str = SUPERUSER) -> str:
        """The URL of a database on this server (no password: trust on loopback)."""
        return f"postgresql://{SUPERUSER}@127.0.0.1:{self.port}/{database}"

    async def execute(self, sql: str) -> None:
        """Run one statement on the `postgres` database (CREATE/DROP DATABASE need that)."""
        connection = await asyncpg.connect(self.url())
        try:
            await connection.execute(sql)
        finally:
            await connection.close()

    async def create(self, template: str | None = None, name: str | None = None) -> str:
        """A new database (empty, or a copy of `template`); return its URL."""
        name = name or f"test_{os.getpid()}_{next(self._names)}"
        copy = f" TEMPLATE {template}" if template else ""
        await self.execute(f'CREATE DATABASE "{name}"{copy}')
        return self.url(name)

    async def drop(self, url: str) -> None:
        """Drop the database of `url`, closing whatever still holds it."""
        name = url.rpartition("/")[2]
        await self.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def stop(self) -> None:
        """Stop the server at once and delete its folder."""
        try:
            if self.port and (self.data / "postmaster.pid").exists():
                self._run(
                    str(self.bin / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "stop"
                )
        finally:
            shutil.rmtree(self.folder, ignore_errors=True)


async def migrated_template(server: PostgresServer) -> str:
    """Create and migrate the template database once; return its name."""
    url = await server.create(name=TEMPLATE)
    storage = await Storage.open(url)
    await storage.close()  # a template may have no open connection when it is copied
    return TEMPLATE


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    """One PostgreSQL server for the whole session, stopped at its end."""
    server = PostgresServer()
    try:
        yield server.start()
    finally:
        server.stop()


@pytest.fixture(scope="session")
def postgres_template(postgres_server: PostgresServer) -> str:
    """The migrated database each test's database copies."""
    return asyncio.run(migrated_template(postgres_server))


@pytest.fixture
def postgres_database(postgres_server: PostgresServer, postgres_template: str) -> Iterator[str]:
    """The URL of a fresh migrated database, dropped after the test."""
    url = asyncio.run(postgres_server.create(template=postgres_template))
    yield url
    asyncio.run(postgres_server.drop(url))


def parametrize_backends(metafunc: pytest.Metafunc) -> None:
    """Run every test that uses `backend` (the `storage` fixture does) on both databases, or
    on those its `@pytest.mark.backends("sqlite")` names (a test of SQLite's pragmas)."""
    if "backend" not in metafunc.fixturenames:
        return
    marker = metafunc.definition.get_closest_marker("backends")
    names = tuple(marker.args) if marker is not None else BACKENDS
    metafunc.parametrize("backend", names)
