"""Members of channels' pairing rounds, in pairing_members: in, out, snoozed, skipping, paused."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, cast

from sqlalchemy import Table, select, update
from sqlalchemy.engine import RowMapping
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.core.mentoring.rounds.ports import Participant
from bot.storage.repositories import changed, dialect_insert
from bot.storage.tables import PairingMemberRow

MEMBERS = cast(Table, PairingMemberRow.__table__)
NAME_LENGTH = 100


class SqlPairingMembers:
    """The PairingMembers port on pairing_members."""

    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self._sessions = sessions

    async def join(self, channel_id: int, user_id: str, name: str, now: datetime) -> bool:
        """Opt in (or come back from a pause, a snooze, a skip); False if already in."""
        was = await self.get(channel_id, user_id)
        fresh = {
            "display_name": name[:NAME_LENGTH],
            "opted_in": True,
            "snoozed_until": None,
            "skip_number": None,
            "paused_at": None,
            "updated_at": now,
        }
        async with self._sessions.begin() as session:
            insert = dialect_insert(session, MEMBERS).values(
                channel_id=channel_id, user_id=user_id, joined_at=now, **fresh
            )
            # Coming back after a pause counts ignored rounds afresh (from joined_at).
            back = (
                {**fresh, "joined_at": now}
                if was is None or not was.opted_in or (was.paused_at is not None)
                else fresh
            )
            await session.execute(
                insert.on_conflict_do_update(index_elements=["channel_id", "user_id"], set_=back)
            )
        return was is None or not was.opted_in or was.paused_at is not None

    async def leave(self, channel_id: int, user_id: str, now: datetime) -> bool:
        """Opt out; False if they were not in."""
        return await self._set(channel_id, user_id, now, opted_in=False)

    async def snooze(self, channel_id: int, user_id: str, until: date, now: datetime) -> bool:
        """Leave rounds out until a local date; False if they are not in."""
        return await self._set(channel_id, user_id, now, snoozed_until=until)

    async def skip(self, channel_id: int, user_id: str, number: int, now: datetime) -> bool:
        """Skip round number only; False if they are not in."""
        return await self._set(channel_id, user_id, now, skip_number=number)

    async def pause(self, channel_id: int, user_id: str, now: datetime) -> bool:
        """Pause a member who ignored rounds; True only for the call that paused them."""
        statement = (
            update(MEMBERS)
            .where(
                MEMBERS.c.channel_id == channel_id,
                MEMBERS.c.user_id == user_id,
                MEMBERS.c.opted_in.is_(True),
                MEMBERS.c.paused_at.is_(None),
            )
            .values(paused_at=now, updated_at=now)
        )
        async with self._sessions.begin() as session:
            return changed(await session.execute(statement)) > 0

    async def get(self, channel_id: int, user_id: str) -> Participant | None:
        """Return a member's standing in a channel."""
        query = select(MEMBERS).where(
            MEMBERS.c.channel_id == channel_id, MEMBERS.c.user_id == user_id
        )
        async with self._sessions() as session:
            row = (await session.execute(query)).mappings().one_or_none()
        return None if row is None else _participant(row)

    async def opted_in(self, channel_id: int) -> list[Participant]:
        """Return who is opted in to a channel (paused, snoozed and skipping ones included)."""
        query = (
            select(MEMBERS)
            .where(MEMBERS.c.channel_id == channel_id, MEMBERS.c.opted_in.is_(True))
            .order_by(MEMBERS.c.user_id)
        )
        async with self._sessions() as session:
            rows = (await session.execute(query)).mappings().all()
        return [_participant(row) for row in rows]

    async def _set(self, channel_id: int, user_id: str, now: datetime, **values: Any) -> bool:
        """Change an opted-in member; False if they are not in."""
        statement = (
            update(MEMBERS)
            .where(
                MEMBERS.c.channel_id == channel_id,
                MEMBERS.c.user_id == user_id,
                MEMBERS.c.opted_in.is_(True),
            )
            .values(updated_at=now, **values)
        )
        async with self._sessions.begin() as session:
            return changed(await session.execute(statement)) > 0


def _participant(row: RowMapping) -> Participant:
    return Participant(
        user_id=row["user_id"],
        display_name=row["display_name"],
        opted_in=bool(row["opted_in"]),
        snoozed_until=row["snoozed_until"],
        skip_number=row["skip_number"],
        paused_at=row["paused_at"],
        joined_at=row["joined_at"],
    )
