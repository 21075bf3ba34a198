"""SQL implementation of the member port, and the helpers every repository shares."""

from __future__ import annotations

import logging
from collections.abc import Collection
from datetime import datetime
from typing import Any, cast

from sqlalchemy import CursorResult, Result, Table, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession, async_sessionmaker

from bot.core.messages import Platform
from bot.core.ports import Clock, Member, MemberKey
from bot.storage.cache import RecentCache
from bot.storage.tables import Base, MemberRow

log = logging.getLogger(__name__)

NAME_LENGTH = 200  # the name columns' size: platforms' names are shorter, console ones may not be


def changed(result: Result[Any]) -> int:
    """Return how many rows an UPDATE, INSERT or DELETE changed (a claim won when above 0)."""
    return int(cast(CursorResult[Any], result).rowcount)


def dialect_insert(
    bind: AsyncSession | AsyncConnection, target: type[Base] | Table
) -> sqlite.Insert | postgresql.Insert:
    """Return an INSERT for the database of a session or connection that supports ON CONFLICT."""
    name = (bind.get_bind() if isinstance(bind, AsyncSession) else bind).dialect.name
    if name == "postgresql":
        return postgresql.insert(target)
    if name == "sqlite":
        return sqlite.insert(target)
    raise NotImplementedError(f"no ON CONFLICT support for database dialect {name!r}")


class SqlMemberRepository:
    """Members and their settings, in the members table (read through a short cache)."""

    def __init__(
        self, sessions: async_sessionmaker[AsyncSession], clock: Clock, cache_ttl: float = 30.0
    ) -> None:
        self._sessions = sessions
        self._clock = clock
        # Every check-in reads the member; most never change their settings.
        self._cache: RecentCache[MemberKey, Member | None] = RecentCache(cache_ttl)

    async def get(self, key: MemberKey) -> Member | None:
        """Return the member, or None if the bot has never stored them."""
        cached, member = self._cache.get(key)
        if cached:
            return member
        return await self.get_fresh(key)

    async def get_fresh(self, key: MemberKey) -> Member | None:
        """Return the member as stored now (uncached): for choices that must hold at once."""
        query = select(MemberRow).where(
            MemberRow.platform == key.platform.value, MemberRow.user_id == key.user_id
        )
        async with self._sessions() as session:
            row = (await session.execute(query)).scalar_one_or_none()
        member = None if row is None else _member(row)
        self._cache.put(key, member)
        return member

    async def set_timezone(self, key: MemberKey, display_name: str, timezone: str) -> Member:
        """Create or update the member with this timezone and return it."""
        now = self._clock.now()
        async with self._sessions.begin() as session:
            insert = dialect_insert(session, MemberRow).values(
                platform=key.platform.value,
                user_id=key.user_id,
                display_name=display_name[:NAME_LENGTH],
                timezone=timezone,
                created_at=now,
                updated_at=now,
                next_reminder_at=now,  # the reminder hour moved: the next tick reschedules
            )
            # One statement, so two first-time writers cannot both try to insert.
            await session.execute(
                insert.on_conflict_do_update(
                    index_elements=[MemberRow.platform, MemberRow.user_id],
                    set_={
                        "display_name": insert.excluded.display_name,
                        "timezone": insert.excluded.timezone,
                        "updated_at": insert.excluded.updated_at,
                        "next_reminder_at": insert.excluded.next_reminder_at,
                    },
                )
            )
        return await self._written(key)

    async def set_preferences(
        self,
        key: MemberKey,
        display_name: str,
        *,
        leaderboard_hidden: bool | None = None,
        reminders: bool | None = None,
        reminder_space_id: str | None = None,
    ) -> Member:
        """Create or update the member with the given preferences (None leaves one as is)."""
        now = self._clock.now()
        changes: dict[str, Any] = {"display_name": display_name[:NAME_LENGTH], "updated_at": now}
        if leaderboard_hidden is not None:
            changes["leaderboard_hidden"] = leaderboard_hidden
        if reminders is not None:
            changes["reminders"] = reminders
        if reminder_space_id is not None:
            changes["reminder_space_id"] = reminder_space_id
        if reminders is not None or reminder_space_id is not None:
            changes["next_reminder_at"] = now  # the next tick decides when, and reschedules
        async with self._sessions.begin() as session:
            insert = dialect_insert(session, MemberRow).values(
                platform=key.platform.value, user_id=key.user_id, created_at=now, **changes
            )
            await session.execute(
                insert.on_conflict_do_update(
                    index_elements=[MemberRow.platform, MemberRow.user_id], set_=changes
                )
            )
        return await self._written(key)

    async def _written(self, key: MemberKey) -> Member:
        self._cache.drop(key)
        member = await self.get(key)
        if member is None:
            raise RuntimeError(f"member {key} vanished right after it was written")
        return member

    async def with_reminders(self) -> list[Member]:
        """Return the members who asked for streak reminders."""
        query = select(MemberRow).where(MemberRow.reminders.is_(True))
        async with self._sessions() as session:
            rows = (await session.execute(query)).scalars().all()
        return [_member(row) for row in rows]

    async def due_for_reminders(
        self, now: datetime, platforms: Collection[Platform]
    ) -> list[Member]:
        """Return opted-in members on these platforms whose next reminder time has come."""
        if not platforms:
            return []
        # One range scan of ix_members_reminders_next, however many members opted in.
        query = (
            select(MemberRow)
            .where(
                MemberRow.reminders.is_(True),
                MemberRow.next_reminder_at <= now,
                MemberRow.platform.in_([p.value for p in platforms]),
            )
            .order_by(MemberRow.next_reminder_at)
        )
        async with self._sessions() as session:
            rows = (await session.execute(query)).scalars().all()
        return [_member(row) for row in rows]

    async def schedule_reminder(self, key: MemberKey, at: datetime) -> None:
        """Set when the reminder timer should next look at the member."""
        async with self._sessions.begin() as session:
            await session.execute(
                update(MemberRow)
                .where(MemberRow.platform == key.platform.value, MemberRow.user_id == key.user_id)
                .values(next_reminder_at=at)
                .execution_options(synchronize_session=False)
            )


def _member(row: MemberRow) -> Member:
    return Member(
        key=MemberKey(Platform(row.platform), row.user_id),
        display_name=row.display_name,
        timezone=row.timezone,
        leaderboard_hidden=row.leaderboard_hidden,
        reminders=row.reminders,
        reminder_space_id=row.reminder_space_id,
    )
