"""The posting engine over days: DST changes, schedule edits, the rotation and preview."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, date, datetime, time, timedelta

import pytest_asyncio
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.core.messages import Platform
from bot.core.prompts.posting import PromptPoster
from bot.storage.db import create_sessionmaker
from bot.storage.migrate import upgrade
from bot.storage.tables import PromptUseRow
from tests.storage.prompt_kit import (
    BANK,
    ScriptedPublisher,
    Sessions,
    channel_service,
    configure,
    poster,
)

MINUTE = timedelta(minutes=1)


@pytest_asyncio.fixture(loop_scope="function")
async def sessions(engine: AsyncEngine) -> AsyncIterator[Sessions]:
    await upgrade(engine)
    yield create_sessionmaker(engine)


async def _tick_every_minute(
    engine: PromptPoster, start: datetime, end: datetime
) -> list[datetime]:
    """Tick like the timer from start to end; return the instants that posted."""
    posted, now = [], start
    while now <= end:
        if await engine.tick(now):
            posted.append(now)
        now += MINUTE
    return posted


async def test_a_time_in_the_spring_forward_gap_posts_once_when_the_gap_ends(
    sessions: Sessions,
) -> None:
    # 2025-03-30 in Berlin: clocks jump from 02:00 to 03:00, so 02:30 never shows.
    await configure(sessions, "c1", datetime(2025, 3, 29, 12, tzinfo=UTC), at=time(2, 30))
    publisher = ScriptedPublisher()
    engine = poster(sessions, publisher)

    start, end = datetime(2025, 3, 29, 23, 0, tzinfo=UTC), datetime(2025, 3, 30, 4, 0, tzinfo=UTC)
    posted = await _tick_every_minute(engine, start, end)

    assert posted == [datetime(2025, 3, 30, 1, 0, tzinfo=UTC)]  # 03:00 local, the gap's end
    assert publisher.days("c1") == [date(2025, 3, 30)]


async def test_a_time_that_occurs_twice_in_the_fall_back_posts_once_at_the_first(
    sessions: Sessions,
) -> None:
    # 2025-11-02 in New York: 01:00-02:00 happens twice (EDT, then EST).
    await configure(
        sessions,
        "c1",
        datetime(2025, 11, 1, 12, tzinfo=UTC),
        at=time(1, 30),
        timezone="America/New_York",
    )
    publisher = ScriptedPublisher()
    engine = poster(sessions, publisher)

    start, end = datetime(2025, 11, 2, 4, 0, tzinfo=UTC), datetime(2025, 11, 2, 8, 0, tzinfo=UTC)
    posted = await _tick_every_minute(engine, start, end)

    assert posted == [datetime(2025, 11, 2, 5, 30, tzinfo=UTC)]  # 01:30 EDT, the first one
    assert publisher.days("c1") == [date(2025, 11, 2)]


async def test_a_new_time_takes_effect_for_the_next_post_without_a_restart(
    sessions: Sessions,
) -> None:
    day1_due = datetime(2025, 6, 2, 7, 0, tzinfo=UTC)  # 09:00 Berlin
    await configure(sessions, "c1", day1_due - timedelta(hours=2))
    publisher = ScriptedPublisher()
    engine = poster(sessions, publisher)  # the same engine throughout: no restart
    assert await engine.tick(day1_due) == 1

    # Later that day a moderator moves the prompt to 10:30; today's is not posted again.
    changed = await configure(sessions, "c1", day1_due + timedelta(hours=2), at=time(10, 30))
    assert changed.pending_day == date(2025, 6, 3)
    assert changed.look_at == datetime(2025, 6, 3, 8, 30, tzinfo=UTC)

    posted = await _tick_every_minute(
        engine, day1_due + timedelta(hours=2), datetime(2025, 6, 3, 12, 0, tzinfo=UTC)
    )
    assert posted == [datetime(2025, 6, 3, 8, 30, tzinfo=UTC)]
    assert publisher.days("c1") == [date(2025, 6, 2), date(2025, 6, 3)]


async def test_an_earlier_time_set_before_todays_post_posts_today_within_grace(
    sessions: Sessions,
) -> None:
    await configure(sessions, "c1", datetime(2025, 6, 2, 5, 0, tzinfo=UTC), at=time(11, 0))
    publisher = ScriptedPublisher()
    engine = poster(sessions, publisher)

    # At 09:30 local the time is moved from 11:00 to 09:00: today's post is due now.
    now = datetime(2025, 6, 2, 7, 30, tzinfo=UTC)
    await configure(sessions, "c1", now, at=time(9, 0))

    assert await engine.tick(now) == 1
    assert await engine.tick(datetime(2025, 6, 2, 9, 0, tzinfo=UTC)) == 0  # not again at 11:00


async def test_a_skipped_day_gets_no_post(sessions: Sessions) -> None:
    start = datetime(2025, 6, 1, 12, 0, tzinfo=UTC)
    await configure(sessions, "c1", start)
    skipped = await channel_service(sessions).skip_day(
        Platform.DISCORD, "c1", date(2025, 6, 2), start
    )
    assert skipped is not None and skipped.pending_day == date(2025, 6, 3)
    publisher = ScriptedPublisher()

    await _tick_every_minute(
        poster(sessions, publisher), start, datetime(2025, 6, 3, 12, 0, tzinfo=UTC)
    )

    assert publisher.days("c1") == [date(2025, 6, 3)]


async def test_many_days_never_repeat_within_a_cycle_and_preview_tells_the_truth(
    sessions: Sessions,
) -> None:
    first_due = datetime(2025, 6, 2, 7, 0, tzinfo=UTC)
    await configure(sessions, "c1", first_due - timedelta(hours=1))
    publisher = ScriptedPublisher()
    engine = poster(sessions, publisher)
    days = 2 * len(BANK) + 3

    for n in range(days):
        due = first_due + timedelta(days=n)
        preview = await engine.preview(Platform.DISCORD, "c1", due - timedelta(hours=1))
        assert await engine.tick(due) == 1
        assert preview.prompt is not None and preview.due == due
        assert (preview.day, preview.prompt.id) == (
            publisher.calls[-1].day,
            publisher.calls[-1].prompt_id,
        )

    posted = [call.prompt_id for call in publisher.calls]
    size = len(BANK)
    assert sorted(posted[:size]) == sorted(p.id for p in BANK)  # a full cycle, no repeat
    assert sorted(posted[size : 2 * size]) == sorted(p.id for p in BANK)  # and again
    assert posted[size] != posted[size - 1]  # a new cycle does not open with the last one
    async with sessions() as session:
        cycles = (await session.execute(select(PromptUseRow.cycle))).scalars().all()
    assert sorted(set(cycles)) == [0, 1, 2]
