"""Log noise: what libraries say at INFO on every start or tick stays out of the logs."""

from __future__ import annotations

import io
import logging
import os
import subprocess
import sys
from pathlib import Path

from bot.logs import configure_logging


def run_cli(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("BOT_")}
    env["BOT_DATABASE_URL"] = f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}"
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        timeout=60,
        check=True,
    )


def test_an_up_to_date_database_starts_without_alembic_lines(tmp_path: Path) -> None:
    first = run_cli(tmp_path, "migrate")
    assert "migrating database from empty" in first.stderr  # there was something to do
    for command in (["migrate"], ["check-config"], ["check-config", "--ping"]):
        result = run_cli(tmp_path, *command)
        assert "alembic" not in result.stderr, command
        assert "migrating" not in result.stderr and "upgrading" not in result.stderr, command
        assert "INFO" not in result.stderr, command


def test_scheduler_ticks_and_voice_warnings_are_not_logged() -> None:
    stream = io.StringIO()
    configure_logging("INFO", stream=stream)
    logging.getLogger("apscheduler.executors.default").info('Running job "reminders"')
    logging.getLogger("apscheduler.scheduler").info("Added job")
    for library in ("PyNaCl", "davey"):
        logging.getLogger("discord.client").warning(
            "%s is not installed, voice will NOT be supported", library
        )
    logging.getLogger("discord.client").warning("a warning worth reading")
    logging.getLogger("apscheduler.scheduler").warning("a missed run")
    lines = stream.getvalue().splitlines()
    assert len(lines) == 2
    assert "a warning worth reading" in lines[0] and "a missed run" in lines[1]
