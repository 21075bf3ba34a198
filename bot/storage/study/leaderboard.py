"""Leaderboards ranked in SQL from member_stats, refreshing those totals, and reminder records."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from datetime import date, datetime
from functools import partial
from typing import Any, cast

from sqlalchemy import (
    ColumnElement,
    Connection,
    CursorResult,
    Date,
    and_,
    delete,
    false,
    func,
    literal,
    select,
    true,
    update,
)
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.core.messages import Platform
from bot.core.ports import MemberKey
from bot.core.study.ports import Board, Standing, StudyDay
from bot.storage.db import engine_of, in_transaction, off_loop
from bot.storage.repositories import dialect_insert
from bot.storage.study.totals import (
    EVENTS,
    MEMBERS,
    STATS,
    Member,
    StatsRow,
    compute_totals,
    stats_rows,
    study_days,
    write_totals,
)
from bot.storage.tables import MemberStatsRow, StreakReminderRow, UtcDateTime

log = logging.getLogger(__name__)

REFRESH_CHUNK = 250  # members per transaction (and thread job) when a space's rules change

# (period, metric) -> (ranked column, tie-break column or None, period-start column or None);
# each triple has its own index in member_stats, so the top ten is an index scan.
_BOARDS: dict[tuple[str, str], tuple[str, str | None, str | None]] = {
    ("week", "streak"): ("week_days", "week_minutes", "week_start"),
    ("week", "minutes"): ("week_minutes", None, "week_start"),
    ("month", "streak"): ("month_days", "month_minutes", "month_start"),
    ("month", "minutes"): ("month_minutes", None, "month_start"),
    ("all", "streak"): ("current_streak", "longest_streak", None),
    ("all", "minutes"): ("total_minutes", None, None),
}


class SqlLeaderboard:
    """Leaderboards of a space, from the member_stats table."""

    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self._sessions = sessions

    async def top(self, board: Board, limit: int = 10) -> list[Standing]:
        """Return the best members with a value above zero, best first."""
        value, tie_break, where = _board(board)
        order = [value.desc()] + ([STATS.c[tie_break].desc()] if tie_break else [])
        query = (
            select(STATS.c.user_id, STATS.c.display_name, value)
            .where(*where, value > 0)
            .order_by(*order)
            .limit(limit)
        )
        async with self._sessions() as session:
            rows = (await session.execute(query)).all()
        standings: list[Standing] = []
        for position, (user_id, name, points) in enumerate(rows, start=1):
            # Ties share the place of the first member with that value.
            tied = standings and standings[-1].value == points
            rank = standings[-1].rank if tied else position
            standings.append(Standing(user_id, name, int(points), rank))
        return standings

    async def standing(self, board: Board, user_id: str) -> Standing | None:
        """Return the member's place, or None when they are not on this board."""
        value, _, where = _board(board)
        mine = select(STATS.c.display_name, value).where(*where, STATS.c.user_id == user_id)
        async with self._sessions() as session:
            row = (await session.execute(mine)).one_or_none()
            if row is None or row[1] <= 0:
                return None
            name, points = row
            ahead = await session.scalar(select(func.count()).where(*where, value > points))
        return Standing(user_id, name, int(points), 1 + int(ahead or 0))

    async def set_hidden(self, key: MemberKey, hidden: bool) -> None:
        """Hide the member from (or show them on) every leaderboard."""
        async with self._sessions.begin() as session:
            await session.execute(
                update(MemberStatsRow)
                .where(
                    MemberStatsRow.platform == key.platform.value,
                    MemberStatsRow.user_id == key.user_id,
                )
                .values(hidden=hidden)
                .execution_options(synchronize_session=False)
            )

    async def backfill(self, now: datetime, fallback_timezone: str) -> int:
        """Compute totals when events exist but no totals do (events older than the totals).

        Cheap when there is nothing to do: two single-row reads at start-up.
        """
        async with self._sessions() as session:
            if await session.scalar(select(STATS.c.id).limit(1)) is not None:
                return 0
            if await session.scalar(select(EVENTS.c.id).limit(1)) is None:
                return 0
        async with self._sessions.begin() as session:
            connection = await session.connection()
            # One INSERT ... SELECT: the database finds every (member, space) pair, not Python.
            pairs = (
                select(EVENTS.c.platform, EVENTS.c.space_id, EVENTS.c.user_id).distinct().subquery()
            )
            rows = (
                select(
                    pairs.c.platform,
                    pairs.c.space_id,
                    pairs.c.user_id,
                    func.coalesce(MEMBERS.c.display_name, pairs.c.user_id),
                    func.coalesce(MEMBERS.c.leaderboard_hidden, false()),
                    literal(now, UtcDateTime()),
                    literal(now.date(), Date()),
                    literal(now.date(), Date()),
                    literal(now.date(), Date()),
                    literal(now, UtcDateTime()),
                )
                .select_from(
                    pairs.outerjoin(
                        MEMBERS,
                        and_(
                            MEMBERS.c.platform == pairs.c.platform,
                            MEMBERS.c.user_id == pairs.c.user_id,
                        ),
                    )
                )
                .where(true())  # SQLite needs a WHERE before ON CONFLICT in INSERT ... SELECT
            )
            columns = ["platform", "space_id", "user_id", "display_name", "hidden", "alive_until",
                       "last_day", "week_start", "month_start", "updated_at"]  # fmt: skip
            created = await connection.execute(
                dialect_insert(connection, STATS)
                .from_select(columns, rows)
                .on_conflict_do_nothing()
            )
            spaces = (
                await connection.execute(select(STATS.c.platform, STATS.c.space_id).distinct())
            ).all()
        for platform, space_id in sorted(spaces):
            await self.refresh_space(Platform(platform), space_id, now, fallback_timezone)
        count = int(cast(CursorResult[Any], created).rowcount)
        log.info("computed streak totals for %d members' earlier events", count)
        return count

    async def refresh_space(
        self, platform: Platform, space_id: str, now: datetime, fallback_timezone: str
    ) -> int:
        """Recompute the space's rows under its current rules; return how many members.

        Run after moderators change the space's forgiveness rules, so leaderboards follow
        the new rules at once instead of at each member's next check-in. Only this space's
        rows change. The arithmetic runs in a worker thread, a chunk at a time, so the event
        loop keeps serving messages meanwhile.
        """
        engine = engine_of(self._sessions)
        done, after = 0, None
        while True:
            # Each chunk finds its own members (the next ids after the last chunk's), so the
            # loop never holds a list of the whole space.
            read = partial(_read_chunk, platform.value, space_id, after, now, fallback_timezone)
            if off_loop(engine):
                # SQLite: the whole chunk (reads, arithmetic, write) in one worker thread, so
                # the loop only waits; building rows and parameters there would stall it.
                user_ids = await in_transaction(engine, partial(_refresh_chunk, read, now))
            else:
                async with engine.begin() as connection:
                    user_ids, rows, days = await connection.run_sync(read)
                    totals = await asyncio.to_thread(compute_totals, rows, days, now)
                    await connection.run_sync(write_totals, totals, now)
            done += len(user_ids)
            if len(user_ids) < REFRESH_CHUNK:
                return done
            after = user_ids[-1]


