"""Mentor profiles, their topics and members' blocks, on SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import replace
from datetime import UTC, date, datetime

import pytest_asyncio
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from bot.core.mentoring.fit import pair_of
from bot.core.mentoring.ports import MentorKey, MentorProfile
from bot.core.messages import Platform
from bot.storage.db import create_engine, create_sessionmaker
from bot.storage.mentoring.blocks import SqlMentorBlocks
from bot.storage.mentoring.profiles import SqlMentorProfiles
from bot.storage.migrate import upgrade
from bot.storage.tables import MentorProfileRow, MentorTopicRow

Sessions = async_sessionmaker[AsyncSession]
JOINED = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)
ADA = MentorKey(Platform.DISCORD, "g1", "ada")


def profile(key: MentorKey = ADA, **changes: object) -> MentorProfile:
    made = MentorProfile(
        key=key,
        display_name="Ada",
        topics=frozenset({"git", "databases"}),
        level=2,
        timezone="Europe/Berlin",
        hours="Mon-Thu 18:00-20:00",
        capacity=2,
        intro="Hi",
        joined_at=JOINED,
    )
    return replace(made, **changes)  # type: ignore[arg-type]


@pytest_asyncio.fixture(loop_scope="function")
async def sessions(engine: AsyncEngine) -> AsyncIterator[Sessions]:
    await upgrade(engine)
    yield create_sessionmaker(engine)


async def test_save_get_and_replace_keep_pause_and_counters(sessions: Sessions) -> None:
    profiles = SqlMentorProfiles(sessions)
    assert await profiles.get(ADA) is None
    saved = await profiles.save(profile())
    assert saved == profile()
    assert await profiles.get(ADA) == profile()
    assert await profiles.set_pause(ADA, date(2026, 4, 1), "3 offers expired in a row")
    assert await profiles.count_expiry(ADA) == 1
    later = JOINED.replace(year=2027)
    again = await profiles.save(profile(topics=frozenset({"http"}), capacity=4, joined_at=later))
    assert again.topics == {"http"} and again.capacity == 4
    assert again.paused_until == date(2026, 4, 1) and again.expired_in_row == 1
    assert again.joined_at == JOINED  # the first signup's
    assert await profiles.get(ADA) == again
    async with sessions() as session:
        assert await session.scalar(select(func.count()).select_from(MentorTopicRow)) == 1


async def test_pause_resume_and_unknown_mentors(sessions: Sessions) -> None:
    profiles = SqlMentorProfiles(sessions)
    assert not await profiles.set_pause(ADA, date.max, None)
    assert await profiles.count_expiry(ADA) == 0
    await profiles.save(profile())
    assert await profiles.set_pause(ADA, date.max, None)
    assert (await profiles.get(ADA)).paused_until == date.max  # type: ignore[union-attr]
    await profiles.count_expiry(ADA)
    assert await profiles.set_pause(ADA, None, None)
    resumed = await profiles.get(ADA)
    assert resumed is not None
    assert (resumed.paused_until, resumed.paused_reason, resumed.expired_in_row) == (None, None, 0)
    await profiles.count_expiry(ADA)
    await profiles.clear_expiries(ADA)
    assert (await profiles.get(ADA)).expired_in_row == 0  # type: ignore[union-attr]


async def test_remove_deletes_the_profile_and_every_topic(sessions: Sessions) -> None:
    profiles = SqlMentorProfiles(sessions)
    bob = MentorKey(Platform.DISCORD, "g1", "bob")
    await profiles.save(profile())
    await profiles.save(profile(bob, topics=frozenset({"git"})))
    assert await profiles.remove(ADA)
    assert not await profiles.remove(ADA)
    assert await profiles.get(ADA) is None
    async with sessions() as session:
        names = (await session.execute(select(MentorProfileRow.user_id))).scalars().all()
        topics = (await session.execute(select(MentorTopicRow.topic_id))).scalars().all()
    assert names == ["bob"] and topics == ["git"]


async def test_in_space_lists_one_community_with_its_topics(sessions: Sessions) -> None:
    profiles = SqlMentorProfiles(sessions)
    bob = MentorKey(Platform.DISCORD, "g1", "bob")
    elsewhere = MentorKey(Platform.DISCORD, "g2", "ada")
    slack = MentorKey(Platform.SLACK, "g1", "ada")
    for key in (ADA, bob, elsewhere, slack):
        await profiles.save(profile(key, topics=frozenset({key.user_id, key.space_id})))
    await profiles.set_pause(bob, date.max, None)
    found = await profiles.in_space(Platform.DISCORD, "g1")
    assert {p.key for p in found} == {ADA, bob}
    assert {p.key.user_id: p.topics for p in found} == {
        "ada": {"ada", "g1"},
        "bob": {"bob", "g1"},
    }


async def test_for_topics_reads_only_mentors_offering_one_in_joining_order(
    sessions: Sessions,
) -> None:
    profiles = SqlMentorProfiles(sessions)
    bob, cy = (MentorKey(Platform.DISCORD, "g1", user) for user in ("bob", "cy"))
    elsewhere = MentorKey(Platform.DISCORD, "g2", "dee")
    await profiles.save(profile(cy, topics=frozenset({"git"}), joined_at=JOINED))
    await profiles.save(profile(ADA, joined_at=JOINED.replace(hour=13)))  # git, databases
    await profiles.save(profile(bob, topics=frozenset({"docker"}), joined_at=JOINED))
    await profiles.save(profile(elsewhere, topics=frozenset({"git"})))
    await profiles.set_pause(cy, date.max, "away")

    found = await profiles.for_topics(Platform.DISCORD, "g1", {"git", "linux"})

    assert [p.key for p in found] == [cy, ADA]  # paused included; oldest first
    assert found[1].topics == {"git", "databases"}  # every topic, not only those asked
    assert found[0].paused_until == date.max
    docker = await profiles.for_topics(Platform.DISCORD, "g1", ["docker"])
    assert [p.key for p in docker] == [bob]
    assert await profiles.for_topics(Platform.DISCORD, "g1", []) == []
    assert await profiles.for_topics(Platform.SLACK, "g1", {"git"}) == []


async def test_two_processes_counting_expiries_lose_none(database_url: str) -> None:
    engines = [create_engine(database_url) for _ in range(2)]
    try:
        await upgrade(engines[0])
        stores = [SqlMentorProfiles(create_sessionmaker(e)) for e in engines]
        await stores[0].save(profile())
        counts = await asyncio.gather(*(stores[i % 2].count_expiry(ADA) for i in range(10)))
        assert sorted(counts) == list(range(1, 11))
        assert (await stores[1].get(ADA)).expired_in_row == 10  # type: ignore[union-attr]
    finally:
        for engine in engines:
            await engine.dispose()


async def test_blocks_are_kept_once_and_read_either_way(sessions: Sessions) -> None:
    blocks = SqlMentorBlocks(sessions)
    assert await blocks.block(Platform.DISCORD, "ada", "bob")
    assert not await blocks.block(Platform.DISCORD, "ada", "bob")
    assert await blocks.block(Platform.DISCORD, "cy", "ada")
    assert await blocks.block(Platform.SLACK, "bob", "cy")  # another platform
    assert await blocks.block(Platform.DISCORD, "ada", "zed")  # zed is not among them
    among = await blocks.pairs_among(Platform.DISCORD, ["ada", "bob", "cy", "dee"])
    assert among == {pair_of("ada", "bob"), pair_of("ada", "cy")}
    assert await blocks.pairs_among(Platform.DISCORD, []) == set()
    # Either direction keeps two apart; other platforms' blocks do not count.
    assert await blocks.blocked_with(Platform.DISCORD, "ada") == {"bob", "cy", "zed"}
    assert await blocks.blocked_with(Platform.DISCORD, "cy") == {"ada"}
    assert await blocks.blocked_with(Platform.SLACK, "cy") == {"bob"}
    assert await blocks.blocked_with(Platform.DISCORD, "dee") == set()
    assert await blocks.unblock(Platform.DISCORD, "ada", "bob")
    assert not await blocks.unblock(Platform.DISCORD, "ada", "bob")
    assert await blocks.pairs_among(Platform.DISCORD, ["ada", "bob"]) == set()
