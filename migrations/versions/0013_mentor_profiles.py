"""Mentoring: mentors' profiles, the topics each offers, and members' blocks.

Revision ID: 0013
Revises: 0012
Create Date: 2026-11-29
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0013"
down_revision: str | Sequence[str] | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

WHEN = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "mentor_profiles",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("platform", sa.String(16), nullable=False),
        sa.Column("space_id", sa.String(64), nullable=False),
        sa.Column("user_id", sa.String(64), nullable=False),
        sa.Column("display_name", sa.String(100), nullable=False),
        sa.Column("level", sa.SmallInteger(), nullable=False),
        sa.Column("timezone", sa.String(64), nullable=False),
        sa.Column("hours", sa.String(200), nullable=False),
        sa.Column("capacity", sa.SmallInteger(), nullable=False),
        sa.Column("intro", sa.String(300), server_default="", nullable=False),
        sa.Column("paused_until", sa.Date(), nullable=True),
        sa.Column("paused_reason", sa.String(200), nullable=True),
        sa.Column("expired_in_row", sa.Integer(), server_default=sa.text("0"), nullable=False),
        sa.Column("joined_at", WHEN, nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_mentor_profiles")),
        sa.UniqueConstraint(
            "platform",
            "space_id",
            "user_id",
            name=op.f("uq_mentor_profiles_platform_space_id_user_id"),
        ),
        sa.CheckConstraint("capacity >= 1", name=op.f("ck_mentor_profiles_capacity")),
        sa.CheckConstraint("level >= 0", name=op.f("ck_mentor_profiles_level")),
        sa.CheckConstraint("expired_in_row >= 0", name=op.f("ck_mentor_profiles_expired_in_row")),
    )
    op.create_table(
        "mentor_topics",
        sa.Column("profile_id", sa.Integer(), nullable=False),
        sa.Column("topic_id", sa.String(64), nullable=False),
        sa.PrimaryKeyConstraint("profile_id", "topic_id", name=op.f("pk_mentor_topics")),
        sa.ForeignKeyConstraint(
            ["profile_id"],
            ["mentor_profiles.id"],
            name=op.f("fk_mentor_topics_profile_id_mentor_profiles"),
            ondelete="CASCADE",
        ),
    )
    op.create_index("ix_mentor_topics_topic_id", "mentor_topics", ["topic_id"])
    op.create_table(
        "mentor_blocks",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("platform", sa.String(16), nullable=False),
        sa.Column("blocker_id", sa.String(64), nullable=False),
        sa.Column("blocked_id", sa.String(64), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_mentor_blocks")),
        sa.UniqueConstraint(
            "platform",
            "blocker_id",
            "blocked_id",
            name=op.f("uq_mentor_blocks_platform_blocker_id_blocked_id"),
        ),
    )


def downgrade() -> None:
    op.drop_table("mentor_blocks")
    op.drop_index("ix_mentor_topics_topic_id", table_name="mentor_topics")
    op.drop_table("mentor_topics")
    op.drop_table("mentor_profiles")
