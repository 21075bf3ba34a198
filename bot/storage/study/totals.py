"""The member_stats rows leaderboards rank: each computed with its own space's rules."""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, fields
from datetime import datetime
from functools import cache
from operator import attrgetter
from typing import cast

from sqlalchemy import Connection, Insert, Table, and_, bindparam, func, select, update
from sqlalchemy.dialects import postgresql, sqlite

from bot.core.study.ports import StudyDay
from bot.core.study.streaks import (
    ForgivenessRules,
    StreakState,
    StreakTotals,
    local_date,
    streak_state,
    streak_totals,
)
from bot.storage.bulk import execute_many
from bot.storage.tables import LearningEventRow, MemberRow, MemberStatsRow, SpaceRow

log = logging.getLogger(__name__)

Member = tuple[str, str]  # (platform, user_id), the stored identity
# Core tables: these statements are about columns, not ORM objects.
STATS = cast(Table, MemberStatsRow.__table__)
EVENTS = cast(Table, LearningEventRow.__table__)
MEMBERS = cast(Table, MemberRow.__table__)
SPACES = cast(Table, SpaceRow.__table__)
TOTAL_COLUMNS = tuple(f.name for f in fields(StreakTotals))
# A row's StreakState (its last_day is the row's): NULL when unknown.
STATE_COLUMNS = (
    "state_streak", "state_freezes", "state_run", "state_days_per_freeze", "state_max_freezes"
)  # fmt: skip


# A member_stats row with its space's rules (no row: never configured) and the member's own
# timezone: what every recount and the batch writer read with it.
STATS_WITH_RULES = STATS.outerjoin(
    SPACES,
    and_(SPACES.c.platform == STATS.c.platform, SPACES.c.external_id == STATS.c.space_id),
).outerjoin(
    MEMBERS,
    and_(MEMBERS.c.platform == STATS.c.platform, MEMBERS.c.user_id == STATS.c.user_id),
)


@dataclass(frozen=True, slots=True)
class StatsRow:
    """One member_stats row to compute, with the rules and timezone of its space."""

    platform: str
    space_id: str
    user_id: str
    rules: ForgivenessRules
    timezone: str  # the member's own, else the space's default, else the bot's

    @property
    def member(self) -> Member:
        """Return whose row this is."""
        return (self.platform, self.user_id)


# A row with its totals and the state to store with them (None: stored as unknown).
Computed = tuple[StatsRow, StreakTotals, StreakState | None]


# `platform = ? AND user_id IN (...)` walks the study-days index (it holds minutes); SQLite
# would scan the table for a row-value IN over both columns. Built once: only the values change.
STUDY_DAYS = (
    select(EVENTS.c.user_id, EVENTS.c.local_date, func.sum(EVENTS.c.minutes), func.count())
    .where(
        EVENTS.c.platform == bindparam("platform"),
        EVENTS.c.user_id.in_(bindparam("user_ids", expanding=True)),
    )
    .group_by(EVENTS.c.user_id, EVENTS.c.local_date)
    .order_by(EVENTS.c.user_id, EVENTS.c.local_date)
)


def study_days(connection: Connection, members: Iterable[Member]) -> dict[Member, list[StudyDay]]:
    """Return each member's study days (minutes and events per date), oldest first."""
    days: dict[Member, list[StudyDay]] = {}
    for platform, user_ids in _by_platform(members).items():
        current: str | None = None
        study: list[StudyDay] = []
        rows = connection.execute(STUDY_DAYS, {"platform": platform, "user_ids": user_ids})
        # 500 rows at a time: all() keeps thousands of Row objects alive at once (the garbage
        # collector walks them), and iterating the result costs a Python call per row.
        for part in rows.partitions(500):
            # Rows come grouped by member: one dict entry per member, not per day.
            for user_id, day, minutes, count in part:
                if user_id != current:
                    current, study = user_id, []
                    days[(platform, user_id)] = study
                study.append(StudyDay(day, minutes, count))
    return days


