"""Prompt channels in SQL: settings, skip dates, the pending post and the prompts used."""

from __future__ import annotations

import logging
from collections.abc import Collection, Iterable, Mapping
from datetime import date, datetime, time, timedelta
from typing import Any, cast

from sqlalchemy import Table, and_, or_, select, update
from sqlalchemy.engine import RowMapping
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from sqlalchemy.sql.elements import ColumnElement

from bot.core.messages import Platform
from bot.core.prompts.bank import DIFFICULTIES, Difficulty
from bot.core.prompts.ports import ChannelSettings, ChannelTarget, NextLook, PromptChannel
from bot.core.prompts.schedule import Schedule
from bot.core.prompts.selection import PromptFilter
from bot.storage.repositories import dialect_insert
from bot.storage.tables import PromptChannelRow, PromptChannelSkipRow, PromptUseRow

log = logging.getLogger(__name__)

CHANNELS = cast(Table, PromptChannelRow.__table__)
SKIPS = cast(Table, PromptChannelSkipRow.__table__)
USES = cast(Table, PromptUseRow.__table__)
# Skip dates older than this (before the UTC date of now) can no longer matter to a tick.
SKIPS_LOOK_BACK = timedelta(days=2)


class SqlPromptChannels:
    """Channels with a daily prompt, in prompt_channels and prompt_channel_skips."""

    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self._sessions = sessions

    async def due(
        self,
        platforms: Collection[Platform],
        now: datetime,
        limit: int,
        after: tuple[datetime, int] | None = None,
    ) -> list[PromptChannel]:
        """Return up to limit channels of these platforms to look at by now, oldest first."""
        look_at = CHANNELS.c.next_due_at
        # A range scan of ix_prompt_channels_due per platform: channels not due cost nothing.
        where: list[ColumnElement[bool]] = [
            CHANNELS.c.platform.in_([p.value for p in platforms]),
            look_at <= now,
        ]
        if after is not None:
            at, last_id = after
            where.append(or_(look_at > at, and_(look_at == at, CHANNELS.c.id > last_id)))
        query = select(CHANNELS).where(*where).order_by(look_at, CHANNELS.c.id).limit(limit)
        async with self._sessions() as session:
            rows = (await session.execute(query)).mappings().all()
            skips = await _skips(session, [row["id"] for row in rows], now)
        channels = []
        for row in rows:
            try:
                channels.append(_channel(row, skips.get(row["id"], ())))
            except (ValueError, KeyError) as error:  # e.g. a timezone the system no longer knows
                log.warning("prompt channel %s cannot be read: %s", row["id"], error)
        return channels

    async def get(self, platform: Platform, channel_id: str) -> PromptChannel | None:
        """Return the channel as stored now, or None when it has no prompts configured."""
        query = select(CHANNELS).where(
            CHANNELS.c.platform == platform.value, CHANNELS.c.channel_id == channel_id
        )
        async with self._sessions() as session:
            row = (await session.execute(query)).mappings().one_or_none()
            if row is None:
                return None
            skips = await _skips(session, [row["id"]], None)
        return _channel(row, skips.get(row["id"], ()))

    async def in_space(self, platform: Platform, space_id: str) -> list[PromptChannel]:
        """Return every channel of a community with prompts configured (on or off)."""
        query = (
            select(CHANNELS)
            .where(CHANNELS.c.platform == platform.value, CHANNELS.c.space_id == space_id)
            .order_by(CHANNELS.c.id)
        )
        async with self._sessions() as session:
            rows = (await session.execute(query)).mappings().all()
            skips = await _skips(session, [row["id"] for row in rows], None)
        return [_channel(row, skips.get(row["id"], ())) for row in rows]

    async def save(self, settings: ChannelSettings, now: datetime) -> PromptChannel:
        """Create or change a channel's settings (a new revision); it keeps its rotation."""
        target, schedule, wanted = settings.target, settings.schedule, settings.wanted
        values: dict[str, Any] = {
            "space_id": target.space_id,
            "post_minute": schedule.at.hour * 60 + schedule.at.minute,
            "timezone": schedule.timezone,
            "weekdays": sum(1 << day for day in schedule.weekdays),
            "grace_minutes": int(schedule.grace.total_seconds() // 60),
            "paused_until": schedule.paused_until,
            "difficulties": ",".join(d for d in DIFFICULTIES if d in wanted.difficulties),
            "topics": ",".join(sorted(wanted.topics)),
            "mention_role_id": target.mention_role_id,
            "enabled": settings.enabled,
            "updated_at": now,
        }
        async with self._sessions.begin() as session:
            insert = dialect_insert(session, CHANNELS).values(
                platform=target.platform.value,
                channel_id=target.channel_id,
                created_at=now,
                **values,
            )
            upsert = insert.on_conflict_do_update(
                index_elements=[CHANNELS.c.platform, CHANNELS.c.channel_id],
                set_={**values, "revision": CHANNELS.c.revision + 1},
            ).returning(*CHANNELS.c)
            row = (await session.execute(upsert)).mappings().one()
            skips = await _skips(session, [row["id"]], now)
        return _channel(row, skips.get(row["id"], ()))

    async def add_skip(self, channel_id: int, day: date, now: datetime) -> PromptChannel:
        """Skip a local date (a new revision) and return the channel."""
        async with self._sessions.begin() as session:
            insert = dialect_insert(session, SKIPS).values(channel_id=channel_id, local_date=day)
            await session.execute(
                insert.on_conflict_do_nothing(
                    index_elements=[SKIPS.c.channel_id, SKIPS.c.local_date]
                )
            )
            return await _new_revision(session, channel_id, now, {})

    async def resume(self, channel_id: int, now: datetime) -> PromptChannel:
        """Switch it on, clear its pause and pause reason (a new revision); return it."""
        values = {"enabled": True, "paused_reason": None, "paused_until": None}
        async with self._sessions.begin() as session:
            return await _new_revision(session, channel_id, now, values)

    async def switch_off(self, channel_id: int, now: datetime) -> PromptChannel:
        """Stop the channel's prompts (a new revision); settings and history are kept."""
        async with self._sessions.begin() as session:
            return await _new_revision(session, channel_id, now, {"enabled": False})

    async def pause_until(self, channel_id: int, day: date, now: datetime) -> PromptChannel:
        """Post nothing before the local date day (a new revision) and return the channel."""
        async with self._sessions.begin() as session:
            return await _new_revision(session, channel_id, now, {"paused_until": day})

    async def skip_prompt(self, channel_id: int, cycle: int, prompt_id: str, now: datetime) -> bool:
        """Mark a prompt used (`skipped`) in the cycle; False if it was used there already."""
        async with self._sessions.begin() as session:
            insert = dialect_insert(session, USES).values(
                channel_id=channel_id, cycle=cycle, prompt_id=prompt_id, how="skipped", used_at=now
            )
            added = await session.execute(insert.on_conflict_do_nothing().returning(USES.c.id))
            if added.first() is None:
                return False
            # A skip that opens a new cycle moves the channel there, as a post would, so the
            # next choice reads this cycle's used set; a later cycle is never moved back.
            await session.execute(
                update(CHANNELS)
                .where(CHANNELS.c.id == channel_id, CHANNELS.c.cycle < cycle)
                .values(cycle=cycle)
            )
        return True

    async def warn_low_pool(self, channel_id: int, cycle: int) -> bool:
        """Record that moderators heard of a low pool in cycle; True only the first time."""
        seen = CHANNELS.c.low_pool_cycle
        query = (
            update(CHANNELS)
            .where(CHANNELS.c.id == channel_id, or_(seen.is_(None), seen < cycle))
            .values(low_pool_cycle=cycle)
            .returning(CHANNELS.c.id)
        )
        async with self._sessions.begin() as session:
            return (await session.execute(query)).first() is not None

    async def reschedule(
        self, channel_id: int, revision: int, pending: tuple[date, datetime] | None
    ) -> bool:
        """Set the pending post if the revision is still the stored one; say if it was."""
        day, at = pending if pending is not None else (None, None)
        query = (
            update(CHANNELS)
            .where(CHANNELS.c.id == channel_id, CHANNELS.c.revision == revision)
            .values(next_local_date=day, next_due_at=at)
            .returning(CHANNELS.c.id)
        )
        async with self._sessions.begin() as session:
            return (await session.execute(query)).first() is not None

    async def look_again(self, move: NextLook) -> bool:
        """Apply move if its guard holds; say whether it did."""
        async with self._sessions.begin() as session:
            return await apply_move(session, move)

    async def used(self, channel_id: int, cycle: int) -> frozenset[str]:
        """Return the prompt ids used (posted or skipped) in the channel's cycle."""
        query = select(USES.c.prompt_id).where(
            USES.c.channel_id == channel_id, USES.c.cycle == cycle
        )
        async with self._sessions() as session:
            return frozenset((await session.execute(query)).scalars())


async def apply_move(session: AsyncSession, move: NextLook) -> bool:
    """Move the channel's pending post, unless its settings or pending day changed meanwhile."""
    query = (
        update(CHANNELS)
        .where(
            CHANNELS.c.id == move.channel_id,
            CHANNELS.c.revision == move.revision,
            CHANNELS.c.next_local_date == move.from_day,
        )
        .values(next_local_date=move.day, next_due_at=move.at)
        .returning(CHANNELS.c.id)
    )
    return (await session.execute(query)).first() is not None


async def _new_revision(
    session: AsyncSession, channel_id: int, now: datetime, values: Mapping[str, Any]
) -> PromptChannel:
    query = (
        update(CHANNELS)
        .where(CHANNELS.c.id == channel_id)
        .values(revision=CHANNELS.c.revision + 1, updated_at=now, **values)
        .returning(*CHANNELS.c)
    )
    row = (await session.execute(query)).mappings().one()
    skips = await _skips(session, [channel_id], now)
    return _channel(row, skips.get(channel_id, ()))


async def _skips(
    session: AsyncSession, channel_ids: Iterable[int], now: datetime | None
) -> dict[int, list[date]]:
    """Return the channels' skip dates (those that can still matter at now, if given)."""
    ids = list(channel_ids)
    if not ids:
        return {}
    query = select(SKIPS.c.channel_id, SKIPS.c.local_date).where(SKIPS.c.channel_id.in_(ids))
    if now is not None:
        query = query.where(SKIPS.c.local_date >= now.date() - SKIPS_LOOK_BACK)
    found: dict[int, list[date]] = {}
    for channel_id, day in await session.execute(query):
        found.setdefault(channel_id, []).append(day)
    return found


def _channel(row: RowMapping, skips: Iterable[date]) -> PromptChannel:
    minute = int(row["post_minute"])
    schedule = Schedule(
        at=time(minute // 60, minute % 60),
        timezone=row["timezone"],
        weekdays=frozenset(day for day in range(7) if row["weekdays"] >> day & 1),
        skip_dates=frozenset(skips),
        paused_until=row["paused_until"],
        grace=timedelta(minutes=row["grace_minutes"]),
    )
    wanted = PromptFilter(
        difficulties=frozenset(
            cast(Difficulty, d) for d in row["difficulties"].split(",") if d in DIFFICULTIES
        ),
        topics=frozenset(t for t in row["topics"].split(",") if t),
    )
    target = ChannelTarget(
        Platform(row["platform"]), row["space_id"], row["channel_id"], row["mention_role_id"]
    )
    return PromptChannel(
        id=row["id"],
        target=target,
        schedule=schedule,
        wanted=wanted,
        enabled=row["enabled"],
        paused_reason=row["paused_reason"],
        revision=row["revision"],
        cycle=row["cycle"],
        last_prompt_id=row["last_prompt_id"],
        pending_day=row["next_local_date"],
        look_at=row["next_due_at"],
    )
