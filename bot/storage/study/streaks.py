"""SQL implementation of the learning-event port: a queue written in batches, with totals."""

from __future__ import annotations

import asyncio
import logging
from datetime import date
from functools import partial

from sqlalchemy import Connection, func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.core.ports import MemberKey
from bot.core.study.ports import LearningEvent, Recorded, StudyDay
from bot.core.study.streaks import ForgivenessRules
from bot.storage.db import engine_of, in_transaction
from bot.storage.repositories import NAME_LENGTH
from bot.storage.study.batch import (
    Locked,
    Pending,
    cap_minutes,
    event_row,
    first_deliveries,
    insert_events,
    lock_members,
)
from bot.storage.study.totals import (
    Member,
    StatsRow,
    compute_totals,
    space_rules,
    stats_rows,
    study_days,
    upsert_totals,
    write_totals,
)
from bot.storage.tables import LearningEventRow

log = logging.getLogger(__name__)

BATCH_LIMIT = 256  # events written in one transaction when many arrive at once


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
        self._queue: list[Pending] = []
        self._writer: asyncio.Task[None] | None = None

    async def record(self, event: LearningEvent, display_name: str) -> Recorded:
        """Store event (minutes capped per local day) and refresh the member's totals."""
        done: asyncio.Future[Recorded] = asyncio.get_running_loop().create_future()
        member = (event.key.platform.value, event.key.user_id)
        self._queue.append(Pending(event, display_name, done, member))
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

    async def _write_alone(self, pending: Pending) -> None:
        try:
            (recorded,) = await self._write([pending])
        except Exception as error:
            _settle(pending.done, error=error)
        else:
            _settle(pending.done, result=recorded)

    async def _write(self, batch: list[Pending]) -> list[Recorded]:
        """Store a batch in one transaction; return for each event whether it is new."""
        return await in_transaction(engine_of(self._sessions), partial(self._store, batch))

    def _store(self, batch: list[Pending], connection: Connection) -> list[Recorded]:
        # First, so it is the lock: see lock_members.
        locked = lock_members(connection, batch)
        inserted = connection.execute(
            # The unique key decides, so a redelivery racing the first delivery (in this
            # process or another) is dropped; CHECK constraints refuse a bad kind or minutes.
            insert_events(connection.dialect.name),
            [event_row(p) for p in batch],
        )
        new_ids = {(platform, source): id_ for platform, source, id_ in inserted}
        stored, latest = first_deliveries(batch, set(new_ids))
        days: dict[Member, list[StudyDay]] = {}
        counted: list[int] = [p.event.minutes for p in batch]
        if latest:
            days = study_days(connection, latest)
            counted = cap_minutes(connection, batch, stored, new_ids, days)
            self._refresh_totals(connection, batch, stored, locked, latest, days)
        results = []
        for pending, new, minutes in zip(batch, stored, counted, strict=True):
            if not new:
                log.debug("dropping repeated learning event %s", pending.event.source)
            study = tuple(days.get(pending.member, ())) if new else ()
            results.append(Recorded(new, study, minutes if new else 0))
        return results

    def _refresh_totals(
        self,
        connection: Connection,
        batch: list[Pending],
        stored: list[bool],
        locked: dict[Member, Locked],
        latest: dict[Member, Pending],
        days: dict[Member, list[StudyDay]],
    ) -> None:
        """Write the member's row in the event's space, and recompute all their rows.

        A member's study days are theirs in every space, so a new day changes each of their
        rows; each row is computed with its own space's rules and timezone.
        """
        names = {
            (p.member[0], p.event.space_id, p.member[1]): p.display_name[:NAME_LENGTH]
            for p, new in zip(batch, stored, strict=True)
            if new
        }
        rows = stats_rows(connection, latest, self._default_timezone)
        missing = set(names).difference((r.platform, r.space_id, r.user_id) for r in rows)
        rows.extend(self._new_rows(connection, sorted(missing), locked))
        now = {member: pending.event.occurred_at for member, pending in latest.items()}
        at = max(now.values())
        totals = compute_totals(rows, days, now)
        studied = sorted(
            (t for t in totals if (t[0].platform, t[0].space_id, t[0].user_id) in names),
            key=lambda t: (t[0].platform, t[0].space_id, t[0].user_id),
        )
        # Sorted, so two writers lock rows in the same order. A new row takes the privacy
        # choice read under the member lock; an existing row's flag is never written here.
        hidden = {member: lock.hidden for member, lock in locked.items()}
        upsert_totals(connection, studied, names, hidden, at)
        others = [t for t in totals if (t[0].platform, t[0].space_id, t[0].user_id) not in names]
        write_totals(connection, others, at)

    def _new_rows(
        self,
        connection: Connection,
        missing: list[tuple[str, str, str]],
        locked: dict[Member, Locked],
    ) -> list[StatsRow]:
        """Return the rows to create, with their space's rules and the member's timezone."""
        rows = []
        for platform in sorted({p for p, _, _ in missing}):
            rules = space_rules(connection, platform, (s for p, s, _ in missing if p == platform))
            for _, space, user in (m for m in missing if m[0] == platform):
                # A space never configured (no row) runs the default rules.
                rule, zone = rules.get(space, (ForgivenessRules(), None))
                timezone = locked[(platform, user)].timezone or zone or self._default_timezone
                rows.append(StatsRow(platform, space, user, rule, timezone))
        return rows

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
