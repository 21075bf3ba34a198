"""Two real bot processes on one PostgreSQL database: a privacy change holds in both at once."""

from __future__ import annotations

import itertools
import json
import re
import select
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import PostgresServer

DRIVER = Path(__file__).with_name("bot_process.py")
ADA, BOB = ("1", "Ada"), ("2", "Bob")
_ids = itertools.count()


class BotProcess:
    """A running tests/processes/bot_process.py, spoken to one line at a time."""

    def __init__(self, database_url: str, data_dir: Path) -> None:
        self.process = subprocess.Popen(
            [sys.executable, str(DRIVER), database_url, str(data_dir)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert self._read() == {"ready": True}

    def say(self, who: tuple[str, str], text: str) -> dict[str, Any]:
        user, name = who
        request = {"space": "guild-1", "user": user, "name": name, "text": text,
                   "id": f"evt-{next(_ids)}"}  # fmt: skip
        assert self.process.stdin is not None
        self.process.stdin.write(json.dumps(request) + "\n")
        self.process.stdin.flush()
        reply = self._read()
        assert reply is not None and reply.get("error") != "internal", reply
        return reply

    def _read(self, timeout: float = 60.0) -> Any:
        assert self.process.stdout is not None
        ready, _, _ = select.select([self.process.stdout], [], [], timeout)
        assert ready, "the bot process did not answer in time"
        line = self.process.stdout.readline()
        assert line, f"the bot process ended (exit code {self.process.poll()})"
        return json.loads(line)

    def close(self) -> None:
        assert self.process.stdin is not None
        self.process.stdin.close()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        finally:
            if self.process.stdout is not None:
                self.process.stdout.close()


def names_on_board(reply: dict[str, Any]) -> list[str]:
    return re.findall(r"^\d+\. (.+?)(?: \(you\))?: ", str(reply["text"]), flags=re.MULTILINE)


@pytest.fixture
def postgres_url(postgres_server: PostgresServer) -> Iterator[str]:
    name = f"test_{uuid.uuid4().hex[:16]}"
    postgres_server.client("createdb", name)
    try:
        yield postgres_server.url(name)
    finally:
        postgres_server.client("dropdb", "--force", name)


@pytest.mark.postgres
def test_privacy_holds_at_once_across_two_bot_processes(postgres_url: str, tmp_path: Path) -> None:
    first = BotProcess(postgres_url, tmp_path / "one")  # migrates the database
    second = BotProcess(postgres_url, tmp_path / "two")
    try:
        second.say(ADA, "checkin 10")
        assert second.say(BOB, "streak <@1>")["title"] == "Their study streak"  # cached now
        first.say(BOB, "checkin 20")

        first.say(ADA, "privacy leaderboard off")

        assert second.say(BOB, "streak <@1>")["error"] == "private"
        second.say(ADA, "checkin 5")  # the process that saw Ada as visible records it
        for bot in (first, second):
            assert names_on_board(bot.say(BOB, "leaderboard week minutes")) == ["Bob"]
        assert second.say(ADA, "privacy")["fields"][0]["value"] == "off"

        second.say(ADA, "privacy leaderboard on")
        assert first.say(BOB, "streak <@1>")["title"] == "Their study streak"
        assert names_on_board(first.say(BOB, "leaderboard week minutes")) == ["Bob", "Ada"]
    finally:
        first.close()
        second.close()
