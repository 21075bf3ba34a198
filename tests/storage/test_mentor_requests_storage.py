"""Mentor requests, offers and pairings in SQL: what must happen once, on both databases.

Races run two sessions at once (asyncio.gather on one engine's pool: two connections).
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, date, datetime, timedelta

import pytest_asyncio
from sqlalchemy import Table, func, select, update
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlalchemy.sql.elements import ColumnElement

from bot.core.clock import FixedClock
from bot.core.mentoring.ports import MentorKey, MentorProfile
from bot.core.mentoring.records import Answer, NewRequest, OfferState, RequestState
from bot.core.messages import Actor, Platform
from bot.core.ports import MemberKey
from bot.core.study.context import StudyContexts
from bot.core.study.recording import StudyRecorder
from bot.storage.db import create_sessionmaker
from bot.storage.mentoring.profiles import SqlMentorProfiles
from bot.storage.mentoring.requests import SqlMentorRequests
from bot.storage.mentoring.rows import OFFERS, PAIRINGS, REQUESTS
from bot.storage.migrate import upgrade
from bot.storage.study.streaks import SqlLearningEventRepository
from tests.fakes import FakeMemberRepository, FakeSpaceRepository

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
P = Platform.DISCORD


@pytest_asyncio.fixture(loop_scope="function")
async def store(engine: AsyncEngine) -> AsyncIterator[SqlMentorRequests]:
    await upgrade(engine)
    sessions = create_sessionmaker(engine)
    for mentor in ("m1", "m2"):  # room for every test's offers
        await SqlMentorProfiles(sessions).save(profile(mentor, capacity=5))
    yield SqlMentorRequests(sessions)


def profile(user_id: str, capacity: int, until: date | None = None) -> MentorProfile:
    key = MentorKey(P, "g1", user_id)
    hours = "daily 18:00-22:00"
    return MentorProfile(key, user_id.upper(), frozenset({"sql"}), 2, "UTC", hours, capacity,
                         paused_until=until, joined_at=NOW)  # fmt: skip


def new(learner: str = "l1", topic: str = "sql", at: datetime = NOW) -> NewRequest:
    context = "joins return every row twice"
    return NewRequest(
        P, "g1", learner, learner.upper(), "c1", topic, context, "daily 18:00-22:00", "UTC", 1, at
    )


async def count(store: SqlMentorRequests, table: Table, *where: ColumnElement[bool]) -> int:
    query = select(func.count()).select_from(table).where(*where)
    async with store._sessions() as session:
        return int((await session.execute(query)).scalar_one())


async def test_one_open_request_per_learner_and_topic(store: SqlMentorRequests) -> None:
    first = await store.add(new())
    assert first is not None and first.state is RequestState.WAITING
    assert await store.add(new()) is None
    assert await store.add(new(topic="git")) is not None
    assert await store.add(new(learner="l2")) is not None
    assert await store.cancel(first.id, NOW) is not None
    assert await store.add(new()) is not None  # closed requests do not count


async def test_two_processes_claim_a_request_once(store: SqlMentorRequests) -> None:
    request = await store.add(new())
    assert request is not None
    deadline = NOW + timedelta(hours=48)
    offers = await asyncio.gather(
        store.offer(request.id, "m1", NOW, deadline), store.offer(request.id, "m2", NOW, deadline)
    )
    assert sum(o is not None for o in offers) == 1
    assert await count(store, OFFERS, OFFERS.c.state == "pending") == 1
    assert await store.load(P, "g1") in ({"m1": 1}, {"m2": 1})


async def test_places_taken_count_pending_offers_and_active_pairings(
    store: SqlMentorRequests,
) -> None:
    await SqlMentorProfiles(store._sessions).save(profile("duo", capacity=2))
    ann, bob, cy = [await store.add(new(learner)) for learner in ("ann", "bob", "cy")]
    assert ann is not None and bob is not None and cy is not None
    deadline = NOW + timedelta(hours=48)
    accepted = await store.offer(ann.id, "duo", NOW, deadline)
    assert accepted is not None
    answer = await store.answer_offer(accepted.id, "duo", True, NOW, deadline)
    assert answer.outcome is Answer.TAKEN and answer.pairing is not None
    assert await store.offer(bob.id, "m1", NOW, deadline) is not None
    assert await store.load(P, "g1") == {"duo": 1, "m1": 1}  # a pairing and an offer
    assert await store.offer(bob.id, "duo", NOW, deadline) is None  # offered already
    second = await store.add(new("dee"))
    assert second is not None
    assert await store.offer(second.id, "duo", NOW, deadline) is not None
    assert await store.load(P, "g1") == {"duo": 2, "m1": 1}  # active + pending
    assert await store.offer(cy.id, "duo", NOW, deadline) is None  # full: 1 active, 1 pending
    assert [r.learner_id for r in await store.waiting(P, "g1")] == ["cy"]


async def test_expiry_racing_a_release_ends_each_offer_once(store: SqlMentorRequests) -> None:
    # Both update many of one mentor's offers at once; they lock in id order, so on
    # PostgreSQL one waits for the other instead of the two deadlocking.
    await SqlMentorProfiles(store._sessions).save(profile("busy", capacity=30))
    for attempt in range(3):
        offers = []
        for number in range(12):
            request = await store.add(new(f"l{attempt}-{number}"))
            assert request is not None
            offer = await store.offer(request.id, "busy", NOW, NOW + timedelta(hours=1))
            assert offer is not None
            offers.append(offer)
        later = NOW + timedelta(hours=2)
        expired, released = await asyncio.gather(
            store.expire_due(later),
            store.release(P, "g1", "busy", active_too=False, now=later),
        )
        ended = {o.request_id for o, _ in expired} | {r.id for r in released}
        assert len(expired) + len(released) == len(offers)  # each ended once, one way
        assert ended == {o.request_id for o in offers}
        assert await count(store, OFFERS, OFFERS.c.state == "pending") == 0


async def test_two_processes_never_fill_a_mentor_past_capacity(store: SqlMentorRequests) -> None:
    profiles = SqlMentorProfiles(store._sessions)
    await profiles.save(profile("solo", capacity=1))
    first, second = await store.add(new("l1")), await store.add(new("l2"))
    assert first is not None and second is not None
    deadline = NOW + timedelta(hours=48)
    offers = await asyncio.gather(
        store.offer(first.id, "solo", NOW, deadline), store.offer(second.id, "solo", NOW, deadline)
    )
    assert sum(o is not None for o in offers) == 1
    assert (await store.load(P, "g1")).get("solo") == 1
    # The request that found no room is still waiting for the next mentor.
    assert len(await store.waiting(P, "g1")) == 1


async def test_no_offer_to_a_paused_or_unknown_mentor(store: SqlMentorRequests) -> None:
    profiles = SqlMentorProfiles(store._sessions)
    await profiles.save(profile("away", capacity=3))
    await profiles.set_pause(MentorKey(P, "g1", "away"), NOW.date(), "holiday")
    request = await store.add(new())
    assert request is not None
    deadline = NOW + timedelta(hours=48)
    assert await store.offer(request.id, "away", NOW, deadline) is None
    assert await store.offer(request.id, "gone", NOW, deadline) is None
    assert [r.id for r in await store.waiting(P, "g1")] == [request.id]
    assert await store.offer(request.id, "m1", NOW, deadline) is not None


async def test_a_cancel_racing_an_offer_being_made_withdraws_it(
    store: SqlMentorRequests, engine: AsyncEngine
) -> None:
    request = await store.add(new())
    assert request is not None
    # Another process is making an offer of the request (its transaction holds the request)
    # when the learner cancels: the cancel waits, then finds the offer and withdraws it.
    async with engine.connect() as other:
        making = await other.begin()
        await other.execute(
            update(REQUESTS).where(REQUESTS.c.id == request.id).values(state="offered")
        )
        await other.execute(
            OFFERS.insert().values(request_id=request.id, platform=P.value, space_id="g1",
                                   mentor_id="m1", state="pending", offered_at=NOW,
                                   deadline=NOW + timedelta(hours=48))
        )  # fmt: skip
        cancel = asyncio.create_task(store.cancel(request.id, NOW))
        await asyncio.sleep(0.2)  # the cancel is under way; either order must end the same
        await making.commit()
    closed = await asyncio.wait_for(cancel, 30)
    assert closed is not None and closed[1] is not None
    assert closed[0].state is RequestState.CANCELLED and closed[1].mentor_id == "m1"
    assert await count(store, OFFERS, OFFERS.c.state == "pending") == 0
    assert await count(store, OFFERS, OFFERS.c.state == "withdrawn") == 1


async def test_two_clicks_on_accept_make_one_pairing(store: SqlMentorRequests) -> None:
    request = await store.add(new())
    assert request is not None
    offer = await store.offer(request.id, "m1", NOW, NOW + timedelta(hours=48))
    assert offer is not None
    later = NOW + timedelta(days=7)
    answers = await asyncio.gather(
        store.answer_offer(offer.id, "m1", True, NOW, later),
        store.answer_offer(offer.id, "m1", True, NOW, later),
    )
    assert sorted(a.outcome for a in answers) == sorted([Answer.TAKEN, Answer.ALREADY])
    assert await count(store, PAIRINGS) == 1
    assert (await store.answer_offer(offer.id, "m2", True, NOW, later)).outcome is Answer.NOT_YOURS
    matched = await store.get(request.id)
    assert matched is not None and matched.state is RequestState.MATCHED


async def test_an_offer_expires_once_and_cannot_be_accepted_late(store: SqlMentorRequests) -> None:
    request = await store.add(new())
    assert request is not None
    offer = await store.offer(request.id, "m1", NOW, NOW + timedelta(hours=48))
    assert offer is not None
    due = NOW + timedelta(hours=48)
    late = await store.answer_offer(offer.id, "m1", True, due, due + timedelta(days=7))
    assert late.outcome is Answer.TOO_LATE
    expired = await asyncio.gather(store.expire_due(due), store.expire_due(due))
    assert sum(len(e) for e in expired) == 1
    waiting = await store.get(request.id)
    assert waiting is not None and waiting.state is RequestState.WAITING
    assert await store.excluded([request.id]) == {request.id: {"m1"}}
    offered = await store.find_offer(offer.id)
    assert offered is not None and offered[0].state is OfferState.EXPIRED


async def test_follow_up_answers_count_once_and_end_the_pairing(store: SqlMentorRequests) -> None:
    request = await store.add(new())
    assert request is not None
    offer = await store.offer(request.id, "m1", NOW, NOW + timedelta(hours=48))
    assert offer is not None
    week = NOW + timedelta(days=7)
    pairing = (await store.answer_offer(offer.id, "m1", True, NOW, week)).pairing
    assert pairing is not None
    assert await store.due_followups(NOW) == []
    due = await asyncio.gather(store.due_followups(week), store.due_followups(week))
    assert sum(len(d) for d in due) == 1

    both = await asyncio.gather(
        store.answer_followup(pairing.id, P, "g1", "m1", True, week),
        store.answer_followup(pairing.id, P, "g1", "m1", True, week),
    )
    assert sorted(a.outcome for a in both) == sorted([Answer.TAKEN, Answer.ALREADY])
    assert sum(a.first_meeting for a in both) == 1
    outsider = await store.answer_followup(pairing.id, P, "g1", "x", True, week)
    assert outsider.outcome is Answer.NOT_YOURS
    last = await store.answer_followup(pairing.id, P, "g1", "l1", True, week)
    assert last.outcome is Answer.TAKEN and not last.first_meeting and last.ended
    done = await store.get(request.id)
    assert done is not None and done.state is RequestState.DONE
    stats = await store.stats(P, "g1")
    assert (stats.requests, stats.matched, stats.meetings, stats.waiting) == (1, 1, 1, 0)
    assert stats.median_to_match == timedelta(0)


async def test_reminders_are_claimed_once_a_day(store: SqlMentorRequests) -> None:
    await store.add(new())
    day = NOW + timedelta(days=1)
    claims = await asyncio.gather(
        store.remind_due(day, day.date()), store.remind_due(day, day.date())
    )
    assert sum(len(c) for c in claims) == 1
    assert await store.remind_due(day + timedelta(hours=1), day.date()) == []
    assert (
        len(await store.remind_due(day + timedelta(days=1), (day + timedelta(days=1)).date())) == 1
    )


async def test_release_puts_requests_back_at_their_place(store: SqlMentorRequests) -> None:
    old = await store.add(new("l1", at=NOW))
    young = await store.add(new("l2", at=NOW + timedelta(hours=1)))
    assert old is not None and young is not None
    deadline = NOW + timedelta(hours=48)
    first = await store.offer(old.id, "m1", NOW, deadline)
    second = await store.offer(young.id, "m1", NOW, deadline)
    assert first is not None and second is not None
    await store.answer_offer(first.id, "m1", True, NOW, NOW + timedelta(days=7))
    assert await store.release(P, "g1", "m1", active_too=False, now=NOW) == [
        await store.get(young.id)
    ]
    back = await store.release(P, "g1", "m1", active_too=True, now=NOW)
    assert [r.id for r in back] == [old.id]
    assert [r.id for r in await store.waiting(P, "g1")] == [old.id, young.id]
    assert await store.load(P, "g1") == {}
    assert await store.place(old) == 1 and await store.place(young) == 2


async def test_a_held_session_counts_once_for_the_mentee(engine: AsyncEngine) -> None:
    await upgrade(engine)
    sessions = create_sessionmaker(engine)
    events = SqlLearningEventRepository(sessions)
    recorder = StudyRecorder(
        events, StudyContexts(FakeMemberRepository(), FakeSpaceRepository(), "UTC"), FixedClock(NOW)
    )
    mentee = Actor(P, "g1", "", "l1", "Lea")
    try:
        first = await recorder.mentoring_session(mentee, 7)
        again = await recorder.mentoring_session(mentee, 7)  # the other member's "yes", late
        other = await recorder.mentoring_session(mentee, 8)
    finally:
        await events.aclose()
    assert first == 1 and again is None and other == 1  # one study day, counted once each
    days = await events.days(MemberKey(P, "l1"))
    assert [(d.day, d.events) for d in days] == [(NOW.date(), 2)]  # sessions 7 and 8
