"""Shared fixtures: real databases (a SQLite file and a throwaway PostgreSQL server)."""

from __future__ import annotations

import glob
import logging
import os
import pwd
import shlex
import shutil
import socket
import subprocess
import tempfile
import time
import uuid
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import NoReturn

import pytest
import pytest_asyncio
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.storage.db import create_engine

REQUIRE_POSTGRES = os.environ.get("BOT_TEST_REQUIRE_POSTGRES") == "1"


@pytest.fixture(autouse=True)
def _restore_root_logger() -> Iterator[None]:
    """Undo what a test's configure_logging() did, so log capture works in the next test."""
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    yield
    for handler in root.handlers:
        if handler not in handlers:
            handler.close()
    root.handlers[:] = handlers
    root.setLevel(level)


@dataclass(frozen=True)
class PostgresServer:
    """A running throwaway PostgreSQL cluster with trust auth for user postgres."""

    bindir: Path
    host: str
    port: int
    user: str = "postgres"

    def url(self, database: str) -> str:
        return f"postgresql+asyncpg://{self.user}@{self.host}:{self.port}/{database}"

    def client(self, program: str, *args: str) -> None:
        """Run a client program (createdb, dropdb, ...) against the server over TCP."""
        server = ["-h", self.host, "-p", str(self.port), "-U", self.user]
        subprocess.run(
            [str(self.bindir / program), *server, *args],
            check=True,
            capture_output=True,
            timeout=60,
        )


def _postgres_bindir() -> Path | None:
    candidates = sorted(
        (Path(p).parent for p in glob.glob("/usr/lib/postgresql/*/bin/initdb")),
        key=lambda p: int(p.parent.name) if p.parent.name.isdigit() else 0,
        reverse=True,
    )
    if not candidates and shutil.which("pg_config"):
        out = subprocess.run(["pg_config", "--bindir"], capture_output=True, text=True)
        bindir = Path(out.stdout.strip())
        if (bindir / "initdb").is_file():
            candidates.append(bindir)
    return candidates[0] if candidates else None


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _unavailable(reason: str) -> NoReturn:
    if REQUIRE_POSTGRES:
        pytest.fail(f"BOT_TEST_REQUIRE_POSTGRES=1 but {reason}", pytrace=False)
    pytest.skip(f"PostgreSQL tests skipped: {reason}")


def _as_postgres_user(argv: list[str]) -> list[str]:
    """Wrap argv so it runs as the postgres OS user, since PostgreSQL refuses to run as root."""
    if os.geteuid() != 0:
        return argv
    try:
        pwd.getpwnam("postgres")
    except KeyError:
        _unavailable("running as root and there is no 'postgres' OS user to run the server")
    if shutil.which("runuser"):
        return ["runuser", "-u", "postgres", "--", *argv]
    return ["su", "postgres", "-s", "/bin/sh", "-c", shlex.join(argv)]


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    """Start a throwaway PostgreSQL cluster for the test session; always remove it."""
    bindir = _postgres_bindir()
    if bindir is None:
        _unavailable("no PostgreSQL binaries under /usr/lib/postgresql/*/bin or pg_config")
    _as_postgres_user([])  # skip or fail now if the server cannot run as a non-root user

    tmp = tempfile.mkdtemp(prefix="roadmap-bot-pg-")
    data, log_file = os.path.join(tmp, "data"), os.path.join(tmp, "server.log")

    def run(program: str, *args: str) -> subprocess.CompletedProcess[str]:
        argv = _as_postgres_user([str(bindir / program), *args])
        return subprocess.run(argv, capture_output=True, text=True, timeout=120, cwd=tmp)

    started = False
    try:
        if os.geteuid() == 0:
            owner = pwd.getpwnam("postgres")
            os.chown(tmp, owner.pw_uid, owner.pw_gid)
        init = run("initdb", "-D", data, "-U", "postgres", "-A", "trust", "-E", "UTF8",
                   "--no-locale", "--no-sync")  # fmt: skip
        if init.returncode != 0:
            pytest.fail(f"initdb failed:\n{init.stdout}\n{init.stderr}", pytrace=False)
        port = _free_port()
        # Durability is worthless for a throwaway cluster; these make DDL-heavy tests fast.
        options = (
            f"-p {port} -k {tmp} -c listen_addresses=127.0.0.1"
            " -F -c full_page_writes=off -c synchronous_commit=off"
        )
        started = True  # pg_ctl may launch the server even when it then reports a failure
        start = run("pg_ctl", "-D", data, "-l", log_file, "-o", options, "-w", "-t", "60", "start")
        if start.returncode != 0:
            log_text = Path(log_file).read_text() if os.path.exists(log_file) else ""
            pytest.fail(f"pg_ctl start failed:\n{start.stderr}\n{log_text}", pytrace=False)
        server = PostgresServer(bindir=bindir, host="127.0.0.1", port=port)
        _wait_ready(server)
        yield server
    finally:
        stopped = (
            not started or run("pg_ctl", "-D", data, "-m", "fast", "-w", "stop").returncode == 0
        )
        if not stopped:
            run("pg_ctl", "-D", data, "-m", "immediate", "-w", "stop")
        shutil.rmtree(tmp, ignore_errors=True)


def _wait_ready(server: PostgresServer, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while True:
        ready = subprocess.run(
            [str(server.bindir / "pg_isready"), "-h", server.host, "-p", str(server.port)],
            capture_output=True,
        )
        if ready.returncode == 0:
            return
        if time.monotonic() > deadline:
            pytest.fail(f"PostgreSQL on port {server.port} not ready in {timeout}s", pytrace=False)
        time.sleep(0.1)


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    """Return the URL of a fresh SQLite file for this test."""
    return f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}"


@pytest.fixture(
    params=[
        pytest.param("sqlite", id="sqlite"),
        pytest.param("postgres", id="postgres", marks=pytest.mark.postgres),
    ]
)
def database_url(request: pytest.FixtureRequest) -> Iterator[str]:
    """Return the URL of an empty database of this test's own, on SQLite then PostgreSQL."""
    if request.param == "sqlite":
        yield request.getfixturevalue("sqlite_url")
        return
    server: PostgresServer = request.getfixturevalue("postgres_server")
    name = f"test_{uuid.uuid4().hex[:16]}"
    server.client("createdb", name)
    try:
        yield server.url(name)
    finally:
        # --force ends connections a failed test may have leaked.
        server.client("dropdb", "--force", name)


# Function loop scope: asyncpg connections belong to the loop that opened them, and each
# test runs in its own loop (the pyproject default for fixtures is the session loop).
@pytest_asyncio.fixture(loop_scope="function")
async def engine(database_url: str) -> AsyncIterator[AsyncEngine]:
    """Return an engine on this test's database, disposed afterwards."""
    db = create_engine(database_url)
    try:
        yield db
    finally:
        await db.dispose()
