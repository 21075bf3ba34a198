"""SQL implementation of the learning-event port, the raw material of study streaks."""

from __future__ import annotations

import logging
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.core.ports import LearningEvent, MemberKey, StudyDay
from bot.storage.repositories import dialect_insert
from bot.storage.tables import LearningEventRow

log = logging.getLogger(__name__)

NOTE_LENGTH = 200  # the note column's size: PostgreSQL refuses longer text, SQLite would keep it


class SqlLearningEventRepository:
    """Members' learning events, in the learning_events table."""

    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self._sessions = sessions

    async def record(self, event: LearningEvent) -> bool:
        """Store the event; return False when one with its platform and source exists."""
        async with self._sessions.begin() as session:
            insert = dialect_insert(session, LearningEventRow).values(
                platform=event.key.platform.value,
                user_id=event.key.user_id,
                space_id=event.space_id,
                kind=event.kind,
                source=event.source,
                occurred_at=event.occurred_at,
                local_date=event.local_date,
                minutes=event.minutes,
                note=event.note[:NOTE_LENGTH],
            )
            # The unique key decides, so a redelivery racing the first delivery (in this
            # process or another) is dropped; CHECK constraints refuse a bad kind or minutes.
            inserted = await session.execute(
                insert.on_conflict_do_nothing(
                    index_elements=[LearningEventRow.platform, LearningEventRow.source]
                ).returning(LearningEventRow.id)
            )
            stored = inserted.scalar_one_or_none() is not None
        if not stored:
            log.debug(
                "dropping repeated %s learning event %s", event.key.platform.value, event.source
            )
        return stored

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
