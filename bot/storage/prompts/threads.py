"""Which threads are daily prompts' answers threads: one indexed look-up per reply."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.core.messages import Platform
from bot.core.prompts.ports import ThreadPost
from bot.storage.prompts.channels import CHANNELS
from bot.storage.prompts.posts import POSTS


class SqlPromptThreads:
    """The PromptThreads port over prompt_posts.thread_id (ix_prompt_posts_thread_id)."""

    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self._sessions = sessions

    async def is_prompt_thread(self, platform: Platform, thread_id: str) -> bool:
        """Say whether a post of a channel on platform opened thread_id for its answers."""
        query = (
            select(POSTS.c.id)
            .join(CHANNELS, CHANNELS.c.id == POSTS.c.channel_id)
            .where(POSTS.c.thread_id == thread_id, CHANNELS.c.platform == platform.value)
            .limit(1)
        )
        async with self._sessions() as session:
            return (await session.execute(query)).first() is not None

    async def post_of(self, platform: Platform, thread_id: str) -> ThreadPost | None:
        """Return the channel and local date of the post that opened thread_id, if any."""
        query = (
            select(CHANNELS.c.channel_id, POSTS.c.local_date)
            .join(CHANNELS, CHANNELS.c.id == POSTS.c.channel_id)
            .where(POSTS.c.thread_id == thread_id, CHANNELS.c.platform == platform.value)
            .limit(1)
        )
        async with self._sessions() as session:
            row = (await session.execute(query)).first()
        return None if row is None else ThreadPost(row[0], row[1])
