"""SQL implementation of the event log: processed platform event ids, claimed once."""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any, cast

from sqlalchemy import CursorResult, delete
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.core.messages import Platform
from bot.core.ports import Clock
from bot.storage.repositories import dialect_insert
from bot.storage.tables import ProcessedEventRow

log = logging.getLogger(__name__)


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
