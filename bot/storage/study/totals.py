"""The member_stats rows leaderboards rank: each computed with its own space's rules."""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, fields
from datetime import datetime
from typing import cast

from sqlalchemy import Table, and_, bindparam, func, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from bot.core.study.ports import StudyDay
from bot.core.study.streaks import ForgivenessRules, StreakTotals, local_date, streak_totals
from bot.storage.tables import LearningEventRow, MemberRow, MemberStatsRow, SpaceRow

log = logging.getLogger(__name__)

Member = tuple[str, str]  # (platform, user_id), the stored identity
# Core tables: these statements are about columns, not ORM objects.
STATS = cast(Table, MemberStatsRow.__table__)
EVENTS = cast(Table, LearningEventRow.__table__)
MEMBERS = cast(Table, MemberRow.__table__)
SPACES = cast(Table, SpaceRow.__table__)
TOTAL_COLUMNS = tuple(f.name for f in fields(StreakTotals))


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


async def study_days(
    connection: AsyncConnection, members: Iterable[Member]
) -> dict[Member, list[StudyDay]]:
    """Return each member's study days (minutes and events per date), oldest first."""
    days: dict[Member, list[StudyDay]] = defaultdict(list)
    for platform, user_ids in _by_platform(members).items():
        # `platform = ? AND user_id IN (...)` walks the (platform, user_id, local_date) index;
        # SQLite would scan the table for a row-value IN over both columns.
        query = (
            select(EVENTS.c.user_id, EVENTS.c.local_date, func.sum(EVENTS.c.minutes), func.count())
            .where(EVENTS.c.platform == platform, EVENTS.c.user_id.in_(user_ids))
            .group_by(EVENTS.c.user_id, EVENTS.c.local_date)
            .order_by(EVENTS.c.user_id, EVENTS.c.local_date)
        )
        for user_id, day, minutes, count in await connection.execute(query):
            days[(platform, user_id)].append(StudyDay(day, int(minutes), int(count)))
    return days


async def stats_rows(
    connection: AsyncConnection,
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
            .select_from(
                STATS.outerjoin(
                    SPACES,
                    and_(
                        SPACES.c.platform == STATS.c.platform,
                        SPACES.c.external_id == STATS.c.space_id,
                    ),
                ).outerjoin(
                    MEMBERS,
                    and_(
                        MEMBERS.c.platform == STATS.c.platform,
                        MEMBERS.c.user_id == STATS.c.user_id,
                    ),
                )
            )
            .where(STATS.c.platform == platform, STATS.c.user_id.in_(user_ids))
            .order_by(STATS.c.user_id, STATS.c.space_id)
        )
        if space_id is not None:
            query = query.where(STATS.c.space_id == space_id)
        for space, user_id, per_freeze, most, space_zone, own_zone in await connection.execute(
            query
        ):
            # A space never configured (no row) runs the default rules.
            rules = ForgivenessRules() if per_freeze is None else ForgivenessRules(per_freeze, most)
            timezone = own_zone or space_zone or fallback_timezone
            found.append(StatsRow(platform, space, user_id, rules, timezone))
    return found


def compute_totals(
    rows: Sequence[StatsRow],
    days: Mapping[Member, Sequence[StudyDay]],
    now: Mapping[Member, datetime] | datetime,
) -> list[tuple[StatsRow, StreakTotals]]:
    """Return each row's totals: the member's days, under the row's rules, as of now.

    Pure and on plain data, so a big recompute can run in a worker thread.
    """
    computed = []
    for row in rows:
        study = days.get(row.member)
        if not study:
            continue
        at = now if isinstance(now, datetime) else now[row.member]
        today = local_date(at, row.timezone)
        minutes = {d.day: d.minutes for d in study}
        computed.append((row, streak_totals(minutes, today, row.timezone, row.rules)))
    return computed


async def write_totals(
    connection: AsyncConnection, totals: Iterable[tuple[StatsRow, StreakTotals]], at: datetime
) -> None:
    """Write each row's totals; the name and the privacy flag are not touched."""
    statement = (
        update(STATS)
        .where(
            STATS.c.platform == bindparam("b_platform"),
            STATS.c.space_id == bindparam("b_space_id"),
            STATS.c.user_id == bindparam("b_user_id"),
        )
        .values(
            {name: bindparam(f"b_{name}") for name in ("updated_at", *TOTAL_COLUMNS)},
        )
    )
    params = [
        {
            "b_platform": row.platform,
            "b_space_id": row.space_id,
            "b_user_id": row.user_id,
            "b_updated_at": at,
            **{f"b_{name}": getattr(total, name) for name in TOTAL_COLUMNS},
        }
        for row, total in totals
    ]
    if params:
        await connection.execute(statement, params)


def _by_platform(members: Iterable[Member]) -> dict[str, list[str]]:
    grouped: dict[str, list[str]] = defaultdict(list)
    for platform, user_id in sorted(set(members)):
        grouped[platform].append(user_id)
    return grouped
