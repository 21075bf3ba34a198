"""SqlAskLog on SQLite and PostgreSQL: outcomes, one rating per member, stats, kept texts."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import pytest
import pytest_asyncio
import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from bot.core.messages import Platform
from bot.core.ports import MemberKey
from bot.core.roadmap.ports import AskedQuestion, DocumentRatings, KeptQuestion, Rated
from bot.storage.ask_tables import (
    AskAnswerDocumentRow,
    AskAnswerRow,
    AskAnswerTopicRow,
    AskRatingRow,
)
from bot.storage.db import create_sessionmaker
from bot.storage.migrate import upgrade
from bot.storage.roadmap.asks import SqlAskLog
from bot.storage.tables import Base

Sessions = async_sessionmaker[AsyncSession]
NOW = datetime(2026, 7, 1, 12, 0, tzinfo=UTC)
P = Platform.DISCORD
ADA = MemberKey(P, "ada")
BOB = MemberKey(P, "bob")


@pytest_asyncio.fixture(loop_scope="function")
async def sessions(engine: AsyncEngine) -> AsyncIterator[Sessions]:
    await upgrade(engine)
    yield create_sessionmaker(engine)


@pytest.fixture
def log(sessions: Sessions) -> SqlAskLog:
    return SqlAskLog(sessions)


def answered(
    documents: tuple[str, ...] = ("fact:docker-images",),
    topics: tuple[str, ...] = ("docker",),
    at: datetime = NOW,
    space: str = "g1",
) -> AskedQuestion:
    return AskedQuestion(P, space, "asker", at, True, documents, topics)


def declined(
    text: str = "how do I bake bread", at: datetime = NOW, space: str = "g1"
) -> AskedQuestion:
    return AskedQuestion(P, space, "asker", at, False, declined_text=text)


async def count(sessions: Sessions, table: type[Base]) -> int:
    async with sessions() as session:
        return (await session.execute(sa.select(sa.func.count()).select_from(table))).scalar_one()


async def test_an_answer_is_stored_with_its_documents_and_topics(
    log: SqlAskLog, sessions: Sessions
) -> None:
    first = await log.record(answered(("fact:a", "topic:docker"), ("docker", "containers")))
    second = await log.record(answered())
    assert second > first > 0
    async with sessions() as session:
        documents = await session.execute(
            sa.select(AskAnswerDocumentRow.document).where(AskAnswerDocumentRow.answer_id == first)
        )
        topics = await session.execute(
            sa.select(AskAnswerTopicRow.topic_id).where(AskAnswerTopicRow.answer_id == first)
        )
        assert set(documents.scalars()) == {"fact:a", "topic:docker"}
        assert set(topics.scalars()) == {"docker", "containers"}


async def test_a_declined_text_is_stored_only_where_the_community_keeps_them(
    log: SqlAskLog, sessions: Sessions
) -> None:
    await log.record(declined("kept nowhere yet"))
    assert not await log.keeps_declined(P, "g1")
    assert await log.set_keeps_declined(P, "g1", True) == 0
    assert await log.keeps_declined(P, "g1")
    assert not await log.keeps_declined(P, "g2")  # per community
    assert not await log.keeps_declined(Platform.SLACK, "g1")  # and per platform
    await log.record(declined("what is the salary of a pilot"))
    await log.record(declined("elsewhere", space="g2"))
    stats = await log.stats(P, "g1", NOW - timedelta(days=7), 5, 10)
    assert stats.kept == (KeptQuestion(NOW, "what is the salary of a pilot"),)
    assert stats.declined == 3 - 1  # g2's is not this community's
    async with sessions() as session:
        texts = (await session.execute(sa.select(AskAnswerRow.kept_text))).scalars().all()
    assert sorted(t for t in texts if t) == ["what is the salary of a pilot"]


async def test_turning_keeping_off_deletes_the_kept_texts_of_that_community_only(
    log: SqlAskLog,
) -> None:
    for space in ("g1", "g2"):
        await log.set_keeps_declined(P, space, True)
        await log.record(declined("one", space=space))
        await log.record(declined("two", space=space))
    assert await log.set_keeps_declined(P, "g1", False) == 2
    since = NOW - timedelta(days=1)
    assert (await log.stats(P, "g1", since, 5, 10)).kept == ()
    assert len((await log.stats(P, "g2", since, 5, 10)).kept) == 2
    assert (await log.stats(P, "g1", since, 5, 10)).declined == 2  # the outcomes stay


async def test_an_answered_question_never_keeps_a_text(log: SqlAskLog, sessions: Sessions) -> None:
    await log.set_keeps_declined(P, "g1", True)
    await log.record(
        AskedQuestion(P, "g1", "asker", NOW, True, ("fact:a",), ("docker",), "what is docker")
    )
    async with sessions() as session:
        assert (await session.execute(sa.select(AskAnswerRow.kept_text))).scalar_one() is None
        with pytest.raises(IntegrityError):  # the database refuses it too
            await session.execute(
                sa.insert(AskAnswerRow).values(
                    platform="discord",
                    space_id="g1",
                    asker_id="x",
                    asked_at=NOW,
                    answered=True,
                    kept_text="no",
                )
            )


async def test_one_rating_per_member_and_answer_a_second_click_changes_it(
    log: SqlAskLog, sessions: Sessions
) -> None:
    answer = await log.record(answered())
    assert await log.rate(answer, ADA, "g1", True, NOW) is Rated.NEW
    assert await log.rate(answer, ADA, "g1", True, NOW) is Rated.SAME
    assert await log.rate(answer, ADA, "g1", False, NOW) is Rated.CHANGED
    assert await log.rate(answer, BOB, "g1", True, NOW) is Rated.NEW
    assert await log.rate(answer, MemberKey(Platform.SLACK, "ada"), "g1", True, NOW) is (
        Rated.UNKNOWN  # the answer was given on Discord
    )
    async with sessions() as session:
        rows = await session.execute(
            sa.select(AskRatingRow.user_id, AskRatingRow.helpful).order_by(AskRatingRow.user_id)
        )
        assert [tuple(r) for r in rows] == [("ada", False), ("bob", True)]


async def test_clicks_arriving_at_once_leave_one_rating(log: SqlAskLog, sessions: Sessions) -> None:
    answer = await log.record(answered())
    results = await asyncio.gather(*(log.rate(answer, ADA, "g1", True, NOW) for _ in range(4)))
    assert set(results) <= {Rated.NEW, Rated.SAME}
    assert await count(sessions, AskRatingRow) == 1


async def test_unknown_declined_and_other_communities_answers_cannot_be_rated(
    log: SqlAskLog, sessions: Sessions
) -> None:
    answer = await log.record(answered())
    refused = await log.record(declined())
    assert await log.rate(answer + 1000, ADA, "g1", True, NOW) is Rated.UNKNOWN
    assert await log.rate(refused, ADA, "g1", True, NOW) is Rated.UNKNOWN
    assert await log.rate(answer, ADA, "g2", True, NOW) is Rated.UNKNOWN
    assert await count(sessions, AskRatingRow) == 0


async def test_stats_count_outcomes_ratings_topics_and_documents_in_the_window(
    log: SqlAskLog,
) -> None:
    docker = await log.record(answered(("fact:images", "fact:volumes"), ("docker",)))
    sql = await log.record(answered(("fact:joins",), ("sql", "databases")))
    await log.record(answered(("fact:images",), ("docker",)))
    await log.record(declined())
    old = await log.record(answered(("fact:old",), ("git",), at=NOW - timedelta(days=9)))
    await log.record(answered(("fact:x",), ("python",), space="g2"))
    await log.rate(docker, ADA, "g1", False, NOW)
    await log.rate(docker, BOB, "g1", True, NOW)
    await log.rate(sql, ADA, "g1", True, NOW)
    await log.rate(old, ADA, "g1", False, NOW)  # rated now, asked before the window
    stats = await log.stats(P, "g1", NOW - timedelta(days=7), 5, 10)
    assert (stats.answered, stats.declined) == (3, 1)
    assert (stats.helpful, stats.rated) == (2, 3)
    assert stats.topics == (("docker", 2), ("databases", 1), ("sql", 1))
    assert stats.documents == (
        DocumentRatings("fact:images", 1, 1),
        DocumentRatings("fact:volumes", 1, 1),
    )
    month = await log.stats(P, "g1", NOW - timedelta(days=30), 2, 10)
    assert month.answered == 4
    assert len(month.topics) == 2  # the top two only
    assert DocumentRatings("fact:old", 0, 1) in month.documents


async def test_stats_of_a_quiet_community_are_zero(log: SqlAskLog) -> None:
    stats = await log.stats(Platform.SLACK, "T1", NOW - timedelta(days=7), 5, 10)
    assert (stats.answered, stats.declined, stats.rated, stats.topics, stats.kept) == (
        0, 0, 0, (), (),
    )  # fmt: skip


async def test_prune_drops_old_records_with_their_ratings_and_old_or_unwanted_texts(
    log: SqlAskLog, sessions: Sessions
) -> None:
    await log.set_keeps_declined(P, "g1", True)
    old = await log.record(answered(at=NOW - timedelta(days=100)))
    await log.rate(old, ADA, "g1", True, NOW)
    await log.record(declined("forty days ago", at=NOW - timedelta(days=40)))
    await log.record(declined("yesterday", at=NOW - timedelta(days=1)))
    recent = await log.record(answered())
    await log.rate(recent, ADA, "g1", True, NOW)
    removed = await log.prune(NOW - timedelta(days=90), NOW - timedelta(days=30))
    assert removed == 2  # one record, one text
    assert await count(sessions, AskAnswerRow) == 3
    assert await count(sessions, AskRatingRow) == 1  # the old answer's went with it
    assert await count(sessions, AskAnswerDocumentRow) == 1
    assert await count(sessions, AskAnswerTopicRow) == 1
    stats = await log.stats(P, "g1", NOW - timedelta(days=60), 5, 10)
    assert [k.text for k in stats.kept] == ["yesterday"]
    assert stats.declined == 2  # the outcome of a pruned text stays
    # A text stored in a race with `keep-declined:off` goes with the next prune.
    async with sessions.begin() as session:
        await session.execute(
            sa.update(AskAnswerRow)
            .where(AskAnswerRow.kept_text.is_(None), AskAnswerRow.answered.is_(False))
            .values(kept_text="raced")
        )
    async with sessions.begin() as session:
        await session.execute(sa.text("UPDATE ask_settings SET keep_declined = false"))
    assert await log.prune(NOW - timedelta(days=90), NOW - timedelta(days=30)) == 2
    assert (await log.stats(P, "g1", NOW - timedelta(days=60), 5, 10)).kept == ()
