"""A community's own prompts and its retired prompt ids, in custom_prompts and retirements."""

from __future__ import annotations

from datetime import datetime
from typing import Final, cast

from sqlalchemy import Table, delete, func, select, update
from sqlalchemy.engine import RowMapping
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from sqlalchemy.sql.elements import ColumnElement

from bot.core.messages import Platform
from bot.core.prompts.bank import Difficulty, Prompt
from bot.core.prompts.library import Author, CustomPrompt, CustomState, custom_id
from bot.storage.repositories import dialect_insert
from bot.storage.tables import CustomPromptRow, PromptRetirementRow

CUSTOM = cast(Table, CustomPromptRow.__table__)
RETIRED = cast(Table, PromptRetirementRow.__table__)
# Another process taking the same next number makes an insert do nothing; try the next one.
NUMBER_TRIES: Final = 5
NAME_LENGTH: Final = 100  # custom_prompts.author_name


class SqlCustomPrompts:
    """The CustomPromptRepository port: every read goes to the tables, nothing is cached."""

    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self._sessions = sessions

    async def active(self, platform: Platform, space_id: str) -> list[Prompt]:
        """Return the community's active custom prompts, oldest first."""
        rows = await self._rows(platform, space_id, CustomState.ACTIVE)
        return [_prompt(row) for row in rows]

    async def retired(self, platform: Platform, space_id: str) -> frozenset[str]:
        """Return the ids the community took out of its rotation."""
        query = select(RETIRED.c.prompt_id).where(
            RETIRED.c.platform == platform.value, RETIRED.c.space_id == space_id
        )
        async with self._sessions() as session:
            return frozenset((await session.execute(query)).scalars())

    async def find(self, platform: Platform, space_id: str, prompt_id: str) -> CustomPrompt | None:
        """Return one custom prompt of the community, in any state."""
        query = select(CUSTOM).where(*_of(platform, space_id), CUSTOM.c.prompt_id == prompt_id)
        async with self._sessions() as session:
            row = (await session.execute(query)).mappings().one_or_none()
        return _custom(row) if row is not None else None

    async def add(
        self,
        platform: Platform,
        space_id: str,
        draft: Prompt,
        state: CustomState,
        author: Author,
        now: datetime,
    ) -> Prompt:
        """Store draft as the community's next `custom-<n>`; return it with that id."""
        for _ in range(NUMBER_TRIES):
            async with self._sessions.begin() as session:
                highest = select(func.coalesce(func.max(CUSTOM.c.number), 0)).where(
                    *_of(platform, space_id)
                )
                number = int((await session.execute(highest)).scalar_one()) + 1
                insert = dialect_insert(session, CUSTOM).values(
                    platform=platform.value,
                    space_id=space_id,
                    number=number,
                    prompt_id=custom_id(number),
                    title=draft.title,
                    body=draft.body,
                    difficulty=draft.difficulty,
                    topics=",".join(draft.topics),
                    hint=draft.hint,
                    status=state.value,
                    author_id=author.user_id,
                    author_name=author.name[:NAME_LENGTH],
                    created_at=now,
                )
                added = await session.execute(
                    insert.on_conflict_do_nothing().returning(CUSTOM.c.id)
                )
                if added.first() is not None:
                    return Prompt(
                        custom_id(number),
                        draft.title,
                        draft.body,
                        draft.difficulty,
                        draft.topics,
                        draft.hint,
                    )
        raise RuntimeError(f"no free custom prompt number after {NUMBER_TRIES} tries")

    async def pending(self, platform: Platform, space_id: str) -> list[CustomPrompt]:
        """Return the community's suggestions waiting for a moderator, oldest first."""
        return [_custom(row) for row in await self._rows(platform, space_id, CustomState.PENDING)]

    async def pending_by(self, platform: Platform, space_id: str, user_id: str) -> int:
        """Return how many suggestions of one member wait for a moderator."""
        query = select(func.count()).where(
            *_of(platform, space_id),
            CUSTOM.c.status == CustomState.PENDING.value,
            CUSTOM.c.author_id == user_id,
        )
        async with self._sessions() as session:
            return int((await session.execute(query)).scalar_one())

    async def decide(
        self,
        platform: Platform,
        space_id: str,
        prompt_id: str,
        state: CustomState,
        decided_by: str,
        now: datetime,
    ) -> bool:
        """Set a pending suggestion's state; False when it was not pending (decided already)."""
        # The WHERE decides: of two moderators clicking at once, one UPDATE matches.
        query = (
            update(CUSTOM)
            .where(
                *_of(platform, space_id),
                CUSTOM.c.prompt_id == prompt_id,
                CUSTOM.c.status == CustomState.PENDING.value,
            )
            .values(status=state.value, decided_by=decided_by, decided_at=now)
            .returning(CUSTOM.c.id)
        )
        async with self._sessions.begin() as session:
            return (await session.execute(query)).first() is not None

    async def retire(
        self, platform: Platform, space_id: str, prompt_id: str, now: datetime
    ) -> bool:
        """Take an id out of the community's rotation; False when it was out already."""
        async with self._sessions.begin() as session:
            insert = dialect_insert(session, RETIRED).values(
                platform=platform.value, space_id=space_id, prompt_id=prompt_id, retired_at=now
            )
            added = await session.execute(insert.on_conflict_do_nothing().returning(RETIRED.c.id))
            return added.first() is not None

    async def restore(self, platform: Platform, space_id: str, prompt_id: str) -> bool:
        """Put a retired id back in the rotation; False when it was not retired."""
        query = (
            delete(RETIRED)
            .where(
                RETIRED.c.platform == platform.value,
                RETIRED.c.space_id == space_id,
                RETIRED.c.prompt_id == prompt_id,
            )
            .returning(RETIRED.c.id)
        )
        async with self._sessions.begin() as session:
            return (await session.execute(query)).first() is not None

    async def _rows(
        self, platform: Platform, space_id: str, state: CustomState
    ) -> list[RowMapping]:
        query = (
            select(CUSTOM)
            .where(*_of(platform, space_id), CUSTOM.c.status == state.value)
            .order_by(CUSTOM.c.number)
        )
        async with self._sessions() as session:
            return list((await session.execute(query)).mappings().all())


def _of(platform: Platform, space_id: str) -> tuple[ColumnElement[bool], ColumnElement[bool]]:
    return (CUSTOM.c.platform == platform.value, CUSTOM.c.space_id == space_id)


def _prompt(row: RowMapping) -> Prompt:
    return Prompt(
        id=row["prompt_id"],
        title=row["title"],
        body=row["body"],
        difficulty=cast(Difficulty, row["difficulty"]),
        topics=tuple(t for t in row["topics"].split(",") if t),
        hint=row["hint"],
    )


def _custom(row: RowMapping) -> CustomPrompt:
    return CustomPrompt(
        prompt=_prompt(row),
        state=CustomState(row["status"]),
        author=Author(row["author_id"], row["author_name"]),
        created_at=row["created_at"],
        decided_by=row["decided_by"],
    )
