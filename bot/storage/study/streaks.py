"""SQL implementation of the learning-event port: events, and the totals leaderboards rank."""

from __future__ import annotations

import asyncio
import logging
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import bindparam, func, select, update
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession, async_sessionmaker

from bot.core.ports import MemberKey
from bot.core.study.ports import LearningEvent, Recorded, StudyDay
from bot.storage.repositories import NAME_LENGTH, dialect_insert
from bot.storage.study.totals import (
    EVENTS,
    MEMBERS,
    STATS,
    Member,
    compute_totals,
    stats_rows,
    study_days,
    write_totals,
)
from bot.storage.tables import LearningEventRow

log = logging.getLogger(__name__)

NOTE_LENGTH = 200  # the note column's size: PostgreSQL refuses longer text, SQLite would keep it
BATCH_LIMIT = 256  # events written in one transaction when many arrive at once
DAY_MINUTES = 1440  # a member's minutes per local day are capped at 24 hours


@dataclass(slots=True)
class _Pending:
    event: LearningEvent
    display_name: str
    done: asyncio.Future[Recorded]


class SqlLearningEventRepository:
    """Members' learning events, in learning_events, with their totals in member_stats.

    Events that arrive together are written together: one transaction (one commit, the
    expensive part) stores a whole batch and refreshes the totals of everyone in it. Each
    caller still gets its own answer, and only after the commit.
    """

    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        default_timezone: str = "UTC",
        batch_limit: int = BATCH_LIMIT,
    ) -> None:
        self._sessions = sessions
        self._default_timezone = default_timezone  # for members and spaces that set none
        self._batch_limit = batch_limit
        self._queue: list[_Pending] = []
        self._writer: asyncio.Task[None] | None = None

    async def record(self, event: LearningEvent, display_name: str) -> Recorded:
        """Store event (minutes capped per local day) and refresh the member's totals."""
        done: asyncio.Future[Recorded] = asyncio.get_running_loop().create_future()
        self._queue.append(_Pending(event, display_name, done))
        if self._writer is None or self._writer.done():
            self._writer = asyncio.create_task(self._drain())
        return await done

    async def aclose(self) -> None:
        """Finish writing what is queued: its callers are waiting for the commit."""
        if self._writer is not None:
            await asyncio.gather(self._writer, return_exceptions=True)

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
        async with self._sessions.begin() as session:
            connection = await session.connection()
            # First, so it is the lock: see _lock_members.
            hidden = await _lock_members(connection, batch)
            inserted = await connection.execute(
                # The unique key decides, so a redelivery racing the first delivery (in this
                # process or another) is dropped; CHECK constraints refuse a bad kind or minutes.
                dialect_insert(connection, EVENTS)
                .on_conflict_do_nothing(index_elements=[EVENTS.c.platform, EVENTS.c.source])
                .returning(EVENTS.c.platform, EVENTS.c.source, EVENTS.c.id),
                [_event_row(p.event) for p in batch],
            )
            new_ids = {(platform, source): id_ for platform, source, id_ in inserted}
            stored, latest = _first_deliveries(batch, set(new_ids))
            days: dict[Member, list[StudyDay]] = {}
            counted: list[int] = [p.event.minutes for p in batch]
            if latest:
                days = await study_days(connection, latest)
                counted = await _cap_minutes(connection, batch, stored, new_ids, days)
                await self._refresh_totals(connection, batch, stored, hidden, latest, days)
        results = []
        for pending, new, minutes in zip(batch, stored, counted, strict=True):
            if not new:
                log.debug("dropping repeated learning event %s", pending.event.source)
            member = (pending.event.key.platform.value, pending.event.key.user_id)
            study = tuple(days.get(member, ())) if new else ()
            results.append(Recorded(new, study, minutes if new else 0))
        return results

    async def _refresh_totals(
        self,
        connection: AsyncConnection,
        batch: list[_Pending],
        stored: list[bool],
        hidden: dict[Member, bool],
        latest: dict[Member, _Pending],
        days: dict[Member, list[StudyDay]],
    ) -> None:
        """Create the member's row in the event's space, then recompute all their rows.

        A member's study days are theirs in every space, so a new day changes each of their
        rows; each row is computed with its own space's rules and timezone.
        """
        spaces = {
            (p.event.key.platform.value, p.event.space_id, p.event.key.user_id): p
            for p, new in zip(batch, stored, strict=True)
            if new
        }
        insert = dialect_insert(connection, STATS)
        # Sorted, so two writers lock rows in the same order. A new row takes the privacy
        # choice read under the member lock; an existing row's flag is never written here.
        await connection.execute(
            insert.on_conflict_do_update(
                index_elements=[STATS.c.platform, STATS.c.space_id, STATS.c.user_id],
                set_={"display_name": insert.excluded.display_name},
            ),
            [
                _placeholder_row(space, pending, hidden.get((platform, user), False))
                for (platform, space, user), pending in sorted(spaces.items())
            ],
        )
        rows = await stats_rows(connection, latest, self._default_timezone)
        now = {member: pending.event.occurred_at for member, pending in latest.items()}
        at = max(now.values())
        await write_totals(connection, compute_totals(rows, days, now), at)

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

    A source twice in one batch counts once. The latest event's moment is the "now" the
    member's totals are computed at.
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


