"""SQL implementation of the space port: communities and their streak settings."""

from __future__ import annotations

import logging
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.core.messages import Actor, Platform
from bot.core.ports import Clock, Space, StreakSettings
from bot.storage.cache import RecentCache
from bot.storage.repositories import NAME_LENGTH, dialect_insert
from bot.storage.tables import MemberRow, MilestoneRoleRow, SpaceRow

log = logging.getLogger(__name__)


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
