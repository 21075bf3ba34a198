"""SQL implementations of the core's repository ports."""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any, cast

from sqlalchemy import CursorResult, delete, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.core.messages import Actor, Platform
from bot.core.ports import Clock, Member, MemberKey, Space
from bot.storage.tables import Base, MemberRow, ProcessedEventRow, SpaceRow

log = logging.getLogger(__name__)

NAME_LENGTH = 200  # the name columns' size: platforms' names are shorter, console ones may not be


def dialect_insert(
    session: AsyncSession, row_type: type[Base]
) -> sqlite.Insert | postgresql.Insert:
    """Return an INSERT for the session's database that supports ON CONFLICT."""
    name = session.get_bind().dialect.name
    if name == "postgresql":
        return postgresql.insert(row_type)
    if name == "sqlite":
        return sqlite.insert(row_type)
    raise NotImplementedError(f"no ON CONFLICT support for database dialect {name!r}")


class SqlMemberRepository:
    """Members and their settings, in the members table."""

    def __init__(self, sessions: async_sessionmaker[AsyncSession], clock: Clock) -> None:
        self._sessions = sessions
        self._clock = clock

    async def get(self, key: MemberKey) -> Member | None:
        """Return the member, or None if the bot has never stored them."""
        query = select(MemberRow).where(
            MemberRow.platform == key.platform.value, MemberRow.user_id == key.user_id
        )
        async with self._sessions() as session:
            row = (await session.execute(query)).scalar_one_or_none()
        if row is None:
            return None
        return Member(
            key=MemberKey(Platform(row.platform), row.user_id),
            display_name=row.display_name,
            timezone=row.timezone,
        )

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
            )
            # One statement, so two first-time writers cannot both try to insert.
            await session.execute(
                insert.on_conflict_do_update(
                    index_elements=[MemberRow.platform, MemberRow.user_id],
                    set_={
                        "display_name": insert.excluded.display_name,
                        "timezone": insert.excluded.timezone,
                        "updated_at": insert.excluded.updated_at,
                    },
                )
            )
        return Member(key=key, display_name=display_name, timezone=timezone)


class SqlSpaceRepository:
    """Communities the bot has seen, in the spaces table."""

    def __init__(self, sessions: async_sessionmaker[AsyncSession], clock: Clock) -> None:
        self._sessions = sessions
        self._clock = clock
        # ensure() runs on every message; once a space is stored it never needs a query again.
        self._known: set[tuple[Platform, str]] = set()

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

    async def get(self, platform: Platform, external_id: str) -> Space | None:
        """Return the space, or None if it was never seen."""
        query = select(SpaceRow).where(
            SpaceRow.platform == platform.value, SpaceRow.external_id == external_id
        )
        async with self._sessions() as session:
            row = (await session.execute(query)).scalar_one_or_none()
        if row is None:
            return None
        return Space(
            platform=Platform(row.platform),
            external_id=row.external_id,
            name=row.name,
            default_timezone=row.default_timezone,
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
