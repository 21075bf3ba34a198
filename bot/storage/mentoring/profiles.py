"""Mentors' profiles in mentor_profiles, and the topics each offers in mentor_topics."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from datetime import UTC, date, datetime
from typing import Any, cast

from sqlalchemy import Table, delete, select, update
from sqlalchemy.engine import RowMapping
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from sqlalchemy.sql.elements import ColumnElement

from bot.core.mentoring.ports import MentorKey, MentorProfile
from bot.core.messages import Platform
from bot.storage.cache import RecentCache
from bot.storage.repositories import changed, dialect_insert
from bot.storage.tables import MentorProfileRow, MentorTopicRow

PROFILES = cast(Table, MentorProfileRow.__table__)
TOPICS = cast(Table, MentorTopicRow.__table__)
NAME_LENGTH = 100  # mentor_profiles.display_name
CACHE_SECONDS = 10.0  # how late a new request may see another process's profile change


class SqlMentorProfiles:
    """The MentorProfiles port on the tables; for_topics (a new request's match) is cached.

    The cache may show a change another process made up to CACHE_SECONDS late; that is safe
    because an offer re-checks the mentor (there, not paused, room left) under a lock on
    their row. A write through this process forgets its community's entries at once.
    """

    def __init__(
        self, sessions: async_sessionmaker[AsyncSession], cache_seconds: float = CACHE_SECONDS
    ) -> None:
        self._sessions = sessions
        self._cache: RecentCache[tuple[str, str, int], list[MentorProfile]]
        self._cache = RecentCache(ttl=cache_seconds, size=1_000)
        self._generation: dict[tuple[str, str], int] = {}  # bumped by this process's writes

    def forget(self, platform: Platform, space_id: str) -> None:
        """Drop the community's cached reads (after a write, or an offer found one stale)."""
        key = (platform.value, space_id)
        self._generation[key] = self._generation.get(key, 0) + 1

    async def get(self, key: MentorKey) -> MentorProfile | None:
        """Return the mentor's profile, or None when they have not signed up (or left)."""
        async with self._sessions() as session:
            row = (await session.execute(select(PROFILES).where(*_of(key)))).mappings().first()
            if row is None:
                return None
            topics = await _topics_of(session, PROFILES.c.id == row["id"])
        return _profile(row, topics.get(row["id"], frozenset()))

    async def save(self, profile: MentorProfile) -> MentorProfile:
        """Create or replace a profile and its topics; pause state and counters are kept."""
        key = profile.key
        self.forget(key.platform, key.space_id)
        chosen: dict[str, Any] = {
            "display_name": profile.display_name[:NAME_LENGTH],
            "level": profile.level,
            "timezone": profile.timezone,
            "hours": profile.hours,
            "capacity": profile.capacity,
            "intro": profile.intro,
        }
        # A profile saved without a join time (a test's) joins now; the desk passes its clock's.
        joined = profile.joined_at or datetime.now(UTC)
        async with self._sessions.begin() as session:
            insert = dialect_insert(session, PROFILES).values(
                platform=key.platform.value,
                space_id=key.space_id,
                user_id=key.user_id,
                joined_at=joined,
                **chosen,
            )
            # One statement decides: two signups at once leave one row, the later values.
            upsert = insert.on_conflict_do_update(
                index_elements=["platform", "space_id", "user_id"], set_=chosen
            ).returning(PROFILES.c.id)
            profile_id = (await session.execute(upsert)).scalar_one()
            await session.execute(delete(TOPICS).where(TOPICS.c.profile_id == profile_id))
            if profile.topics:
                await session.execute(
                    TOPICS.insert(),
                    [{"profile_id": profile_id, "topic_id": t} for t in sorted(profile.topics)],
                )
            row = (
                (await session.execute(select(PROFILES).where(PROFILES.c.id == profile_id)))
                .mappings()
                .one()
            )
        return _profile(row, profile.topics)

    async def set_pause(self, key: MentorKey, until: date | None, reason: str | None) -> bool:
        """Pause through until (None resumes and clears the expiry count); False if unknown."""
        self.forget(key.platform, key.space_id)
        values: dict[str, Any] = {"paused_until": until, "paused_reason": reason}
        if until is None:
            values["expired_in_row"] = 0
        async with self._sessions.begin() as session:
            result = await session.execute(update(PROFILES).where(*_of(key)).values(values))
        return bool(changed(result))

    async def remove(self, key: MentorKey) -> bool:
        """Delete the profile and its topics (every personal field); False if unknown."""
        self.forget(key.platform, key.space_id)
        mine = select(PROFILES.c.id).where(*_of(key)).scalar_subquery()
        async with self._sessions.begin() as session:
            # Explicit, not only ON DELETE CASCADE: no topic row may outlive its profile.
            await session.execute(delete(TOPICS).where(TOPICS.c.profile_id == mine))
            result = await session.execute(delete(PROFILES).where(*_of(key)))
        return bool(changed(result))

    async def in_space(self, platform: Platform, space_id: str) -> list[MentorProfile]:
        """Return every mentor of a community, paused ones included, oldest first."""
        where = (PROFILES.c.platform == platform.value, PROFILES.c.space_id == space_id)
        query = select(PROFILES).where(*where).order_by(PROFILES.c.joined_at, PROFILES.c.id)
        async with self._sessions() as session:
            rows = (await session.execute(query)).mappings().all()
            topics = await _topics_of(session, *where)
        return [_profile(row, topics.get(row["id"], frozenset())) for row in rows]

    async def for_topics(
        self,
        platform: Platform,
        space_id: str,
        topic_ids: Collection[str],
        *,
        fresh: bool = False,
    ) -> list[MentorProfile]:
        """Return the community's mentors offering any of topic_ids, paused ones included.

        Read from the community's cached list (up to CACHE_SECONDS old) unless fresh.
        """
        if not topic_ids:
            return []
        wanted = set(topic_ids)
        if not fresh:
            # One cached list per community, filtered here: a miss (one a few seconds per
            # community) costs a whole read, every other new request none.
            generation = self._generation.get((platform.value, space_id), 0)
            cache_key = (platform.value, space_id, generation)
            found, cached = self._cache.get(cache_key)
            if not found or cached is None:
                cached = await self.in_space(platform, space_id)
                self._cache.put(cache_key, cached)
            return [profile for profile in cached if profile.topics & wanted]
        # ix_mentor_topics_topic_id finds the few offering the topics.
        offering = select(TOPICS.c.profile_id).where(TOPICS.c.topic_id.in_(sorted(wanted)))
        where = (
            PROFILES.c.platform == platform.value,
            PROFILES.c.space_id == space_id,
            PROFILES.c.id.in_(offering),
        )
        query = select(PROFILES).where(*where).order_by(PROFILES.c.joined_at, PROFILES.c.id)
        async with self._sessions() as session:
            rows = (await session.execute(query)).mappings().all()
            topics = await _topics_of(session, *where)
        return [_profile(row, topics.get(row["id"], frozenset())) for row in rows]

    async def count_expiry(self, key: MentorKey) -> int:
        """Add one offer let expire in a row and return the new count (0: no such mentor)."""
        # One UPDATE ... RETURNING: two processes counting at once never lose a count.
        bump = (
            update(PROFILES)
            .where(*_of(key))
            .values(expired_in_row=PROFILES.c.expired_in_row + 1)
            .returning(PROFILES.c.expired_in_row)
        )
        async with self._sessions.begin() as session:
            count = (await session.execute(bump)).scalar_one_or_none()
        return int(count or 0)

    async def clear_expiries(self, key: MentorKey) -> None:
        """Reset the count after the mentor answered an offer."""
        async with self._sessions.begin() as session:
            await session.execute(
                update(PROFILES)
                .where(*_of(key), PROFILES.c.expired_in_row != 0)
                .values(expired_in_row=0)
            )


def _of(key: MentorKey) -> tuple[ColumnElement[bool], ...]:
    return (
        PROFILES.c.platform == key.platform.value,
        PROFILES.c.space_id == key.space_id,
        PROFILES.c.user_id == key.user_id,
    )


async def _topics_of(
    session: AsyncSession, *where: ColumnElement[bool]
) -> dict[int, frozenset[str]]:
    """Return the topics of the profiles where selects, by profile id."""
    query = (
        select(TOPICS.c.profile_id, TOPICS.c.topic_id)
        .join(PROFILES, PROFILES.c.id == TOPICS.c.profile_id)
        .where(*where)
    )
    found: dict[int, set[str]] = {}
    for profile_id, topic_id in (await session.execute(query)).all():
        found.setdefault(profile_id, set()).add(topic_id)
    return {profile_id: frozenset(topics) for profile_id, topics in found.items()}


def _profile(row: RowMapping | Mapping[str, Any], topics: Iterable[str]) -> MentorProfile:
    return MentorProfile(
        key=MentorKey(Platform(row["platform"]), row["space_id"], row["user_id"]),
        display_name=row["display_name"],
        topics=frozenset(topics),
        level=row["level"],
        timezone=row["timezone"],
        hours=row["hours"],
        capacity=row["capacity"],
        intro=row["intro"],
        paused_until=row["paused_until"],
        paused_reason=row["paused_reason"],
        expired_in_row=row["expired_in_row"],
        joined_at=row["joined_at"],  # UtcDateTime: aware already
    )
