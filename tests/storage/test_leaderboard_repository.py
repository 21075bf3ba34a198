"""Stored streak totals and leaderboards on SQLite and PostgreSQL: batches, races, backfill."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import AsyncIterator
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
import pytest_asyncio
import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from bot.core.clock import FixedClock
from bot.core.messages import Platform
from bot.core.ports import MemberKey
from bot.core.study.ports import Board, LearningEvent
from bot.storage.db import create_engine, create_sessionmaker
from bot.storage.migrate import upgrade
from bot.storage.repositories import SqlMemberRepository
from bot.storage.study import leaderboard as leaderboard_module
from bot.storage.study.leaderboard import SqlLeaderboard, SqlReminderLog
from bot.storage.study.streaks import SqlLearningEventRepository
from bot.storage.tables import MemberStatsRow

Sessions = async_sessionmaker[AsyncSession]
MONDAY = date(2026, 3, 2)
NOON = datetime(2026, 3, 2, 12, tzinfo=UTC)


def key(user: int) -> MemberKey:
    return MemberKey(Platform.DISCORD, str(user))


def event(
    user: int, source: str, day: date = MONDAY, minutes: int = 10, **kw: object
) -> LearningEvent:
    at = datetime.combine(day, NOON.timetz())
    fields = {"key": key(user), "space_id": "g1", "kind": "checkin", "source": source,
              "occurred_at": at, "local_date": day, "minutes": minutes, **kw}  # fmt: skip
    return LearningEvent(**fields)  # type: ignore[arg-type]


def profile(user: int) -> str:
    return f"user {user}"


def board(period: str = "all", metric: str = "minutes", now: datetime = NOON) -> Board:
    return Board(Platform.DISCORD, "g1", period, metric, MONDAY, now)


@pytest_asyncio.fixture(loop_scope="function")
async def sessions(engine: AsyncEngine) -> AsyncIterator[Sessions]:
    await upgrade(engine)
    yield create_sessionmaker(engine)


async def test_concurrent_members_each_get_exact_totals(sessions: Sessions) -> None:
    events = SqlLearningEventRepository(sessions, batch_limit=64)
    members, per_member = 60, 5

    async def member_sends(user: int) -> list[bool]:
        return [
            await events.record(
                event(user, f"m{user}-{n}", MONDAY + timedelta(days=n)), profile(user)
            )
            for n in range(per_member)
        ]

    results = await asyncio.gather(*(member_sends(u) for u in range(members)))
    assert all(all(r.stored for r in sent) for sent in results)
    # Each member's last answer carries all five of their days.
    last = await events.days(key(0))
    assert len(last) == per_member
    top = await SqlLeaderboard(sessions).top(board(), limit=members)
    assert len(top) == members and {s.value for s in top} == {10 * per_member}
    assert {s.rank for s in top} == {1}  # everybody tied
    async with sessions() as session:
        rows = (await session.execute(sa.select(MemberStatsRow))).scalars().all()
    assert {(r.total_days, r.current_streak, r.week_days) for r in rows} == {(5, 5, 5)}


async def test_a_bad_event_in_a_batch_fails_alone(sessions: Sessions) -> None:
    events = SqlLearningEventRepository(sessions)
    good = [events.record(event(u, f"ok{u}"), profile(u)) for u in range(5)]
    bad = events.record(event(9, "bad", minutes=5000), profile(9))
    results = await asyncio.gather(*good, bad, return_exceptions=True)
    assert [getattr(r, "stored", None) for r in results[:5]] == [True] * 5
    assert isinstance(results[5], IntegrityError)
    assert len(await SqlLeaderboard(sessions).top(board())) == 5


async def test_repeated_sources_in_one_batch_count_once(sessions: Sessions) -> None:
    events = SqlLearningEventRepository(sessions)
    results = await asyncio.gather(
        *(events.record(event(1, "same"), profile(1)) for _ in range(20))
    )
    assert [r.stored for r in results].count(True) == 1
    stored = next(r for r in results if r.stored)
    assert stored.day is not None and (stored.day.minutes, stored.day.events) == (10, 1)
    assert all(r.day is None and r.streak is None for r in results if not r.stored)
    assert [s.value for s in await SqlLeaderboard(sessions).top(board())] == [10]


async def test_standing_counts_those_strictly_ahead(sessions: Sessions) -> None:
    events = SqlLearningEventRepository(sessions)
    for user, minutes in enumerate([50, 40, 40, 10]):
        await events.record(event(user, f"s{user}", minutes=minutes), profile(user))
    boards = SqlLeaderboard(sessions)
    assert [(s.user_id, s.rank) for s in await boards.top(board())] == [
        ("0", 1), ("1", 2), ("2", 2), ("3", 4),
    ] or [(s.user_id, s.rank) for s in await boards.top(board())] == [
        ("0", 1), ("2", 2), ("1", 2), ("3", 4),
    ]  # fmt: skip
    assert (await boards.standing(board(), "3")).rank == 4  # type: ignore[union-attr]
    assert (await boards.standing(board(), "2")).rank == 2  # type: ignore[union-attr]
    assert await boards.standing(board(), "nobody") is None
    await boards.set_hidden(key(0), True)
    assert await boards.standing(board(), "0") is None
    assert (await boards.standing(board(), "3")).rank == 3  # type: ignore[union-attr]


async def test_hidden_members_stay_hidden_when_they_study_again(sessions: Sessions) -> None:
    events = SqlLearningEventRepository(sessions)
    members = SqlMemberRepository(sessions, FixedClock(NOON))
    await members.set_preferences(key(1), "user 1", leaderboard_hidden=True)
    await events.record(event(1, "a"), profile(1))  # a new row takes the stored choice
    await events.record(event(2, "b"), profile(2))
    await events.record(event(1, "c", MONDAY + timedelta(days=1)), profile(1))
    assert [s.user_id for s in await SqlLeaderboard(sessions).top(board())] == ["2"]


async def test_streak_board_drops_streaks_that_ended(sessions: Sessions) -> None:
    events = SqlLearningEventRepository(sessions)
    await events.record(event(1, "a"), profile(1))
    boards = SqlLeaderboard(sessions)
    assert [s.value for s in await boards.top(board(metric="streak"))] == [1]
    # Monday studied: Tuesday may still be studied; from Wednesday 00:00 UTC it is over.
    wednesday = datetime(2026, 3, 4, tzinfo=UTC)
    assert await boards.top(board(metric="streak", now=wednesday - timedelta(seconds=1)))
    assert await boards.top(board(metric="streak", now=wednesday)) == []


async def test_backfill_computes_totals_for_events_stored_before_them(sessions: Sessions) -> None:
    events = SqlLearningEventRepository(sessions)
    for n in range(3):
        await events.record(event(1, f"a{n}", MONDAY + timedelta(days=n)), profile(1))
    async with sessions.begin() as session:
        await session.execute(sa.delete(MemberStatsRow))
    boards = SqlLeaderboard(sessions)
    now = NOON + timedelta(days=2)
    assert await boards.backfill(now, "UTC") == 1
    assert await boards.backfill(now, "UTC") == 0  # totals exist: nothing to do
    top = await boards.top(board(metric="streak", now=now))
    assert [(s.user_id, s.value) for s in top] == [("1", 3)]


async def test_reminder_is_claimed_once_per_member_and_day(sessions: Sessions) -> None:
    sent = SqlReminderLog(sessions)
    claims = await asyncio.gather(*(sent.claim(key(1), MONDAY, NOON) for _ in range(10)))
    assert claims.count(True) == 1
    assert await sent.claim(key(1), MONDAY + timedelta(days=1), NOON)
    assert await sent.claim(key(2), MONDAY, NOON)


@pytest.mark.parametrize("period", ["week", "month"])
async def test_period_boards_keep_only_the_current_period(sessions: Sessions, period: str) -> None:
    events = SqlLearningEventRepository(sessions)
    await events.record(event(1, "old", MONDAY - timedelta(days=40)), profile(1))
    await events.record(event(2, "new", MONDAY), profile(2))
    start = MONDAY if period == "week" else MONDAY.replace(day=1)
    current = Board(Platform.DISCORD, "g1", period, "streak", start, NOON)
    assert [s.user_id for s in await SqlLeaderboard(sessions).top(current)] == ["2"]


async def test_prune_forgets_reminders_of_earlier_days(sessions: Sessions) -> None:
    sent = SqlReminderLog(sessions)
    for offset in range(5):
        assert await sent.claim(key(1), MONDAY + timedelta(days=offset), NOON)
    assert await sent.prune(MONDAY + timedelta(days=3)) == 3
    assert await sent.prune(MONDAY + timedelta(days=3)) == 0
    # The days kept still stop a second reminder; the pruned ones are free again.
    assert not await sent.claim(key(1), MONDAY + timedelta(days=3), NOON)
    assert await sent.claim(key(1), MONDAY, NOON)


async def test_due_for_reminders_is_one_range_of_the_schedule(sessions: Sessions) -> None:
    members = SqlMemberRepository(sessions, FixedClock(NOON))
    for user in range(4):
        await members.set_preferences(key(user), f"user {user}", reminders=user != 3)
    await members.schedule_reminder(key(1), NOON + timedelta(hours=1))
    slack = MemberKey(Platform.SLACK, "U9")
    await members.set_preferences(slack, "slacker", reminders=True)

    due = await members.due_for_reminders(NOON, [Platform.DISCORD])
    assert sorted(m.key.user_id for m in due) == ["0", "2"]
    later = await members.due_for_reminders(NOON + timedelta(hours=1), list(Platform))
    assert sorted(m.key.user_id for m in later) == ["0", "1", "2", "U9"]
    assert await members.due_for_reminders(NOON, []) == []


async def test_refresh_computes_off_the_event_loop(
    sessions: Sessions, monkeypatch: pytest.MonkeyPatch
) -> None:
    events = SqlLearningEventRepository(sessions)
    await asyncio.gather(*(events.record(event(u, f"r{u}"), profile(u)) for u in range(5)))
    threads: list[str] = []
    compute = leaderboard_module.compute_totals

    def spy(*args: Any) -> Any:
        threads.append(threading.current_thread().name)
        return compute(*args)

    monkeypatch.setattr(leaderboard_module, "compute_totals", spy)
    monkeypatch.setattr(leaderboard_module, "REFRESH_CHUNK", 2)
    assert await SqlLeaderboard(sessions).refresh_space(Platform.DISCORD, "g1", NOON, "UTC") == 5
    assert len(threads) == 3 and threading.main_thread().name not in threads


@pytest.mark.parametrize(("period", "metric"), [(p, m) for p in ("week", "month", "all")
                                                for m in ("streak", "minutes")])  # fmt: skip
async def test_the_askers_place_is_counted_from_an_index_alone_on_sqlite(
    sqlite_url: str, period: str, metric: str
) -> None:
    """Counting those ahead never visits table rows (the streak board's alive_until included)."""
    engine = create_engine(sqlite_url)
    try:
        await upgrade(engine)
        value, _, where = leaderboard_module._board(board(period, metric))
        query = sa.select(sa.func.count()).where(*where, value > 3)
        sql = query.compile(dialect=engine.dialect, compile_kwargs={"literal_binds": True})
        async with engine.connect() as connection:
            plan = (await connection.exec_driver_sql(f"EXPLAIN QUERY PLAN {sql}")).all()
    finally:
        await engine.dispose()
    assert any("USING COVERING INDEX" in row[-1] for row in plan), plan
