"""Offers of requests to mentors: the claim, the answer, expiry and handing work back.

Each step is one transaction whose conditional UPDATE (WHERE state = 'pending' ...) decides
who wins: two clicks on Accept, or two processes expiring the same offer, act once.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime
from typing import Any

from sqlalchemy import CompoundSelect, Select, Table, func, select, union_all, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from sqlalchemy.sql.elements import ColumnElement

from bot.core.mentoring.records import (
    Answer,
    MentorRequest,
    Offer,
    OfferAnswer,
    OfferState,
    RequestState,
)
from bot.core.messages import Platform
from bot.storage.mentoring.pairings import ACTIVE
from bot.storage.mentoring.profiles import PROFILES
from bot.storage.mentoring.rows import OFFERS, PAIRINGS, REQUESTS, offer_of, pairing_of, request_of

PENDING = OfferState.PENDING.value


class OfferQueries:
    """The offer half of SqlMentorRequests."""

    _sessions: async_sessionmaker[AsyncSession]

    async def excluded(self, request_ids: Collection[int]) -> dict[int, set[str]]:
        """Return, per request, the mentors who declined or let expire an offer of it."""
        found: dict[int, set[str]] = {request_id: set() for request_id in request_ids}
        query = select(OFFERS.c.request_id, OFFERS.c.mentor_id).where(
            OFFERS.c.request_id.in_(list(found)),
            OFFERS.c.state.in_([OfferState.DECLINED.value, OfferState.EXPIRED.value]),
        )
        async with self._sessions() as session:
            for request_id, mentor_id in (await session.execute(query)).all():
                found[request_id].add(mentor_id)
        return found

    async def load(self, platform: Platform, space_id: str) -> dict[str, int]:
        """Return each mentor's places taken: active pairings and pending offers."""
        taken: dict[str, int] = {}
        # One statement for both: a new request's match reads this on every request.
        query = _places_taken(platform.value, space_id)
        async with self._sessions() as session:
            for mentor_id, count in (await session.execute(query)).all():
                taken[mentor_id] = taken.get(mentor_id, 0) + int(count)
        return taken

    async def offer(
        self, request_id: int, mentor_id: str, now: datetime, deadline: datetime
    ) -> Offer | None:
        """Claim a waiting request for an offer to mentor; None when it is not waiting.

        None too when the mentor has no room left, is paused or has left: the places are
        counted under a lock on the mentor's profile row, so two processes matching at once
        never give a mentor more than their capacity.
        """
        try:
            return await self._claim_for(request_id, mentor_id, now, deadline)
        except _NoRoom:
            return None  # rolled back: the request stays waiting for the next run

    async def _claim_for(
        self, request_id: int, mentor_id: str, now: datetime, deadline: datetime
    ) -> Offer | None:
        async with self._sessions() as session, session.begin():
            claimed = (
                await session.execute(
                    update(REQUESTS)
                    .where(
                        REQUESTS.c.id == request_id, REQUESTS.c.state == RequestState.WAITING.value
                    )
                    .values(state=RequestState.OFFERED.value)
                    .returning(REQUESTS.c.platform, REQUESTS.c.space_id)
                )
            ).one_or_none()
            if claimed is None:
                return None
            platform, space_id = claimed
            if not await _has_room(session, platform, space_id, mentor_id, now):
                raise _NoRoom
            row = (
                (
                    await session.execute(
                        OFFERS.insert()
                        .values(
                            request_id=request_id,
                            platform=platform,
                            space_id=space_id,
                            mentor_id=mentor_id,
                            state=PENDING,
                            offered_at=now,
                            deadline=deadline,
                        )
                        .returning(*OFFERS.c)
                    )
                )
                .mappings()
                .one()
            )
        return offer_of(row)

    async def find_offer(self, offer_id: int) -> tuple[Offer, MentorRequest] | None:
        """Return an offer and its request."""
        query = select(OFFERS).where(OFFERS.c.id == offer_id)
        async with self._sessions() as session:
            row = (await session.execute(query)).mappings().one_or_none()
            if row is None:
                return None
            request = (
                (await session.execute(select(REQUESTS).where(REQUESTS.c.id == row["request_id"])))
                .mappings()
                .one()
            )
        return offer_of(row), request_of(request)

    async def answer_offer(
        self, offer_id: int, mentor_id: str, accept: bool, now: datetime, followup_at: datetime
    ) -> OfferAnswer:
        """Accept (a pairing starts) or decline (the request waits again) a pending offer."""
        found = await self.find_offer(offer_id)
        if found is None:
            return OfferAnswer(Answer.UNKNOWN)
        offer, request = found
        if offer.mentor_id != mentor_id:
            return OfferAnswer(Answer.NOT_YOURS, offer, request)
        state = OfferState.ACCEPTED if accept else OfferState.DECLINED
        async with self._sessions.begin() as session:
            taken = (
                (
                    await session.execute(
                        update(OFFERS)
                        .where(
                            OFFERS.c.id == offer_id,
                            OFFERS.c.state == PENDING,
                            OFFERS.c.deadline > now,
                        )
                        .values(state=state.value, answered_at=now)
                        .returning(*OFFERS.c)
                    )
                )
                .mappings()
                .one_or_none()
            )
            if taken is None:
                late = offer.state is OfferState.PENDING and offer.deadline <= now
                return OfferAnswer(Answer.TOO_LATE if late else Answer.ALREADY, offer, request)
            values: dict[str, object] = {"state": RequestState.WAITING.value}
            if accept:
                values = {"state": RequestState.MATCHED.value, "matched_at": now}
            changed = (
                (
                    await session.execute(
                        update(REQUESTS)
                        .where(
                            REQUESTS.c.id == request.id,
                            REQUESTS.c.state == RequestState.OFFERED.value,
                        )
                        .values(**values)
                        .returning(*REQUESTS.c)
                    )
                )
                .mappings()
                .one()
            )
            pairing = None
            if accept:
                pairing = (
                    (
                        await session.execute(
                            PAIRINGS.insert()
                            .values(
                                request_id=request.id,
                                offer_id=offer_id,
                                platform=request.platform.value,
                                space_id=request.space_id,
                                mentor_id=mentor_id,
                                learner_id=request.learner_id,
                                state=ACTIVE,
                                started_at=now,
                                followup_at=followup_at,
                            )
                            .returning(*PAIRINGS.c)
                        )
                    )
                    .mappings()
                    .one()
                )
        return OfferAnswer(
            Answer.TAKEN,
            offer_of(taken),
            request_of(changed),
            None if pairing is None else pairing_of(pairing),
        )

    async def expire_due(self, now: datetime) -> list[tuple[Offer, MentorRequest]]:
        """Claim the pending offers past their deadline; their requests wait again."""
        async with self._sessions.begin() as session:
            due = await _lock_in_order(session, OFFERS, OFFERS.c.state == PENDING,
                                       OFFERS.c.deadline <= now)  # fmt: skip
            offers = [
                offer_of(row)
                for row in (
                    await session.execute(
                        update(OFFERS)
                        .where(OFFERS.c.id.in_(due), OFFERS.c.state == PENDING)
                        .values(state=OfferState.EXPIRED.value, answered_at=now)
                        .returning(*OFFERS.c)
                    )
                ).mappings()
            ]
            requests = await _back_to_queue(session, [o.request_id for o in offers])
        by_id = {r.id: r for r in requests}
        return [
            (o, by_id[o.request_id])
            for o in sorted(offers, key=lambda o: o.id)
            if o.request_id in by_id
        ]

    async def release(
        self, platform: Platform, space_id: str, mentor_id: str, *, active_too: bool, now: datetime
    ) -> list[MentorRequest]:
        """Withdraw the mentor's pending offers (and active pairings); return the requests."""
        mine = (
            PAIRINGS.c.platform == platform.value,
            PAIRINGS.c.space_id == space_id,
            PAIRINGS.c.mentor_id == mentor_id,
        )
        async with self._sessions.begin() as session:
            pending = await _lock_in_order(
                session,
                OFFERS,
                OFFERS.c.platform == platform.value,
                OFFERS.c.space_id == space_id,
                OFFERS.c.mentor_id == mentor_id,
                OFFERS.c.state == PENDING,
            )
            ids = list(
                (
                    await session.execute(
                        update(OFFERS)
                        .where(OFFERS.c.id.in_(pending), OFFERS.c.state == PENDING)
                        .values(state=OfferState.WITHDRAWN.value, answered_at=now)
                        .returning(OFFERS.c.request_id)
                    )
                ).scalars()
            )
            if active_too:
                ids += list(
                    (
                        await session.execute(
                            update(PAIRINGS)
                            .where(*mine, PAIRINGS.c.state == ACTIVE)
                            .values(state="released", ended_at=now)
                            .returning(PAIRINGS.c.request_id)
                        )
                    ).scalars()
                )
            requests = await _back_to_queue(session, ids)
        return sorted(requests, key=lambda r: (r.requested_at, r.id))


