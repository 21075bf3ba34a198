"""SQL implementation of the learning-event port: events, and the totals leaderboards rank."""

from __future__ import annotations

import asyncio
import logging
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, fields
from datetime import date, datetime
from typing import Any, cast

from sqlalchemy import Table, bindparam, func, select, update
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession, async_sessionmaker

from bot.core.ports import LearningEvent, MemberKey, Recorded, StudyDay, StudyProfile
from bot.core.streaks import StreakTotals, streak_totals
from bot.storage.repositories import NAME_LENGTH, dialect_insert
from bot.storage.tables import LearningEventRow, MemberStatsRow

log = logging.getLogger(__name__)

NOTE_LENGTH = 200  # the note column's size: PostgreSQL refuses longer text, SQLite would keep it
BATCH_LIMIT = 256  # events written in one transaction when many arrive at once

Member = tuple[str, str]  # (platform, user_id), the stored identity
# Core tables for executemany statements that are not about ORM objects.
STATS = cast(Table, MemberStatsRow.__table__)
EVENTS = cast(Table, LearningEventRow.__table__)


@dataclass(slots=True)
class _Pending:
    event: LearningEvent
    profile: StudyProfile
    done: asyncio.Future[Recorded]


class SqlLearningEventRepository:
    """Members' learning events, in learning_events, with their totals in member_stats.

    Events that arrive together are written together: one transaction (one commit, the
    expensive part) stores a whole batch and refreshes the totals of everyone in it. Each
    caller still gets its own answer, and only after the commit.
    """

    def __init__(
        self, sessions: async_sessionmaker[AsyncSession], batch_limit: int = BATCH_LIMIT
    ) -> None:
        self._sessions = sessions
        self._batch_limit = batch_limit
        self._queue: list[_Pending] = []
        self._writer: asyncio.Task[None] | None = None

    async def record(self, event: LearningEvent, profile: StudyProfile) -> Recorded:
        """Store event and refresh the member's totals (and return their study days)."""
        done: asyncio.Future[Recorded] = asyncio.get_running_loop().create_future()
        self._queue.append(_Pending(event, profile, done))
        if self._writer is None or self._writer.done():
            self._writer = asyncio.create_task(self._drain())
        return await done

    async def _drain(self) -> None:
        while self._queue:
            batch = self._queue[: self._batch_limit]
            del self._queue[: self._batch_limit]
            try:
                results = await self._write(batch)
            except Exception as error:
                if len(batch) == 1:
                    _settle(batch[0].done, error=error)
                    continue
                # One bad event must not fail the others: write them one by one.
                log.warning("a batch of %d learning events failed; writing singly", len(batch))
                for pending in batch:
                    await self._write_alone(pending)
                continue
            for pending, recorded in zip(batch, results, strict=True):
                _settle(pending.done, result=recorded)

    async def _write_alone(self, pending: _Pending) -> None:
        try:
            (recorded,) = await self._write([pending])
        except Exception as error:
            _settle(pending.done, error=error)
        else:
            _settle(pending.done, result=recorded)

    async def _write(self, batch: list[_Pending]) -> list[Recorded]:
        """Store a batch in one transaction; return for each event whether it is new."""
        rows = [_event_row(p.event) for p in batch]
        async with self._sessions.begin() as session:
            insert = dialect_insert(session, LearningEventRow)
            # The unique key decides, so a redelivery racing the first delivery (in this
            # process or another) is dropped; CHECK constraints refuse a bad kind or minutes.
            inserted = await session.execute(
                insert.on_conflict_do_nothing(
                    index_elements=[LearningEventRow.platform, LearningEventRow.source]
                ).returning(LearningEventRow.platform, LearningEventRow.source),
                rows,
            )
            new_keys = set(map(tuple, inserted.all()))
            stored, latest = _first_deliveries(batch, new_keys)
            days: dict[Member, list[StudyDay]] = {}
            if latest:
                connection = await session.connection()
                days = await _refresh_totals(connection, latest)
        results = []
        for pending, new in zip(batch, stored, strict=True):
            if not new:
                log.debug("dropping repeated learning event %s", pending.event.source)
            member = (pending.event.key.platform.value, pending.event.key.user_id)
            results.append(Recorded(new, tuple(days.get(member, ())) if new else ()))
        return results

    async def days(self, key: MemberKey, since: date | None = None) -> list[StudyDay]:
        """Return the member's study days (optionally from since on), oldest first."""
        query = (
            select(
                LearningEventRow.local_date,
                func.sum(LearningEventRow.minutes),
                func.count(),
            )
            .where(
                LearningEventRow.platform == key.platform.value,
                LearningEventRow.user_id == key.user_id,
            )
            .group_by(LearningEventRow.local_date)
            .order_by(LearningEventRow.local_date)
        )
        if since is not None:
            query = query.where(LearningEventRow.local_date >= since)
        async with self._sessions() as session:
            rows = (await session.execute(query)).all()
        # PostgreSQL sums an INTEGER column as BIGINT; int() keeps the port's type plain.
        return [StudyDay(day, int(minutes), int(events)) for day, minutes, events in rows]


def _settle(
    done: asyncio.Future[Recorded],
    result: Recorded | None = None,
    error: BaseException | None = None,
) -> None:
    if done.done():  # the caller gave up waiting (cancelled); the write stands anyway
        return
    if error is not None:
        done.set_exception(error)
    elif result is not None:
        done.set_result(result)


