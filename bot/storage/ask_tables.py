"""Tables of the questions' outcomes: answers, their documents and topics, ratings, setting.

They hang on bot.storage.tables' metadata (tables.py imports this module at its end), so
Alembic and the drift check see them. A question's words are never stored, except a declined
one's sanitised text in a community that turned `config ask keep-declined` on.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    ForeignKey,
    Index,
    Integer,
    String,
    false,
)
from sqlalchemy.orm import Mapped, mapped_column

from bot.storage.tables import Base

KEPT_TEXT_LENGTH = 300
DOCUMENT_LENGTH = 128  # `kind:id`


class AskAnswerRow(Base):
    """One question and what it came to; its id is the answer's number on its buttons."""

    __tablename__ = "ask_answers"
    __table_args__ = (
        # Only a declined question's text may be kept, never an answered one's.
        CheckConstraint("kept_text IS NULL OR NOT answered", name="kept_declined_only"),
        # `ask stats`: a community's questions since a moment.
        Index("ix_ask_answers_space", "platform", "space_id", "asked_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    platform: Mapped[str] = mapped_column(String(16))
    space_id: Mapped[str] = mapped_column(String(64))
    asker_id: Mapped[str] = mapped_column(String(64))
    asked_at: Mapped[datetime] = mapped_column(index=True)  # pruning reads it alone
    answered: Mapped[bool] = mapped_column(Boolean)
    kept_text: Mapped[str | None] = mapped_column(String(KEPT_TEXT_LENGTH))


class AskAnswerDocumentRow(Base):
    """A knowledge-base entry an answer was made of: what its ratings are about."""

    __tablename__ = "ask_answer_documents"

    answer_id: Mapped[int] = mapped_column(
        ForeignKey("ask_answers.id", ondelete="CASCADE"), primary_key=True
    )
    document: Mapped[str] = mapped_column(String(DOCUMENT_LENGTH), primary_key=True)


class AskAnswerTopicRow(Base):
    """A roadmap topic an answer was about: the most-asked topics count these."""

    __tablename__ = "ask_answer_topics"

    answer_id: Mapped[int] = mapped_column(
        ForeignKey("ask_answers.id", ondelete="CASCADE"), primary_key=True
    )
    topic_id: Mapped[str] = mapped_column(String(64), primary_key=True)


class AskRatingRow(Base):
    """One member's Helpful / Not helpful for one answer: the key allows one per member."""

    __tablename__ = "ask_ratings"

    answer_id: Mapped[int] = mapped_column(
        ForeignKey("ask_answers.id", ondelete="CASCADE"), primary_key=True
    )
    platform: Mapped[str] = mapped_column(String(16), primary_key=True)
    user_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    helpful: Mapped[bool] = mapped_column(Boolean)
    rated_at: Mapped[datetime]


class AskSettingsRow(Base):
    """A community's choice to keep declined questions' text (off unless a row says on)."""

    __tablename__ = "ask_settings"

    platform: Mapped[str] = mapped_column(String(16), primary_key=True)
    space_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    keep_declined: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
