"""The MentorRequestStore port on SQL: the queue, settings, reminders and stats here.

Offers live in offers.py and pairings in pairings.py; SqlMentorRequests puts the three
together. Every read goes to the tables: another process may have changed them.
"""

from __future__ import annotations

import statistics
from datetime import date, datetime, timedelta

from sqlalchemy import and_, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from sqlalchemy.sql.elements import ColumnElement

from bot.core.mentoring.records import (
    OPEN_STATES,
    REMIND_AFTER,
    MentoringSettings,
    MentoringStats,
    MentorRequest,
    NewRequest,
    Offer,
    OfferState,
    RequestState,
)
from bot.core.messages import Platform
from bot.storage.mentoring.offers import OfferQueries
from bot.storage.mentoring.pairings import PairingQueries
from bot.storage.mentoring.rows import OFFERS, PAIRINGS, REQUESTS, SETTINGS, offer_of, request_of
from bot.storage.mentoring_tables import CONTEXT_LENGTH, HOURS_LENGTH
from bot.storage.repositories import dialect_insert

UNMATCHED = (RequestState.WAITING.value, RequestState.OFFERED.value)
CANCEL_TRIES = 5  # a try is lost only to an offer made in the same instant


def in_space(platform: Platform, space_id: str) -> tuple[ColumnElement[bool], ...]:
    """Return the conditions of one community's requests."""
    return REQUESTS.c.platform == platform.value, REQUESTS.c.space_id == space_id


