"""Mentoring: learners' requests, offers to mentors, pairings, follow-ups and settings.

Revision ID: 0015
Revises: 0014
Create Date: 2026-11-29
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0015"
down_revision: str | Sequence[str] | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

WHEN = sa.DateTime(timezone=True)
OPEN_REQUEST = "state IN ('waiting', 'offered', 'matched')"


def _partial(name: str, table: str, columns: list[str], where: str) -> None:
    op.create_index(
        name,
        table,
        columns,
        unique=True,
        sqlite_where=sa.text(where),
        postgresql_where=sa.text(where),
    )


def upgrade() -> None:
    op.create_table(
        "mentor_requests",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("platform", sa.String(16), nullable=False),
        sa.Column("space_id", sa.String(64), nullable=False),
        sa.Column("learner_id", sa.String(64), nullable=False),
        sa.Column("learner_name", sa.String(100), nullable=False),
        sa.Column("channel_id", sa.String(64), nullable=False),
        sa.Column("topic", sa.String(64), nullable=False),
        sa.Column("context", sa.String(500), nullable=False),
        sa.Column("hours", sa.String(200), nullable=False),
        sa.Column("timezone", sa.String(64), nullable=False),
        sa.Column("stage", sa.SmallInteger(), nullable=False),
        sa.Column("state", sa.String(10), nullable=False),
        sa.Column("requested_at", WHEN, nullable=False),
        sa.Column("matched_at", WHEN, nullable=True),
        sa.Column("closed_at", WHEN, nullable=True),
        sa.Column("reminded_on", sa.Date(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_mentor_requests")),
        sa.CheckConstraint(
            "state IN ('waiting', 'offered', 'matched', 'done', 'cancelled')",
            name=op.f("ck_mentor_requests_state"),
        ),
    )
    _partial(
        "ux_mentor_requests_open_topic",
        "mentor_requests",
        ["platform", "space_id", "learner_id", "topic"],
        OPEN_REQUEST,
    )
    op.create_index(
        "ix_mentor_requests_queue",
        "mentor_requests",
        ["platform", "space_id", "state", "requested_at"],
    )
    op.create_table(
        "mentor_offers",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("request_id", sa.Integer(), nullable=False),
        sa.Column("platform", sa.String(16), nullable=False),
        sa.Column("space_id", sa.String(64), nullable=False),
        sa.Column("mentor_id", sa.String(64), nullable=False),
        sa.Column("state", sa.String(10), nullable=False),
        sa.Column("offered_at", WHEN, nullable=False),
        sa.Column("deadline", WHEN, nullable=False),
        sa.Column("answered_at", WHEN, nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_mentor_offers")),
        sa.ForeignKeyConstraint(
            ["request_id"],
            ["mentor_requests.id"],
            ondelete="CASCADE",
            name=op.f("fk_mentor_offers_request_id_mentor_requests"),
        ),
        sa.CheckConstraint(
            "state IN ('pending', 'accepted', 'declined', 'expired', 'withdrawn')",
            name=op.f("ck_mentor_offers_state"),
        ),
    )
    _partial("ux_mentor_offers_pending", "mentor_offers", ["request_id"], "state = 'pending'")
    op.create_index("ix_mentor_offers_due", "mentor_offers", ["state", "deadline"])
    op.create_index(
        "ix_mentor_offers_mentor", "mentor_offers", ["platform", "space_id", "mentor_id", "state"]
    )
    op.create_table(
        "mentor_pairings",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("request_id", sa.Integer(), nullable=False),
        sa.Column("offer_id", sa.Integer(), nullable=False),
        sa.Column("platform", sa.String(16), nullable=False),
        sa.Column("space_id", sa.String(64), nullable=False),
        sa.Column("mentor_id", sa.String(64), nullable=False),
        sa.Column("learner_id", sa.String(64), nullable=False),
        sa.Column("state", sa.String(10), nullable=False),
        sa.Column("started_at", WHEN, nullable=False),
        sa.Column("followup_at", WHEN, nullable=False),
        sa.Column("followup_sent_at", WHEN, nullable=True),
        sa.Column("met_at", WHEN, nullable=True),
        sa.Column("ended_at", WHEN, nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_mentor_pairings")),
        sa.ForeignKeyConstraint(
            ["request_id"],
            ["mentor_requests.id"],
            ondelete="CASCADE",
            name=op.f("fk_mentor_pairings_request_id_mentor_requests"),
        ),
        sa.ForeignKeyConstraint(
            ["offer_id"],
            ["mentor_offers.id"],
            ondelete="CASCADE",
            name=op.f("fk_mentor_pairings_offer_id_mentor_offers"),
        ),
        sa.CheckConstraint(
            "state IN ('active', 'ended', 'released')", name=op.f("ck_mentor_pairings_state")
        ),
    )
    _partial("ux_mentor_pairings_active", "mentor_pairings", ["request_id"], "state = 'active'")
    op.create_index("ix_mentor_pairings_followup", "mentor_pairings", ["state", "followup_at"])
    op.create_index(
        "ix_mentor_pairings_mentor",
        "mentor_pairings",
        ["platform", "space_id", "mentor_id", "state"],
    )
    op.create_table(
        "mentor_followups",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("pairing_id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.String(64), nullable=False),
        sa.Column("met", sa.Boolean(), nullable=False),
        sa.Column("answered_at", WHEN, nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_mentor_followups")),
        sa.ForeignKeyConstraint(
            ["pairing_id"],
            ["mentor_pairings.id"],
            ondelete="CASCADE",
            name=op.f("fk_mentor_followups_pairing_id_mentor_pairings"),
        ),
        sa.UniqueConstraint(
            "pairing_id", "member_id", name=op.f("uq_mentor_followups_pairing_id_member_id")
        ),
    )
    op.create_table(
        "mentoring_settings",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("platform", sa.String(16), nullable=False),
        sa.Column("space_id", sa.String(64), nullable=False),
        sa.Column("deadline_minutes", sa.Integer(), server_default=sa.text("2880"), nullable=False),
        sa.Column(
            "followup_minutes", sa.Integer(), server_default=sa.text("10080"), nullable=False
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_mentoring_settings")),
        sa.UniqueConstraint(
            "platform", "space_id", name=op.f("uq_mentoring_settings_platform_space_id")
        ),
        sa.CheckConstraint(
            "deadline_minutes BETWEEN 60 AND 20160",
            name=op.f("ck_mentoring_settings_deadline_minutes"),
        ),
        sa.CheckConstraint(
            "followup_minutes BETWEEN 1440 AND 86400",
            name=op.f("ck_mentoring_settings_followup_minutes"),
        ),
    )


def downgrade() -> None:
    op.drop_table("mentoring_settings")
    op.drop_table("mentor_followups")
    op.drop_table("mentor_pairings")
    op.drop_table("mentor_offers")
    op.drop_table("mentor_requests")
