"""The composed bot: real services on a real database, and the logging set-up."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import pytest

from bot.app import open_bot
from bot.config import load_settings
from bot.core.messages import Actor, Incoming, Platform
from bot.logs import configure_logging


@pytest.fixture
def settings(database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.chdir(tmp_path)
    return load_settings(database_url=database_url, data_dir=tmp_path / "data")


DISCORD_USER = Actor(Platform.DISCORD, "guild-1", "chan-1", "42", "Ada", False, "Guild")


async def test_redelivered_event_acts_once_on_the_real_database(settings) -> None:
    async with open_bot(settings) as bot:
        first = await bot.dispatcher.handle(Incoming(DISCORD_USER, "timezone Asia/Tokyo", "m-1"))
        again = await bot.dispatcher.handle(Incoming(DISCORD_USER, "timezone Europe/Paris", "m-1"))
        shown = await bot.dispatcher.handle(Incoming(DISCORD_USER, "timezone", "m-2"))
    assert first is not None and first.error is None
    assert again is None
    assert shown is not None and shown.fields[0].value == "Asia/Tokyo"


async def test_redelivery_is_remembered_across_restarts(settings) -> None:
    async with open_bot(settings) as bot:
        assert await bot.dispatcher.handle(Incoming(DISCORD_USER, "help", "m-9")) is not None
    async with open_bot(settings) as bot:
        assert await bot.dispatcher.handle(Incoming(DISCORD_USER, "help", "m-9")) is None


def test_json_log_lines_carry_extras_and_exceptions(tmp_path: Path) -> None:
    log_file = tmp_path / "logs" / "bot.log"
    configure_logging("INFO", json_lines=True, file=log_file)
    log = logging.getLogger("tests.app")
    log.info("hello %s", "world", extra={"ref": "abc123"})
    try:
        raise ValueError("boom")
    except ValueError:
        log.exception("failed")
    log.debug("not written at INFO")
    for handler in logging.getLogger().handlers:
        handler.flush()
    records = [json.loads(line) for line in log_file.read_text().splitlines()]
    assert [r["message"] for r in records] == ["hello world", "failed"]
    assert records[0]["ref"] == "abc123" and records[0]["level"] == "INFO"
    assert "ValueError: boom" in records[1]["exception"]
