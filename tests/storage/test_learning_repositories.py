"""Progress and resource-feedback repositories on SQLite and PostgreSQL, after the migrations."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import pytest_asyncio
import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from bot.core.clock import FixedClock
from bot.core.messages import Platform
from bot.core.ports import MemberKey
from bot.core.roadmap.ports import Feedback
from bot.storage.db import create_sessionmaker
from bot.storage.migrate import upgrade
from bot.storage.roadmap.learning import SqlFeedbackRepository, SqlProgressRepository
from bot.storage.tables import Base, ProgressRow, ResourceFeedbackRow

Sessions = async_sessionmaker[AsyncSession]
START = datetime(2025, 3, 30, 9, 30, tzinfo=ZoneInfo("Europe/Berlin"))
ADA = MemberKey(Platform.SLACK, "U1")
BOB = MemberKey(Platform.SLACK, "U2")
ADA_ON_DISCORD = MemberKey(Platform.DISCORD, "U1")  # same user id, another platform


@pytest_asyncio.fixture(loop_scope="function")
async def sessions(engine: AsyncEngine) -> AsyncIterator[Sessions]:
    await upgrade(engine)
    yield create_sessionmaker(engine)


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(START)


@pytest.fixture
def progress(sessions: Sessions, clock: FixedClock) -> SqlProgressRepository:
    return SqlProgressRepository(sessions, clock)


@pytest.fixture
def feedback(sessions: Sessions, clock: FixedClock) -> SqlFeedbackRepository:
    return SqlFeedbackRepository(sessions, clock)


async def _count(sessions: Sessions, table: type[Base]) -> int:
    async with sessions() as session:
        return (await session.execute(sa.select(sa.func.count()).select_from(table))).scalar_one()


# Progress


async def test_unknown_member_has_no_statuses(progress: SqlProgressRepository) -> None:
    assert await progress.statuses(ADA) == {}


async def test_set_status_stores_and_overwrites(
    progress: SqlProgressRepository, sessions: Sessions, clock: FixedClock
) -> None:
    await progress.set_status(ADA, "http", "learning")
    await progress.set_status(ADA, "sql", "skip")
    clock.advance(timedelta(hours=1))
    await progress.set_status(ADA, "http", "done")

    assert await progress.statuses(ADA) == {"http": "done", "sql": "skip"}
    assert await _count(sessions, ProgressRow) == 2
    async with sessions() as session:
        updated = (
            await session.execute(
                sa.select(ProgressRow.updated_at).where(ProgressRow.topic_id == "http")
            )
        ).scalar_one()
    assert updated == START + timedelta(hours=1)


async def test_statuses_are_per_member(progress: SqlProgressRepository) -> None:
    await progress.set_status(ADA, "http", "done")
    await progress.set_status(BOB, "http", "learning")
    await progress.set_status(ADA_ON_DISCORD, "sql", "skip")

    assert await progress.statuses(ADA) == {"http": "done"}
    assert await progress.statuses(BOB) == {"http": "learning"}
    assert await progress.statuses(ADA_ON_DISCORD) == {"sql": "skip"}


async def test_clear_removes_only_the_given_topics_of_the_member(
    progress: SqlProgressRepository,
) -> None:
    for topic in ("http", "sql", "git"):
        await progress.set_status(ADA, topic, "done")
    await progress.set_status(BOB, "http", "done")

    removed = await progress.clear(ADA, ["http", "sql", "never-set"])

    assert removed == 2
    assert await progress.statuses(ADA) == {"git": "done"}
    assert await progress.statuses(BOB) == {"http": "done"}
    assert await progress.clear(ADA, ["http"]) == 0
    assert await progress.clear(ADA, []) == 0


async def test_invalid_status_is_refused_by_the_database(
    progress: SqlProgressRepository, sessions: Sessions
) -> None:
    with pytest.raises(IntegrityError):
        await progress.set_status(ADA, "http", "mastered")
    assert await _count(sessions, ProgressRow) == 0

    # The update branch of the upsert is checked too, and leaves the row as it was.
    await progress.set_status(ADA, "http", "done")
    with pytest.raises(IntegrityError):
        await progress.set_status(ADA, "http", "")
    assert await progress.statuses(ADA) == {"http": "done"}


async def test_concurrent_set_status_leaves_one_row(
    progress: SqlProgressRepository, sessions: Sessions
) -> None:
    statuses = ["done", "learning", "skip"]

    await asyncio.gather(*(progress.set_status(ADA, "http", statuses[i % 3]) for i in range(20)))

    assert await _count(sessions, ProgressRow) == 1
    assert (await progress.statuses(ADA)).keys() == {"http"}


# Resource feedback


async def test_unknown_member_has_no_feedback(feedback: SqlFeedbackRepository) -> None:
    assert await feedback.feedback(ADA) == {}
    assert await feedback.scores() == {}


async def test_rate_up_then_down_keeps_one_row_and_the_seen_flag(
    feedback: SqlFeedbackRepository, sessions: Sessions
) -> None:
    await feedback.mark_seen(ADA, "r1")
    await feedback.rate(ADA, "r1", 1)
    await feedback.rate(ADA, "r1", -1)

    assert await feedback.feedback(ADA) == {"r1": Feedback(rating=-1, seen=True)}
    assert await _count(sessions, ResourceFeedbackRow) == 1


async def test_rating_alone_is_not_seen(feedback: SqlFeedbackRepository) -> None:
    await feedback.rate(ADA, "r1", 1)

    assert await feedback.feedback(ADA) == {"r1": Feedback(rating=1, seen=False)}


async def test_mark_seen_keeps_the_rating(
    feedback: SqlFeedbackRepository, sessions: Sessions
) -> None:
    await feedback.mark_seen(ADA, "r2")
    await feedback.rate(ADA, "r1", 1)
    await feedback.mark_seen(ADA, "r1")
    await feedback.mark_seen(ADA, "r1")

    assert await feedback.feedback(ADA) == {
        "r1": Feedback(rating=1, seen=True),
        "r2": Feedback(rating=0, seen=True),
    }
    assert await _count(sessions, ResourceFeedbackRow) == 2


async def test_feedback_is_per_member(feedback: SqlFeedbackRepository) -> None:
    await feedback.rate(ADA, "r1", 1)
    await feedback.mark_seen(ADA_ON_DISCORD, "r1")

    assert await feedback.feedback(ADA) == {"r1": Feedback(rating=1, seen=False)}
    assert await feedback.feedback(ADA_ON_DISCORD) == {"r1": Feedback(rating=0, seen=True)}
    assert await feedback.feedback(BOB) == {}


async def test_scores_sum_across_members_and_omit_zero_sums(
    feedback: SqlFeedbackRepository,
) -> None:
    await feedback.rate(ADA, "liked", 1)
    await feedback.rate(BOB, "liked", 1)
    await feedback.rate(ADA_ON_DISCORD, "liked", 1)
    await feedback.rate(ADA, "disliked", -1)
    await feedback.rate(ADA, "split", 1)
    await feedback.rate(BOB, "split", -1)
    await feedback.mark_seen(ADA, "only-seen")

    scores = await feedback.scores()

    assert scores == {"liked": 3, "disliked": -1}
    assert all(type(score) is int for score in scores.values())


async def test_database_defaults_a_new_row_to_unrated_and_unseen(
    feedback: SqlFeedbackRepository, sessions: Sessions
) -> None:
    # Rows written by hand (or by a later migration) rely on the server defaults.
    async with sessions.begin() as session:
        await session.execute(
            sa.text(
                "INSERT INTO resource_feedback (platform, user_id, resource_id, updated_at)"
                " VALUES ('slack', 'U1', 'r1', :now)"
            ),
            {"now": START},
        )

    assert await feedback.feedback(ADA) == {"r1": Feedback(rating=0, seen=False)}


async def test_invalid_rating_is_refused_by_the_database(
    feedback: SqlFeedbackRepository, sessions: Sessions
) -> None:
    with pytest.raises(IntegrityError):
        await feedback.rate(ADA, "r1", 2)
    assert await _count(sessions, ResourceFeedbackRow) == 0

    await feedback.rate(ADA, "r1", 1)
    with pytest.raises(IntegrityError):
        await feedback.rate(ADA, "r1", -5)
    assert await feedback.feedback(ADA) == {"r1": Feedback(rating=1, seen=False)}


async def test_concurrent_feedback_writes_leave_one_row(
    feedback: SqlFeedbackRepository, sessions: Sessions
) -> None:
    await asyncio.gather(
        *(feedback.rate(ADA, "r1", 1) for _ in range(10)),
        *(feedback.mark_seen(ADA, "r1") for _ in range(10)),
    )

    assert await _count(sessions, ResourceFeedbackRow) == 1
    assert await feedback.feedback(ADA) == {"r1": Feedback(rating=1, seen=True)}
