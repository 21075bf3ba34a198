"""The batch writer carries member_stats rows forward, and counts from all the days otherwise.

Every scenario ends by checking the rows against a recount from all the events
(refresh_space), on SQLite and PostgreSQL, and which members were recounted on the way.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterable
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
import pytest_asyncio
import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from bot.core.clock import FixedClock
from bot.core.messages import Platform
from bot.core.ports import MemberKey
from bot.core.study.ports import LearningEvent, StreakCounts
from bot.storage.db import create_sessionmaker
from bot.storage.migrate import upgrade
from bot.storage.repositories import SqlMemberRepository
from bot.storage.spaces import SqlSpaceRepository
from bot.storage.study import streaks as writer_module
from bot.storage.study.leaderboard import SqlLeaderboard
from bot.storage.study.streaks import SqlLearningEventRepository
from bot.storage.study.totals import STATE_COLUMNS, STATS, Member

Sessions = async_sessionmaker[AsyncSession]
ADA = MemberKey(Platform.DISCORD, "1")
MONDAY = date(2026, 3, 2)


@pytest_asyncio.fixture(loop_scope="function")
async def sessions(engine: AsyncEngine) -> AsyncIterator[Sessions]:
    await upgrade(engine)
    yield create_sessionmaker(engine)


@pytest.fixture
def recounted(monkeypatch: pytest.MonkeyPatch) -> list[Member]:
    """Record the members the writer reads all the days of (the full recount)."""
    members: list[Member] = []
    read = writer_module.study_days

    def spy(connection: Any, chunk: Iterable[Member]) -> Any:
        chunk = list(chunk)
        members.extend(chunk)
        return read(connection, chunk)

    monkeypatch.setattr(writer_module, "study_days", spy)
    return members


class Ada:
    """Ada checking in through the writer, one event at a time."""

    def __init__(self, sessions: Sessions) -> None:
        self.sessions = sessions
        self.events = SqlLearningEventRepository(sessions)
        self.count = 0
        self.last: datetime = datetime(2026, 3, 2, 12, tzinfo=UTC)

    async def checkin(
        self, day: date, minutes: int = 10, *, at: datetime | None = None, space: str = "g1"
    ) -> StreakCounts | None:
        self.count += 1
        self.last = at or datetime.combine(day, datetime.min.time(), UTC) + timedelta(hours=12)
        event = LearningEvent(ADA, space, "checkin", f"e{self.count}", self.last, day, minutes)
        recorded = await self.events.record(event, "Ada")
        assert recorded.stored
        return recorded.streak


async def _rows(sessions: Sessions) -> list[tuple[Any, ...]]:
    columns = [c for c in STATS.c if c.name not in ("id", "updated_at")]
    async with sessions() as session:
        query = sa.select(*columns).order_by(STATS.c.space_id)
        return [tuple(row) for row in (await session.execute(query)).all()]


async def _state(sessions: Sessions, space: str = "g1") -> tuple[Any, ...]:
    async with sessions() as session:
        query = sa.select(*(STATS.c[n] for n in STATE_COLUMNS)).where(STATS.c.space_id == space)
        return tuple((await session.execute(query)).one())


async def _same_as_a_recount(sessions: Sessions, now: datetime) -> None:
    """Recount every row from all the events as of now; nothing may change."""
    before = await _rows(sessions)
    boards = SqlLeaderboard(sessions)
    for space in sorted({row[1] for row in before}):
        await boards.refresh_space(Platform.DISCORD, space, now, "UTC")
    assert await _rows(sessions) == before


async def test_later_days_same_days_and_new_periods_are_carried(
    sessions: Sessions, recounted: list[Member]
) -> None:
    ada = Ada(sessions)
    assert await ada.checkin(MONDAY) == (1, 1, 0)
    assert recounted == [("discord", "1")]  # a new row: counted from its days
    recounted.clear()
    await ada.checkin(MONDAY, 5)  # the same day again
    for offset in (1, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 29, 30):  # gaps, weeks, April
        streak = await ada.checkin(MONDAY + timedelta(days=offset))
    assert recounted == []
    assert streak == (2, 12, 0)
    assert (await _state(sessions))[3:] == (7, 2)
    await _same_as_a_recount(sessions, ada.last)


async def test_an_earlier_day_is_counted_from_all_the_days(
    sessions: Sessions, recounted: list[Member]
) -> None:
    ada = Ada(sessions)
    await ada.checkin(MONDAY)
    await ada.checkin(MONDAY + timedelta(days=2))
    recounted.clear()
    # A backfilled Tuesday, recorded later (at Wednesday's noon): it closes the gap.
    wednesday_noon = ada.last
    assert await ada.checkin(MONDAY + timedelta(days=1), at=wednesday_noon) == (3, 3, 0)
    assert recounted == [("discord", "1")]
    await _same_as_a_recount(sessions, ada.last)


async def test_a_rule_change_is_counted_from_all_the_days(
    sessions: Sessions, recounted: list[Member]
) -> None:
    ada = Ada(sessions)
    await ada.checkin(MONDAY)
    await ada.checkin(MONDAY + timedelta(days=1))
    # `config streaks` stores the rules, then recounts the space; a check-in landing between
    # the two finds a state counted under the old rules.
    spaces = SqlSpaceRepository(sessions, FixedClock(ada.last))
    await spaces.configure_streaks(Platform.DISCORD, "g1", days_per_freeze=1, max_freezes=3)
    recounted.clear()
    # A freeze a day: Wednesday is covered under the new rules (broken under the old).
    assert await ada.checkin(MONDAY + timedelta(days=3)) == (3, 3, 2)
    assert recounted == [("discord", "1")]
    assert (await _state(sessions))[3:] == (1, 3)
    recounted.clear()
    await ada.checkin(MONDAY + timedelta(days=4))  # then carried under the new rules
    assert recounted == []
    await _same_as_a_recount(sessions, ada.last)


async def test_a_timezone_change_to_an_earlier_day_is_counted_from_all_the_days(
    sessions: Sessions, recounted: list[Member]
) -> None:
    ada = Ada(sessions)
    members = SqlMemberRepository(sessions, FixedClock(ada.last))
    await members.set_timezone(ADA, "Ada", "Pacific/Kiritimati")  # UTC+14
    tuesday = MONDAY + timedelta(days=1)
    await ada.checkin(MONDAY, at=datetime(2026, 3, 2, 9, tzinfo=UTC))  # 23:00 Monday there
    await ada.checkin(tuesday, at=datetime(2026, 3, 2, 11, tzinfo=UTC))  # 01:00 Tuesday
    recounted.clear()
    await members.set_timezone(ADA, "Ada", "Etc/GMT+12")  # UTC-12: still Monday there
    await ada.checkin(MONDAY, at=datetime(2026, 3, 2, 13, tzinfo=UTC))  # 01:00 Monday
    assert recounted == [("discord", "1")]
    # Tuesday is after the row's today: its totals leave it out, so no state is stored...
    assert await _state(sessions) == (None,) * len(STATE_COLUMNS)
    await _same_as_a_recount(sessions, ada.last)
    recounted.clear()
    # ...and the next check-in counts from all the days again, and stores a state...
    wednesday = MONDAY + timedelta(days=2)
    await ada.checkin(wednesday, at=datetime(2026, 3, 4, 13, tzinfo=UTC))
    assert recounted == [("discord", "1")]
    assert (await _state(sessions))[0] == 3
    recounted.clear()
    # ...which the one after carries forward.
    await ada.checkin(wednesday + timedelta(days=1), at=datetime(2026, 3, 5, 13, tzinfo=UTC))
    assert recounted == []
    await _same_as_a_recount(sessions, ada.last)


async def test_an_unknown_state_is_counted_from_all_the_days(
    sessions: Sessions, recounted: list[Member]
) -> None:
    ada = Ada(sessions)
    await ada.checkin(MONDAY)
    async with sessions.begin() as session:  # a row written before migration 0007
        await session.execute(sa.update(STATS).values(dict.fromkeys(STATE_COLUMNS)))
    recounted.clear()
    await ada.checkin(MONDAY + timedelta(days=1))
    assert recounted == [("discord", "1")]
    assert (await _state(sessions))[:3] == (2, 0, 2)
    await _same_as_a_recount(sessions, ada.last)


async def test_every_space_of_the_member_is_carried_under_its_own_rules(
    sessions: Sessions, recounted: list[Member]
) -> None:
    ada = Ada(sessions)
    spaces = SqlSpaceRepository(sessions, FixedClock(ada.last))
    await spaces.configure_streaks(Platform.DISCORD, "g2", days_per_freeze=2, max_freezes=1)
    await ada.checkin(MONDAY)
    await ada.checkin(MONDAY + timedelta(days=1), space="g2")
    recounted.clear()
    # Wednesday missed: g2 banked a freeze after two days, g1 (7 days a freeze) did not.
    assert await ada.checkin(MONDAY + timedelta(days=3)) == (1, 2, 0)
    assert await ada.checkin(MONDAY + timedelta(days=4), space="g2") == (4, 4, 1)
    assert recounted == []
    await _same_as_a_recount(sessions, ada.last)