def stats_rows(
    connection: Connection,
    members: Iterable[Member],
    fallback_timezone: str,
    space_id: str | None = None,
) -> list[StatsRow]:
    """Return the members' member_stats rows (only space_id's, if given) with their rules."""
    found: list[StatsRow] = []
    for platform, user_ids in _by_platform(members).items():
        query = (
            select(
                STATS.c.space_id,
                STATS.c.user_id,
                SPACES.c.days_per_freeze,
                SPACES.c.max_freezes,
                SPACES.c.default_timezone,
                MEMBERS.c.timezone,
            )
            .select_from(STATS_WITH_RULES)
            .where(STATS.c.platform == platform, STATS.c.user_id.in_(user_ids))
            .order_by(STATS.c.user_id, STATS.c.space_id)
        )
        if space_id is not None:
            query = query.where(STATS.c.space_id == space_id)
        for space, user_id, per_freeze, most, space_zone, own_zone in connection.execute(query):
            # A space never configured (no row) runs the default rules.
            rules = ForgivenessRules() if per_freeze is None else ForgivenessRules(per_freeze, most)
            timezone = own_zone or space_zone or fallback_timezone
            found.append(StatsRow(platform, space, user_id, rules, timezone))
    return found


def compute_totals(
    rows: Sequence[StatsRow],
    days: Mapping[Member, Sequence[StudyDay]],
    now: Mapping[Member, datetime] | datetime,
) -> list[Computed]:
    """Return each row's totals and state: the member's days, under the row's rules, as of now.

    Pure and on plain data, so a big recompute can run in a worker thread. The state is
    left unknown when a day is after the row's today (a member who moved west): those
    totals do not count that day yet, so they cannot be carried forward.
    """
    computed: list[Computed] = []
    for row in rows:
        study = days.get(row.member)
        if not study:
            continue
        at = now if isinstance(now, datetime) else now[row.member]
        today = local_date(at, row.timezone)
        minutes = {d.day: d.minutes for d in study}
        totals = streak_totals(minutes, today, row.timezone, row.rules)
        state = streak_state(minutes, row.rules) if totals.last_day <= today else None
        computed.append((row, totals, state))
    return computed


def state_values(state: StreakState | None) -> tuple[int | None, ...]:
    """Return a state as its columns' values, in STATE_COLUMNS order."""
    if state is None:
        return (None,) * len(STATE_COLUMNS)
    rules = state.rules
    return (state.current, state.freezes, state.run, rules.days_per_freeze, rules.max_freezes)


# The rows the batch writer updates: their rules and timezone, and what they store, so that
# a check-in on a later day is added to them (next_totals) without reading every day.
STORED_ROWS = (
    select(
        STATS.c.space_id,
        STATS.c.user_id,
        SPACES.c.days_per_freeze,
        SPACES.c.max_freezes,
        SPACES.c.default_timezone,
        MEMBERS.c.timezone,
        *(STATS.c[name] for name in TOTAL_COLUMNS),
        *(STATS.c[name] for name in STATE_COLUMNS),
    )
    .select_from(STATS_WITH_RULES)
    .where(
        STATS.c.platform == bindparam("platform"),
        STATS.c.user_id.in_(bindparam("user_ids", expanding=True)),
    )
    .order_by(STATS.c.user_id, STATS.c.space_id)
)
_STATE_AT = 6 + len(TOTAL_COLUMNS)  # where a stored row's state columns start


def stored_rows(
    connection: Connection, members: Iterable[Member], fallback_timezone: str
) -> list[Computed]:
    """Return the members' member_stats rows with their rules, stored totals and state."""
    found: list[Computed] = []
    for platform, user_ids in _by_platform(members).items():
        params = {"platform": platform, "user_ids": user_ids}
        for row in connection.execute(STORED_ROWS, params).all():
            space, user_id, per_freeze, most, space_zone, own_zone = row[:6]
            # A space never configured (no row) runs the default rules.
            rules = _DEFAULT_RULES if per_freeze is None else _rules(per_freeze, most)
            timezone = own_zone or space_zone or fallback_timezone
            totals = StreakTotals(*row[6:_STATE_AT])
            streak, freezes, run, state_per_freeze, state_most = row[_STATE_AT:]
            state = None
            if streak is not None:
                state = StreakState(
                    totals.last_day, streak, totals.longest_streak, freezes, run,
                    _rules(state_per_freeze, state_most),
                )  # fmt: skip
            found.append((StatsRow(platform, space, user_id, rules, timezone), totals, state))
    return found


