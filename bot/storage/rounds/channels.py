"""Channels with pairing rounds, in pairing_channels: settings and the next round."""

from __future__ import annotations

from collections.abc import Collection
from datetime import date, datetime, time
from typing import cast

from sqlalchemy import Table, or_, select, update
from sqlalchemy.engine import RowMapping
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.core.mentoring.matching import OddCount
from bot.core.mentoring.rounds.ports import PairingChannel, PairingSettings
from bot.core.mentoring.rounds.schedule import RoundSchedule
from bot.core.messages import Platform
from bot.storage.repositories import changed, dialect_insert
from bot.storage.tables import PairingChannelRow

CHANNELS = cast(Table, PairingChannelRow.__table__)


class SqlPairingChannels:
    """The PairingChannels port on pairing_channels."""

    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self._sessions = sessions

    async def configure(
        self, settings: PairingSettings, next_day: date, next_due_at: datetime, now: datetime
    ) -> PairingChannel:
        """Create or change a channel's rounds (on again if off); its next round is given."""
        schedule = settings.schedule
        values = {
            "space_id": settings.space_id,
            "every_weeks": schedule.every_weeks,
            "weekday": schedule.weekday,
            "at_minute": schedule.at.hour * 60 + schedule.at.minute,
            "timezone": schedule.timezone,
            "odd": settings.odd,
            "enabled": True,
            "next_day": next_day,
            "next_due_at": next_due_at,
            "updated_at": now,
        }
        async with self._sessions.begin() as session:
            insert = dialect_insert(session, CHANNELS).values(
                platform=settings.platform.value,
                channel_id=settings.channel_id,
                created_at=now,
                next_number=1,
                **values,
            )
            # The round number carries on: a new schedule never reuses a held round's key.
            await session.execute(
                insert.on_conflict_do_update(index_elements=["platform", "channel_id"], set_=values)
            )
        found = await self.get(settings.platform, settings.channel_id)
        if found is None:  # just written in this call
            raise LookupError(settings.channel_id)
        return found

    async def turn_off(self, platform: Platform, channel_id: str, now: datetime) -> bool:
        """Stop a channel's rounds (members and history kept); False if it had none on."""
        statement = (
            update(CHANNELS)
            .where(
                CHANNELS.c.platform == platform.value,
                CHANNELS.c.channel_id == channel_id,
                CHANNELS.c.enabled.is_(True),
            )
            .values(enabled=False, next_day=None, next_due_at=None, updated_at=now)
        )
        async with self._sessions.begin() as session:
            return changed(await session.execute(statement)) > 0

    async def get(self, platform: Platform, channel_id: str) -> PairingChannel | None:
        """Return a channel's rounds, on or off."""
        query = select(CHANNELS).where(
            CHANNELS.c.platform == platform.value, CHANNELS.c.channel_id == channel_id
        )
        return await self._one(query)

    async def by_id(self, channel_id: int) -> PairingChannel | None:
        """Return a channel's rounds by their stored id."""
        return await self._one(select(CHANNELS).where(CHANNELS.c.id == channel_id))

    async def in_space(self, platform: Platform, space_id: str) -> list[PairingChannel]:
        """Return a community's channels with rounds (on or off)."""
        query = (
            select(CHANNELS)
            .where(CHANNELS.c.platform == platform.value, CHANNELS.c.space_id == space_id)
            .order_by(CHANNELS.c.channel_id)
        )
        async with self._sessions() as session:
            rows = (await session.execute(query)).mappings().all()
        return [channel_of(row) for row in rows]

    async def due(self, until: datetime, platforms: Collection[Platform]) -> list[PairingChannel]:
        """Return enabled channels on these platforms whose next round is due by until."""
        query = (
            select(CHANNELS)
            .where(
                CHANNELS.c.platform.in_([p.value for p in platforms]),
                CHANNELS.c.next_due_at <= until,
                CHANNELS.c.enabled.is_(True),
            )
            .order_by(CHANNELS.c.next_due_at, CHANNELS.c.id)
        )
        async with self._sessions() as session:
            rows = (await session.execute(query)).mappings().all()
        return [channel_of(row) for row in rows]

    async def mark_heads_up(self, channel_id: int, number: int) -> bool:
        """Record that round number's heads-ups went out; False if already recorded."""
        statement = (
            update(CHANNELS)
            .where(
                CHANNELS.c.id == channel_id,
                or_(CHANNELS.c.heads_up_number.is_(None), CHANNELS.c.heads_up_number < number),
            )
            .values(heads_up_number=number)
        )
        async with self._sessions.begin() as session:
            return changed(await session.execute(statement)) > 0

    async def skip_round(self, channel: PairingChannel, next_day: date, due: datetime) -> bool:
        """Move a channel past its next round without running it (it was missed)."""
        statement = (
            update(CHANNELS)
            .where(CHANNELS.c.id == channel.id, CHANNELS.c.next_number == channel.next_number)
            .values(next_number=channel.next_number + 1, next_day=next_day, next_due_at=due)
        )
        async with self._sessions.begin() as session:
            return changed(await session.execute(statement)) > 0

    async def _one(self, query: object) -> PairingChannel | None:
        async with self._sessions() as session:
            row = (await session.execute(query)).mappings().one_or_none()  # type: ignore[call-overload]
        return None if row is None else channel_of(row)


def channel_of(row: RowMapping) -> PairingChannel:
    """Return a pairing_channels row as the core's PairingChannel."""
    minute = int(row["at_minute"])
    schedule = RoundSchedule(
        int(row["every_weeks"]), int(row["weekday"]), time(minute // 60, minute % 60),
        row["timezone"],
    )  # fmt: skip
    settings = PairingSettings(
        Platform(row["platform"]), row["space_id"], row["channel_id"], schedule,
        cast(OddCount, row["odd"]),
    )  # fmt: skip
    return PairingChannel(
        id=int(row["id"]),
        settings=settings,
        enabled=bool(row["enabled"]),
        next_number=int(row["next_number"]),
        next_day=row["next_day"],
        next_due_at=row["next_due_at"],
        heads_up_number=row["heads_up_number"],
    )
