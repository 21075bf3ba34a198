"""Create learning_events.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-06
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | Sequence[str] | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "learning_events",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("platform", sa.String(length=16), nullable=False),
        sa.Column("user_id", sa.String(length=64), nullable=False),
        sa.Column("space_id", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=24), nullable=False),
        sa.Column("source", sa.String(length=160), nullable=False),
        sa.Column("occurred_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("local_date", sa.Date(), nullable=False),
        sa.Column("minutes", sa.Integer(), server_default=sa.text("0"), nullable=False),
        sa.Column("note", sa.String(length=200), server_default="", nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_learning_events"),
        sa.UniqueConstraint("platform", "source", name="uq_learning_events_platform_source"),
        sa.CheckConstraint(
            "kind IN ('checkin', 'topic_done', 'prompt_answer', 'mentor_session')",
            name=op.f("ck_learning_events_kind"),
        ),
        sa.CheckConstraint(
            "minutes >= 0 AND minutes <= 1440", name=op.f("ck_learning_events_minutes")
        ),
    )
    op.create_index(
        "ix_learning_events_platform_user_id_local_date",
        "learning_events",
        ["platform", "user_id", "local_date"],
        unique=False,
    )
    op.create_index(
        "ix_learning_events_space_id_local_date",
        "learning_events",
        ["space_id", "local_date"],
        unique=False,
    )


def downgrade() -> None:
    op.drop_index("ix_learning_events_space_id_local_date", table_name="learning_events")
    op.drop_index("ix_learning_events_platform_user_id_local_date", table_name="learning_events")
    op.drop_table("learning_events")
