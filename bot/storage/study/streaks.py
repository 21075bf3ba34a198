"""SQL implementation of the learning-event port: a queue written in batches, with totals."""

from __future__ import annotations

import asyncio
import logging
from collections import defaultdict
from datetime import date, datetime
from functools import partial

from sqlalchemy import Connection, func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.core.ports import MemberKey
from bot.core.study.ports import LearningEvent, Recorded, StreakCounts, StudyDay
from bot.core.study.streaks import (
    ForgivenessRules,
    StreakState,
    StreakTotals,
    local_date,
    next_totals,
    settle,
    streak_counts,
)
from bot.storage.bulk import insert_returning
from bot.storage.db import engine_of, in_transaction
from bot.storage.repositories import NAME_LENGTH
from bot.storage.study.batch import (
    EVENT_KEYS,
    Locked,
    Pending,
    cap_minutes,
    day_totals,
    event_row,
    first_deliveries,
    insert_events,
    lock_members,
)
from bot.storage.study.totals import (
    Computed,
    Member,
    StatsRow,
    compute_totals,
    space_rules,
    stored_rows,
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
        inserted = insert_returning(
            # The unique key decides, so a redelivery racing the first delivery (in this
            # process or another) is dropped; CHECK constraints refuse a bad kind or minutes.
            connection,
            insert_events(connection.dialect.name),
            EVENT_KEYS,
            [event_row(p) for p in batch],
        )
        new_ids = {(platform, source): id_ for platform, source, id_ in inserted}
        stored, latest = first_deliveries(batch, set(new_ids))
        days: dict[tuple[Member, date], StudyDay] = {}
        counted: list[int] = [p.event.minutes for p in batch]
        streaks: dict[tuple[str, str, str], StreakCounts] = {}
        if latest:
            days = day_totals(connection, batch, stored)
            counted = cap_minutes(connection, batch, stored, new_ids, days)
            streaks = self._refresh_totals(connection, batch, stored, counted, locked, latest)
        results = []
        for pending, new, minutes in zip(batch, stored, counted, strict=True):
            if not new:
                log.debug("dropping repeated learning event %s", pending.event.source)
                results.append(Recorded(False))
                continue
            member, event = pending.member, pending.event
            day = days[(member, event.local_date)]
            streak = streaks[(member[0], event.space_id, member[1])]
            results.append(Recorded(True, minutes, day, streak))
        return results

    def _refresh_totals(
        self,
        connection: Connection,
        batch: list[Pending],
        stored: list[bool],
        counted: list[int],
        locked: dict[Member, Locked],
        latest: dict[Member, Pending],
    ) -> dict[tuple[str, str, str], StreakCounts]:
        """Update the members' rows in every space; return the streak in the events' spaces.

        A member's study days are theirs in every space, so a new day changes each of their
        rows; each row is computed with its own space's rules and timezone. A row whose
        stored state allows it is carried forward by the batch's days (next_totals); any
        other (a new row, an unknown state, other rules, an earlier day) is counted from all
        the member's days.
        """
        names: dict[tuple[str, str, str], str] = {}
        added: dict[Member, dict[date, int]] = defaultdict(dict)
        for pending, new, minutes in zip(batch, stored, counted, strict=True):
            if new:
                member, event = pending.member, pending.event
                names[(member[0], event.space_id, member[1])] = pending.display_name[:NAME_LENGTH]
                spent = added[member]
                spent[event.local_date] = spent.get(event.local_date, 0) + minutes
        now = {member: pending.event.occurred_at for member, pending in latest.items()}
        at = max(now.values())
        computed: dict[tuple[str, str, str], Computed] = {}
        answers: dict[tuple[str, str, str], StreakCounts] = {}
        recount: list[StatsRow] = []
        for row, totals, state in stored_rows(connection, latest, self._default_timezone):
            key = (row.platform, row.space_id, row.user_id)
            today = local_date(now[row.member], row.timezone)
            step = _carried(row, totals, state, added[row.member], today)
            if step is None:
                recount.append(row)
                continue
            computed[key] = (row, *step)
            if key in names:
                answers[key] = _counts(step[0], step[1], today)
        have = set(computed).union((r.platform, r.space_id, r.user_id) for r in recount)
        recount.extend(self._new_rows(connection, sorted(set(names) - have), locked))
        if recount:
            days = study_days(connection, {row.member for row in recount})
            for row, totals, state in compute_totals(recount, days, now):
                key = (row.platform, row.space_id, row.user_id)
                computed[key] = (row, totals, state)
                if key in names:
                    answers[key] = _recounted(row, totals, state, now[row.member], days)
        # Sorted, so two writers lock rows in the same order. A new row takes the privacy
        # choice read under the member lock; an existing row's flag is never written here.
        studied = [computed[key] for key in sorted(names) if key in computed]
        hidden = {member: lock.hidden for member, lock in locked.items()}
        upsert_totals(connection, studied, names, hidden, at)
        write_totals(connection, [c for key, c in computed.items() if key not in names], at)
        return answers

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


def _carried(
    row: StatsRow,
    totals: StreakTotals,
    state: StreakState | None,
    added: dict[date, int],
    today: date,
) -> tuple[StreakTotals, StreakState] | None:
    """Return the row carried forward by the batch's days (oldest first), or None."""
    if state is None:
        return None
    step: tuple[StreakTotals, StreakState] | None = (totals, state)
    for day in sorted(added):
        if step is None:
            return None
        step = next_totals(*step, day, added[day], today, row.timezone, row.rules)
    return step


def _counts(totals: StreakTotals, state: StreakState, today: date) -> StreakCounts:
    """Return a row's streak as of its today, for the answer to the member."""
    _, _, freezes = settle(state, today)
    return StreakCounts(totals.current_streak, totals.longest_streak, freezes)


def _recounted(
    row: StatsRow,
    totals: StreakTotals,
    state: StreakState | None,
    now: datetime,
    days: dict[Member, list[StudyDay]],
) -> StreakCounts:
    """Return the streak of a row counted from all the days, for the answer to the member."""
    today = local_date(now, row.timezone)
    if state is not None:
        return _counts(totals, state, today)
    # No state: a day after today (compute_totals); count the freezes from the days.
    _, _, freezes = streak_counts((d.day for d in days[row.member]), today, row.rules)
    return StreakCounts(totals.current_streak, totals.longest_streak, freezes)


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
