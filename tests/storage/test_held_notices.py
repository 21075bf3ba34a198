"""Held notices on SQLite and PostgreSQL: kept as they were, taken once, oldest first, expired."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import pytest
import pytest_asyncio
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from bot.core.clock import FixedClock
from bot.core.messages import Button, Field, Image, Platform, Reply
from bot.core.ports import MemberKey
from bot.storage.db import create_engine, create_sessionmaker
from bot.storage.migrate import upgrade
from bot.storage.notices import SqlHeldNotices

Sessions = async_sessionmaker[AsyncSession]
START = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
RETENTION = timedelta(days=14)
ADA = MemberKey(Platform.DISCORD, "100")
BOB = MemberKey(Platform.DISCORD, "200")


@pytest_asyncio.fixture(loop_scope="function")
async def sessions(engine: AsyncEngine) -> AsyncIterator[Sessions]:
    await upgrade(engine)
    yield create_sessionmaker(engine)


def offer(number: int) -> Reply:
    return Reply(
        text=f"Offer {number}: can you mentor a learner on docker?",
        title="Mentoring offer",
        fields=(Field("Topic", "docker", inline=True), Field("Context", "stuck on volumes")),
        buttons=(
            Button("Accept", command=f"mentor accept {number}"),
            Button("Guide", url="https://example.org/guide"),
        ),
    )


async def test_a_notice_comes_back_as_it_was_held_and_only_once(sessions: Sessions) -> None:
    clock = FixedClock(START)
    held = SqlHeldNotices(sessions, clock, RETENTION)
    await held.hold(ADA, offer(1), space_id="900")

    assert await held.take(BOB, 5) == ()  # another member's notices are not theirs
    (notice,) = await held.take(ADA, 5)
    assert notice.space_id == "900"
    assert notice.reply.text == offer(1).text
    assert notice.reply.title == "Mentoring offer"
    assert notice.reply.fields == offer(1).fields
    assert notice.reply.buttons == offer(1).buttons
    assert notice.reply.ephemeral  # shown privately wherever it is rendered
    assert await held.take(ADA, 5) == ()  # taken: never shown again


async def test_oldest_first_at_most_the_limit_and_the_rest_waits(sessions: Sessions) -> None:
    clock = FixedClock(START)
    held = SqlHeldNotices(sessions, clock, RETENTION)
    for number in range(1, 5):
        await held.hold(ADA, offer(number), space_id="900")
        clock.advance(timedelta(minutes=1))

    first = await held.take(ADA, 3)
    rest = await held.take(ADA, 3)

    assert [n.reply.text[:7] for n in first] == ["Offer 1", "Offer 2", "Offer 3"]
    assert [n.reply.text[:7] for n in rest] == ["Offer 4"]
    assert await held.take(ADA, 0) == ()


async def test_expired_notices_are_not_shown_and_pruning_drops_them(sessions: Sessions) -> None:
    clock = FixedClock(START)
    held = SqlHeldNotices(sessions, clock, RETENTION)
    await held.hold(ADA, offer(1), space_id="900")
    clock.advance(RETENTION - timedelta(days=1))
    await held.hold(ADA, offer(2), space_id="900")
    clock.advance(timedelta(days=2))  # the first is past retention, the second is not

    assert await held.forget_before(clock.now() - RETENTION) == 1
    assert [n.reply.text[:7] for n in await held.take(ADA, 5)] == ["Offer 2"]

    await held.hold(BOB, offer(3), space_id="900")
    clock.advance(RETENTION + timedelta(seconds=1))
    assert await held.take(BOB, 5) == ()  # expired on read, even before pruning ran


async def test_an_image_is_refused_not_silently_lost(sessions: Sessions) -> None:
    held = SqlHeldNotices(sessions, FixedClock(START), RETENTION)
    with pytest.raises(ValueError, match="image"):
        await held.hold(ADA, Reply(text="x", image=Image("a.png", b"png", "a chart")), space_id="1")
    assert await held.take(ADA, 5) == ()


async def test_two_takers_on_their_own_engines_never_share_a_notice(
    sessions: Sessions, database_url: str
) -> None:
    clock = FixedClock(START)
    held = SqlHeldNotices(sessions, clock, RETENTION)
    for number in range(40):
        await held.hold(ADA, offer(number), space_id="900")
        clock.advance(timedelta(seconds=1))
    other_engine = create_engine(database_url)
    try:
        other = SqlHeldNotices(create_sessionmaker(other_engine), clock, RETENTION)
        shown: list[str] = []

        async def take_all(taker: SqlHeldNotices) -> None:
            for _ in range(60):
                shown.extend(n.reply.text for n in await taker.take(ADA, 2))
                await asyncio.sleep(0)

        await asyncio.gather(take_all(held), take_all(other), take_all(held), take_all(other))
    finally:
        await other_engine.dispose()

    assert len(shown) == 40  # every notice shown ...
    assert len(set(shown)) == 40  # ... and none twice