async def _back_to_queue(session: AsyncSession, request_ids: list[int]) -> list[MentorRequest]:
    """Put offered or matched requests back in the queue, at their original place."""
    if not request_ids:
        return []
    locked = await _lock_in_order(session, REQUESTS, REQUESTS.c.id.in_(request_ids))
    rows = await session.execute(
        update(REQUESTS)
        .where(
            REQUESTS.c.id.in_(locked),
            REQUESTS.c.state.in_([RequestState.OFFERED.value, RequestState.MATCHED.value]),
        )
        .values(state=RequestState.WAITING.value, matched_at=None)
        .returning(*REQUESTS.c)
    )
    return [request_of(r) for r in rows.mappings()]


async def _lock_in_order(
    session: AsyncSession, table: Table, *where: ColumnElement[bool]
) -> list[int]:
    """Lock the rows where holds, in id order, and return their ids.

    Two statements that update several offers (or requests) at once could otherwise take
    their row locks in different orders on PostgreSQL and deadlock (expiry against a
    mentor's release); in id order one simply waits for the other. SQLite has one writer.
    """
    query = select(table.c.id).where(*where).order_by(table.c.id).with_for_update()
    return list((await session.execute(query)).scalars())


def _places_taken(
    platform: str, space_id: str, mentor_id: str | None = None
) -> CompoundSelect[Any]:
    """Return (mentor id, count) rows of places taken: pending offers, active pairings."""

    def per_mentor(table: Table, state: str) -> Select[Any]:
        where = [table.c.platform == platform, table.c.space_id == space_id, table.c.state == state]
        if mentor_id is not None:
            where.append(table.c.mentor_id == mentor_id)
        return select(table.c.mentor_id, func.count()).where(*where).group_by(table.c.mentor_id)

    return union_all(per_mentor(OFFERS, PENDING), per_mentor(PAIRINGS, ACTIVE))


class _NoRoom(Exception):
    """The mentor has no room: undo the request's claim."""


async def _has_room(
    session: AsyncSession, platform: str, space_id: str, mentor_id: str, now: datetime
) -> bool:
    """Lock the mentor's profile and tell whether it takes one more offer now.

    On PostgreSQL the row lock (FOR UPDATE) orders two offers to one mentor; SQLite has one
    writer at a time, and this transaction already writes (the request's claim).
    """
    profile = (
        await session.execute(
            select(PROFILES.c.capacity, PROFILES.c.paused_until)
            .where(
                PROFILES.c.platform == platform,
                PROFILES.c.space_id == space_id,
                PROFILES.c.user_id == mentor_id,
            )
            .with_for_update()
        )
    ).one_or_none()
    if profile is None or (profile.paused_until is not None and now.date() <= profile.paused_until):
        return False
    # One statement while the lock is held: pending offers and active pairings.
    query = _places_taken(platform, space_id, mentor_id)
    taken = sum(int(count) for count in (await session.execute(query)).scalars(1))
    return taken < int(profile.capacity)
