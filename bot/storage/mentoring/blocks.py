"""Members' blocks in mentor_blocks: one row per platform, blocker and blocked member."""

from __future__ import annotations

from collections.abc import Collection
from typing import Final, cast

from sqlalchemy import Table, delete, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.core.mentoring.fit import Pair, pair_of
from bot.core.messages import Platform
from bot.storage.repositories import changed, dialect_insert
from bot.storage.tables import MentorBlockRow

BLOCKS = cast(Table, MentorBlockRow.__table__)
# Ids per IN list: well under SQLite's and asyncpg's limits on bound parameters.
CHUNK: Final = 5000


class SqlMentorBlocks:
    """The MentorBlocks port; the unique key keeps a block once, whoever writes it."""

    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self._sessions = sessions

    async def block(self, platform: Platform, blocker_id: str, blocked_id: str) -> bool:
        """Record the block; False when it was already there."""
        async with self._sessions.begin() as session:
            insert = (
                dialect_insert(session, BLOCKS)
                .values(platform=platform.value, blocker_id=blocker_id, blocked_id=blocked_id)
                .on_conflict_do_nothing(index_elements=["platform", "blocker_id", "blocked_id"])
                .returning(BLOCKS.c.id)
            )
            return (await session.execute(insert)).scalar_one_or_none() is not None

    async def unblock(self, platform: Platform, blocker_id: str, blocked_id: str) -> bool:
        """Remove the block; False when there was none."""
        async with self._sessions.begin() as session:
            result = await session.execute(
                delete(BLOCKS).where(
                    BLOCKS.c.platform == platform.value,
                    BLOCKS.c.blocker_id == blocker_id,
                    BLOCKS.c.blocked_id == blocked_id,
                )
            )
        return bool(changed(result))

    async def pairs_among(self, platform: Platform, member_ids: Collection[str]) -> set[Pair]:
        """Return the unordered pairs of these members that a block forbids (either way)."""
        members = set(member_ids)
        wanted = sorted(members)
        pairs: set[Pair] = set()
        async with self._sessions() as session:
            for start in range(0, len(wanted), CHUNK):
                query = select(BLOCKS.c.blocker_id, BLOCKS.c.blocked_id).where(
                    BLOCKS.c.platform == platform.value,
                    BLOCKS.c.blocker_id.in_(wanted[start : start + CHUNK]),
                )
                for blocker, blocked in (await session.execute(query)).all():
                    if blocked in members and blocked != blocker:
                        pairs.add(pair_of(blocker, blocked))
        return pairs

    async def blocked_with(self, platform: Platform, member_id: str) -> set[str]:
        """Return everyone a block keeps from member_id (blocked by them, or blocking them)."""
        # Two small look-ups, not pairs_among over a new request's hundreds of mentors.
        mine = select(BLOCKS.c.blocked_id).where(
            BLOCKS.c.platform == platform.value, BLOCKS.c.blocker_id == member_id
        )
        theirs = select(BLOCKS.c.blocker_id).where(
            BLOCKS.c.platform == platform.value, BLOCKS.c.blocked_id == member_id
        )
        async with self._sessions() as session:
            found = set((await session.execute(mine.union(theirs))).scalars().all())
        found.discard(member_id)
        return found
