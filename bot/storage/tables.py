"""Database tables, shared by the repositories and by the Alembic migrations."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    Dialect,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    SmallInteger,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
    false,
    text,
    true,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

# Stable constraint names let Alembic find them again, which batch mode on SQLite needs
# (SQLite cannot alter a constraint in place, so batch mode rebuilds tables by name).
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UtcDateTime(TypeDecorator[datetime]):
    """A timezone-aware datetime stored in UTC; naive values are refused."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        """Refuse a naive datetime and convert an aware one to UTC."""
        if value is None:
            return None
        if value.tzinfo is None or value.utcoffset() is None:
            raise ValueError(f"naive datetime {value!r}: only timezone-aware values are stored")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        """Return the value as an aware UTC datetime."""
        if value is None:
            return None
        if value.tzinfo is None:  # SQLite keeps no offset; we only ever wrote UTC
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


class Base(DeclarativeBase):
    """Declarative base holding the metadata Alembic compares against."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {datetime: UtcDateTime()}  # noqa: RUF012 - SQLAlchemy's own API


metadata = Base.metadata


class SpaceRow(Base):
    """A community the bot has seen: a Discord guild, a Slack workspace, the console."""

    __tablename__ = "spaces"
    __table_args__ = (
        UniqueConstraint("platform", "external_id"),
        CheckConstraint("days_per_freeze BETWEEN 1 AND 60", name="days_per_freeze"),
        CheckConstraint("max_freezes BETWEEN 0 AND 10", name="max_freezes"),
        CheckConstraint("reminder_hour BETWEEN 0 AND 23", name="reminder_hour"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    platform: Mapped[str] = mapped_column(String(16))
    external_id: Mapped[str] = mapped_column(String(64))
    name: Mapped[str] = mapped_column(String(200), default="", server_default="")
    default_timezone: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime]
    days_per_freeze: Mapped[int] = mapped_column(SmallInteger, default=7, server_default=text("7"))
    max_freezes: Mapped[int] = mapped_column(SmallInteger, default=2, server_default=text("2"))
    reminder_hour: Mapped[int] = mapped_column(SmallInteger, default=20, server_default=text("20"))


class MilestoneRoleRow(Base):
    """A role a space gives members whose streak reaches a milestone (Discord)."""

    __tablename__ = "milestone_roles"
    __table_args__ = (
        UniqueConstraint("platform", "space_id", "days"),
        CheckConstraint("days IN (7, 30, 100)", name="days"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    platform: Mapped[str] = mapped_column(String(16))
    space_id: Mapped[str] = mapped_column(String(64))
    days: Mapped[int] = mapped_column(SmallInteger)
    role_id: Mapped[str] = mapped_column(String(64))


class MemberRow(Base):
    """A person on one platform and their settings."""

    __tablename__ = "members"
    __table_args__ = (
        UniqueConstraint("platform", "user_id"),
        # The reminder timer's one query: opted-in members whose next reminder is due.
        Index("ix_members_reminders_next", "reminders", "next_reminder_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    platform: Mapped[str] = mapped_column(String(16))
    user_id: Mapped[str] = mapped_column(String(64))
    display_name: Mapped[str] = mapped_column(String(200))
    timezone: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    leaderboard_hidden: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    reminders: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    reminder_space_id: Mapped[str | None] = mapped_column(String(64))
    # When the timer should next look at this member (UTC): never later than their reminder
    # hour; settings that could move it set it to "now", and each look sets the next one.
    next_reminder_at: Mapped[datetime | None]


class ProcessedEventRow(Base):
    """A platform event already acted on; its unique key drops redeliveries."""

    __tablename__ = "processed_events"
    __table_args__ = (UniqueConstraint("platform", "event_id"),)

    # BIGINT on PostgreSQL (a busy log outgrows int4); SQLite only autoincrements an
    # INTEGER PRIMARY KEY, hence the variant.
    id: Mapped[int] = mapped_column(
        BigInteger().with_variant(Integer(), "sqlite"), primary_key=True
    )
    platform: Mapped[str] = mapped_column(String(16))
    event_id: Mapped[str] = mapped_column(String(128))
    received_at: Mapped[datetime] = mapped_column(index=True)


class HeldNoticeRow(Base):
    """A private message a platform refused, kept for the member's next message."""

    __tablename__ = "held_notices"
    __table_args__ = (
        # take(): a member's notices, oldest first; pruning reads held_at alone.
        Index("ix_held_notices_member", "platform", "user_id", "held_at"),
    )

    id: Mapped[int] = mapped_column(
        BigInteger().with_variant(Integer(), "sqlite"), primary_key=True
    )
    platform: Mapped[str] = mapped_column(String(16))
    user_id: Mapped[str] = mapped_column(String(64))
    space_id: Mapped[str] = mapped_column(String(64))  # the space its buttons act in
    held_at: Mapped[datetime] = mapped_column(index=True)
    body: Mapped[str] = mapped_column(Text)  # the Reply as JSON (see storage/notices.py)


class ProgressRow(Base):
    """Where one member stands on one roadmap topic."""

    __tablename__ = "progress"
    # Members are (platform, user_id) as in the members table; no foreign key, because a
    # member row is only written once they set a timezone.
    __table_args__ = (
        UniqueConstraint("platform", "user_id", "topic_id"),
        CheckConstraint("status IN ('done', 'learning', 'skip')", name="status"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    platform: Mapped[str] = mapped_column(String(16))
    user_id: Mapped[str] = mapped_column(String(64))
    topic_id: Mapped[str] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(16))
    updated_at: Mapped[datetime]


class ResourceFeedbackRow(Base):
    """One member's rating of one resource, and whether they have seen it."""

    __tablename__ = "resource_feedback"
    __table_args__ = (
        UniqueConstraint("platform", "user_id", "resource_id"),
        CheckConstraint("rating IN (-1, 0, 1)", name="rating"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    platform: Mapped[str] = mapped_column(String(16))
    user_id: Mapped[str] = mapped_column(String(64))
    # Indexed for the community scores, which group every member's rows by resource.
    resource_id: Mapped[str] = mapped_column(String(64), index=True)
    rating: Mapped[int] = mapped_column(SmallInteger, default=0, server_default=text("0"))
    seen: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    updated_at: Mapped[datetime]


class LearningEventRow(Base):
    """One moment of study (a check-in, a topic done, ...), the raw material of streaks."""

    __tablename__ = "learning_events"
    __table_args__ = (
        # The platform's event id is the source: a redelivered event, even one handled by
        # another process, cannot add a second row.
        UniqueConstraint("platform", "source"),
        CheckConstraint(
            "kind IN ('checkin', 'topic_done', 'prompt_answer', 'mentor_session')", name="kind"
        ),
        CheckConstraint("minutes >= 0 AND minutes <= 1440", name="minutes"),
        # A member's study days (with minutes, so summing a day reads the index alone), and
        # a space's leaderboard over a period.
        Index("ix_learning_events_study_days", "platform", "user_id", "local_date", "minutes"),
        Index("ix_learning_events_space_id_local_date", "space_id", "local_date"),
    )

    # BIGINT on PostgreSQL, as for processed_events: one row per event adds up.
    id: Mapped[int] = mapped_column(
        BigInteger().with_variant(Integer(), "sqlite"), primary_key=True
    )
    platform: Mapped[str] = mapped_column(String(16))
    user_id: Mapped[str] = mapped_column(String(64))
    space_id: Mapped[str] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(24))
    source: Mapped[str] = mapped_column(String(160))
    occurred_at: Mapped[datetime]
    # The member's calendar date, fixed when the event happened: a later timezone change
    # must not move past days and break (or make) a streak.
    local_date: Mapped[date] = mapped_column(Date)
    minutes: Mapped[int] = mapped_column(Integer, default=0, server_default=text("0"))
    note: Mapped[str] = mapped_column(String(200), default="", server_default="")


class MemberStatsRow(Base):
    """A member's streak and study totals in one space, kept current on every learning event.

    Leaderboards rank these rows with an index each, instead of aggregating events: a
    space of 100,000 members answers in milliseconds. A member's study days are theirs in
    every space; each row counts them under its own space's rules and timezone, so it says
    what `streak` says in that space.
    """

    __tablename__ = "member_stats"
    __table_args__ = (
        UniqueConstraint("platform", "space_id", "user_id"),
        # alive_until last: counting who is ahead of the asker never reads the table.
        Index(
            "ix_member_stats_streak",
            "platform", "space_id", "hidden", "current_streak", "longest_streak", "alive_until",
        ),
        Index(
            "ix_member_stats_week_days",
            "platform", "space_id", "hidden", "week_start", "week_days", "week_minutes",
        ),
        Index(
            "ix_member_stats_week_minutes",
            "platform", "space_id", "hidden", "week_start", "week_minutes",
        ),
        Index(
            "ix_member_stats_month_days",
            "platform", "space_id", "hidden", "month_start", "month_days", "month_minutes",
        ),
        Index(
            "ix_member_stats_month_minutes",
            "platform", "space_id", "hidden", "month_start", "month_minutes",
        ),
        Index("ix_member_stats_total_minutes", "platform", "space_id", "hidden", "total_minutes"),
        # Finding a member's rows (one per space) to update them together.
        Index("ix_member_stats_platform_user_id", "platform", "user_id"),
    )  # fmt: skip

    id: Mapped[int] = mapped_column(
        BigInteger().with_variant(Integer(), "sqlite"), primary_key=True
    )
    platform: Mapped[str] = mapped_column(String(16))
    space_id: Mapped[str] = mapped_column(String(64))
    user_id: Mapped[str] = mapped_column(String(64))
    display_name: Mapped[str] = mapped_column(String(200))
    hidden: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    current_streak: Mapped[int] = mapped_column(Integer, default=0, server_default=text("0"))
    longest_streak: Mapped[int] = mapped_column(Integer, default=0, server_default=text("0"))
    # The streak counts as zero from this moment on (the member's local midnight after the
    # last day their freezes can cover), so no job has to visit members who stopped.
    alive_until: Mapped[datetime]
    last_day: Mapped[date] = mapped_column(Date)
    week_start: Mapped[date] = mapped_column(Date)
    week_days: Mapped[int] = mapped_column(SmallInteger, default=0, server_default=text("0"))
    week_minutes: Mapped[int] = mapped_column(Integer, default=0, server_default=text("0"))
    month_start: Mapped[date] = mapped_column(Date)
    month_days: Mapped[int] = mapped_column(SmallInteger, default=0, server_default=text("0"))
    month_minutes: Mapped[int] = mapped_column(Integer, default=0, server_default=text("0"))
    total_days: Mapped[int] = mapped_column(Integer, default=0, server_default=text("0"))
    total_minutes: Mapped[int] = mapped_column(Integer, default=0, server_default=text("0"))
    # The streak at the end of last_day, before the days after it (StreakState), under the
    # rules it was counted with: a check-in on a later day carries it forward instead of
    # counting every day again. NULL: unknown, the next update counts from all the days.
    state_streak: Mapped[int | None] = mapped_column(Integer)
    state_freezes: Mapped[int | None] = mapped_column(SmallInteger)
    state_run: Mapped[int | None] = mapped_column(SmallInteger)
    state_days_per_freeze: Mapped[int | None] = mapped_column(SmallInteger)
    state_max_freezes: Mapped[int | None] = mapped_column(SmallInteger)
    updated_at: Mapped[datetime]


class StreakReminderRow(Base):
    """A streak-at-risk reminder sent; the unique key makes it at most one a local day."""

    __tablename__ = "streak_reminders"
    __table_args__ = (
        UniqueConstraint("platform", "user_id", "local_date"),
        Index("ix_streak_reminders_local_date", "local_date"),  # pruning old days
    )

    id: Mapped[int] = mapped_column(
        BigInteger().with_variant(Integer(), "sqlite"), primary_key=True
    )
    platform: Mapped[str] = mapped_column(String(16))
    user_id: Mapped[str] = mapped_column(String(64))
    local_date: Mapped[date] = mapped_column(Date)
    sent_at: Mapped[datetime]


# The daily-prompts job. A channel row says when its pending post is due; prompt_posts holds
# one row per channel and local date, whose unique key decides who posts (see
# docs/architecture.md, "Daily prompts").

POST_STATES = ("claimed", "posted", "failed", "missed")
EVERY_WEEKDAY = 0b1111111  # bit 0 is Monday, as in date.weekday()


class PromptChannelRow(Base):
    """A channel that gets a daily prompt: its schedule, filters and where its posts stand."""

    __tablename__ = "prompt_channels"
    __table_args__ = (
        UniqueConstraint("platform", "channel_id"),
        CheckConstraint("post_minute BETWEEN 0 AND 1439", name="post_minute"),
        CheckConstraint("weekdays BETWEEN 0 AND 127", name="weekdays"),
        CheckConstraint("grace_minutes BETWEEN 0 AND 1440", name="grace_minutes"),
        # The tick's one query: channels of the platforms this process runs, due by now.
        Index("ix_prompt_channels_due", "platform", "next_due_at"),
        # `config show`, `prompt status` and history: a community's channels.
        Index("ix_prompt_channels_space", "platform", "space_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    platform: Mapped[str] = mapped_column(String(16))
    space_id: Mapped[str] = mapped_column(String(64))
    channel_id: Mapped[str] = mapped_column(String(64))
    post_minute: Mapped[int] = mapped_column(SmallInteger)  # local time, minutes after midnight
    timezone: Mapped[str] = mapped_column(String(64))
    weekdays: Mapped[int] = mapped_column(
        SmallInteger, default=EVERY_WEEKDAY, server_default=text(str(EVERY_WEEKDAY))
    )
    grace_minutes: Mapped[int] = mapped_column(
        SmallInteger, default=180, server_default=text("180")
    )
    paused_until: Mapped[date | None] = mapped_column(Date)
    difficulties: Mapped[str] = mapped_column(String(32), default="", server_default="")
    topics: Mapped[str] = mapped_column(String(2000), default="", server_default="")  # a,b,c
    mention_role_id: Mapped[str | None] = mapped_column(String(64))
    enabled: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())
    paused_reason: Mapped[str | None] = mapped_column(String(200))  # e.g. channel unreachable
    # Bumped by every schedule change: a tick that read an older schedule may not move the
    # pending day on (its UPDATE is guarded by the revision it read).
    revision: Mapped[int] = mapped_column(Integer, default=0, server_default=text("0"))
    cycle: Mapped[int] = mapped_column(Integer, default=0, server_default=text("0"))
    last_prompt_id: Mapped[str | None] = mapped_column(String(64))
    # The cycle whose low pool moderators were told of: once per cycle, decided by an UPDATE.
    low_pool_cycle: Mapped[int | None] = mapped_column(Integer)
    # The pending post's local date, and when the tick should next look at the channel: that
    # day's due instant, or its retry. Both NULL while disabled or paused (never due).
    next_local_date: Mapped[date | None] = mapped_column(Date)
    next_due_at: Mapped[datetime | None]
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]


class PromptChannelSkipRow(Base):
    """A local date (a holiday) on which a channel gets no prompt."""

    __tablename__ = "prompt_channel_skips"
    __table_args__ = (UniqueConstraint("channel_id", "local_date"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    channel_id: Mapped[int] = mapped_column(ForeignKey("prompt_channels.id", ondelete="CASCADE"))
    local_date: Mapped[date] = mapped_column(Date)


class PromptPostRow(Base):
    """One channel's post for one local date; the unique key makes it exactly one."""

    __tablename__ = "prompt_posts"
    __table_args__ = (
        UniqueConstraint("channel_id", "local_date"),
        CheckConstraint(f"state IN {POST_STATES!r}", name="state"),
        CheckConstraint("attempts >= 0", name="attempts"),
        # A reply in any thread asks whether the thread is a prompt's (adapters, per message).
        Index("ix_prompt_posts_thread_id", "thread_id"),
    )

    id: Mapped[int] = mapped_column(
        BigInteger().with_variant(Integer(), "sqlite"), primary_key=True
    )
    channel_id: Mapped[int] = mapped_column(ForeignKey("prompt_channels.id", ondelete="CASCADE"))
    local_date: Mapped[date] = mapped_column(Date)
    prompt_id: Mapped[str | None] = mapped_column(String(64))  # None: no prompt could be chosen
    cycle: Mapped[int] = mapped_column(Integer, default=0, server_default=text("0"))
    state: Mapped[str] = mapped_column(String(8))
    attempts: Mapped[int] = mapped_column(SmallInteger, default=0, server_default=text("0"))
    # Who is delivering it (a random token per process) and until when; an expired lease
    # may be taken over, so a process that died mid-delivery does not block the day.
    lease_owner: Mapped[str | None] = mapped_column(String(32))
    lease_until: Mapped[datetime | None]
    retry_at: Mapped[datetime | None]
    last_error: Mapped[str | None] = mapped_column(String(200))  # short, never a secret
    message_id: Mapped[str | None] = mapped_column(String(64))
    thread_id: Mapped[str | None] = mapped_column(String(64))
    claimed_at: Mapped[datetime]
    settled_at: Mapped[datetime | None]  # posted, failed or missed


class PromptUseRow(Base):
    """A prompt used in a channel's cycle (posted or skipped): selection's no-repeat set."""

    __tablename__ = "prompt_uses"
    __table_args__ = (
        UniqueConstraint("channel_id", "cycle", "prompt_id"),
        CheckConstraint("how IN ('posted', 'skipped')", name="how"),
    )

    id: Mapped[int] = mapped_column(
        BigInteger().with_variant(Integer(), "sqlite"), primary_key=True
    )
    channel_id: Mapped[int] = mapped_column(ForeignKey("prompt_channels.id", ondelete="CASCADE"))
    cycle: Mapped[int] = mapped_column(Integer)
    prompt_id: Mapped[str] = mapped_column(String(64))
    how: Mapped[str] = mapped_column(String(8))
    used_at: Mapped[datetime]


class PromptAnswerRow(Base):
    """A member's answer to a posted prompt: one per member and post, counted once."""

    __tablename__ = "prompt_answers"
    __table_args__ = (
        UniqueConstraint("post_id", "platform", "user_id"),
        # The platform's message id: a redelivered answer is refused by the database.
        UniqueConstraint("platform", "source"),
    )

    id: Mapped[int] = mapped_column(
        BigInteger().with_variant(Integer(), "sqlite"), primary_key=True
    )
    post_id: Mapped[int] = mapped_column(
        BigInteger().with_variant(Integer(), "sqlite"),
        ForeignKey("prompt_posts.id", ondelete="CASCADE"),
    )
    platform: Mapped[str] = mapped_column(String(16))
    user_id: Mapped[str] = mapped_column(String(64))
    source: Mapped[str] = mapped_column(String(160))
    text: Mapped[str] = mapped_column(String(500), default="", server_default="")  # or a link
    created_at: Mapped[datetime]


# A community's own prompts (moderators' and approved suggestions) and the prompt ids it took
# out of its rotation (bank or custom alike; see docs/architecture.md, "Daily prompts").

CUSTOM_STATES = ("pending", "active", "rejected")


class CustomPromptRow(Base):
    """A prompt written in a community: `custom-<number>`, numbered per community."""

    __tablename__ = "custom_prompts"
    __table_args__ = (
        UniqueConstraint("platform", "space_id", "prompt_id"),
        # Two processes adding at once pick the same next number: one insert is refused.
        UniqueConstraint("platform", "space_id", "number"),
        CheckConstraint(f"status IN {CUSTOM_STATES!r}", name="status"),
        CheckConstraint("difficulty IN ('easy', 'medium', 'hard')", name="difficulty"),
        # The rotation (active) and `prompt suggestions` (pending) of a community.
        Index("ix_custom_prompts_space_status", "platform", "space_id", "status"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    platform: Mapped[str] = mapped_column(String(16))
    space_id: Mapped[str] = mapped_column(String(64))
    number: Mapped[int] = mapped_column(Integer)
    prompt_id: Mapped[str] = mapped_column(String(64))
    title: Mapped[str] = mapped_column(String(100))
    body: Mapped[str] = mapped_column(String(1500))
    difficulty: Mapped[str] = mapped_column(String(8))
    topics: Mapped[str] = mapped_column(String(2000))  # topic ids, comma-separated, main first
    hint: Mapped[str | None] = mapped_column(String(400))
    status: Mapped[str] = mapped_column(String(8))
    author_id: Mapped[str] = mapped_column(String(64))
    author_name: Mapped[str] = mapped_column(String(100))
    decided_by: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime]
    decided_at: Mapped[datetime | None]


class PromptRetirementRow(Base):
    """A prompt (of the bank or the community's own) taken out of a community's rotation."""

    __tablename__ = "prompt_retirements"
    __table_args__ = (UniqueConstraint("platform", "space_id", "prompt_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    platform: Mapped[str] = mapped_column(String(16))
    space_id: Mapped[str] = mapped_column(String(64))
    prompt_id: Mapped[str] = mapped_column(String(64))
    retired_at: Mapped[datetime]


# Mentoring: mentors' profiles (one per person and community), the topics each offers, and
# the blocks members set (see docs/architecture.md, "Mentoring").


class MentorProfileRow(Base):
    """A mentor's profile in one community; `mentor leave` deletes the row and its topics."""

    __tablename__ = "mentor_profiles"
    __table_args__ = (
        UniqueConstraint("platform", "space_id", "user_id"),
        CheckConstraint("capacity >= 1", name="capacity"),
        CheckConstraint("level >= 0", name="level"),
        CheckConstraint("expired_in_row >= 0", name="expired_in_row"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    platform: Mapped[str] = mapped_column(String(16))
    space_id: Mapped[str] = mapped_column(String(64))
    user_id: Mapped[str] = mapped_column(String(64))
    display_name: Mapped[str] = mapped_column(String(100))
    level: Mapped[int] = mapped_column(SmallInteger)
    timezone: Mapped[str] = mapped_column(String(64))
    hours: Mapped[str] = mapped_column(String(200))  # as written; parsed when matching
    capacity: Mapped[int] = mapped_column(SmallInteger)
    intro: Mapped[str] = mapped_column(String(300), default="", server_default="")
    paused_until: Mapped[date | None] = mapped_column(Date)  # through this local date
    paused_reason: Mapped[str | None] = mapped_column(String(200))
    expired_in_row: Mapped[int] = mapped_column(Integer, default=0, server_default=text("0"))
    joined_at: Mapped[datetime]


class MentorTopicRow(Base):
    """A topic a mentor offers: "the mentors of topic X" is one indexed look-up."""

    __tablename__ = "mentor_topics"
    __table_args__ = (Index("ix_mentor_topics_topic_id", "topic_id"),)

    profile_id: Mapped[int] = mapped_column(
        ForeignKey("mentor_profiles.id", ondelete="CASCADE"), primary_key=True
    )
    topic_id: Mapped[str] = mapped_column(String(64), primary_key=True)


class MentorBlockRow(Base):
    """A member's block of another on one platform: never shown, honoured by every match."""

    __tablename__ = "mentor_blocks"
    # pairs_among reads every block of the members by blocker: the unique key's index.
    __table_args__ = (UniqueConstraint("platform", "blocker_id", "blocked_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    platform: Mapped[str] = mapped_column(String(16))
    blocker_id: Mapped[str] = mapped_column(String(64))
    blocked_id: Mapped[str] = mapped_column(String(64))


# Pairing rounds (mentoring): channels with rounds, their members, rounds with their outcomes,
# and the heads-ups claimed (see docs/architecture.md, "Pairing rounds").


class PairingChannelRow(Base):
    """A channel with pairing rounds: its schedule and its next round."""

    __tablename__ = "pairing_channels"
    __table_args__ = (
        UniqueConstraint("platform", "channel_id"),
        CheckConstraint("every_weeks IN (1, 2, 4)", name="every_weeks"),
        CheckConstraint("weekday BETWEEN 0 AND 6", name="weekday"),
        CheckConstraint("at_minute BETWEEN 0 AND 1439", name="at_minute"),
        CheckConstraint("odd IN ('trio', 'sit_out')", name="odd"),
        # The tick's one query: channels of the platforms this process runs, due soon.
        Index("ix_pairing_channels_due", "platform", "next_due_at"),
        Index("ix_pairing_channels_space", "platform", "space_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    platform: Mapped[str] = mapped_column(String(16))
    space_id: Mapped[str] = mapped_column(String(64))
    channel_id: Mapped[str] = mapped_column(String(64))
    every_weeks: Mapped[int] = mapped_column(SmallInteger)
    weekday: Mapped[int] = mapped_column(SmallInteger)
    at_minute: Mapped[int] = mapped_column(SmallInteger)  # local time, minutes after midnight
    timezone: Mapped[str] = mapped_column(String(64))
    odd: Mapped[str] = mapped_column(String(8))
    enabled: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())
    # The next round: its number (the rounds' unique key) and local date; NULL dates while off.
    next_number: Mapped[int] = mapped_column(Integer, default=1, server_default=text("1"))
    next_day: Mapped[date | None] = mapped_column(Date)
    next_due_at: Mapped[datetime | None]
    heads_up_number: Mapped[int | None] = mapped_column(Integer)  # the last round announced
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]


class PairingMemberRow(Base):
    """A member's standing in one channel's rounds: in or out, snoozed, skipping, paused."""

    __tablename__ = "pairing_members"
    __table_args__ = (UniqueConstraint("channel_id", "user_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    channel_id: Mapped[int] = mapped_column(ForeignKey("pairing_channels.id", ondelete="CASCADE"))
    user_id: Mapped[str] = mapped_column(String(64))
    display_name: Mapped[str] = mapped_column(String(100))
    opted_in: Mapped[bool] = mapped_column(Boolean)
    snoozed_until: Mapped[date | None] = mapped_column(Date)  # no round before this local date
    skip_number: Mapped[int | None] = mapped_column(Integer)  # the one round skipped
    paused_at: Mapped[datetime | None]  # paused for ignoring rounds; `pairing join` resumes
    joined_at: Mapped[datetime]  # the last join: ignored rounds count from here
    updated_at: Mapped[datetime]


class PairingRoundRow(Base):
    """One round of a channel, with what went in; the unique key makes it exactly one."""

    __tablename__ = "pairing_rounds"
    __table_args__ = (
        UniqueConstraint("channel_id", "number"),
        CheckConstraint("odd IN ('trio', 'sit_out')", name="odd"),
        Index("ix_pairing_rounds_due_at", "due_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    channel_id: Mapped[int] = mapped_column(ForeignKey("pairing_channels.id", ondelete="CASCADE"))
    number: Mapped[int] = mapped_column(Integer)
    local_date: Mapped[date] = mapped_column(Date)
    due_at: Mapped[datetime]
    seed: Mapped[int] = mapped_column(BigInteger)
    odd: Mapped[str] = mapped_column(String(8))
    # Blocked pairs among its members when it ran ("a b" pairs, one per line): with the
    # members, the history and the seed, everything pair_round was given.
    blocked: Mapped[str] = mapped_column(String(20000), default="", server_default="")
    held_at: Mapped[datetime]
    roster_sent_at: Mapped[datetime | None]


class PairingOutcomeRow(Base):
    """One member's outcome in a round: their group and seat, or sat out; told, asked, met."""

    __tablename__ = "pairing_outcomes"
    __table_args__ = (
        UniqueConstraint("round_id", "user_id"),
        CheckConstraint("kind IN ('pair', 'trio', 'sat_out')", name="kind"),
        # The follow-up query: grouped members not asked yet.
        Index("ix_pairing_outcomes_unasked", "asked_at", "kind"),
        Index("ix_pairing_outcomes_user", "user_id"),
    )

    id: Mapped[int] = mapped_column(
        BigInteger().with_variant(Integer(), "sqlite"), primary_key=True
    )
    round_id: Mapped[int] = mapped_column(ForeignKey("pairing_rounds.id", ondelete="CASCADE"))
    user_id: Mapped[str] = mapped_column(String(64))
    display_name: Mapped[str] = mapped_column(String(100))
    position: Mapped[int] = mapped_column(Integer)  # order given to pair_round (reproducing it)
    kind: Mapped[str] = mapped_column(String(8))
    group_number: Mapped[int] = mapped_column(Integer)  # order of groups; sat out: -1
    seat: Mapped[int] = mapped_column(SmallInteger)  # order within the group (or the sat-out list)
    told_at: Mapped[datetime | None]
    asked_at: Mapped[datetime | None]
    met: Mapped[bool | None] = mapped_column(Boolean)
    answered_at: Mapped[datetime | None]


class PairingHeadsUpRow(Base):
    """A heads-up sent for one member and one round of a channel: once, by the unique key."""

    __tablename__ = "pairing_heads_ups"
    __table_args__ = (UniqueConstraint("channel_id", "number", "user_id"),)

    id: Mapped[int] = mapped_column(
        BigInteger().with_variant(Integer(), "sqlite"), primary_key=True
    )
    channel_id: Mapped[int] = mapped_column(ForeignKey("pairing_channels.id", ondelete="CASCADE"))
    number: Mapped[int] = mapped_column(Integer)
    user_id: Mapped[str] = mapped_column(String(64))
    sent_at: Mapped[datetime]


# The mentoring job's request tables and the Q&A's outcome and rating tables live in their
# own modules on this metadata; importing them here makes every user of `metadata` (Alembic,
# drift) see them.
from bot.storage import ask_tables as _ask_tables  # noqa: E402, F401
from bot.storage import mentoring_tables as _mentoring_tables  # noqa: E402, F401