async def _lock_members(connection: AsyncConnection, batch: list[_Pending]) -> dict[Member, bool]:
    """Create or lock the batch's members rows (sorted); return their privacy choice.

    Every writer for a member passes here first: on PostgreSQL the row lock makes a
    concurrent batch (of any process) or a privacy change wait, then read committed data;
    on SQLite this first write takes the database's write lock. So the daily cap and the
    privacy flag of new rows are decided on current data, never on a cached copy.
    """
    members = {(p.event.key.platform.value, p.event.key.user_id): p for p in batch}
    insert = dialect_insert(connection, MEMBERS)
    locked = await connection.execute(
        insert.on_conflict_do_update(
            index_elements=[MEMBERS.c.platform, MEMBERS.c.user_id],
            set_={"updated_at": MEMBERS.c.updated_at},  # unchanged: the row is only locked
        ).returning(MEMBERS.c.platform, MEMBERS.c.user_id, MEMBERS.c.leaderboard_hidden),
        [
            {
                "platform": platform,
                "user_id": user_id,
                "display_name": pending.display_name[:NAME_LENGTH],
                "created_at": pending.event.occurred_at,
                "updated_at": pending.event.occurred_at,
            }
            for (platform, user_id), pending in sorted(members.items())
        ],
    )
    return {(platform, user_id): bool(hidden) for platform, user_id, hidden in locked}


async def _cap_minutes(
    connection: AsyncConnection,
    batch: list[_Pending],
    stored: list[bool],
    new_ids: dict[tuple[str, str], int],
    days: dict[Member, list[StudyDay]],
) -> list[int]:
    """Cut new events' minutes so no local day holds more than 24 hours; return those counted.

    days (read under the member lock, so no other writer can add to them meanwhile) already
    holds the new events at their full minutes; they are counted in batch order.
    """
    asked: dict[tuple[Member, date], int] = defaultdict(int)
    for pending, new in zip(batch, stored, strict=True):
        if new:
            event = pending.event
            asked[((event.key.platform.value, event.key.user_id), event.local_date)] += (
                event.minutes
            )
    totals = {(member, d.day): d.minutes for member, study in days.items() for d in study}
    room = {key: max(0, DAY_MINUTES - (totals[key] - minutes)) for key, minutes in asked.items()}
    counted: list[int] = []
    cut: list[dict[str, Any]] = []
    for pending, new in zip(batch, stored, strict=True):
        event = pending.event
        if not new:
            counted.append(0)
            continue
        key = ((event.key.platform.value, event.key.user_id), event.local_date)
        allowed = min(event.minutes, room[key])
        room[key] -= allowed
        counted.append(allowed)
        if allowed < event.minutes:
            cut.append({"b_id": new_ids[(key[0][0], event.source)], "b_minutes": allowed})
            totals[key] -= event.minutes - allowed
    if cut:
        await connection.execute(
            update(EVENTS)
            .where(EVENTS.c.id == bindparam("b_id"))
            .values(minutes=bindparam("b_minutes")),
            cut,
        )
        for member, study in days.items():
            study[:] = [StudyDay(d.day, totals[(member, d.day)], d.events) for d in study]
    return counted


def _placeholder_row(space_id: str, pending: _Pending, hidden: bool) -> dict[str, Any]:
    event = pending.event
    return {
        "platform": event.key.platform.value,
        "space_id": space_id,
        "user_id": event.key.user_id,
        "display_name": pending.display_name[:NAME_LENGTH],
        "hidden": hidden,
        "alive_until": event.occurred_at,
        "last_day": event.local_date,
        "week_start": event.local_date,
        "month_start": event.local_date,
        "updated_at": event.occurred_at,
    }
