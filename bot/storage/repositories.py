"""SQL implementations of the core's repository ports."""

from __future__ import annotations

import logging
from collections.abc import Collection
from datetime import datetime
from typing import Any, cast

from sqlalchemy import CursorResult, Table, delete, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession, async_sessionmaker

from bot.core.messages import Actor, Platform
from bot.core.ports import Clock, Member, MemberKey, Space, StreakSettings
from bot.storage.cache import RecentCache
from bot.storage.tables import Base, MemberRow, MilestoneRoleRow, ProcessedEventRow, SpaceRow

log = logging.getLogger(__name__)

NAME_LENGTH = 200  # the name columns' size: platforms' names are shorter, console ones may not be


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


class SqlSpaceRepository:
    """Communities the bot has seen, in the spaces table."""

    def __init__(
        self, sessions: async_sessionmaker[AsyncSession], clock: Clock, cache_ttl: float = 30.0
    ) -> None:
        self._sessions = sessions
        self._clock = clock
        # ensure() runs on every message; once a space is stored it never needs a query again.
        self._known: set[tuple[Platform, str]] = set()
        # get() runs on every check-in for the space's streak settings.
        self._cache: RecentCache[tuple[Platform, str], Space | None] = RecentCache(cache_ttl)

    async def ensure(self, actor: Actor) -> None:
        """Record the actor's space if it is new (cheap when it is already known)."""
        known_key = (actor.platform, actor.space_id)
        if known_key in self._known:
            return
        async with self._sessions.begin() as session:
            insert = dialect_insert(session, SpaceRow).values(
                platform=actor.platform.value,
                external_id=actor.space_id,
                name=actor.space_name[:NAME_LENGTH],
                created_at=self._clock.now(),
            )
            await session.execute(
                insert.on_conflict_do_nothing(
                    index_elements=[SpaceRow.platform, SpaceRow.external_id]
                )
            )
        self._known.add(known_key)
        self._cache.drop(known_key)

    async def get(self, platform: Platform, external_id: str) -> Space | None:
        """Return the space, or None if it was never seen."""
        cached, space = self._cache.get((platform, external_id))
        if cached:
            return space
        return await self.get_fresh(platform, external_id)

    async def get_fresh(self, platform: Platform, external_id: str) -> Space | None:
        """Return the space as stored now (uncached)."""
        space = await self._read(platform, external_id)
        self._cache.put((platform, external_id), space)
        return space

    async def _read(self, platform: Platform, external_id: str) -> Space | None:
        query = select(SpaceRow).where(
            SpaceRow.platform == platform.value, SpaceRow.external_id == external_id
        )
        roles = (
            select(MilestoneRoleRow.days, MilestoneRoleRow.role_id)
            .where(
                MilestoneRoleRow.platform == platform.value,
                MilestoneRoleRow.space_id == external_id,
            )
            .order_by(MilestoneRoleRow.days)
        )
        async with self._sessions() as session:
            row = (await session.execute(query)).scalar_one_or_none()
            if row is None:
                return None
            milestone_roles = tuple((days, role) for days, role in await session.execute(roles))
        return Space(
            platform=Platform(row.platform),
            external_id=row.external_id,
            name=row.name,
            default_timezone=row.default_timezone,
            streaks=StreakSettings(
                days_per_freeze=row.days_per_freeze,
                max_freezes=row.max_freezes,
                reminder_hour=row.reminder_hour,
                milestone_roles=milestone_roles,
            ),
        )

    async def configure_streaks(
        self,
        platform: Platform,
        external_id: str,
        *,
        default_timezone: str | None = None,
        days_per_freeze: int | None = None,
        max_freezes: int | None = None,
        reminder_hour: int | None = None,
    ) -> Space:
        """Change the space's streak settings (None leaves one as is) and return the space."""
        given = {
            "default_timezone": default_timezone,
            "days_per_freeze": days_per_freeze,
            "max_freezes": max_freezes,
            "reminder_hour": reminder_hour,
        }
        changes = {name: value for name, value in given.items() if value is not None}
        await self._upsert(platform, external_id, changes)
        if default_timezone is not None or reminder_hour is not None:
            await self._reschedule_reminders(platform, external_id)
        return await self._written(platform, external_id)

    async def _reschedule_reminders(self, platform: Platform, external_id: str) -> None:
        """Make the reminder timer look again at members whose reminders follow this space."""
        async with self._sessions.begin() as session:
            await session.execute(
                update(MemberRow)
                .where(
                    MemberRow.platform == platform.value,
                    MemberRow.reminder_space_id == external_id,
                    MemberRow.reminders.is_(True),
                )
                .values(next_reminder_at=self._clock.now())
                .execution_options(synchronize_session=False)
            )

    async def set_milestone_role(
        self, platform: Platform, external_id: str, days: int, role_id: str | None
    ) -> Space:
        """Set (or with None remove) the role given at a streak milestone; return the space."""
        await self._upsert(platform, external_id, {})
        async with self._sessions.begin() as session:
            where = (
                MilestoneRoleRow.platform == platform.value,
                MilestoneRoleRow.space_id == external_id,
                MilestoneRoleRow.days == days,
            )
            if role_id is None:
                await session.execute(delete(MilestoneRoleRow).where(*where))
            else:
                insert = dialect_insert(session, MilestoneRoleRow).values(
                    platform=platform.value, space_id=external_id, days=days, role_id=role_id
                )
                await session.execute(
                    insert.on_conflict_do_update(
                        index_elements=[
                            MilestoneRoleRow.platform,
                            MilestoneRoleRow.space_id,
                            MilestoneRoleRow.days,
                        ],
                        set_={"role_id": role_id},
                    )
                )
        return await self._written(platform, external_id)

    async def _written(self, platform: Platform, external_id: str) -> Space:
        self._cache.drop((platform, external_id))
        space = await self.get(platform, external_id)
        if space is None:
            raise RuntimeError(
                f"space {platform}:{external_id} vanished right after it was written"
            )
        return space

    async def _upsert(self, platform: Platform, external_id: str, changes: dict[str, Any]) -> None:
        async with self._sessions.begin() as session:
            insert = dialect_insert(session, SpaceRow).values(
                platform=platform.value,
                external_id=external_id,
                created_at=self._clock.now(),
                **changes,
            )
            index = [SpaceRow.platform, SpaceRow.external_id]
            await session.execute(
                insert.on_conflict_do_update(index_elements=index, set_=changes)
                if changes
                else insert.on_conflict_do_nothing(index_elements=index)
            )


