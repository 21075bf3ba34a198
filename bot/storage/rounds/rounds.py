"""Rounds in SQL: a round with its outcomes, and the notices claimed for them.

A round and its outcomes are stored at once under the unique (channel, number); each notice
(heads-up, outcome, roster, follow-up) is claimed by one guarded statement.

Every claim is a single INSERT ... ON CONFLICT DO NOTHING or UPDATE ... WHERE <not yet>, so of
two processes exactly one wins, on SQLite and PostgreSQL alike.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime, timedelta
from typing import Any, Final, cast

from sqlalchemy import Table, select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.core.mentoring.matching import OddCount, RoundResult
from bot.core.mentoring.rounds.ports import (
    FollowUp,
    PairingChannel,
    PastSeat,
    PlannedRound,
    RoundRecord,
    Seat,
)
from bot.core.messages import Platform
from bot.storage.repositories import changed, dialect_insert
from bot.storage.rounds.channels import CHANNELS, channel_of
from bot.storage.rounds.rows import (
    OUTCOMES,
    blocked_of,
    blocked_text,
    outcome_rows,
    outcomes_of,
    result_of,
    seats_in,
)
from bot.storage.tables import PairingHeadsUpRow, PairingRoundRow

ROUNDS = cast(Table, PairingRoundRow.__table__)
HEADS_UPS = cast(Table, PairingHeadsUpRow.__table__)
FOLLOW_UP_WINDOW: Final = timedelta(days=7)  # after downtime, older rounds are not asked about
_IGNORED_LOOKBACK: Final = 10


class RoundTaken(Exception):
    """Another process moved the channel on first: this round is not ours to store."""


class SqlPairingRounds:
    """The PairingRounds port on pairing_rounds, pairing_outcomes and pairing_heads_ups."""

    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self._sessions = sessions

    async def record(self, planned: PlannedRound, now: datetime) -> int | None:
        """Store a round and move its channel on, at once; None if it is already stored."""
        channel = planned.channel
        if channel.next_day is None or channel.next_due_at is None:
            return None
        try:
            async with self._sessions.begin() as session:
                insert = dialect_insert(session, ROUNDS).values(
                    channel_id=channel.id,
                    number=channel.next_number,
                    local_date=channel.next_day,
                    due_at=channel.next_due_at,
                    seed=planned.seed,
                    odd=channel.settings.odd,
                    blocked=blocked_text(planned.blocked),
                    held_at=now,
                )
                claimed = await session.execute(
                    insert.on_conflict_do_nothing(
                        index_elements=["channel_id", "number"]
                    ).returning(ROUNDS.c.id)
                )
                round_id = claimed.scalar_one_or_none()
                if round_id is None:
                    return None
                moved = await session.execute(
                    update(CHANNELS)
                    .where(
                        CHANNELS.c.id == channel.id,
                        CHANNELS.c.next_number == channel.next_number,
                    )
                    .values(
                        next_number=channel.next_number + 1,
                        next_day=planned.next_day,
                        next_due_at=planned.next_due_at,
                    )
                )
                if changed(moved) == 0:
                    raise RoundTaken(channel.id)
                await session.execute(OUTCOMES.insert(), outcome_rows(round_id, planned))
        except RoundTaken:
            return None
        return int(round_id)

    async def get(self, channel_id: int, number: int) -> RoundRecord | None:
        """Return a stored round of a channel."""
        query = select(ROUNDS).where(ROUNDS.c.channel_id == channel_id, ROUNDS.c.number == number)
        return await self._record(query)

    async def last(self, channel_id: int) -> RoundRecord | None:
        """Return a channel's latest round."""
        query = (
            select(ROUNDS)
            .where(ROUNDS.c.channel_id == channel_id)
            .order_by(ROUNDS.c.number.desc())
            .limit(1)
        )
        return await self._record(query)

    async def history(self, channel_id: int, rounds: int) -> list[RoundResult]:
        """Return a channel's last rounds' results, oldest first."""
        latest = (
            select(ROUNDS.c.id, ROUNDS.c.number)
            .where(ROUNDS.c.channel_id == channel_id)
            .order_by(ROUNDS.c.number.desc())
            .limit(rounds)
        )
        async with self._sessions() as session:
            found = (await session.execute(latest)).all()
            ids = [row.id for row in sorted(found, key=lambda row: row.number)]
            outcomes = await outcomes_of(session, ids)
        return [result_of(outcomes[round_id]) for round_id in ids]

    async def claim_heads_up(
        self, channel_id: int, number: int, user_id: str, now: datetime
    ) -> bool:
        """Claim the heads-up of one member for one round; True once."""
        async with self._sessions.begin() as session:
            insert = dialect_insert(session, HEADS_UPS).values(
                channel_id=channel_id, number=number, user_id=user_id, sent_at=now
            )
            result = await session.execute(
                insert.on_conflict_do_nothing(index_elements=["channel_id", "number", "user_id"])
            )
            return changed(result) > 0

    async def untold(self, round_id: int) -> list[Seat]:
        """Return the seats of a round whose member has not been told yet."""
        async with self._sessions() as session:
            rows = (await outcomes_of(session, [round_id]))[round_id]
        everyone = seats_in(rows)
        untold = {row["user_id"] for row in rows if row["told_at"] is None}
        return [seat for seat in everyone if seat.user_id in untold]

    async def with_untold(
        self, held_since: datetime, platforms: Collection[Platform]
    ) -> list[tuple[PairingChannel, int]]:
        """Return (channel, round number) of rounds held since then with someone not told."""
        query = (
            select(ROUNDS.c.number, CHANNELS)
            .join(ROUNDS, ROUNDS.c.channel_id == CHANNELS.c.id)
            .where(
                CHANNELS.c.platform.in_([p.value for p in platforms]),
                ROUNDS.c.held_at >= held_since,
                ROUNDS.c.id.in_(select(OUTCOMES.c.round_id).where(OUTCOMES.c.told_at.is_(None))),
            )
            .order_by(ROUNDS.c.held_at, ROUNDS.c.id)
        )
        async with self._sessions() as session:
            rows = (await session.execute(query)).mappings().all()
        return [(channel_of(row), int(row["number"])) for row in rows]

    async def claim_told(self, round_id: int, user_id: str, now: datetime) -> bool:
        """Claim telling one member their outcome; True once."""
        return await self._claim_outcome(round_id, user_id, "told_at", now)

    async def claim_roster(self, round_id: int, now: datetime) -> bool:
        """Claim sending a round's roster to the moderators; True once."""
        statement = (
            update(ROUNDS)
            .where(ROUNDS.c.id == round_id, ROUNDS.c.roster_sent_at.is_(None))
            .values(roster_sent_at=now)
        )
        async with self._sessions.begin() as session:
            return changed(await session.execute(statement)) > 0

    async def due_follow_ups(
        self, held_before: datetime, platforms: Collection[Platform]
    ) -> list[FollowUp]:
        """Return grouped members of rounds held before held_before not asked yet."""
        query = (
            select(ROUNDS.c.id.label("round_id"), ROUNDS.c.number, CHANNELS)
            .join(ROUNDS, ROUNDS.c.channel_id == CHANNELS.c.id)
            .where(
                CHANNELS.c.platform.in_([p.value for p in platforms]),
                ROUNDS.c.due_at <= held_before,
                ROUNDS.c.due_at > held_before - FOLLOW_UP_WINDOW,
                ROUNDS.c.id.in_(
                    select(OUTCOMES.c.round_id).where(
                        OUTCOMES.c.asked_at.is_(None), OUTCOMES.c.kind != "sat_out"
                    )
                ),
            )
            .order_by(ROUNDS.c.due_at, ROUNDS.c.id)
        )
        async with self._sessions() as session:
            found = (await session.execute(query)).mappings().all()
            outcomes = await outcomes_of(session, [row["round_id"] for row in found])
        due: list[FollowUp] = []
        for row in found:
            rows = outcomes[row["round_id"]]
            names = {r["user_id"]: r["display_name"] for r in rows}
            for seat in seats_in(rows):
                asked = next(r["asked_at"] for r in rows if r["user_id"] == seat.user_id)
                if seat.kind != "sat_out" and asked is None:
                    channel = channel_of(row)
                    due.append(FollowUp(channel, int(row["number"]), seat.user_id, seat.group,
                                        names))  # fmt: skip
        return due

    async def claim_asked(self, channel_id: int, number: int, user_id: str, now: datetime) -> bool:
        """Claim asking one member whether they met; True once."""
        round_id = await self._round_id(channel_id, number)
        return round_id is not None and await self._claim_outcome(
            round_id, user_id, "asked_at", now
        )

    async def answer(
        self, channel_id: int, number: int, user_id: str, met: bool, now: datetime
    ) -> bool | None:
        """Store whether they met (a later answer replaces it); None if they had no group."""
        round_id = await self._round_id(channel_id, number)
        if round_id is None:
            return None
        statement = (
            update(OUTCOMES)
            .where(
                OUTCOMES.c.round_id == round_id,
                OUTCOMES.c.user_id == user_id,
                OUTCOMES.c.kind != "sat_out",
            )
            .values(met=met, answered_at=now)
        )
        async with self._sessions.begin() as session:
            return met if changed(await session.execute(statement)) else None

    async def ignored(self, channel_id: int, user_id: str, since: datetime | None) -> int:
        """Return how many of their latest asked rounds since then went unanswered in a row."""
        query = (
            select(OUTCOMES.c.answered_at)
            .join(ROUNDS, ROUNDS.c.id == OUTCOMES.c.round_id)
            .where(
                ROUNDS.c.channel_id == channel_id,
                OUTCOMES.c.user_id == user_id,
                OUTCOMES.c.asked_at.is_not(None),
            )
            .order_by(ROUNDS.c.number.desc())
            .limit(_IGNORED_LOOKBACK)
        )
        if since is not None:
            query = query.where(ROUNDS.c.held_at >= since)
        async with self._sessions() as session:
            answers = (await session.execute(query)).scalars().all()
        count = 0
        for answered in answers:
            if answered is not None:
                break
            count += 1
        return count

    async def last_partners(self, channel_id: int, user_id: str, rounds: int) -> list[PastSeat]:
        """Return their outcomes in their last rounds of a channel, newest first."""
        query = (
            select(ROUNDS.c.id, ROUNDS.c.number)
            .join(OUTCOMES, OUTCOMES.c.round_id == ROUNDS.c.id)
            .where(ROUNDS.c.channel_id == channel_id, OUTCOMES.c.user_id == user_id)
            .order_by(ROUNDS.c.number.desc())
            .limit(rounds)
        )
        async with self._sessions() as session:
            found = (await session.execute(query)).all()
            outcomes = await outcomes_of(session, [row.id for row in found])
        past: list[PastSeat] = []
        for row in found:
            rows = outcomes[row.id]
            names = {r["user_id"]: r["display_name"] for r in rows}
            seat = next(s for s in seats_in(rows) if s.user_id == user_id)
            partners = {u: names[u] for u in seat.group if u != user_id}
            past.append(PastSeat(int(row.number), seat.kind, partners))
        return past

    async def latest_grouped(
        self, platform: Platform, space_id: str, user_id: str
    ) -> tuple[int, int] | None:
        """Return (channel id, round number) of their latest round with partners in a space."""
        query = (
            select(ROUNDS.c.channel_id, ROUNDS.c.number)
            .join(OUTCOMES, OUTCOMES.c.round_id == ROUNDS.c.id)
            .join(CHANNELS, CHANNELS.c.id == ROUNDS.c.channel_id)
            .where(
                CHANNELS.c.platform == platform.value,
                CHANNELS.c.space_id == space_id,
                OUTCOMES.c.user_id == user_id,
                OUTCOMES.c.kind != "sat_out",
            )
            .order_by(ROUNDS.c.held_at.desc(), ROUNDS.c.id.desc())
            .limit(1)
        )
        async with self._sessions() as session:
            row = (await session.execute(query)).one_or_none()
        return None if row is None else (int(row.channel_id), int(row.number))

    async def _round_id(self, channel_id: int, number: int) -> int | None:
        query = select(ROUNDS.c.id).where(
            ROUNDS.c.channel_id == channel_id, ROUNDS.c.number == number
        )
        async with self._sessions() as session:
            found = (await session.execute(query)).scalar_one_or_none()
        return None if found is None else int(found)

    async def _claim_outcome(self, round_id: int, user_id: str, column: str, now: datetime) -> bool:
        statement = (
            update(OUTCOMES)
            .where(
                OUTCOMES.c.round_id == round_id,
                OUTCOMES.c.user_id == user_id,
                OUTCOMES.c[column].is_(None),
            )
            .values({column: now})
        )
        async with self._sessions.begin() as session:
            return changed(await session.execute(statement)) > 0

    async def _record(self, query: Any) -> RoundRecord | None:
        async with self._sessions() as session:
            row = (await session.execute(query)).mappings().one_or_none()
            if row is None:
                return None
            rows = (await outcomes_of(session, [row["id"]]))[row["id"]]
        return RoundRecord(
            id=int(row["id"]),
            channel_id=int(row["channel_id"]),
            number=int(row["number"]),
            day=row["local_date"],
            due_at=row["due_at"],
            seed=int(row["seed"]),
            odd=cast(OddCount, row["odd"]),
            members=tuple(r["user_id"] for r in sorted(rows, key=lambda r: r["position"])),
            blocked=blocked_of(row["blocked"]),
            result=result_of(rows),
            names={r["user_id"]: r["display_name"] for r in rows},
        )
