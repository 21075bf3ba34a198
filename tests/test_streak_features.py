"""Check-ins, leaderboards, privacy, config, reminders and milestone roles on real databases."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import pytest_asyncio

from bot.adapters.discord.references import DISCORD_REFERENCES
from bot.app import BotContext, open_bot
from bot.config import Settings, load_settings
from bot.core.clock import FixedClock
from bot.core.messages import Actor, Incoming, Platform, Reply
from bot.core.ports import MemberKey, Reach

GUILD = "guild-1"
START = datetime(2026, 3, 2, 12, tzinfo=UTC)  # a Monday, noon UTC


def member(user_id: str, name: str | None = None, *, moderator: bool = False) -> Actor:
    return Actor(Platform.DISCORD, GUILD, "chan-1", user_id, name or f"User {user_id}",
                 moderator, "Guild")  # fmt: skip


ADA, BOB, CY = member("1", "Ada"), member("2", "Bob"), member("3", "Cy")
MOD = member("99", "Mo", moderator=True)


@dataclass
class Sent:
    """A notifier and role granter that records what it was asked to do."""

    direct_messages: list[tuple[MemberKey, Reply]] = field(default_factory=list)
    roles: list[tuple[str, str, str]] = field(default_factory=list)
    refuse_roles: bool = False

    async def post(self, space_id: str, channel_id: str, reply: Reply) -> None:
        raise AssertionError("streak features never post to channels")

    async def direct(self, key: MemberKey, reply: Reply, *, space_id: str | None = None) -> None:
        self.direct_messages.append((key, reply))

    async def grant_role(self, space_id: str, user_id: str, role_id: str, reason: str) -> bool:
        if self.refuse_roles:
            return False
        self.roles.append((space_id, user_id, role_id))
        return True


class Running:
    def __init__(self, bot: BotContext, clock: FixedClock, sent: Sent) -> None:
        self.bot, self.clock, self.sent = bot, clock, sent
        self._ids = 0

    async def say(self, actor: Actor, text: str, event_id: str | None = None) -> Reply:
        self._ids += 1
        reply = await self.bot.dispatcher.handle(
            Incoming(actor, text, event_id or f"evt-{self._ids}", DISCORD_REFERENCES)
        )
        assert reply is not None
        assert reply.error != "internal", reply.text
        return reply

    def advance(self, **delta: float) -> None:
        self.clock.advance(timedelta(**delta))


@asynccontextmanager
async def open_running(settings: Settings, clock: FixedClock) -> AsyncIterator[Running]:
    """Open the composed bot with a recording notifier and role granter on Discord."""
    sent = Sent()
    reach = Reach({Platform.DISCORD: sent}, {Platform.DISCORD: sent})
    async with open_bot(settings, clock, reach) as bot:
        yield Running(bot, clock, sent)


@pytest_asyncio.fixture(loop_scope="function")
async def running(
    database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> AsyncIterator[Running]:
    monkeypatch.chdir(tmp_path)
    settings = load_settings(database_url=database_url, data_dir=tmp_path / "data")
    clock = FixedClock(START)
    async with open_running(settings, clock) as running:
        yield running


def board(reply: Reply) -> list[tuple[int, str, int]]:
    """Return (rank, name, value) for each line of a leaderboard reply."""
    lines = re.findall(r"^(\d+)\. (.+?)(?: \(you\))?: (\d+) ", reply.text, flags=re.MULTILINE)
    return [(int(rank), name, int(value)) for rank, name, value in lines]


def field_value(reply: Reply, name: str) -> str | None:
    return next((f.value for f in reply.fields if f.name == name), None)


async def test_leaderboards_rank_days_and_minutes_per_period(running: Running) -> None:
    for day in range(3):  # Ada: three days, 10 minutes each
        await running.say(ADA, "checkin 10")
        if day < 2:
            await running.say(BOB, "checkin 5") if day == 0 else None
        running.advance(days=1)
    await running.say(BOB, "checkin 120")  # Bob: two days, 125 minutes; today is Thursday

    days = await running.say(ADA, "leaderboard")
    assert board(days) == [(1, "Ada", 3), (2, "Bob", 2)]
    minutes = await running.say(ADA, "leaderboard week minutes")
    assert board(minutes) == [(1, "Bob", 125), (2, "Ada", 30)]
    # Ada missed today but today is not over: her streak still runs.
    streaks = await running.say(ADA, "leaderboard all streak")
    assert board(streaks) == [(1, "Ada", 3), (2, "Bob", 1)]


async def test_top_ten_and_the_askers_own_place(running: Running) -> None:
    for index in range(12):
        await running.say(member(str(100 + index), f"M{index:02d}"), f"checkin {10 + index}")
    await running.say(ADA, "checkin 1")

    reply = await running.say(ADA, "leaderboard week minutes")

    ranked = board(reply)
    assert len(ranked) == 10
    assert [value for _, _, value in ranked] == list(range(21, 11, -1))
    assert field_value(reply, "You") is not None
    assert field_value(reply, "You").startswith("13. Ada")


async def test_ties_share_a_place(running: Running) -> None:
    for actor in (ADA, BOB, CY):
        await running.say(actor, "checkin 30" if actor is not CY else "checkin 10")
    ranked = board(await running.say(CY, "leaderboard week minutes"))
    assert [(rank, value) for rank, _, value in ranked] == [(1, 30), (1, 30), (3, 10)]


async def test_periods_follow_the_calendar(running: Running) -> None:
    await running.say(ADA, "checkin 10")
    running.advance(days=7)  # next Monday: a new week, same month
    await running.say(BOB, "checkin 10")
    assert [name for _, name, _ in board(await running.say(BOB, "leaderboard week"))] == ["Bob"]
    month = board(await running.say(BOB, "leaderboard month minutes"))
    assert sorted(name for _, name, _ in month) == ["Ada", "Bob"]


async def test_a_broken_streak_leaves_the_streak_board(running: Running) -> None:
    await running.say(ADA, "checkin")
    await running.say(BOB, "checkin")
    running.advance(days=1)
    await running.say(BOB, "checkin")
    running.advance(days=1)  # Ada's Tuesday is over unstudied and she has no freeze
    assert [n for _, n, _ in board(await running.say(BOB, "leaderboard all streak"))] == ["Bob"]
    mine = await running.say(ADA, "leaderboard all streak")
    assert "No streak running" in (field_value(mine, "You") or "")


async def test_privacy_off_hides_the_member_everywhere(running: Running) -> None:
    await running.say(ADA, "checkin 10")
    await running.say(BOB, "checkin 20")

    await running.say(ADA, "privacy leaderboard off")
    await running.say(ADA, "checkin 5")  # new totals must stay hidden too
    assert [n for _, n, _ in board(await running.say(BOB, "leaderboard week minutes"))] == ["Bob"]
    looked_up = await running.say(BOB, "streak <@1>")
    assert looked_up.error == "private" and looked_up.image is None
    assert (await running.say(ADA, "privacy")).fields[0].value == "off"

    await running.say(ADA, "privacy leaderboard on")
    names = [n for _, n, _ in board(await running.say(BOB, "leaderboard week minutes"))]
    assert names == ["Bob", "Ada"]


async def test_streak_of_another_member(running: Running) -> None:
    await running.say(ADA, "checkin 25")
    theirs = await running.say(BOB, "streak <@1>")
    assert theirs.title == "Their study streak" and theirs.image is not None
    assert field_value(theirs, "Total") == "25 min"
    nobody = await running.say(BOB, "streak <@12345>")
    assert "no study days" in nobody.text
    bad = await running.say(BOB, "streak ada")
    assert bad.error == "usage"


async def test_config_is_for_moderators_and_bad_values_change_nothing(running: Running) -> None:
    refused = await running.say(ADA, "config streaks freeze-every 3")
    assert refused.error == "permission"
    bad_values = (
        "freeze-every 0",
        "max-freezes 11",
        "reminder-hour 24",
        "freeze-every x",
        "timezone Mars/Base",
        "milestone-role 8 <@&5>",
        "milestone-role 7 admins",
    )
    for bad in bad_values:
        reply = await running.say(MOD, f"config streaks {bad}")
        assert reply.error in {"usage", "invalid_timezone"}, (bad, reply.text)
    shown = await running.say(MOD, "config streaks")
    assert field_value(shown, "freeze-every") == "7 days in a row"
    assert field_value(shown, "max-freezes") == "2"
    assert field_value(shown, "reminder-hour") == "20:00 local"
    assert field_value(shown, "milestone-role") == "none"


async def test_new_forgiveness_rules_apply_to_streaks_and_boards(running: Running) -> None:
    for _ in range(2):
        await running.say(ADA, "checkin")
        running.advance(days=1)
    running.advance(days=1)  # a missed day: with the default rules the streak is over
    assert (await running.say(ADA, "streak")).fields[0].value == "0 days"

    reply = await running.say(MOD, "config streaks freeze-every 2")
    assert field_value(reply, "freeze-every") == "2 days in a row"
    assert "1 member" in reply.text

    # Two days in a row earned a freeze, which covers the missed day.
    assert (await running.say(ADA, "streak")).fields[0].value == "2 days"
    assert board(await running.say(ADA, "leaderboard all streak")) == [(1, "Ada", 2)]


async def test_space_timezone_decides_the_day_of_members_without_one(running: Running) -> None:
    await running.say(MOD, "config streaks timezone Pacific/Kiritimati")  # UTC+14
    running.clock.advance(timedelta(hours=-1))  # 11:00 UTC on Monday = 01:00 Tuesday there
    reply = await running.say(ADA, "checkin")
    assert "Tue 03 Mar" in reply.text
    await running.say(BOB, "timezone Etc/GMT+12")  # his own timezone wins: still Sunday
    assert "Sun 01 Mar" in (await running.say(BOB, "checkin")).text


async def test_redelivered_checkin_counts_once(running: Running) -> None:
    first = await running.say(ADA, "checkin 30", event_id="interaction-7")
    again = await running.bot.dispatcher.handle(Incoming(ADA, "checkin 30", "interaction-7"))
    assert first.title == "Check-in saved" and again is None
    assert board(await running.say(ADA, "leaderboard week minutes")) == [(1, "Ada", 30)]


async def test_reminders_go_out_once_a_local_day_when_today_is_not_counted(
    running: Running,
) -> None:
    await running.say(ADA, "timezone Asia/Tokyo")  # UTC+9: noon UTC is 21:00 there
    await running.say(ADA, "reminders on")
    await running.say(BOB, "reminders on")  # UTC: 12:00, before the 20:00 reminder hour
    await running.say(CY, "checkin")  # never asked: never reminded

    assert await running.bot.timers["streak-reminders"].run() == 1
    assert await running.bot.timers["streak-reminders"].run() == 0  # the next tick: already sent
    assert [key.user_id for key, _ in running.sent.direct_messages] == ["1"]

    running.advance(hours=8)  # 20:00 UTC: Bob's hour; Ada's next day (05:00) is too early
    await running.say(BOB, "checkin")  # ...but Bob already studied today
    assert await running.bot.timers["streak-reminders"].run() == 0

    running.advance(hours=16)  # Tuesday 12:00 UTC, 21:00 in Tokyo
    await running.say(ADA, "reminders off")
    assert await running.bot.timers["streak-reminders"].run() == 0
    await running.say(ADA, "reminders on")
    assert await running.bot.timers["streak-reminders"].run() == 1
    assert len(running.sent.direct_messages) == 2


async def test_milestone_role_is_given_once_at_seven_days(running: Running) -> None:
    await running.say(MOD, "config streaks milestone-role 7 <@&555>")
    for day in range(8):
        reply = await running.say(ADA, "checkin")
        if day == 6:
            assert field_value(reply, "Milestone") is not None
            await running.say(ADA, "checkin 10")  # a second check-in the same day
        running.advance(days=1)
    assert running.sent.roles == [(GUILD, "1", "555")]
    shown = await running.say(MOD, "config streaks")
    assert field_value(shown, "milestone-role") == "7 days: role 555"
    await running.say(MOD, "config streaks milestone-role 7 off")
    assert field_value(await running.say(MOD, "config streaks"), "milestone-role") == "none"


async def test_a_refused_role_is_explained_not_hidden(running: Running) -> None:
    running.sent.refuse_roles = True
    await running.say(MOD, "config streaks milestone-role 7 555")
    for _ in range(7):
        reply = await running.say(ADA, "checkin")
        running.advance(days=1)
    assert "could not give you" in (field_value(reply, "Milestone") or "")


async def test_a_second_checkin_on_a_day_says_the_days_total(running: Running) -> None:
    first = await running.say(ADA, "checkin 30")
    assert "30 min" in first.text and "today" not in first.text
    running.advance(hours=2)
    second = await running.say(ADA, "checkin 10")
    # The event's minutes, then the day's total.
    assert re.findall(r"(\d+) min", second.text) == ["10", "40"], second.text
    assert "Your streak: 1 day" in second.text
    assert field_value(second, "Freezes banked") == "0"
    running.advance(days=1)
    assert "today" not in (await running.say(ADA, "checkin 5")).text  # a new day's first
