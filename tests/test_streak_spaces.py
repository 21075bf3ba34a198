"""Streak data per community, privacy and the daily cap with two bots on one database."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import pytest_asyncio

from bot.config import load_settings
from bot.core.clock import FixedClock
from bot.core.messages import Actor, Platform
from tests.test_streak_features import START, Running, board, field_value, open_running


def in_space(space: str, user_id: str, name: str, *, moderator: bool = False) -> Actor:
    return Actor(Platform.DISCORD, space, "chan-1", user_id, name, moderator, space)


ADA_A, ADA_B = in_space("A", "1", "Ada"), in_space("B", "1", "Ada")
BOB_A = in_space("A", "2", "Bob")
MOD_A, MOD_B = (in_space(s, "99", "Mo", moderator=True) for s in ("A", "B"))


class Prefixed(Running):
    """A running bot whose event ids do not collide with another bot's on the same database."""

    def __init__(self, running: Running, prefix: str) -> None:
        super().__init__(running.bot, running.clock, running.sent)
        self._prefix = prefix

    async def say(self, actor: Actor, text: str, event_id: str | None = None) -> object:
        self._ids += 1
        return await super().say(actor, text, event_id or f"{self._prefix}-{self._ids}")


@pytest_asyncio.fixture(loop_scope="function")
async def two_bots(
    database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> AsyncIterator[tuple[Running, Running]]:
    """Two bots (as two processes would be: own caches, own writer) on one database."""
    monkeypatch.chdir(tmp_path)
    settings = load_settings(database_url=database_url, data_dir=tmp_path / "data")
    clocks = FixedClock(START), FixedClock(START)
    async with (
        open_running(settings, clocks[0]) as first,
        open_running(settings, clocks[1]) as second,
    ):
        yield Prefixed(first, "p1"), Prefixed(second, "p2")


def advance(bots: tuple[Running, Running], **delta: float) -> None:
    for bot in bots:
        bot.advance(**delta)


async def _studied_mon_tue_thu(bots: tuple[Running, Running]) -> None:
    """Ada studies Monday and Tuesday in A, misses Wednesday, studies Thursday in B."""
    one, _ = bots
    await one.say(MOD_A, "config streaks freeze-every 2")
    await one.say(MOD_B, "config streaks freeze-every 2")
    for _ in range(2):
        await one.say(ADA_A, "checkin 10")
        advance(bots, days=1)
    advance(bots, days=1)
    await one.say(ADA_B, "checkin 10")


async def test_a_rule_change_in_one_space_never_changes_another_spaces_rows(
    two_bots: tuple[Running, Running],
) -> None:
    one, _ = two_bots
    await _studied_mon_tue_thu(two_bots)
    # Two days in a row earned a freeze that covers Wednesday: a 3-day streak in both.
    assert board(await one.say(ADA_A, "leaderboard all streak")) == [(1, "Ada", 3)]

    await one.say(MOD_B, "config streaks max-freezes 0")

    # B's rule: no freeze, so Wednesday broke the streak there; A keeps its own rule.
    assert board(await one.say(ADA_B, "leaderboard all streak")) == [(1, "Ada", 1)]
    assert board(await one.say(ADA_A, "leaderboard all streak")) == [(1, "Ada", 3)]
    assert (await one.say(ADA_A, "streak")).fields[0].value == "3 days"


async def test_each_space_row_uses_that_spaces_rules_after_a_checkin_elsewhere(
    two_bots: tuple[Running, Running],
) -> None:
    one, _ = two_bots
    await one.say(MOD_B, "config streaks max-freezes 0")
    await _studied_mon_tue_thu(two_bots)  # the latest event is in B, whose rule differs

    assert board(await one.say(ADA_A, "leaderboard all streak")) == [(1, "Ada", 3)]
    assert (await one.say(ADA_A, "streak")).fields[0].value == "3 days"
    assert board(await one.say(ADA_B, "leaderboard all streak")) == [(1, "Ada", 1)]
    assert (await one.say(ADA_B, "streak")).fields[0].value == "1 day"


async def test_each_space_row_counts_today_in_that_spaces_default_timezone(
    two_bots: tuple[Running, Running],
) -> None:
    one, _ = two_bots
    await one.say(MOD_A, "config streaks timezone Pacific/Kiritimati")  # UTC+14
    advance(two_bots, hours=-3)
    await one.say(ADA_A, "checkin 10")  # Monday 09:00 UTC: Monday 23:00 in A
    advance(two_bots, hours=3)
    await one.say(ADA_B, "checkin 10")  # Monday noon UTC: Monday in B too
    advance(two_bots, hours=24)  # Tuesday noon UTC: B's Tuesday is not over yet...
    assert board(await one.say(ADA_B, "leaderboard all streak")) == [(1, "Ada", 1)]
    # ...but in A it is Wednesday 02:00, so Ada's Tuesday there went unstudied.
    assert board(await one.say(ADA_A, "leaderboard all streak")) == []
    assert (await one.say(ADA_A, "streak")).fields[0].value == "0 days"


async def test_privacy_off_holds_when_another_process_records_a_checkin(
    two_bots: tuple[Running, Running],
) -> None:
    one, two = two_bots
    await two.say(ADA_A, "checkin 10")  # the second process now has Ada's profile cached
    await one.say(BOB_A, "checkin 20")

    await one.say(ADA_A, "privacy leaderboard off")
    await two.say(ADA_A, "checkin 5")  # handled by the process with the cached profile

    for bot in (one, two):
        ranked = board(await bot.say(BOB_A, "leaderboard week minutes"))
        assert [name for _, name, _ in ranked] == ["Bob"]


async def test_privacy_off_holds_at_once_in_another_process(
    two_bots: tuple[Running, Running],
) -> None:
    one, two = two_bots
    await one.say(ADA_A, "checkin 10")
    shown = await two.say(BOB_A, "streak <@1>")  # caches Ada in the second process
    assert shown.title == "Their study streak"

    await one.say(ADA_A, "privacy leaderboard off")

    hidden = await two.say(BOB_A, "streak <@1>")
    assert hidden.error == "private" and hidden.image is None
    assert (await two.say(ADA_A, "privacy")).fields[0].value == "off"
    await one.say(ADA_A, "privacy leaderboard on")
    assert (await two.say(BOB_A, "streak <@1>")).title == "Their study streak"


async def test_a_day_counts_at_most_24_hours(two_bots: tuple[Running, Running]) -> None:
    one, _ = two_bots
    first = await one.say(ADA_A, "checkin 1400")
    assert first.title == "Check-in saved"
    partly = await one.say(ADA_A, "checkin 90")
    assert "40 of the 90" in partly.text
    for _ in range(3):
        refused = await one.say(ADA_A, "checkin 1440")
        assert "0 of the 1440" in refused.text
    assert board(await one.say(ADA_A, "leaderboard week minutes")) == [(1, "Ada", 1440)]
    assert field_value(await one.say(ADA_A, "streak"), "Total") == "1440 min"
    one.advance(days=1)  # a new local day has its own 24 hours
    assert "counted" not in (await one.say(ADA_A, "checkin 30")).text


async def test_two_processes_checking_in_at_once_stay_within_the_day(
    two_bots: tuple[Running, Running],
) -> None:
    one, two = two_bots
    await asyncio.gather(
        *(bot.say(ADA_A, "checkin 1000") for bot in (one, two, one, two)),
    )
    assert board(await one.say(ADA_A, "leaderboard week minutes")) == [(1, "Ada", 1440)]
    assert field_value(await two.say(ADA_A, "streak"), "Total") == "1440 min"
