"""Pairing repositories on SQLite and PostgreSQL: settings, standing, claims that win once."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, date, datetime, time, timedelta

import pytest_asyncio
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from bot.core.mentoring.fit import pair_of
from bot.core.mentoring.matching import RoundResult
from bot.core.mentoring.rounds.ports import PairingChannel, PairingSettings, PlannedRound
from bot.core.mentoring.rounds.schedule import RoundSchedule, due_at
from bot.core.messages import Platform
from bot.storage.db import create_sessionmaker
from bot.storage.migrate import upgrade
from bot.storage.rounds.channels import SqlPairingChannels
from bot.storage.rounds.members import SqlPairingMembers
from bot.storage.rounds.rounds import SqlPairingRounds

Sessions = async_sessionmaker[AsyncSession]
NOW = datetime(2026, 6, 1, 8, 0, tzinfo=UTC)
DAY = date(2026, 6, 1)
WEEKLY = RoundSchedule(1, 0, time(18, 0), "Europe/Berlin")


@pytest_asyncio.fixture(loop_scope="function")
async def sessions(engine: AsyncEngine) -> AsyncIterator[Sessions]:
    await upgrade(engine)
    yield create_sessionmaker(engine)


async def configure(
    sessions: Sessions,
    schedule: RoundSchedule = WEEKLY,
    channel: str = "c1",
    platform: Platform = Platform.DISCORD,
) -> PairingChannel:
    settings = PairingSettings(platform, "g1", channel, schedule, "sit_out")
    return await SqlPairingChannels(sessions).configure(settings, DAY, due_at(schedule, DAY), NOW)


def planned(channel: PairingChannel, result: RoundResult, members: tuple[str, ...]) -> PlannedRound:
    nxt = DAY + timedelta(weeks=1)
    return PlannedRound(channel, 42, members, frozenset({pair_of("a", "b")}), result,
                        {m: m.upper() for m in members}, nxt, due_at(WEEKLY, nxt))  # fmt: skip


async def test_settings_change_in_place_and_round_numbers_carry_on(sessions: Sessions) -> None:
    channels = SqlPairingChannels(sessions)
    first = await configure(sessions)
    assert (first.next_number, first.next_day, first.settings.odd) == (1, DAY, "sit_out")
    rounds = SqlPairingRounds(sessions)
    assert await rounds.record(planned(first, RoundResult((("a", "b"),)), ("a", "b")), NOW)
    fortnightly = RoundSchedule(2, 4, time(12, 30), "Europe/Berlin")
    changed = await configure(sessions, fortnightly)
    assert changed.id == first.id and changed.next_number == 2  # never reuses round 1's key
    assert changed.settings.schedule == fortnightly
    assert await channels.turn_off(Platform.DISCORD, "c1", NOW)
    assert not await channels.turn_off(Platform.DISCORD, "c1", NOW)
    off = await channels.get(Platform.DISCORD, "c1")
    assert off is not None and not off.enabled and off.next_due_at is None
    assert await channels.due(NOW + timedelta(days=30), [Platform.DISCORD]) == []
    await configure(sessions, channel="s1", platform=Platform.SLACK)
    assert await channels.due(NOW + timedelta(days=30), [Platform.DISCORD]) == []
    assert [c.settings.channel_id for c in await channels.in_space(Platform.DISCORD, "g1")] == [
        "c1"
    ]


async def test_standing_join_leave_snooze_skip_pause(sessions: Sessions) -> None:
    channel = await configure(sessions)
    members = SqlPairingMembers(sessions)
    assert not await members.snooze(channel.id, "a", date(2026, 7, 1), NOW)  # not in
    assert await members.join(channel.id, "a", "Ada", NOW)
    assert not await members.join(channel.id, "a", "Ada", NOW)  # already in
    assert await members.skip(channel.id, "a", 1, NOW)
    assert await members.snooze(channel.id, "a", date(2026, 7, 1), NOW)
    assert await members.pause(channel.id, "a", NOW)
    assert not await members.pause(channel.id, "a", NOW)  # paused once
    later = NOW + timedelta(days=9)
    assert await members.join(channel.id, "a", "Ada L.", later)  # back: everything cleared
    back = await members.get(channel.id, "a")
    assert back is not None
    assert (back.paused_at, back.snoozed_until, back.skip_number) == (None, None, None)
    assert (back.joined_at, back.display_name) == (later, "Ada L.")
    assert await members.leave(channel.id, "a", NOW)
    assert not await members.leave(channel.id, "a", NOW)
    assert await members.opted_in(channel.id) == []


async def test_every_notice_is_claimed_once_and_answers_replace(sessions: Sessions) -> None:
    channel = await configure(sessions)
    rounds = SqlPairingRounds(sessions)
    assert await rounds.claim_heads_up(channel.id, 1, "a", NOW)
    assert not await rounds.claim_heads_up(channel.id, 1, "a", NOW)
    result = RoundResult((("a", "b"),), ("c",))
    round_id = await rounds.record(planned(channel, result, ("a", "b", "c")), NOW)
    assert round_id is not None
    assert await rounds.record(planned(channel, result, ("a", "b", "c")), NOW) is None
    record = await rounds.get(channel.id, 1)
    assert record is not None and record.result == result and record.seed == 42
    assert record.blocked == {pair_of("a", "b")} and record.names["c"] == "C"
    assert [s.user_id for s in await rounds.untold(round_id)] == ["a", "b", "c"]
    assert await rounds.claim_told(round_id, "a", NOW)
    assert not await rounds.claim_told(round_id, "a", NOW)
    assert [s.user_id for s in await rounds.untold(round_id)] == ["b", "c"]
    assert await rounds.claim_roster(round_id, NOW) and not await rounds.claim_roster(round_id, NOW)
    # Follow-ups: only grouped members, three days on, asked once.
    later = record.due_at + timedelta(days=3)
    due = await rounds.due_follow_ups(later, [Platform.DISCORD])
    assert sorted(f.user_id for f in due) == ["a", "b"]
    assert await rounds.claim_asked(channel.id, 1, "a", later)
    assert not await rounds.claim_asked(channel.id, 1, "a", later)
    assert [f.user_id for f in await rounds.due_follow_ups(later, [Platform.DISCORD])] == ["b"]
    assert await rounds.ignored(channel.id, "a", None) == 1
    assert await rounds.answer(channel.id, 1, "a", False, later) is False
    assert await rounds.answer(channel.id, 1, "a", True, later) is True  # replaces it
    assert await rounds.ignored(channel.id, "a", None) == 0
    assert await rounds.answer(channel.id, 1, "c", True, later) is None  # sat out
    (past,) = await rounds.last_partners(channel.id, "a", 3)
    assert (past.number, past.kind, past.partners) == (1, "pair", {"b": "B"})
    assert await rounds.latest_grouped(Platform.DISCORD, "g1", "a") == (channel.id, 1)
    assert await rounds.latest_grouped(Platform.DISCORD, "g1", "c") is None
