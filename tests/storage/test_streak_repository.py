"""Learning-event repository on SQLite and PostgreSQL, after the migrations."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import pytest_asyncio
import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from bot.core.messages import Platform
from bot.core.ports import MemberKey
from bot.core.study.ports import LearningEvent, StudyDay
from bot.storage.db import create_engine, create_sessionmaker
from bot.storage.migrate import upgrade
from bot.storage.study.batch import NOTE_LENGTH
from bot.storage.study.streaks import SqlLearningEventRepository
from bot.storage.study.totals import STUDY_DAYS
from bot.storage.tables import LearningEventRow

Sessions = async_sessionmaker[AsyncSession]
BERLIN = ZoneInfo("Europe/Berlin")
ADA = MemberKey(Platform.SLACK, "U1")
BOB = MemberKey(Platform.SLACK, "U2")
ADA_ON_DISCORD = MemberKey(Platform.DISCORD, "U1")  # same user id, another platform
MONDAY = date(2025, 3, 31)
PROFILE = "Ada"  # the display name a record is made under


def _event(
    source: str,
    day: date = MONDAY,
    *,
    key: MemberKey = ADA,
    minutes: int = 0,
    kind: str = "checkin",
) -> LearningEvent:
    # 00:30 in Berlin is still the previous day in UTC: only the local date says which day.
    occurred = datetime(day.year, day.month, day.day, 0, 30, tzinfo=BERLIN)
    return LearningEvent(
        key=key,
        space_id="T1",
        kind=kind,
        source=source,
        occurred_at=occurred,
        local_date=day,
        minutes=minutes,
        note="read the HTTP chapter",
    )


@pytest_asyncio.fixture(loop_scope="function")
async def sessions(engine: AsyncEngine) -> AsyncIterator[Sessions]:
    await upgrade(engine)
    yield create_sessionmaker(engine)


@pytest.fixture
def events(sessions: Sessions) -> SqlLearningEventRepository:
    return SqlLearningEventRepository(sessions)


async def _count(sessions: Sessions) -> int:
    async with sessions() as session:
        query = sa.select(sa.func.count()).select_from(LearningEventRow)
        return (await session.execute(query)).scalar_one()


async def test_unknown_member_has_no_days(events: SqlLearningEventRepository) -> None:
    assert await events.days(ADA) == []


async def test_days_sum_minutes_and_count_events_per_date_oldest_first(
    events: SqlLearningEventRepository,
) -> None:
    tuesday = MONDAY + timedelta(days=1)
    assert (
        await events.record(_event("e3", tuesday, minutes=45, kind="mentor_session"), PROFILE)
    ).stored
    assert (await events.record(_event("e1", MONDAY, minutes=20), PROFILE)).stored
    assert (
        await events.record(_event("e2", MONDAY, minutes=10, kind="topic_done"), PROFILE)
    ).stored
    last = await events.record(_event("e4", tuesday, kind="prompt_answer"), PROFILE)

    days = await events.days(ADA)

    assert days == [StudyDay(MONDAY, 30, 2), StudyDay(tuesday, 45, 2)]
    assert all(type(d.minutes) is int and type(d.events) is int for d in days)
    # The batch writer's read of the event's day (a check-in's answer) gives the same plain
    # values; Monday came after Tuesday, so Tuesday's streak is counted from all the days.
    assert last.stored
    assert last.day == days[1]
    assert type(last.day.minutes) is int and type(last.day.events) is int
    assert last.streak == (2, 2, 0)


async def test_record_stores_every_field(
    events: SqlLearningEventRepository, sessions: Sessions
) -> None:
    event = _event("e1", minutes=25)

    await events.record(event, PROFILE)

    async with sessions() as session:
        row = (await session.execute(sa.select(LearningEventRow))).scalar_one()
    stored = (row.platform, row.user_id, row.space_id, row.kind, row.source, row.note)
    assert stored == ("slack", "U1", "T1", "checkin", "e1", event.note)
    assert (row.occurred_at, row.local_date, row.minutes) == (event.occurred_at, MONDAY, 25)
    # The local date is kept as given, although the instant falls on another UTC date.
    assert row.occurred_at.astimezone(ZoneInfo("UTC")).date() != row.local_date


async def test_same_platform_and_source_is_recorded_once(
    events: SqlLearningEventRepository, sessions: Sessions
) -> None:
    assert (await events.record(_event("evt-1", minutes=20), PROFILE)).stored

    redelivered = _event("evt-1", MONDAY + timedelta(days=3), minutes=90, kind="topic_done")
    assert not (await events.record(redelivered, PROFILE)).stored
    assert not (await events.record(_event("evt-1", minutes=20), PROFILE)).stored

    assert await events.days(ADA) == [StudyDay(MONDAY, 20, 1)]
    assert await _count(sessions) == 1


async def test_same_source_on_another_platform_is_another_event(
    events: SqlLearningEventRepository, sessions: Sessions
) -> None:
    assert (await events.record(_event("evt-1", minutes=5), PROFILE)).stored
    assert (await events.record(_event("evt-1", key=ADA_ON_DISCORD, minutes=7), PROFILE)).stored

    assert await events.days(ADA) == [StudyDay(MONDAY, 5, 1)]
    assert await events.days(ADA_ON_DISCORD) == [StudyDay(MONDAY, 7, 1)]
    assert await _count(sessions) == 2


async def test_days_are_per_member(events: SqlLearningEventRepository) -> None:
    await events.record(_event("a1", minutes=10), PROFILE)
    await events.record(_event("b1", key=BOB, minutes=60), PROFILE)
    await events.record(_event("b2", MONDAY + timedelta(days=1), key=BOB), PROFILE)

    assert await events.days(ADA) == [StudyDay(MONDAY, 10, 1)]
    assert await events.days(BOB) == [
        StudyDay(MONDAY, 60, 1),
        StudyDay(MONDAY + timedelta(days=1), 0, 1),
    ]
    assert await events.days(ADA_ON_DISCORD) == []


async def test_since_keeps_that_date_and_later(events: SqlLearningEventRepository) -> None:
    for offset in range(5):
        event = _event(f"e{offset}", MONDAY + timedelta(days=offset), minutes=offset)
        await events.record(event, PROFILE)

    days = await events.days(ADA, since=MONDAY + timedelta(days=3))

    assert [(d.day, d.minutes) for d in days] == [
        (MONDAY + timedelta(days=3), 3),
        (MONDAY + timedelta(days=4), 4),
    ]
    assert await events.days(ADA, since=MONDAY + timedelta(days=5)) == []
    assert len(await events.days(ADA, since=None)) == 5


async def test_concurrent_records_of_one_source_store_it_once(
    events: SqlLearningEventRepository, sessions: Sessions
) -> None:
    event = _event("evt-race", minutes=15)

    results = await asyncio.gather(*(events.record(event, PROFILE) for _ in range(50)))

    assert [r.stored for r in results].count(True) == 1
    assert await _count(sessions) == 1
    assert await events.days(ADA) == [StudyDay(MONDAY, 15, 1)]


@pytest.mark.parametrize(
    ("kind", "minutes"),
    [
        pytest.param("nap", 30, id="unknown-kind"),
        pytest.param("", 30, id="empty-kind"),
        pytest.param("checkin", -1, id="negative-minutes"),
        pytest.param("checkin", 1441, id="more-than-a-day"),
    ],
)
async def test_invalid_event_is_refused_by_the_database(
    events: SqlLearningEventRepository, sessions: Sessions, kind: str, minutes: int
) -> None:
    event = _event("evt-1", kind=kind, minutes=minutes)

    with pytest.raises(IntegrityError):
        await events.record(event, PROFILE)

    assert await _count(sessions) == 0
    # A refused event does not use up its source: the corrected one is stored.
    assert (await events.record(_event("evt-1", minutes=30), PROFILE)).stored
    assert await events.days(ADA) == [StudyDay(MONDAY, 30, 1)]


async def test_a_full_day_of_minutes_is_allowed(events: SqlLearningEventRepository) -> None:
    assert (await events.record(_event("evt-1", minutes=1440), PROFILE)).stored

    assert await events.days(ADA) == [StudyDay(MONDAY, 1440, 1)]


async def test_a_long_note_is_cut_to_the_column_size_on_every_backend(
    events: SqlLearningEventRepository, sessions: Sessions
) -> None:
    event = LearningEvent(
        key=ADA,
        space_id="T1",
        kind="checkin",
        source="evt-1",
        occurred_at=datetime(2025, 3, 31, 8, tzinfo=BERLIN),
        local_date=MONDAY,
        note="x" * (NOTE_LENGTH + 50),
    )

    assert (await events.record(event, PROFILE)).stored

    async with sessions() as session:
        note = (await session.execute(sa.select(LearningEventRow.note))).scalar_one()
    assert note == "x" * NOTE_LENGTH


async def test_study_days_are_summed_from_the_index_alone_on_sqlite(sqlite_url: str) -> None:
    # The batch writer's biggest read: the study-days index holds minutes, so SQLite never
    # visits the events' table rows for it (PostgreSQL decides per table, by its statistics).
    engine = create_engine(sqlite_url)
    try:
        await upgrade(engine)
        query = STUDY_DAYS.params(platform="slack", user_ids=["U1", "U2"])
        sql = query.compile(dialect=engine.dialect, compile_kwargs={"literal_binds": True})
        async with engine.connect() as connection:
            plan = (await connection.exec_driver_sql(f"EXPLAIN QUERY PLAN {sql}")).all()
    finally:
        await engine.dispose()

    assert any("USING COVERING INDEX ix_learning_events_study_days" in row[-1] for row in plan)
