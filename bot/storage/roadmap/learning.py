"""SQL implementations of the learning ports: roadmap progress and resource feedback."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any, cast

from sqlalchemy import CursorResult, delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.core.ports import Clock, MemberKey
from bot.core.roadmap.ports import Feedback
from bot.storage.repositories import dialect_insert
from bot.storage.tables import ProgressRow, ResourceFeedbackRow

log = logging.getLogger(__name__)


class SqlProgressRepository:
    """Members' status per roadmap topic, in the progress table."""

    def __init__(self, sessions: async_sessionmaker[AsyncSession], clock: Clock) -> None:
        self._sessions = sessions
        self._clock = clock

    async def statuses(self, key: MemberKey) -> dict[str, str]:
        """Return topic id -> status ("done", "learning", "skip") for the member."""
        query = select(ProgressRow.topic_id, ProgressRow.status).where(
            ProgressRow.platform == key.platform.value, ProgressRow.user_id == key.user_id
        )
        async with self._sessions() as session:
            rows = (await session.execute(query)).all()
        return dict(rows)

    async def set_status(self, key: MemberKey, topic_id: str, status: str) -> None:
        """Record the member's status for a topic (replacing any earlier one)."""
        async with self._sessions.begin() as session:
            insert = dialect_insert(session, ProgressRow).values(
                platform=key.platform.value,
                user_id=key.user_id,
                topic_id=topic_id,
                status=status,
                updated_at=self._clock.now(),
            )
            # One statement, so concurrent first writes cannot both insert; the database's
            # CHECK constraint refuses a status outside done/learning/skip.
            await session.execute(
                insert.on_conflict_do_update(
                    index_elements=[
                        ProgressRow.platform,
                        ProgressRow.user_id,
                        ProgressRow.topic_id,
                    ],
                    set_={
                        "status": insert.excluded.status,
                        "updated_at": insert.excluded.updated_at,
                    },
                )
            )

    async def clear(self, key: MemberKey, topic_ids: Sequence[str]) -> int:
        """Forget the member's status for these topic ids; return how many were removed."""
        if not topic_ids:
            return 0
        async with self._sessions.begin() as session:
            result = await session.execute(
                delete(ProgressRow)
                .where(
                    ProgressRow.platform == key.platform.value,
                    ProgressRow.user_id == key.user_id,
                    ProgressRow.topic_id.in_(set(topic_ids)),
                )
                .execution_options(synchronize_session=False)
            )
        return cast(CursorResult[Any], result).rowcount


class SqlFeedbackRepository:
    """Members' ratings of resources and what they have seen, in resource_feedback."""

    def __init__(self, sessions: async_sessionmaker[AsyncSession], clock: Clock) -> None:
        self._sessions = sessions
        self._clock = clock

    async def feedback(self, key: MemberKey) -> dict[str, Feedback]:
        """Return resource id -> the member's feedback."""
        query = select(
            ResourceFeedbackRow.resource_id, ResourceFeedbackRow.rating, ResourceFeedbackRow.seen
        ).where(
            ResourceFeedbackRow.platform == key.platform.value,
            ResourceFeedbackRow.user_id == key.user_id,
        )
        async with self._sessions() as session:
            rows = (await session.execute(query)).all()
        return {resource_id: Feedback(rating, seen) for resource_id, rating, seen in rows}

    async def rate(self, key: MemberKey, resource_id: str, rating: int) -> None:
        """Record the member's rating (+1 or -1) of a resource, keeping whether it was seen."""
        # The CHECK constraint refuses anything but -1, 0 and 1.
        await self._upsert(key, resource_id, {"rating": rating})

    async def mark_seen(self, key: MemberKey, resource_id: str) -> None:
        """Record that the member has seen a resource, keeping their rating."""
        await self._upsert(key, resource_id, {"seen": True})

    async def scores(self) -> dict[str, int]:
        """Return resource id -> sum of all members' ratings (only rated resources)."""
        total = func.sum(ResourceFeedbackRow.rating)
        query = (
            select(ResourceFeedbackRow.resource_id, total)
            .group_by(ResourceFeedbackRow.resource_id)
            .having(total != 0)
        )
        async with self._sessions() as session:
            rows = (await session.execute(query)).all()
        # PostgreSQL sums a SMALLINT column as BIGINT; int() keeps the port's type plain.
        return {resource_id: int(score) for resource_id, score in rows}

    async def _upsert(self, key: MemberKey, resource_id: str, changes: dict[str, Any]) -> None:
        """Insert the member's row for a resource with changes, or apply them to it."""
        async with self._sessions.begin() as session:
            insert = dialect_insert(session, ResourceFeedbackRow).values(
                platform=key.platform.value,
                user_id=key.user_id,
                resource_id=resource_id,
                updated_at=self._clock.now(),
                **changes,
            )
            # Only the changed columns are updated, so a rating keeps the seen flag and a
            # mark_seen keeps the rating; one statement, so concurrent writers never duplicate.
            await session.execute(
                insert.on_conflict_do_update(
                    index_elements=[
                        ResourceFeedbackRow.platform,
                        ResourceFeedbackRow.user_id,
                        ResourceFeedbackRow.resource_id,
                    ],
                    set_={column: insert.excluded[column] for column in (*changes, "updated_at")},
                )
            )
