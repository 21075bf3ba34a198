"""Pairings: the follow-up claim, "did you meet?" answers (once each), and their end."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.core.mentoring.records import Answer, FollowupAnswer, Pairing, RequestState
from bot.core.messages import Platform
from bot.storage.mentoring.rows import FOLLOWUPS, PAIRINGS, REQUESTS, pairing_of
from bot.storage.repositories import dialect_insert

ACTIVE = "active"


class PairingQueries:
    """The pairing half of SqlMentorRequests."""

    _sessions: async_sessionmaker[AsyncSession]

    async def pairing_of(self, request_id: int) -> Pairing | None:
        """Return the active pairing of a matched request."""
        query = select(PAIRINGS).where(
            PAIRINGS.c.request_id == request_id, PAIRINGS.c.state == ACTIVE
        )
        async with self._sessions() as session:
            row = (await session.execute(query)).mappings().one_or_none()
        return None if row is None else pairing_of(row)

    async def due_followups(self, now: datetime) -> list[Pairing]:
        """Claim the active pairings whose follow-up is due and not yet asked."""
        query = (
            update(PAIRINGS)
            .where(
                PAIRINGS.c.state == ACTIVE,
                PAIRINGS.c.followup_at <= now,
                PAIRINGS.c.followup_sent_at.is_(None),
            )
            .values(followup_sent_at=now)
            .returning(*PAIRINGS.c)
        )
        async with self._sessions.begin() as session:
            rows = (await session.execute(query)).mappings().all()
        return sorted((pairing_of(r) for r in rows), key=lambda p: p.id)

    async def answer_followup(
        self,
        pairing_id: int,
        platform: Platform,
        space_id: str,
        member_id: str,
        met: bool,
        now: datetime,
    ) -> FollowupAnswer:
        """Record one member's answer (once); a "yes" records the meeting once."""
        query = select(PAIRINGS).where(
            PAIRINGS.c.id == pairing_id,
            PAIRINGS.c.platform == platform.value,
            PAIRINGS.c.space_id == space_id,
            PAIRINGS.c.state != "released",
        )
        async with self._sessions.begin() as session:
            row = (await session.execute(query)).mappings().one_or_none()
            if row is None:
                return FollowupAnswer(Answer.UNKNOWN)
            pairing = pairing_of(row)
            if member_id not in pairing.members():
                return FollowupAnswer(Answer.NOT_YOURS, pairing)
            insert = dialect_insert(session, FOLLOWUPS).values(
                pairing_id=pairing_id, member_id=member_id, met=met, answered_at=now
            )
            taken = await session.execute(insert.on_conflict_do_nothing().returning(FOLLOWUPS.c.id))
            if taken.first() is None:
                return FollowupAnswer(Answer.ALREADY, pairing)
            first = False
            if met:
                first = (
                    await session.execute(
                        update(PAIRINGS)
                        .where(PAIRINGS.c.id == pairing_id, PAIRINGS.c.met_at.is_(None))
                        .values(met_at=now)
                        .returning(PAIRINGS.c.id)
                    )
                ).first() is not None
            answers = (
                await session.execute(
                    select(func.count()).where(FOLLOWUPS.c.pairing_id == pairing_id)
                )
            ).scalar_one()
            ended = False
            if answers >= 2:
                ended = bool(await _end(session, [pairing_id], now))
        return FollowupAnswer(Answer.TAKEN, pairing, first_meeting=first, ended=ended)

    async def end_unanswered(self, now: datetime, grace: timedelta) -> list[Pairing]:
        """End active pairings asked longer than grace ago; their places are free again."""
        query = select(PAIRINGS.c.id).where(
            PAIRINGS.c.state == ACTIVE, PAIRINGS.c.followup_sent_at <= now - grace
        )
        async with self._sessions.begin() as session:
            ids = list((await session.execute(query)).scalars())
            return await _end(session, ids, now)


async def _end(session: AsyncSession, pairing_ids: list[int], now: datetime) -> list[Pairing]:
    """End active pairings (conditionally: once) and close their requests as done."""
    if not pairing_ids:
        return []
    rows = (
        (
            await session.execute(
                update(PAIRINGS)
                .where(PAIRINGS.c.id.in_(pairing_ids), PAIRINGS.c.state == ACTIVE)
                .values(state="ended", ended_at=now)
                .returning(*PAIRINGS.c)
            )
        )
        .mappings()
        .all()
    )
    ended = [pairing_of(r) for r in rows]
    if ended:
        await session.execute(
            update(REQUESTS)
            .where(
                REQUESTS.c.id.in_([p.request_id for p in ended]),
                REQUESTS.c.state == RequestState.MATCHED.value,
            )
            .values(state=RequestState.DONE.value, closed_at=now)
        )
    return sorted(ended, key=lambda p: p.id)