def _event_row(event: LearningEvent) -> dict[str, Any]:
    return {
        "platform": event.key.platform.value,
        "user_id": event.key.user_id,
        "space_id": event.space_id,
        "kind": event.kind,
        "source": event.source,
        "occurred_at": event.occurred_at,
        "local_date": event.local_date,
        "minutes": event.minutes,
        "note": event.note[:NOTE_LENGTH],
    }


def _first_deliveries(
    batch: list[_Pending], new_keys: set[tuple[Any, ...]]
) -> tuple[list[bool], dict[Member, _Pending]]:
    """Return which events are new, and each member's latest new event.

    A source twice in one batch counts once. The latest event's profile (name, timezone,
    rules) is what the member's totals are computed with.
    """
    results: list[bool] = []
    latest: dict[Member, _Pending] = {}
    for pending in batch:
        key = (pending.event.key.platform.value, pending.event.source)
        stored = key in new_keys
        new_keys.discard(key)
        results.append(stored)
        if stored:
            member = (key[0], pending.event.key.user_id)
            current = latest.get(member)
            if current is None or current.event.local_date <= pending.event.local_date:
                latest[member] = pending
    return results, latest


async def _refresh_totals(
    connection: AsyncConnection, latest: dict[Member, _Pending]
) -> dict[Member, list[StudyDay]]:
    """Refresh the totals of the members of these events; return their study days.

    Creates the member's row for the event's space first, then rewrites all their rows.
    """
    stats = STATS
    touched = sorted(
        {
            (p.event.key.platform.value, p.event.space_id, p.event.key.user_id): p
            for p in latest.values()
        }.items()
    )
    insert = dialect_insert(connection, stats)
    # Sorted, so two processes lock rows in the same order; on PostgreSQL the row lock also
    # makes a concurrent writer for the same member wait, then read our committed events.
    await connection.execute(
        insert.on_conflict_do_update(
            index_elements=[stats.c.platform, stats.c.space_id, stats.c.user_id],
            set_={"display_name": insert.excluded.display_name},
        ),
        [_placeholder_row(space, pending) for (_, space, _), pending in touched],
    )
    days = await study_days(connection, latest)
    minutes = {member: {d.day: d.minutes for d in study} for member, study in days.items()}
    await write_totals(
        connection,
        (
            (
                member,
                pending.profile,
                streak_totals(
                    minutes[member],
                    pending.event.local_date,
                    pending.profile.timezone,
                    pending.profile.rules,
                ),
                pending.event.occurred_at,
            )
            for member, pending in latest.items()
        ),
    )
    return days


def _placeholder_row(space_id: str, pending: _Pending) -> dict[str, Any]:
    event = pending.event
    return {
        "platform": event.key.platform.value,
        "space_id": space_id,
        "user_id": event.key.user_id,
        "display_name": pending.profile.display_name[:NAME_LENGTH],
        "hidden": pending.profile.hidden,
        "alive_until": event.occurred_at,
        "last_day": event.local_date,
        "week_start": event.local_date,
        "month_start": event.local_date,
        "updated_at": event.occurred_at,
    }


async def study_days(
    connection: AsyncConnection, members: Iterable[Member]
) -> dict[Member, list[StudyDay]]:
    """Return each member's study days (minutes and events per date), oldest first."""
    events = EVENTS
    by_platform: dict[str, list[str]] = defaultdict(list)
    for platform, user_id in members:
        by_platform[platform].append(user_id)
    days: dict[Member, list[StudyDay]] = defaultdict(list)
    for platform, user_ids in by_platform.items():
        # `platform = ? AND user_id IN (...)` walks the (platform, user_id, local_date) index;
        # SQLite would scan the table for a row-value IN over both columns.
        query = (
            select(events.c.user_id, events.c.local_date, func.sum(events.c.minutes), func.count())
            .where(events.c.platform == platform, events.c.user_id.in_(user_ids))
            .group_by(events.c.user_id, events.c.local_date)
            .order_by(events.c.user_id, events.c.local_date)
        )
        for user_id, day, minutes, count in await connection.execute(query):
            days[(platform, user_id)].append(StudyDay(day, int(minutes), int(count)))
    return days


async def write_totals(
    connection: AsyncConnection,
    totals: Iterable[tuple[Member, StudyProfile, StreakTotals, datetime]],
) -> None:
    """Write each member's totals (and name, and leaderboard choice) to all their rows."""
    stats = STATS
    names = [f.name for f in fields(StreakTotals)]
    statement = (
        update(stats)
        .where(stats.c.platform == bindparam("b_platform"))
        .where(stats.c.user_id == bindparam("b_user_id"))
        .values(
            {
                name: bindparam(f"b_{name}")
                for name in ("display_name", "hidden", "updated_at", *names)
            }
        )
    )
    params = [
        {
            "b_platform": platform,
            "b_user_id": user_id,
            "b_display_name": profile.display_name[:NAME_LENGTH],
            "b_hidden": profile.hidden,
            "b_updated_at": at,
            **{f"b_{name}": getattr(total, name) for name in names},
        }
        for (platform, user_id), profile, total, at in totals
    ]
    if params:
        await connection.execute(statement, params)
