"""Typed arguments through the composed bot: bad input stores nothing; durations count."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
import pytest_asyncio

from bot.adapters.console import ConsoleAdapter, console_actor
from bot.app import BotContext, open_bot
from bot.config import load_settings
from bot.core.clock import FixedClock
from bot.core.messages import Reply

START = datetime(2026, 3, 2, 12, tzinfo=UTC)


@pytest_asyncio.fixture(loop_scope="function")
async def bot(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[BotContext]:
    monkeypatch.chdir(tmp_path)
    url = f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}"
    settings = load_settings(database_url=url, data_dir=tmp_path / "data")
    async with open_bot(settings, FixedClock(START)) as running:
        yield running


async def say(bot: BotContext, line: str, user: str = "ada", moderator: bool = False) -> Reply:
    reply = await ConsoleAdapter(
        bot.dispatcher.handle, console_actor(user, moderator=moderator)
    ).ask(line)
    assert reply is not None
    assert reply.error != "internal", reply.text
    return reply


def total_minutes(reply: Reply) -> int:
    total = next(f.value for f in reply.fields if f.name == "Total")
    return int(total.split()[0])


@pytest.mark.parametrize(
    "line", ["checkin ²", "checkin ①", "checkin -5", "checkin 30.5", "checkin 1e3",
             "checkin 1441", "checkin 1.5h", "checkin 25h"],
)  # fmt: skip
async def test_malformed_minutes_are_a_usage_error_and_store_nothing(
    bot: BotContext, line: str
) -> None:
    reply = await say(bot, line)
    assert reply.error == "usage", (line, reply.text)
    assert "`minutes`" in reply.text
    streak = await say(bot, "streak")
    assert total_minutes(streak) == 0
    assert next(f.value for f in streak.fields if f.name == "Today") == "not yet"


@pytest.mark.parametrize(
    ("line", "minutes"),
    [("checkin 30min", 30), ("checkin 45m", 45), ("checkin 1h", 60), ("checkin 1h30 sql", 90),
     ("checkin\t30", 30), ("checkin docker compose", 0), ("checkin 2 hours", 120),
     ("checkin 1h 30m sql", 90), ("checkin 45 min of sql", 45), ("checkin 2nd chapter", 0),
     ("checkin 3d modelling", 0)],
)  # fmt: skip
async def test_durations_people_type_are_understood(
    bot: BotContext, line: str, minutes: int
) -> None:
    reply = await say(bot, line)
    assert reply.error is None, reply.text
    assert total_minutes(await say(bot, "streak")) == minutes


async def test_streak_of_a_console_member_by_name(bot: BotContext) -> None:
    await say(bot, "checkin 20", user="bob")
    for line in ("streak @bob", "streak bob"):
        reply = await say(bot, line)
        assert reply.title == "Their study streak", reply.text
        assert total_minutes(reply) == 20
    nobody = await say(bot, "streak @everyone")
    assert nobody.error == "usage"


async def test_unicode_digits_in_settings_are_refused_and_nothing_changes(bot: BotContext) -> None:
    before = await say(bot, "config streaks", moderator=True)
    reply = await say(bot, "config streaks freeze-every ²", moderator=True)
    assert reply.error == "usage" and "`value`" in reply.text
    assert (await say(bot, "config streaks", moderator=True)).fields == before.fields


@pytest.mark.parametrize(
    ("line", "named"),
    [
        ("config streaks fre-every 5", "`setting`"),
        ("config strekas freeze-every 5", "`config streaks`"),  # the subcommand it meant
        ("config streaks 5", "`setting`"),
    ],
)
async def test_a_mistyped_setting_is_refused_not_shown_as_saved(
    bot: BotContext, line: str, named: str
) -> None:
    before = await say(bot, "config streaks", moderator=True)
    reply = await say(bot, line, moderator=True)
    assert reply.error == "usage" and named in reply.text, reply.text
    assert (await say(bot, "config streaks", moderator=True)).fields == before.fields


async def test_members_hear_about_access_before_argument_errors(bot: BotContext) -> None:
    reply = await say(bot, "/config streaks freeze-every 99")
    assert reply.error == "permission"


async def test_config_alone_shows_every_section_and_reflects_a_change(bot: BotContext) -> None:
    await say(bot, "config streaks setting:freeze-every value:3", moderator=True)
    for line in ("config", "config show"):
        reply = await say(bot, line, moderator=True)
        assert reply.error is None, reply.text
        sections = {f.name: f.value for f in reply.fields}
        assert "freeze-every: 3 days in a row" in sections["Streaks"]
    assert (await say(bot, "/config show")).error == "permission"
