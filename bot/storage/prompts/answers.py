"""Answers to daily prompts in SQL: one per member and post, one per platform message."""

from __future__ import annotations

from datetime import datetime
from typing import cast

from sqlalchemy import Table, and_, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.core.messages import Platform
from bot.core.prompts.ports import Answerer
from bot.storage.repositories import dialect_insert
from bot.storage.tables import MemberRow, PromptAnswerRow

ANSWERS = cast(Table, PromptAnswerRow.__table__)
MEMBERS = cast(Table, MemberRow.__table__)


class SqlPromptAnswers:
    """prompt_answers: both unique keys decide, so a second answer or a redelivery adds nothing."""

    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self._sessions = sessions

    async def add(
        self, post_id: int, platform: Platform, user_id: str, source: str, text: str, now: datetime
    ) -> bool:
        """Store an answer; False (nothing stored) when the member or the message has one."""
        async with self._sessions.begin() as session:
            insert = dialect_insert(session, ANSWERS).values(
                post_id=post_id,
                platform=platform.value,
                user_id=user_id,
                source=source,
                text=text,
                created_at=now,
            )
            # No conflict target: either unique key (member + post, platform + message) refuses.
            added = await session.execute(insert.on_conflict_do_nothing().returning(ANSWERS.c.id))
            return added.first() is not None

    async def of_post(self, post_id: int) -> list[Answerer]:
        """Return who answered the post, first answer first, with their privacy choice."""
        member = and_(
            MEMBERS.c.platform == ANSWERS.c.platform, MEMBERS.c.user_id == ANSWERS.c.user_id
        )
        query = (
            select(ANSWERS.c.user_id, MEMBERS.c.display_name, MEMBERS.c.leaderboard_hidden)
            .select_from(ANSWERS.outerjoin(MEMBERS, member))
            .where(ANSWERS.c.post_id == post_id)
            .order_by(ANSWERS.c.created_at, ANSWERS.c.id)
        )
        async with self._sessions() as session:
            rows = (await session.execute(query)).all()
        # Read fresh from members on every call: a privacy change holds at once.
        return [Answerer(user, name or user, bool(hidden)) for user, name, hidden in rows]
