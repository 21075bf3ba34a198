"""Tables of on-demand mentoring: requests, offers, pairings, follow-up answers, settings.

They hang on bot.storage.tables' metadata (tables.py imports this module at its end; it
lives beside tables.py, not in the job's package, so no storage package imports another), so
Alembic and the drift check see them. Partial unique indexes decide what must happen once:
one open request per learner and topic, one pending offer per request, one active pairing
per request.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    SmallInteger,
    String,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from bot.storage.tables import Base

REQUEST_STATES = ("waiting", "offered", "matched", "done", "cancelled")
OFFER_STATES = ("pending", "accepted", "declined", "expired", "withdrawn")
PAIRING_STATES = ("active", "ended", "released")
OPEN_REQUEST = "state IN ('waiting', 'offered', 'matched')"
CONTEXT_LENGTH = 500
HOURS_LENGTH = 200


def _partial(name: str, *columns: str, where: str) -> Index:
    """Return a unique index over the rows where holds (PostgreSQL and SQLite both)."""
    return Index(
        name, *columns, unique=True, sqlite_where=text(where), postgresql_where=text(where)
    )


class MentorRequestRow(Base):
    """A learner's request for a mentor on one topic; requested_at is its place in the queue."""

    __tablename__ = "mentor_requests"
    __table_args__ = (
        CheckConstraint(f"state IN {REQUEST_STATES!r}", name="state"),
        _partial(
            "ux_mentor_requests_open_topic",
            "platform",
            "space_id",
            "learner_id",
            "topic",
            where=OPEN_REQUEST,
        ),
        Index("ix_mentor_requests_queue", "platform", "space_id", "state", "requested_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    platform: Mapped[str] = mapped_column(String(16))
    space_id: Mapped[str] = mapped_column(String(64))
    learner_id: Mapped[str] = mapped_column(String(64))
    learner_name: Mapped[str] = mapped_column(String(100))
    channel_id: Mapped[str] = mapped_column(String(64))
    topic: Mapped[str] = mapped_column(String(64))
    context: Mapped[str] = mapped_column(String(CONTEXT_LENGTH))
    hours: Mapped[str] = mapped_column(String(HOURS_LENGTH))
    timezone: Mapped[str] = mapped_column(String(64))
    stage: Mapped[int] = mapped_column(SmallInteger)
    state: Mapped[str] = mapped_column(String(10))
    requested_at: Mapped[datetime]
    matched_at: Mapped[datetime | None]
    closed_at: Mapped[datetime | None]
    reminded_on: Mapped[date | None] = mapped_column(Date)  # moderators' reminder, claimed daily


class MentorOfferRow(Base):
    """A request offered to one mentor until a deadline; at most one pending per request."""

    __tablename__ = "mentor_offers"
    __table_args__ = (
        CheckConstraint(f"state IN {OFFER_STATES!r}", name="state"),
        _partial("ux_mentor_offers_pending", "request_id", where="state = 'pending'"),
        Index("ix_mentor_offers_due", "state", "deadline"),
        Index("ix_mentor_offers_mentor", "platform", "space_id", "mentor_id", "state"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("mentor_requests.id", ondelete="CASCADE"))
    platform: Mapped[str] = mapped_column(String(16))
    space_id: Mapped[str] = mapped_column(String(64))
    mentor_id: Mapped[str] = mapped_column(String(64))
    state: Mapped[str] = mapped_column(String(10))
    offered_at: Mapped[datetime]
    deadline: Mapped[datetime]
    answered_at: Mapped[datetime | None]


class MentorPairingRow(Base):
    """A mentor and a learner on one request: active (takes a place) until it ends."""

    __tablename__ = "mentor_pairings"
    __table_args__ = (
        CheckConstraint(f"state IN {PAIRING_STATES!r}", name="state"),
        _partial("ux_mentor_pairings_active", "request_id", where="state = 'active'"),
        Index("ix_mentor_pairings_followup", "state", "followup_at"),
        Index("ix_mentor_pairings_mentor", "platform", "space_id", "mentor_id", "state"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("mentor_requests.id", ondelete="CASCADE"))
    offer_id: Mapped[int] = mapped_column(ForeignKey("mentor_offers.id", ondelete="CASCADE"))
    platform: Mapped[str] = mapped_column(String(16))
    space_id: Mapped[str] = mapped_column(String(64))
    mentor_id: Mapped[str] = mapped_column(String(64))
    learner_id: Mapped[str] = mapped_column(String(64))
    state: Mapped[str] = mapped_column(String(10))
    started_at: Mapped[datetime]
    followup_at: Mapped[datetime]
    followup_sent_at: Mapped[datetime | None]  # the claim of the follow-up
    met_at: Mapped[datetime | None]  # set once, by the first "yes"
    ended_at: Mapped[datetime | None]


class MentorFollowupRow(Base):
    """One member's answer to "did you meet?": one per member and pairing."""

    __tablename__ = "mentor_followups"
    __table_args__ = (UniqueConstraint("pairing_id", "member_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    pairing_id: Mapped[int] = mapped_column(ForeignKey("mentor_pairings.id", ondelete="CASCADE"))
    member_id: Mapped[str] = mapped_column(String(64))
    met: Mapped[bool] = mapped_column(Boolean)
    answered_at: Mapped[datetime]


class MentoringSettingsRow(Base):
    """A community's offer deadline and follow-up delay, in minutes."""

    __tablename__ = "mentoring_settings"
    __table_args__ = (
        UniqueConstraint("platform", "space_id"),
        CheckConstraint("deadline_minutes BETWEEN 60 AND 20160", name="deadline_minutes"),
        CheckConstraint("followup_minutes BETWEEN 1440 AND 86400", name="followup_minutes"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    platform: Mapped[str] = mapped_column(String(16))
    space_id: Mapped[str] = mapped_column(String(64))
    deadline_minutes: Mapped[int] = mapped_column(Integer, server_default=text("2880"))
    followup_minutes: Mapped[int] = mapped_column(Integer, server_default=text("10080"))
