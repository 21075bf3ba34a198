"""The composed bot: real services on a real database, and the logging set-up."""

from __future__ import annotations

import asyncio
import json
import logging
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.app import open_bot
from bot.config import load_settings
from bot.core.clock import FixedClock
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


async def test_shutdown_drains_a_check_in_still_being_written(settings) -> None:
    """Leaving open_bot while a check-in waits in the writer's queue stores it, then closes."""
    async with open_bot(settings) as bot:
        pending = asyncio.ensure_future(
            bot.dispatcher.handle(Incoming(DISCORD_USER, "checkin 25", "m-1"))
        )
        await asyncio.sleep(0)  # the check-in is queued, not yet committed
    reply = await pending
    assert reply is not None and reply.title == "Check-in saved", reply
    async with open_bot(settings) as bot:
        again = await bot.dispatcher.handle(Incoming(DISCORD_USER, "streak", "m-2"))
    assert again is not None
    assert next(f.value for f in again.fields if f.name == "Total") == "25 min"


async def test_timers_prune_processed_events_and_stop_on_exit(settings) -> None:
    clock = FixedClock(datetime(2026, 3, 2, 12, tzinfo=UTC))
    async with open_bot(settings, clock) as bot:
        assert await bot.dispatcher.handle(Incoming(DISCORD_USER, "help", "m-1")) is not None
        clock.advance(timedelta(days=settings.event_retention_days + 1))
        assert set(bot.timers) >= {
            "prune-processed-events",
            "streak-reminders",
            "prune-streak-reminders",
        }
        bot.start_timers()  # each timer runs once at start: the old event is forgotten
        for _ in range(100):
            await asyncio.sleep(0.01)
            if await bot.dispatcher.handle(Incoming(DISCORD_USER, "help", "m-1")) is not None:
                break
        else:
            raise AssertionError("the processed event was never pruned")
    assert not bot.timer.running
