"""SQL repositories on SQLite and PostgreSQL, after the real migrations."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import pytest_asyncio
import sqlalchemy as sa
from sqlalchemy.exc import StatementError
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from bot.core.clock import FixedClock
from bot.core.messages import Actor, Platform
from bot.core.ports import MemberKey
from bot.storage.db import create_sessionmaker
from bot.storage.event_log import SqlEventLog
from bot.storage.migrate import upgrade
from bot.storage.repositories import SqlMemberRepository
from bot.storage.spaces import SqlSpaceRepository
from bot.storage.tables import Base, MemberRow, ProcessedEventRow, SpaceRow, UtcDateTime

# Deliberately not UTC: storage must convert, not assume.
Sessions = async_sessionmaker[AsyncSession]
START = datetime(2025, 3, 30, 9, 30, tzinfo=ZoneInfo("Europe/Berlin"))


@pytest_asyncio.fixture(loop_scope="function")
async def sessions(engine: AsyncEngine) -> AsyncIterator[Sessions]:
    await upgrade(engine)
    yield create_sessionmaker(engine)


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(START)


async def _count(sessions: Sessions, table: type[Base]) -> int:
    async with sessions() as session:
        return (await session.execute(sa.select(sa.func.count()).select_from(table))).scalar_one()


def _actor(space_id: str = "G1", platform: Platform = Platform.DISCORD) -> Actor:
    return Actor(
        platform=platform,
        space_id=space_id,
        channel_id="C1",
        user_id="U1",
        display_name="Ada",
        space_name="Backend Club",
    )


async def test_member_timezone_round_trip_and_update(sessions: Sessions, clock: FixedClock) -> None:
    members = SqlMemberRepository(sessions, clock)
    key = MemberKey(Platform.SLACK, "U42")

    created = await members.set_timezone(key, "Ada", "Europe/Berlin")
    clock.advance(timedelta(hours=1))
    updated = await members.set_timezone(key, "Ada L.", "America/New_York")

    stored = await members.get(key)
    assert created.timezone == "Europe/Berlin"
    assert stored == updated
    assert stored is not None
    assert stored.key == key
    assert isinstance(stored.key.platform, Platform)
    assert (stored.display_name, stored.timezone) == ("Ada L.", "America/New_York")
    assert await _count(sessions, MemberRow) == 1
    async with sessions() as session:
        row = (await session.execute(sa.select(MemberRow))).scalar_one()
    assert row.created_at == START
    assert row.updated_at == START + timedelta(hours=1)


async def test_unknown_member_is_none(sessions: Sessions, clock: FixedClock) -> None:
    members = SqlMemberRepository(sessions, clock)
    await members.set_timezone(MemberKey(Platform.SLACK, "U1"), "Ada", "UTC")

    assert await members.get(MemberKey(Platform.SLACK, "U2")) is None
    assert await members.get(MemberKey(Platform.DISCORD, "U1")) is None


async def test_space_ensure_is_idempotent(sessions: Sessions, clock: FixedClock) -> None:
    spaces = SqlSpaceRepository(sessions, clock)
    await spaces.ensure(_actor())
    await spaces.ensure(_actor())
    # A second process (its own repository, empty cache) must not duplicate the row either.
    await SqlSpaceRepository(sessions, clock).ensure(_actor())

    space = await spaces.get(Platform.DISCORD, "G1")
    assert await _count(sessions, SpaceRow) == 1
    assert space is not None
    assert (space.platform, space.external_id, space.name) == (
        Platform.DISCORD,
        "G1",
        "Backend Club",
    )
    assert space.default_timezone is None
    assert await spaces.get(Platform.SLACK, "G1") is None


async def test_space_ensure_of_a_known_space_costs_no_query(
    sessions: Sessions, clock: FixedClock, engine: AsyncEngine
) -> None:
    spaces = SqlSpaceRepository(sessions, clock)
    await spaces.ensure(_actor())
    statements: list[str] = []
    sa.event.listen(engine.sync_engine, "before_cursor_execute", lambda *a: statements.append(a[2]))

    await spaces.ensure(_actor())

    assert statements == []


async def test_concurrent_space_ensure_stores_one_row(
    sessions: Sessions, clock: FixedClock
) -> None:
    await asyncio.gather(*(SqlSpaceRepository(sessions, clock).ensure(_actor()) for _ in range(10)))

    assert await _count(sessions, SpaceRow) == 1


async def test_claim_is_true_once_per_platform_and_id(
    sessions: Sessions, clock: FixedClock
) -> None:
    events = SqlEventLog(sessions, clock)

    assert await events.claim(Platform.SLACK, "Ev1") is True
    assert await events.claim(Platform.SLACK, "Ev1") is False
    assert await events.claim(Platform.DISCORD, "Ev1") is True
    assert await events.claim(Platform.SLACK, "Ev2") is True
    assert await _count(sessions, ProcessedEventRow) == 3


async def test_concurrent_claims_of_one_event_yield_one_winner(
    sessions: Sessions, clock: FixedClock
) -> None:
    events = SqlEventLog(sessions, clock)

    results = await asyncio.gather(*(events.claim(Platform.SLACK, "Ev1") for _ in range(20)))

    assert sorted(results) == [False] * 19 + [True]
    assert await _count(sessions, ProcessedEventRow) == 1


async def test_forget_before_removes_only_older_rows(sessions: Sessions, clock: FixedClock) -> None:
    events = SqlEventLog(sessions, clock)
    await events.claim(Platform.SLACK, "old")
    clock.advance(timedelta(days=2))
    await events.claim(Platform.SLACK, "new")

    dropped = await events.forget_before(START + timedelta(days=1))

    assert dropped == 1
    async with sessions() as session:
        left = (await session.execute(sa.select(ProcessedEventRow.event_id))).scalars().all()
    assert left == ["new"]
    # A forgotten event can be claimed again; a remembered one cannot.
    assert await events.claim(Platform.SLACK, "old") is True
    assert await events.claim(Platform.SLACK, "new") is False


async def test_timestamps_come_back_as_aware_utc(sessions: Sessions, clock: FixedClock) -> None:
    await SqlEventLog(sessions, clock).claim(Platform.SLACK, "Ev1")

    async with sessions() as session:
        received = (await session.execute(sa.select(ProcessedEventRow.received_at))).scalar_one()
    assert received.tzinfo is UTC
    assert received == START


async def test_naive_datetimes_are_refused(sessions: Sessions, clock: FixedClock) -> None:
    naive = datetime(2025, 1, 1, 12, 0)  # noqa: DTZ001 - the point of the test

    with pytest.raises(StatementError) as raised:
        await SqlEventLog(sessions, clock).forget_before(naive)
    assert isinstance(raised.value.orig, ValueError)

    with pytest.raises(StatementError):
        async with sessions.begin() as session:
            session.add(ProcessedEventRow(platform="slack", event_id="x", received_at=naive))
    assert await _count(sessions, ProcessedEventRow) == 0


def test_utc_datetime_type_converts_and_refuses() -> None:
    kind = UtcDateTime()
    dialect = sa.create_engine("sqlite://").dialect
    aware = datetime(2025, 6, 1, 14, 0, tzinfo=ZoneInfo("Asia/Tokyo"))

    stored = kind.process_bind_param(aware, dialect)
    assert stored == aware
    assert stored is not None
    assert stored.tzinfo is UTC
    assert kind.process_result_value(datetime(2025, 6, 1, 5, 0), dialect) == aware  # noqa: DTZ001
    assert kind.process_bind_param(None, dialect) is None
    with pytest.raises(ValueError):
        kind.process_bind_param(datetime(2025, 6, 1, 5, 0), dialect)  # noqa: DTZ001
