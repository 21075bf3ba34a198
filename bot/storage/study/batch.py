"""The SQL steps of one batch of learning events: lock the members, insert, cap the day."""

from __future__ import annotations

import asyncio
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from functools import cache
from typing import Any

from sqlalchemy import Connection, bindparam, func, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.sql.dml import ReturningInsert

from bot.core.study.ports import LearningEvent, Recorded, StudyDay
from bot.storage.bulk import insert_returning
from bot.storage.repositories import NAME_LENGTH
from bot.storage.study.totals import EVENTS, MEMBERS, Member

NOTE_LENGTH = 200  # the note column's size: PostgreSQL refuses longer text, SQLite would keep it
DAY_MINUTES = 1440  # a member's minutes per local day are capped at 24 hours


@dataclass(slots=True)
class Pending:
    """An event waiting for its batch, and the future its caller awaits."""

    event: LearningEvent
    display_name: str
    done: asyncio.Future[Recorded]
    # The stored identity, (platform, user_id), taken once: an enum's .value is a Python-level
    # descriptor call, and the writer needs the member of each event several times.
    member: Member


EVENT_KEYS = (
    "platform", "user_id", "space_id", "kind", "source", "occurred_at", "local_date", "minutes",
    "note",
)  # fmt: skip


def event_row(pending: Pending) -> tuple[Any, ...]:
    """Return the learning_events row of a pending event, in EVENT_KEYS order."""
    event = pending.event
    return (
        pending.member[0], pending.member[1], event.space_id, event.kind, event.source,
        event.occurred_at, event.local_date, event.minutes, event.note[:NOTE_LENGTH],
    )  # fmt: skip


def first_deliveries(
    batch: list[Pending], new_keys: set[tuple[Any, ...]]
) -> tuple[list[bool], dict[Member, Pending]]:
    """Return which events are new, and each member's latest new event.

    A source twice in one batch counts once. The latest event's moment is the "now" the
    member's totals are computed at.
    """
    results: list[bool] = []
    latest: dict[Member, Pending] = {}
    for pending in batch:
        key = (pending.member[0], pending.event.source)
        stored = key in new_keys
        new_keys.discard(key)
        results.append(stored)
        if stored:
            current = latest.get(pending.member)
            if current is None or current.event.local_date <= pending.event.local_date:
                latest[pending.member] = pending
    return results, latest


@dataclass(frozen=True, slots=True)
class Locked:
    """What a member's row says, read under its lock."""

    hidden: bool
    timezone: str | None


def lock_members(connection: Connection, batch: list[Pending]) -> dict[Member, Locked]:
    """Create or lock the batch's members rows (sorted); return their privacy and timezone.

    Every writer for a member passes here first: on PostgreSQL the row lock makes a
    concurrent batch (of any process) or a privacy change wait, then read committed data;
    on SQLite this first write takes the database's write lock. So the daily cap and the
    privacy flag of new rows are decided on current data, never on a cached copy.
    """
    members = {p.member: p for p in batch}
    # A new member is shown on leaderboards and has no reminders (the columns' defaults).
    rows = [
        (platform, user_id, pending.display_name[:NAME_LENGTH], pending.event.occurred_at,
         pending.event.occurred_at, False, False)
        for (platform, user_id), pending in sorted(members.items())
    ]  # fmt: skip
    lock = _lock_statement(connection.dialect.name)
    locked = insert_returning(connection, lock, _LOCK_KEYS, rows)
    return {
        (platform, user_id): Locked(bool(hidden), zone)
        for platform, user_id, hidden, zone in locked
    }


_LOCK_KEYS = (
    "platform", "user_id", "display_name", "created_at", "updated_at", "leaderboard_hidden",
    "reminders",
)  # fmt: skip


@cache
def _lock_statement(dialect: str) -> ReturningInsert[str, str, bool, str | None]:
    insert = postgresql.insert(MEMBERS) if dialect == "postgresql" else sqlite.insert(MEMBERS)
    return insert.on_conflict_do_update(
        index_elements=[MEMBERS.c.platform, MEMBERS.c.user_id],
        set_={"updated_at": MEMBERS.c.updated_at},  # unchanged: the row is only locked
    ).returning(
        MEMBERS.c.platform, MEMBERS.c.user_id, MEMBERS.c.leaderboard_hidden, MEMBERS.c.timezone
    )