class SqlEventLog:
    """Processed platform events, in the processed_events table."""

    def __init__(self, sessions: async_sessionmaker[AsyncSession], clock: Clock) -> None:
        self._sessions = sessions
        self._clock = clock

    async def claim(self, platform: Platform, event_id: str) -> bool:
        """Record the event; return True the first time, False for a redelivery."""
        async with self._sessions.begin() as session:
            insert = dialect_insert(session, ProcessedEventRow).values(
                platform=platform.value, event_id=event_id, received_at=self._clock.now()
            )
            # The unique key decides: a redelivery that races the first delivery loses here,
            # which a SELECT-then-INSERT could not guarantee.
            claimed = await session.execute(
                insert.on_conflict_do_nothing(
                    index_elements=[ProcessedEventRow.platform, ProcessedEventRow.event_id]
                ).returning(ProcessedEventRow.id)
            )
            first = claimed.scalar_one_or_none() is not None
        if not first:
            log.debug("dropping redelivered %s event %s", platform.value, event_id)
        return first

    async def forget_before(self, cutoff: datetime) -> int:
        """Drop records received before cutoff; return how many were dropped."""
        async with self._sessions.begin() as session:
            # No rows of this table live in the session, so skip syncing them.
            result = await session.execute(
                delete(ProcessedEventRow)
                .where(ProcessedEventRow.received_at < cutoff)
                .execution_options(synchronize_session=False)
            )
        return cast(CursorResult[Any], result).rowcount
