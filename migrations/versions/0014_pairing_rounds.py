"""Pairing rounds: channels with rounds, their members, rounds and outcomes, heads-ups.

Revision ID: 0014
Revises: 0013
Create Date: 2026-11-29
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0014"
down_revision: str | Sequence[str] | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

WHEN = sa.DateTime(timezone=True)
BIG_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def _channel_fk(table: str) -> sa.Column[int]:
    return sa.Column(
        "channel_id",
        sa.Integer(),
        sa.ForeignKey(
            "pairing_channels.id",
            name=op.f(f"fk_{table}_channel_id_pairing_channels"),
            ondelete="CASCADE",
        ),
        nullable=False,
    )


def upgrade() -> None:
    op.create_table(
        "pairing_channels",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("platform", sa.String(16), nullable=False),
        sa.Column("space_id", sa.String(64), nullable=False),
        sa.Column("channel_id", sa.String(64), nullable=False),
        sa.Column("every_weeks", sa.SmallInteger(), nullable=False),
        sa.Column("weekday", sa.SmallInteger(), nullable=False),
        sa.Column("at_minute", sa.SmallInteger(), nullable=False),
        sa.Column("timezone", sa.String(64), nullable=False),
        sa.Column("odd", sa.String(8), nullable=False),
        sa.Column("enabled", sa.Boolean(), server_default=sa.true(), nullable=False),
        sa.Column("next_number", sa.Integer(), server_default=sa.text("1"), nullable=False),
        sa.Column("next_day", sa.Date(), nullable=True),
        sa.Column("next_due_at", WHEN, nullable=True),
        sa.Column("heads_up_number", sa.Integer(), nullable=True),
        sa.Column("created_at", WHEN, nullable=False),
        sa.Column("updated_at", WHEN, nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pairing_channels")),
        sa.UniqueConstraint(
            "platform", "channel_id", name=op.f("uq_pairing_channels_platform_channel_id")
        ),
        sa.CheckConstraint(
            "every_weeks IN (1, 2, 4)", name=op.f("ck_pairing_channels_every_weeks")
        ),
        sa.CheckConstraint("weekday BETWEEN 0 AND 6", name=op.f("ck_pairing_channels_weekday")),
        sa.CheckConstraint(
            "at_minute BETWEEN 0 AND 1439", name=op.f("ck_pairing_channels_at_minute")
        ),
        sa.CheckConstraint("odd IN ('trio', 'sit_out')", name=op.f("ck_pairing_channels_odd")),
    )
    op.create_index("ix_pairing_channels_due", "pairing_channels", ["platform", "next_due_at"])
    op.create_index("ix_pairing_channels_space", "pairing_channels", ["platform", "space_id"])
    op.create_table(
        "pairing_members",
        sa.Column("id", sa.Integer(), primary_key=True),
        _channel_fk("pairing_members"),
        sa.Column("user_id", sa.String(64), nullable=False),
        sa.Column("display_name", sa.String(100), nullable=False),
        sa.Column("opted_in", sa.Boolean(), nullable=False),
        sa.Column("snoozed_until", sa.Date(), nullable=True),
        sa.Column("skip_number", sa.Integer(), nullable=True),
        sa.Column("paused_at", WHEN, nullable=True),
        sa.Column("joined_at", WHEN, nullable=False),
        sa.Column("updated_at", WHEN, nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pairing_members")),
        sa.UniqueConstraint(
            "channel_id", "user_id", name=op.f("uq_pairing_members_channel_id_user_id")
        ),
    )
    op.create_table(
        "pairing_rounds",
        sa.Column("id", sa.Integer(), primary_key=True),
        _channel_fk("pairing_rounds"),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("local_date", sa.Date(), nullable=False),
        sa.Column("due_at", WHEN, nullable=False),
        sa.Column("seed", sa.BigInteger(), nullable=False),
        sa.Column("odd", sa.String(8), nullable=False),
        sa.Column("blocked", sa.String(20000), server_default="", nullable=False),
        sa.Column("held_at", WHEN, nullable=False),
        sa.Column("roster_sent_at", WHEN, nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pairing_rounds")),
        sa.UniqueConstraint(
            "channel_id", "number", name=op.f("uq_pairing_rounds_channel_id_number")
        ),
        sa.CheckConstraint("odd IN ('trio', 'sit_out')", name=op.f("ck_pairing_rounds_odd")),
    )
    op.create_index("ix_pairing_rounds_due_at", "pairing_rounds", ["due_at"])
    op.create_table(
        "pairing_outcomes",
        sa.Column("id", BIG_ID, primary_key=True),
        sa.Column(
            "round_id",
            sa.Integer(),
            sa.ForeignKey(
                "pairing_rounds.id",
                name=op.f("fk_pairing_outcomes_round_id_pairing_rounds"),
                ondelete="CASCADE",
            ),
            nullable=False,
        ),
        sa.Column("user_id", sa.String(64), nullable=False),
        sa.Column("display_name", sa.String(100), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(8), nullable=False),
        sa.Column("group_number", sa.Integer(), nullable=False),
        sa.Column("seat", sa.SmallInteger(), nullable=False),
        sa.Column("told_at", WHEN, nullable=True),
        sa.Column("asked_at", WHEN, nullable=True),
        sa.Column("met", sa.Boolean(), nullable=True),
        sa.Column("answered_at", WHEN, nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pairing_outcomes")),
        sa.UniqueConstraint(
            "round_id", "user_id", name=op.f("uq_pairing_outcomes_round_id_user_id")
        ),
        sa.CheckConstraint(
            "kind IN ('pair', 'trio', 'sat_out')", name=op.f("ck_pairing_outcomes_kind")
        ),
    )
    op.create_index("ix_pairing_outcomes_unasked", "pairing_outcomes", ["asked_at", "kind"])
    op.create_index("ix_pairing_outcomes_user", "pairing_outcomes", ["user_id"])
    op.create_table(
        "pairing_heads_ups",
        sa.Column("id", BIG_ID, primary_key=True),
        _channel_fk("pairing_heads_ups"),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.String(64), nullable=False),
        sa.Column("sent_at", WHEN, nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pairing_heads_ups")),
        sa.UniqueConstraint(
            "channel_id",
            "number",
            "user_id",
            name=op.f("uq_pairing_heads_ups_channel_id_number_user_id"),
        ),
    )


def downgrade() -> None:
    op.drop_table("pairing_heads_ups")
    op.drop_index("ix_pairing_outcomes_user", table_name="pairing_outcomes")
    op.drop_index("ix_pairing_outcomes_unasked", table_name="pairing_outcomes")
    op.drop_table("pairing_outcomes")
    op.drop_index("ix_pairing_rounds_due_at", table_name="pairing_rounds")
    op.drop_table("pairing_rounds")
    op.drop_table("pairing_members")
    op.drop_index("ix_pairing_channels_space", table_name="pairing_channels")
    op.drop_index("ix_pairing_channels_due", table_name="pairing_channels")
    op.drop_table("pairing_channels")