class SqlMentorRequests(OfferQueries, PairingQueries):
    """Requests, offers and pairings in the mentor_* tables (bot/storage/mentoring_tables.py)."""

    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self._sessions = sessions

    async def add(self, new: NewRequest) -> MentorRequest | None:
        """Store a waiting request; None when the learner has one open on that topic."""
        async with self._sessions.begin() as session:
            query = (
                dialect_insert(session, REQUESTS)
                .values(
                    platform=new.platform.value,
                    space_id=new.space_id,
                    learner_id=new.learner_id,
                    learner_name=new.learner_name[:100],
                    channel_id=new.channel_id,
                    topic=new.topic,
                    context=new.context[:CONTEXT_LENGTH],
                    hours=new.hours[:HOURS_LENGTH],
                    timezone=new.timezone,
                    stage=new.stage,
                    state=RequestState.WAITING.value,
                    requested_at=new.requested_at,
                )
                # The partial unique index on open requests decides: a second one is no row.
                .on_conflict_do_nothing()
                .returning(*REQUESTS.c)
            )
            row = (await session.execute(query)).mappings().one_or_none()
        return None if row is None else request_of(row)

    async def get(self, request_id: int) -> MentorRequest | None:
        """Return one request."""
        async with self._sessions() as session:
            query = select(REQUESTS).where(REQUESTS.c.id == request_id)
            row = (await session.execute(query)).mappings().one_or_none()
        return None if row is None else request_of(row)

    async def open_of(
        self, platform: Platform, space_id: str, learner_id: str
    ) -> list[MentorRequest]:
        """Return the learner's open requests in a community, oldest first."""
        query = (
            select(REQUESTS)
            .where(
                *in_space(platform, space_id),
                REQUESTS.c.learner_id == learner_id,
                REQUESTS.c.state.in_([s.value for s in OPEN_STATES]),
            )
            .order_by(REQUESTS.c.requested_at, REQUESTS.c.id)
        )
        async with self._sessions() as session:
            return [request_of(r) for r in (await session.execute(query)).mappings()]

    async def waiting(self, platform: Platform, space_id: str) -> list[MentorRequest]:
        """Return the community's queue: waiting requests, oldest first."""
        query = (
            select(REQUESTS)
            .where(*in_space(platform, space_id), REQUESTS.c.state == RequestState.WAITING.value)
            .order_by(REQUESTS.c.requested_at, REQUESTS.c.id)
        )
        async with self._sessions() as session:
            return [request_of(r) for r in (await session.execute(query)).mappings()]

    async def place(self, request: MentorRequest) -> int:
        """Return the request's place among the community's unmatched requests (1 = next)."""
        earlier = or_(
            REQUESTS.c.requested_at < request.requested_at,
            and_(REQUESTS.c.requested_at == request.requested_at, REQUESTS.c.id <= request.id),
        )
        query = select(func.count()).where(
            *in_space(request.platform, request.space_id),
            REQUESTS.c.state.in_(UNMATCHED),
            earlier,
        )
        async with self._sessions() as session:
            return int((await session.execute(query)).scalar_one())

    async def spaces_waiting(self) -> list[tuple[Platform, str]]:
        """Return the communities with a waiting request."""
        query = (
            select(REQUESTS.c.platform, REQUESTS.c.space_id)
            .where(REQUESTS.c.state == RequestState.WAITING.value)
            .distinct()
        )
        async with self._sessions() as session:
            rows = (await session.execute(query)).all()
        return [(Platform(platform), space_id) for platform, space_id in rows]

    async def cancel(
        self, request_id: int, now: datetime
    ) -> tuple[MentorRequest, Offer | None] | None:
        """Close an unmatched request and withdraw its pending offer; None when not open."""
        for _ in range(CANCEL_TRIES):
            try:
                return await self._cancel_once(request_id, now)
            except _NotOpen:
                return None
            except _OfferedMeanwhile:
                continue  # the offer made meanwhile is seen (and withdrawn) by the next try
        raise RuntimeError(f"request {request_id} kept being offered while it was cancelled")

    async def _cancel_once(
        self, request_id: int, now: datetime
    ) -> tuple[MentorRequest, Offer | None] | None:
        # The offer is locked before the request, as accepting, expiring and releasing do:
        # the other order deadlocked on PostgreSQL against a mentor accepting at that moment.
        async with self._sessions.begin() as session:
            withdrawn = (
                (
                    await session.execute(
                        update(OFFERS)
                        .where(
                            OFFERS.c.request_id == request_id,
                            OFFERS.c.state == OfferState.PENDING.value,
                        )
                        .values(state=OfferState.WITHDRAWN.value, answered_at=now)
                        .returning(*OFFERS.c)
                    )
                )
                .mappings()
                .one_or_none()
            )
            # With its offer withdrawn the request is offered; without one it must be waiting
            # (one offered now got its offer after this transaction looked: try again).
            state = RequestState.WAITING if withdrawn is None else RequestState.OFFERED
            closed = (
                (
                    await session.execute(
                        update(REQUESTS)
                        .where(REQUESTS.c.id == request_id, REQUESTS.c.state == state.value)
                        .values(state=RequestState.CANCELLED.value, closed_at=now)
                        .returning(*REQUESTS.c)
                    )
                )
                .mappings()
                .one_or_none()
            )
            if closed is None:
                current = await session.scalar(
                    select(REQUESTS.c.state).where(REQUESTS.c.id == request_id)
                )
                if withdrawn is None and current == RequestState.OFFERED.value:
                    raise _OfferedMeanwhile
                raise _NotOpen  # matched, closed or gone: roll back, change nothing
        return request_of(closed), None if withdrawn is None else offer_of(withdrawn)

    async def remind_due(self, now: datetime, today: date) -> list[MentorRequest]:
        """Claim today's reminder for each request unmatched for longer than REMIND_AFTER."""
        query = (
            update(REQUESTS)
            .where(
                REQUESTS.c.state.in_(UNMATCHED),
                REQUESTS.c.requested_at <= now - REMIND_AFTER,
                or_(REQUESTS.c.reminded_on.is_(None), REQUESTS.c.reminded_on < today),
            )
            .values(reminded_on=today)
            .returning(*REQUESTS.c)
        )
        async with self._sessions.begin() as session:
            rows = (await session.execute(query)).mappings().all()
        return sorted((request_of(r) for r in rows), key=lambda r: (r.requested_at, r.id))

    async def stats(self, platform: Platform, space_id: str) -> MentoringStats:
        """Return the community's counts."""
        where = in_space(platform, space_id)
        async with self._sessions() as session:
            requests = (await session.execute(select(func.count()).where(*where))).scalar_one()
            waits = (
                await session.execute(
                    select(REQUESTS.c.requested_at, REQUESTS.c.matched_at).where(
                        *where, REQUESTS.c.matched_at.is_not(None)
                    )
                )
            ).all()
            waiting = (
                await session.execute(
                    select(func.count()).where(*where, REQUESTS.c.state.in_(UNMATCHED))
                )
            ).scalar_one()
            by_state = await session.execute(
                select(OFFERS.c.state, func.count())
                .where(OFFERS.c.platform == platform.value, OFFERS.c.space_id == space_id)
                .group_by(OFFERS.c.state)
            )
            offers = {str(state): int(count) for state, count in by_state.all()}
            meetings = (
                await session.execute(
                    select(func.count()).where(
                        PAIRINGS.c.platform == platform.value,
                        PAIRINGS.c.space_id == space_id,
                        PAIRINGS.c.met_at.is_not(None),
                    )
                )
            ).scalar_one()
        minutes = [(matched - asked) / timedelta(minutes=1) for asked, matched in waits]
        accepted = offers.get(OfferState.ACCEPTED.value, 0)
        expired = offers.get(OfferState.EXPIRED.value, 0)
        return MentoringStats(
            requests=int(requests),
            matched=len(waits),
            median_to_match=timedelta(minutes=statistics.median(minutes)) if minutes else None,
            offers_answered=accepted + offers.get(OfferState.DECLINED.value, 0) + expired,
            offers_accepted=accepted,
            offers_expired=expired,
            meetings=int(meetings),
            waiting=int(waiting),
        )

    async def settings(self, platform: Platform, space_id: str) -> MentoringSettings:
        """Return the community's mentoring settings (defaults when never set)."""
        query = select(SETTINGS.c.deadline_minutes, SETTINGS.c.followup_minutes).where(
            SETTINGS.c.platform == platform.value, SETTINGS.c.space_id == space_id
        )
        async with self._sessions() as session:
            row = (await session.execute(query)).one_or_none()
        if row is None:
            return MentoringSettings()
        return MentoringSettings(timedelta(minutes=row[0]), timedelta(minutes=row[1]))

    async def configure(
        self,
        platform: Platform,
        space_id: str,
        deadline: timedelta | None,
        followup: timedelta | None,
    ) -> MentoringSettings:
        """Change the settings given (None keeps one) and return them."""
        current = await self.settings(platform, space_id)
        wanted = MentoringSettings(deadline or current.deadline, followup or current.followup)
        values = {
            "deadline_minutes": int(wanted.deadline / timedelta(minutes=1)),
            "followup_minutes": int(wanted.followup / timedelta(minutes=1)),
        }
        async with self._sessions.begin() as session:
            insert = dialect_insert(session, SETTINGS).values(
                platform=platform.value, space_id=space_id, **values
            )
            await session.execute(
                insert.on_conflict_do_update(
                    index_elements=[SETTINGS.c.platform, SETTINGS.c.space_id], set_=values
                )
            )
        return wanted


class _NotOpen(Exception):
    """The request to cancel is matched, closed or gone: undo."""


class _OfferedMeanwhile(Exception):
    """A cancel found its request offered after it looked for the offer: undo, try again."""
