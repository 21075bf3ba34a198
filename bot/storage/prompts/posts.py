"""Prompt posts in SQL: the claim of a channel's day, its lease and how it was settled.

Every write is one statement guarded in its WHERE clause (the unique key, the lease owner,
the state), and each transaction starts with a write, so SQLite takes its write lock (waiting
on busy_timeout) before anything is read, and PostgreSQL's row locks order concurrent ticks.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, cast

from sqlalchemy import ColumnElement, Table, and_, func, or_, select, update
from sqlalchemy.engine import RowMapping
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.core.messages import Platform
from bot.core.prompts.ports import (
    NextLook,
    PastPost,
    PostRecord,
    PostState,
    PostSummary,
    Published,
)
from bot.storage.prompts.channels import CHANNELS, USES, apply_move
from bot.storage.repositories import dialect_insert
from bot.storage.tables import PromptPostRow

POSTS = cast(Table, PromptPostRow.__table__)
_SETTLED = (PostState.FAILED.value, PostState.MISSED.value)


class SqlPromptPosts:
    """One post per channel and local date, in prompt_posts (and prompt_uses once posted)."""

    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self._sessions = sessions

    async def find(self, channel_id: int, day: date) -> PostRecord | None:
        """Return the day's post, or None when nobody claimed it."""
        query = select(POSTS).where(POSTS.c.channel_id == channel_id, POSTS.c.local_date == day)
        async with self._sessions() as session:
            row = (await session.execute(query)).mappings().one_or_none()
        return None if row is None else _record(row)

    async def history(self, platform: Platform, space_id: str, limit: int) -> list[PastPost]:
        """Return the community's latest posts (any state), newest day first."""
        query = (
            select(CHANNELS.c.channel_id.label("channel"), POSTS)
            .join(CHANNELS, CHANNELS.c.id == POSTS.c.channel_id)
            .where(CHANNELS.c.platform == platform.value, CHANNELS.c.space_id == space_id)
            .order_by(POSTS.c.local_date.desc(), POSTS.c.id.desc())
            .limit(limit)
        )
        async with self._sessions() as session:
            rows = (await session.execute(query)).mappings().all()
        return [PastPost(row["channel"], _record(row)) for row in rows]

    async def summary(self, channel_id: int, since: date) -> PostSummary:
        """Return the channel's last settled post and its failures from since on."""
        mine = POSTS.c.channel_id == channel_id
        last = (
            select(POSTS)
            .where(mine, POSTS.c.state != PostState.CLAIMED.value)
            .order_by(POSTS.c.local_date.desc())
            .limit(1)
        )
        failed = select(func.count()).where(
            mine, POSTS.c.local_date >= since, POSTS.c.state == PostState.FAILED.value
        )
        async with self._sessions() as session:
            row = (await session.execute(last)).mappings().one_or_none()
            count = (await session.execute(failed)).scalar_one()
        return PostSummary(None if row is None else _record(row), int(count))

    async def claim(
        self,
        channel_id: int,
        day: date,
        prompt_id: str | None,
        cycle: int,
        owner: str,
        now: datetime,
        lease_until: datetime,
    ) -> PostRecord | None:
        """Insert the day's post, leased to owner; None when it existed (someone else's)."""
        async with self._sessions.begin() as session:
            insert = dialect_insert(session, POSTS).values(
                channel_id=channel_id,
                local_date=day,
                prompt_id=prompt_id,
                cycle=cycle,
                state=PostState.CLAIMED.value,
                attempts=1,
                lease_owner=owner,
                lease_until=lease_until,
                claimed_at=now,
            )
            # The unique key decides, across restarts and processes: the loser gets no row.
            claimed = insert.on_conflict_do_nothing(
                index_elements=[POSTS.c.channel_id, POSTS.c.local_date]
            ).returning(*POSTS.c)
            row = (await session.execute(claimed)).mappings().one_or_none()
        return None if row is None else _record(row)

    async def retake(
        self,
        post_id: int,
        owner: str,
        now: datetime,
        lease_until: datetime,
        *,
        settled_too: bool = False,
        choice: tuple[str, int] | None = None,
    ) -> PostRecord | None:
        """Lease a claimed post whose lease ended and whose retry is due; None if taken."""
        free = or_(POSTS.c.lease_until.is_(None), POSTS.c.lease_until < now)
        takeable: ColumnElement[bool]
        if settled_too:
            takeable = or_(POSTS.c.state == PostState.CLAIMED.value, POSTS.c.state.in_(_SETTLED))
        else:
            retry_due = or_(POSTS.c.retry_at.is_(None), POSTS.c.retry_at <= now)
            takeable = and_(POSTS.c.state == PostState.CLAIMED.value, retry_due)
        values: dict[str, Any] = {
            "state": PostState.CLAIMED.value,
            "lease_owner": owner,
            "lease_until": lease_until,
            "attempts": POSTS.c.attempts + 1,
            "retry_at": None,
            "settled_at": None,
        }
        if choice is not None:
            values["prompt_id"], values["cycle"] = choice
        # Atomic: of two processes taking the same retry, one UPDATE matches, the other none.
        query = (
            update(POSTS)
            .where(POSTS.c.id == post_id, free, takeable)
            .values(**values)
            .returning(*POSTS.c)
        )
        async with self._sessions.begin() as session:
            row = (await session.execute(query)).mappings().one_or_none()
        return None if row is None else _record(row)

    async def posted(
        self,
        post: PostRecord,
        owner: str,
        published: Published,
        now: datetime,
        move: NextLook,
        problem: str | None = None,
    ) -> bool:
        """Mark it posted, record the prompt used and move the channel on, in one transaction."""
        async with self._sessions.begin() as session:
            settled = await _settle(
                session,
                post.id,
                owner,
                state=PostState.POSTED.value,
                message_id=published.message_id,
                thread_id=published.thread_id,
                last_error=problem,
                settled_at=now,
            )
            if settled is None:
                return False
            prompt_id, cycle = settled["prompt_id"], settled["cycle"]
            if prompt_id is not None:
                use = dialect_insert(session, USES).values(
                    channel_id=post.channel_id,
                    cycle=cycle,
                    prompt_id=prompt_id,
                    how="posted",
                    used_at=now,
                )
                await session.execute(use.on_conflict_do_nothing())
                await session.execute(
                    update(CHANNELS)
                    .where(CHANNELS.c.id == post.channel_id)
                    .values(cycle=cycle, last_prompt_id=prompt_id)
                )
            await apply_move(session, move)
        return True

    async def retry(
        self, post: PostRecord, owner: str, retry_at: datetime, error: str, move: NextLook
    ) -> bool:
        """Release the lease and set the retry (the channel is looked at then)."""
        async with self._sessions.begin() as session:
            released = await _settle(session, post.id, owner, retry_at=retry_at, last_error=error)
            if released is None:
                return False
            await apply_move(session, move)
        return True

    async def fail(
        self,
        post: PostRecord,
        owner: str,
        error: str,
        now: datetime,
        move: NextLook | None,
        pause: str | None = None,
    ) -> tuple[bool, bool]:
        """Mark it failed; move the channel on, or pause it with a reason."""
        async with self._sessions.begin() as session:
            failed = await _settle(
                session,
                post.id,
                owner,
                state=PostState.FAILED.value,
                last_error=error,
                settled_at=now,
            )
            if failed is None:
                return False, False
            if move is not None:
                await apply_move(session, move)
            if pause is None:
                return True, False
            # Only the first pause counts: moderators hear about it once.
            paused = await session.execute(
                update(CHANNELS)
                .where(CHANNELS.c.id == post.channel_id, CHANNELS.c.paused_reason.is_(None))
                .values(paused_reason=pause, next_local_date=None, next_due_at=None, updated_at=now)
                .returning(CHANNELS.c.id)
            )
            return True, paused.first() is not None

    async def miss(
        self, channel_id: int, day: date, now: datetime, move: NextLook
    ) -> PostState | None:
        """Settle a day past its grace and move on; return the state this call settled it in."""
        async with self._sessions.begin() as session:
            insert = dialect_insert(session, POSTS).values(
                channel_id=channel_id,
                local_date=day,
                state=PostState.MISSED.value,
                attempts=0,
                claimed_at=now,
                settled_at=now,
            )
            missed = await session.execute(
                insert.on_conflict_do_nothing(
                    index_elements=[POSTS.c.channel_id, POSTS.c.local_date]
                ).returning(POSTS.c.id)
            )
            state = PostState.MISSED
            if missed.first() is None:
                # A post waiting for a retry ran out of grace: failed, keeping its last error.
                gave_up = await session.execute(
                    update(POSTS)
                    .where(
                        POSTS.c.channel_id == channel_id,
                        POSTS.c.local_date == day,
                        POSTS.c.state == PostState.CLAIMED.value,
                        or_(POSTS.c.lease_until.is_(None), POSTS.c.lease_until < now),
                    )
                    .values(
                        state=PostState.FAILED.value,
                        lease_owner=None,
                        lease_until=None,
                        retry_at=None,
                        settled_at=now,
                    )
                    .returning(POSTS.c.id)
                )
                if gave_up.first() is None:
                    return None
                state = PostState.FAILED
            await apply_move(session, move)
        return state


async def _settle(
    session: AsyncSession, post_id: int, owner: str, **values: Any
) -> RowMapping | None:
    """Update a claimed post and release its lease, only if owner holds it; return the row."""
    query = (
        update(POSTS)
        .where(
            POSTS.c.id == post_id,
            POSTS.c.lease_owner == owner,
            POSTS.c.state == PostState.CLAIMED.value,
        )
        .values(lease_owner=None, lease_until=None, **values)
        .returning(*POSTS.c)
    )
    return (await session.execute(query)).mappings().one_or_none()


def _record(row: RowMapping) -> PostRecord:
    return PostRecord(
        id=row["id"],
        channel_id=row["channel_id"],
        day=row["local_date"],
        prompt_id=row["prompt_id"],
        cycle=row["cycle"],
        state=PostState(row["state"]),
        attempts=row["attempts"],
        lease_owner=row["lease_owner"],
        lease_until=row["lease_until"],
        retry_at=row["retry_at"],
        last_error=row["last_error"],
        message_id=row["message_id"],
        thread_id=row["thread_id"],
    )
