"""The mentoring job (requests side) in the composed bot, through the dispatcher."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.app import open_bot
from bot.config import Settings, load_settings
from bot.core.clock import FixedClock
from bot.core.messages import Actor, Incoming, Platform

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
LEA = Actor(Platform.CONSOLE, "local", "console", "lea", "Lea")
MOD = Actor(Platform.CONSOLE, "local", "console", "mod", "Mod", is_moderator=True)


@pytest.fixture
def settings(database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Settings:
    monkeypatch.chdir(tmp_path)
    return load_settings(database_url=database_url, data_dir=tmp_path / "data")


async def test_a_request_waits_is_listed_counted_and_withdrawn(settings: Settings) -> None:
    clock = FixedClock(NOW)
    async with open_bot(settings, clock) as bot:
        say = bot.dispatcher.handle
        asked = await say(Incoming(LEA, "mentor request git I cannot undo a pushed commit safely"))
        again = await say(Incoming(LEA, "mentor request git another thing about rebasing it"))
        thin = await say(Incoming(LEA, "mentor request sql help me"))
        status = await say(Incoming(LEA, "mentor"))
        config = await say(Incoming(MOD, "config mentoring deadline:72h"))
        shown = await say(Incoming(MOD, "config show"))
        clock.advance(timedelta(days=1, minutes=1))
        assert await bot.timers["mentoring"].run() == 1  # the moderators' reminder, claimed
        stats = await say(Incoming(MOD, "mentor stats"))
        refused = await say(Incoming(LEA, "mentor stats"))
        cancelled = await say(Incoming(LEA, "mentor cancel"))
        after = await say(Incoming(LEA, "mentor status"))

    assert asked is not None and asked.error is None and "number 1" in asked.text
    assert again is not None and again.error == "bad_request"
    assert thin is not None and thin.error == "usage" and thin.argument == "context"
    assert status is not None and len(status.fields) == 1 and "waiting" in status.fields[0].value
    assert config is not None and config.error is None
    assert shown is not None and any("3d" in f.value for f in shown.fields if f.name == "Mentoring")
    values = {f.name: f.value for f in stats.fields} if stats else {}
    assert values["Requests"] == "1" and values["Waiting now"] == "1"
    assert refused is not None and refused.error == "permission"
    assert cancelled is not None and cancelled.error is None
    assert after is not None and not after.fields