@cache
def insert_events(dialect: str) -> ReturningInsert[str, str, int]:
    """Return the insert that keeps the first delivery of each (platform, source)."""
    insert = postgresql.insert(EVENTS) if dialect == "postgresql" else sqlite.insert(EVENTS)
    return insert.on_conflict_do_nothing(
        index_elements=[EVENTS.c.platform, EVENTS.c.source]
    ).returning(EVENTS.c.platform, EVENTS.c.source, EVENTS.c.id)


# The (member, day) sums the daily cap needs: `user_id IN (...) AND local_date IN (...)` walks
# the study-days index (it holds minutes), as a row-value IN would not on SQLite; a batch
# usually has one date, so little beyond the pairs asked for is read. Built once.
DAY_TOTALS = (
    select(EVENTS.c.user_id, EVENTS.c.local_date, func.sum(EVENTS.c.minutes), func.count())
    .where(
        EVENTS.c.platform == bindparam("platform"),
        EVENTS.c.user_id.in_(bindparam("user_ids", expanding=True)),
        EVENTS.c.local_date.in_(bindparam("days", expanding=True)),
    )
    .group_by(EVENTS.c.user_id, EVENTS.c.local_date)
)


def day_totals(
    connection: Connection, batch: list[Pending], stored: list[bool]
) -> dict[tuple[Member, date], StudyDay]:
    """Return the minutes and events of each member's local day with new events in batch.

    Read after the insert and under the member lock: the new events are in, at full minutes,
    and no other writer can add to these days until the commit.
    """
    wanted: dict[str, set[tuple[str, date]]] = defaultdict(set)
    for pending, new in zip(batch, stored, strict=True):
        if new:
            wanted[pending.member[0]].add((pending.member[1], pending.event.local_date))
    found: dict[tuple[Member, date], StudyDay] = {}
    for platform, pairs in sorted(wanted.items()):
        params = {
            "platform": platform,
            "user_ids": sorted({user for user, _ in pairs}),
            "days": sorted({day for _, day in pairs}),
        }
        for user_id, day, minutes, events in connection.execute(DAY_TOTALS, params).all():
            if (user_id, day) in pairs:
                # PostgreSQL sums an INTEGER column as BIGINT: int() keeps the port's type.
                found[((platform, user_id), day)] = StudyDay(day, int(minutes), events)
    return found


def cap_minutes(
    connection: Connection,
    batch: list[Pending],
    stored: list[bool],
    new_ids: dict[tuple[str, str], int],
    days: dict[tuple[Member, date], StudyDay],
) -> list[int]:
    """Cut new events' minutes so no local day holds more than 24 hours; return those counted.

    days (day_totals) already holds the new events at their full minutes; they are counted
    in batch order, and days is left holding the minutes counted.
    """
    asked: dict[tuple[Member, date], int] = defaultdict(int)
    for pending, new in zip(batch, stored, strict=True):
        if new:
            asked[(pending.member, pending.event.local_date)] += pending.event.minutes
    room = {key: max(0, DAY_MINUTES - (days[key].minutes - more)) for key, more in asked.items()}
    counted: list[int] = []
    cut: list[dict[str, Any]] = []
    for pending, new in zip(batch, stored, strict=True):
        event = pending.event
        if not new:
            counted.append(0)
            continue
        key = (pending.member, event.local_date)
        allowed = min(event.minutes, room[key])
        room[key] -= allowed
        counted.append(allowed)
        if allowed < event.minutes:
            cut.append({"b_id": new_ids[(key[0][0], event.source)], "b_minutes": allowed})
            day = days[key]
            days[key] = day._replace(minutes=day.minutes - (event.minutes - allowed))
    if cut:
        connection.execute(
            update(EVENTS)
            .where(EVENTS.c.id == bindparam("b_id"))
            .values(minutes=bindparam("b_minutes")),
            cut,
        )
    return counted