Chunk = tuple[list[str], list[StatsRow], dict[Member, list[StudyDay]]]


def _refresh_chunk(
    read: Callable[[Connection], Chunk], now: datetime, connection: Connection
) -> list[str]:
    """Read, compute and write one chunk in the calling (worker) thread; return its ids."""
    user_ids, rows, days = read(connection)
    if user_ids:
        write_totals(connection, compute_totals(rows, days, now), now)
    return user_ids


def _read_chunk(
    platform: str,
    space_id: str,
    after: str | None,
    now: datetime,
    fallback_timezone: str,
    connection: Connection,
) -> Chunk:
    """Lock the space's next chunk of rows; return their ids, rows (with rules) and days."""
    query = (
        select(STATS.c.user_id)
        .where(STATS.c.platform == platform, STATS.c.space_id == space_id)
        .order_by(STATS.c.user_id)
        .limit(REFRESH_CHUNK)
    )
    if after is not None:
        query = query.where(STATS.c.user_id > after)
    user_ids = list(connection.scalars(query))
    if not user_ids:
        return [], [], {}
    chunk = [(platform, u) for u in user_ids]
    # Write first: it takes the rows' locks (the whole database's on SQLite), so no
    # check-in changes these members' days until this chunk commits.
    connection.execute(
        update(STATS)
        .where(
            STATS.c.platform == platform,
            STATS.c.space_id == space_id,
            STATS.c.user_id.in_(user_ids),
        )
        .values(updated_at=now)
    )
    return (
        user_ids,
        stats_rows(connection, chunk, fallback_timezone, space_id),
        study_days(connection, chunk),
    )


class SqlReminderLog:
    """Streak reminders sent, in the streak_reminders table."""

    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self._sessions = sessions

    async def claim(self, key: MemberKey, day: date, now: datetime) -> bool:
        """Record the member's reminder for their local day; False when it was sent."""
        async with self._sessions.begin() as session:
            insert = dialect_insert(session, StreakReminderRow).values(
                platform=key.platform.value, user_id=key.user_id, local_date=day, sent_at=now
            )
            # The unique key decides, across restarts and across processes.
            claimed = await session.execute(
                insert.on_conflict_do_nothing(
                    index_elements=[
                        StreakReminderRow.platform,
                        StreakReminderRow.user_id,
                        StreakReminderRow.local_date,
                    ]
                ).returning(StreakReminderRow.id)
            )
            return claimed.scalar_one_or_none() is not None

    async def prune(self, before: date) -> int:
        """Forget reminders for local dates before this one; return how many were dropped.

        Only today's row (per member) stops a second reminder, so a few days are plenty.
        """
        async with self._sessions.begin() as session:
            result = await session.execute(
                delete(StreakReminderRow)
                .where(StreakReminderRow.local_date < before)
                .execution_options(synchronize_session=False)
            )
        return int(cast(CursorResult[Any], result).rowcount)


def _board(board: Board) -> tuple[Any, str | None, list[ColumnElement[bool]]]:
    """Return the ranked column, its tie-break and the WHERE clauses of a board."""
    try:
        ranked, tie_break, period = _BOARDS[(board.period, board.metric)]
    except KeyError:
        raise ValueError(f"no leaderboard {board.period} {board.metric}") from None
    where: list[ColumnElement[bool]] = [
        STATS.c.platform == board.platform.value,
        STATS.c.space_id == board.space_id,
        STATS.c.hidden == false(),
    ]
    if period is not None:
        where.append(STATS.c[period] == board.period_start)
    if ranked == "current_streak":
        where.append(STATS.c.alive_until > board.now)  # a streak that ended ranks as zero
    return STATS.c[ranked], tie_break, where