_DEFAULT_RULES = ForgivenessRules()


@cache
def _rules(days_per_freeze: int, max_freezes: int) -> ForgivenessRules:
    """Return the rules (one object per pair: a batch's rows mostly share theirs)."""
    return ForgivenessRules(days_per_freeze, max_freezes)


_TOTALS_OF = attrgetter(*TOTAL_COLUMNS)  # a StreakTotals as a tuple, in TOTAL_COLUMNS order
_BOUND_TOTALS = tuple(f"b_{name}" for name in TOTAL_COLUMNS)
_UPDATE_TOTALS = (
    update(STATS)
    .where(
        STATS.c.platform == bindparam("b_platform"),
        STATS.c.space_id == bindparam("b_space_id"),
        STATS.c.user_id == bindparam("b_user_id"),
    )
    .values(
        {name: bindparam(f"b_{name}") for name in ("updated_at", *TOTAL_COLUMNS, *STATE_COLUMNS)}
    )
)
_BOUND_STATE = tuple(f"b_{name}" for name in STATE_COLUMNS)


def write_totals(connection: Connection, totals: Iterable[Computed], at: datetime) -> None:
    """Write each row's totals and state; the name and the privacy flag are not touched."""
    params = [
        {
            "b_platform": row.platform,
            "b_space_id": row.space_id,
            "b_user_id": row.user_id,
            "b_updated_at": at,
            **dict(zip(_BOUND_TOTALS, _TOTALS_OF(total), strict=True)),
            **dict(zip(_BOUND_STATE, state_values(state), strict=True)),
        }
        for row, total, state in totals
    ]
    if params:
        connection.execute(_UPDATE_TOTALS, params)


def upsert_totals(
    connection: Connection,
    totals: Iterable[Computed],
    names: Mapping[tuple[str, str, str], str],
    hidden: Mapping[Member, bool],
    at: datetime,
) -> None:
    """Create or update rows with their totals, state and names (by (platform, space, user)).

    One statement instead of a placeholder row and then its totals. A new row takes the
    privacy flag given (read under the member lock); an existing row's flag is not touched.
    """
    rows = [
        (
            row.platform,
            row.space_id,
            row.user_id,
            names[(row.platform, row.space_id, row.user_id)],
            hidden.get(row.member, False),
            *_TOTALS_OF(total),
            *state_values(state),
            at,
        )
        for row, total, state in totals
    ]
    if rows:
        execute_many(connection, _upsert_totals(connection.dialect.name), _UPSERT_KEYS, rows)


# In the table's order, which is the compiled INSERT's: the values need no reordering.
_UPSERT_KEYS = (
    "platform", "space_id", "user_id", "display_name", "hidden", *TOTAL_COLUMNS,
    *STATE_COLUMNS, "updated_at",
)  # fmt: skip


@cache
def _upsert_totals(dialect: str) -> Insert:
    insert = postgresql.insert(STATS) if dialect == "postgresql" else sqlite.insert(STATS)
    changed = ("display_name", "updated_at", *TOTAL_COLUMNS, *STATE_COLUMNS)
    return insert.on_conflict_do_update(
        index_elements=[STATS.c.platform, STATS.c.space_id, STATS.c.user_id],
        set_={name: insert.excluded[name] for name in changed},
    )


def space_rules(
    connection: Connection, platform: str, space_ids: Iterable[str]
) -> dict[str, tuple[ForgivenessRules, str | None]]:
    """Return the rules and default timezone of the spaces that have a row in spaces."""
    query = select(
        SPACES.c.external_id,
        SPACES.c.days_per_freeze,
        SPACES.c.max_freezes,
        SPACES.c.default_timezone,
    ).where(SPACES.c.platform == platform, SPACES.c.external_id.in_(sorted(set(space_ids))))
    return {
        space: (ForgivenessRules(per_freeze, most), zone)
        for space, per_freeze, most, zone in connection.execute(query)
    }


def _by_platform(members: Iterable[Member]) -> dict[str, list[str]]:
    grouped: dict[str, list[str]] = defaultdict(list)
    for platform, user_id in sorted(set(members)):
        grouped[platform].append(user_id)
    return grouped
