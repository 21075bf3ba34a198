"""The posting engine on SQLite and PostgreSQL: exactly once, leases, retries, failures."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, date, datetime, time, timedelta

import pytest_asyncio
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.core.messages import Platform
from bot.core.prompts.bank import Prompt
from bot.core.prompts.ports import (
    ChannelUnavailable,
    DeliveryFailed,
    PostState,
    RateLimited,
    ThreadNotCreated,
)
from bot.core.prompts.retries import MAX_ATTEMPTS
from bot.storage.db import create_engine, create_sessionmaker
from bot.storage.migrate import upgrade
from bot.storage.prompts.channels import SqlPromptChannels
from bot.storage.prompts.posts import SqlPromptPosts
from bot.storage.tables import PromptPostRow, PromptUseRow
from tests.storage.prompt_kit import (
    RecordingAlerts,
    ScriptedPublisher,
    Sessions,
    channel_service,
    configure,
    poster,
)

# 09:00 in Berlin on a summer Monday is 07:00 UTC.
DAY = date(2025, 6, 2)
DUE = datetime(2025, 6, 2, 7, 0, tzinfo=UTC)
BEFORE = DUE - timedelta(hours=1)


@pytest_asyncio.fixture(loop_scope="function")
async def sessions(engine: AsyncEngine) -> AsyncIterator[Sessions]:
    await upgrade(engine)
    yield create_sessionmaker(engine)


async def _post(sessions: Sessions, channel: str = "c1", day: date = DAY) -> PromptPostRow:
    found = await SqlPromptChannels(sessions).get(Platform.DISCORD, channel)
    assert found is not None
    query = select(PromptPostRow).where(
        PromptPostRow.channel_id == found.id, PromptPostRow.local_date == day
    )
    async with sessions() as session:
        return (await session.execute(query)).scalar_one()


async def test_a_due_channel_is_posted_once_and_moves_to_the_next_day(sessions: Sessions) -> None:
    await configure(sessions, "c1", BEFORE)
    publisher = ScriptedPublisher()
    engine_ = poster(sessions, publisher)

    assert await engine_.tick(DUE - timedelta(minutes=1)) == 0  # not due yet
    assert await engine_.tick(DUE) == 1
    assert await engine_.tick(DUE + timedelta(minutes=1)) == 0

    assert publisher.days("c1") == [DAY]
    row = await _post(sessions)
    assert (row.state, row.attempts, row.lease_owner) == ("posted", 1, None)
    assert row.message_id is not None and row.thread_id == "t-1"
    channel = await SqlPromptChannels(sessions).get(Platform.DISCORD, "c1")
    assert channel is not None
    assert channel.pending_day == DAY + timedelta(days=1)
    assert channel.look_at == DUE + timedelta(days=1)
    assert channel.last_prompt_id == publisher.calls[0].prompt_id


async def test_two_posters_on_their_own_engines_post_each_channel_day_once(
    sessions: Sessions, database_url: str
) -> None:
    channels = [f"c{n}" for n in range(12)]
    for channel in channels:
        await configure(sessions, channel, BEFORE)
    publisher = ScriptedPublisher(pause=0.002)  # both share it: it counts every delivery
    other = create_engine(database_url)
    try:
        first = poster(sessions, publisher)
        second = poster(create_sessionmaker(other), publisher)
        for day in range(3):
            now = DUE + timedelta(days=day, seconds=5)
            counts = await asyncio.gather(first.tick(now), second.tick(now))
            assert sum(counts) == len(channels)
    finally:
        await other.dispose()

    delivered = sorted((c.channel_id, c.day) for c in publisher.calls)
    expected = sorted((c, DAY + timedelta(days=d)) for c in channels for d in range(3))
    assert delivered == expected  # each channel-day once: no duplicates, none lost
    async with sessions() as session:
        states = (await session.execute(select(PromptPostRow.state))).scalars().all()
    assert states == ["posted"] * len(expected)


async def test_a_restart_within_grace_catches_up_and_never_reposts(sessions: Sessions) -> None:
    await configure(sessions, "c1", BEFORE)
    publisher = ScriptedPublisher()

    # The bot was down at 09:00; it starts at 11:30, inside the three-hour grace.
    assert await poster(sessions, publisher).catch_up(DUE + timedelta(hours=2, minutes=30)) == 1
    # Restarted again the same day (a new process token): nothing is posted twice.
    assert await poster(sessions, publisher).catch_up(DUE + timedelta(hours=3)) == 0

    assert publisher.days("c1") == [DAY]


async def test_a_restart_after_the_grace_records_the_day_as_missed(sessions: Sessions) -> None:
    await configure(sessions, "c1", BEFORE)
    publisher = ScriptedPublisher()

    late = DUE + timedelta(hours=3, minutes=1)
    assert await poster(sessions, publisher).catch_up(late) == 0

    assert publisher.calls == []
    assert (await _post(sessions)).state == "missed"
    channel = await SqlPromptChannels(sessions).get(Platform.DISCORD, "c1")
    assert channel is not None and channel.pending_day == DAY + timedelta(days=1)


async def test_down_for_days_posts_todays_prompt_and_misses_only_the_awaited_day(
    sessions: Sessions,
) -> None:
    await configure(sessions, "c1", BEFORE)
    publisher = ScriptedPublisher()

    # Back three days later at 10:00: today is within grace, the day it waited for is not.
    assert await poster(sessions, publisher).catch_up(DUE + timedelta(days=3, hours=1)) == 1

    assert publisher.days("c1") == [DAY + timedelta(days=3)]
    assert (await _post(sessions)).state == "missed"


async def test_a_rate_limited_post_is_retried_after_the_wait_and_posted_once(
    sessions: Sessions,
) -> None:
    await configure(sessions, "c1", BEFORE)
    publisher = ScriptedPublisher(failures=[RateLimited(retry_after=120)])
    engine_ = poster(sessions, publisher)

    assert await engine_.tick(DUE) == 0
    row = await _post(sessions)
    assert (row.state, row.attempts, row.lease_owner) == ("claimed", 1, None)
    assert row.retry_at is not None and row.retry_at >= DUE + timedelta(seconds=120)
    assert await engine_.tick(DUE + timedelta(minutes=1)) == 0  # the platform said wait 2 min
    assert len(publisher.calls) == 1

    assert await engine_.tick(row.retry_at) == 1
    assert await engine_.tick(row.retry_at + timedelta(minutes=5)) == 0

    assert publisher.days("c1") == [DAY, DAY]  # the try that was refused, and the post
    row = await _post(sessions)
    assert (row.state, row.attempts, row.last_error) == ("posted", 2, None)
    async with sessions() as session:
        uses = await session.scalar(select(func.count()).select_from(PromptUseRow))
    assert uses == 1


async def test_a_lease_held_by_another_process_is_not_taken_until_it_expires(
    sessions: Sessions,
) -> None:
    channel = await configure(sessions, "c1", BEFORE)
    posts = SqlPromptPosts(sessions)
    # Another process claimed the day and is delivering it (or died doing so).
    held = await posts.claim(channel.id, DAY, "html-1", 0, "other", DUE, DUE + timedelta(minutes=5))
    assert held is not None
    publisher = ScriptedPublisher()
    engine_ = poster(sessions, publisher)

    assert await engine_.tick(DUE + timedelta(minutes=1)) == 0
    assert await engine_.tick(DUE + timedelta(minutes=5)) == 0  # still held at its last instant
    assert publisher.calls == []

    assert await engine_.tick(DUE + timedelta(minutes=6)) == 1  # expired: taken over
    row = await _post(sessions)
    assert (row.state, row.attempts, row.prompt_id) == ("posted", 2, "html-1")


async def test_a_retry_is_taken_by_one_of_two_processes(sessions: Sessions) -> None:
    channel = await configure(sessions, "c1", BEFORE)
    posts = SqlPromptPosts(sessions)
    claimed = await posts.claim(channel.id, DAY, "html-1", 0, "a", DUE, DUE + timedelta(minutes=5))
    assert claimed is not None

    later = DUE + timedelta(minutes=6)
    taken = await asyncio.gather(
        *(posts.retake(claimed.id, owner, later, later + timedelta(minutes=5)) for owner in "bc")
    )

    assert sorted(t is not None for t in taken) == [False, True]


async def test_after_the_last_try_the_post_fails_with_its_error(sessions: Sessions) -> None:
    await configure(sessions, "c1", BEFORE)
    alerts = RecordingAlerts()
    publisher = ScriptedPublisher(always=DeliveryFailed("502 from the platform"))
    engine_ = poster(sessions, publisher, alerts)

    now = DUE
    for _ in range(MAX_ATTEMPTS):
        await engine_.tick(now)
        row = await _post(sessions)
        if row.state != "claimed":
            break
        assert row.retry_at is not None
        now = row.retry_at

    row = await _post(sessions)
    assert (row.state, row.attempts) == ("failed", MAX_ATTEMPTS)
    assert "502 from the platform" in (row.last_error or "")
    assert len(publisher.calls) == MAX_ATTEMPTS
    assert [(c, d) for c, d, _ in alerts.problems] == [("c1", DAY)]
    channel = await SqlPromptChannels(sessions).get(Platform.DISCORD, "c1")
    assert channel is not None and channel.pending_day == DAY + timedelta(days=1)


async def test_retries_stop_at_the_end_of_the_grace_window(sessions: Sessions) -> None:
    await configure(sessions, "c1", BEFORE, grace=timedelta(minutes=10))
    publisher = ScriptedPublisher(always=DeliveryFailed("timeout"))
    engine_ = poster(sessions, publisher)

    now = DUE
    for _ in range(60):
        await engine_.tick(now)
        row = await _post(sessions)
        if row.state != "claimed":
            break
        now += timedelta(minutes=1)

    assert row.state == "failed"
    assert len(publisher.calls) < MAX_ATTEMPTS  # 1 + 5 minutes of backoff fill the 10 minutes


async def test_an_unreachable_channel_is_paused_reported_once_and_not_retried(
    sessions: Sessions,
) -> None:
    await configure(sessions, "c1", BEFORE)
    alerts = RecordingAlerts()
    publisher = ScriptedPublisher(always=ChannelUnavailable("missing access"))
    engine_ = poster(sessions, publisher, alerts)

    assert await engine_.tick(DUE) == 0
    for day in range(1, 3):
        assert await engine_.tick(DUE + timedelta(days=day)) == 0

    assert len(publisher.calls) == 1
    row = await _post(sessions)
    assert row.state == "failed" and "missing access" in (row.last_error or "")
    assert [c for c, _ in alerts.paused] == ["c1"]
    channel = await SqlPromptChannels(sessions).get(Platform.DISCORD, "c1")
    assert channel is not None
    assert channel.paused_reason is not None and channel.pending_day is None
    assert (await engine_.preview(Platform.DISCORD, "c1", DUE)).problem is not None

    # Moderators fixed the permissions: it posts again from the next due day.
    resumed = await channel_service(sessions).resume(
        Platform.DISCORD, "c1", DUE + timedelta(days=3)
    )
    assert resumed is not None and resumed.paused_reason is None
    publisher.always = None
    assert await engine_.tick(DUE + timedelta(days=3)) == 1


async def test_a_post_without_its_thread_is_posted_and_the_failure_reported(
    sessions: Sessions,
) -> None:
    await configure(sessions, "c1", BEFORE)
    alerts = RecordingAlerts()
    publisher = ScriptedPublisher(failures=[ThreadNotCreated("no thread permission", "m-77")])

    assert await poster(sessions, publisher, alerts).tick(DUE) == 1

    row = await _post(sessions)
    assert (row.state, row.message_id, row.thread_id) == ("posted", "m-77", None)
    assert "no thread permission" in (row.last_error or "")
    assert len(alerts.problems) == 1 and "thread" in alerts.problems[0][2]


async def test_post_now_posts_today_once_and_the_tick_does_not_repeat_it(
    sessions: Sessions,
) -> None:
    await configure(sessions, "c1", BEFORE)
    publisher = ScriptedPublisher()
    engine_ = poster(sessions, publisher)

    first = await engine_.post_now(Platform.DISCORD, "c1", BEFORE)
    second = await engine_.post_now(Platform.DISCORD, "c1", BEFORE + timedelta(minutes=1))
    assert await engine_.tick(DUE) == 0

    assert (first.day, first.state, first.already) == (DAY, PostState.POSTED, False)
    assert (second.state, second.already) == (PostState.POSTED, True)
    assert publisher.days("c1") == [DAY]
    assert await engine_.tick(DUE + timedelta(days=1)) == 1  # tomorrow goes out as usual


async def test_post_now_on_a_channel_without_prompts_says_so(sessions: Sessions) -> None:
    outcome = await poster(sessions, ScriptedPublisher()).post_now(Platform.DISCORD, "zz", DUE)

    assert outcome.state is None and outcome.problem is not None


async def test_post_now_can_post_a_missed_day_by_hand(sessions: Sessions) -> None:
    await configure(sessions, "c1", BEFORE)
    publisher = ScriptedPublisher()
    engine_ = poster(sessions, publisher)
    late = DUE + timedelta(hours=4)
    assert await engine_.tick(late) == 0  # past the grace: missed

    outcome = await engine_.post_now(Platform.DISCORD, "c1", late)

    assert (outcome.day, outcome.state, outcome.already) == (DAY, PostState.POSTED, False)
    assert outcome.prompt_id is not None
    assert publisher.days("c1") == [DAY]


async def test_an_upstream_change_never_posts_a_day_again(sessions: Sessions) -> None:
    """Practice-Bot#40: after the bank or the settings change, a posted day stays posted once.

    The bot restarts with another bank (the posted prompt gone from it), a moderator moves the
    time to later the same day, and again to earlier within the grace window; two fresh posters
    tick all day long. Only the next day gets a post.
    """
    for channel in ("c1", "c2", "c3"):
        await configure(sessions, channel, BEFORE)
    first = ScriptedPublisher()
    assert await poster(sessions, first).tick(DUE) == 3

    new_bank = tuple(
        Prompt(f"new-{n}", f"New {n}", f"Do new thing {n}.", "easy", ("sql",)) for n in range(5)
    )
    for channel, at in (("c1", time(13, 0)), ("c2", time(8, 30)), ("c3", time(9, 0))):
        await configure(sessions, channel, DUE + timedelta(minutes=5), at=at)
    after = ScriptedPublisher()
    restarted = [poster(sessions, after, bank=new_bank, owner=o) for o in ("p1", "p2")]
    moment = DUE + timedelta(minutes=10)
    while moment < DUE + timedelta(hours=16):  # the rest of that local day, minute by minute
        await asyncio.gather(*(p.tick(moment) for p in restarted))
        moment += timedelta(minutes=7)

    assert [c.day for c in after.calls] == []  # not one repost, for any channel
    for channel in ("c1", "c2", "c3"):
        assert (await _post(sessions, channel)).state == "posted"
    for hours in (2, 4):  # the next day at 11:00 (c2, c3 due) and 13:00 Berlin (c1 due)
        await asyncio.gather(*(p.tick(DUE + timedelta(days=1, hours=hours)) for p in restarted))
    assert sorted((c.channel_id, c.day) for c in after.calls) == [
        (channel, DAY + timedelta(days=1)) for channel in ("c1", "c2", "c3")
    ]
    assert {c.prompt_id for c in after.calls} <= {p.id for p in new_bank}
