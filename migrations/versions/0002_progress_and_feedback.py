"""Create progress and resource_feedback.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-29
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | Sequence[str] | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "progress",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("platform", sa.String(length=16), nullable=False),
        sa.Column("user_id", sa.String(length=64), nullable=False),
        sa.Column("topic_id", sa.String(length=64), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_progress"),
        sa.UniqueConstraint(
            "platform", "user_id", "topic_id", name="uq_progress_platform_user_id_topic_id"
        ),
        sa.CheckConstraint(
            "status IN ('done', 'learning', 'skip')", name=op.f("ck_progress_status")
        ),
    )
    op.create_table(
        "resource_feedback",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("platform", sa.String(length=16), nullable=False),
        sa.Column("user_id", sa.String(length=64), nullable=False),
        sa.Column("resource_id", sa.String(length=64), nullable=False),
        sa.Column("rating", sa.SmallInteger(), server_default=sa.text("0"), nullable=False),
        sa.Column("seen", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_resource_feedback"),
        sa.UniqueConstraint(
            "platform",
            "user_id",
            "resource_id",
            name="uq_resource_feedback_platform_user_id_resource_id",
        ),
        sa.CheckConstraint("rating IN (-1, 0, 1)", name=op.f("ck_resource_feedback_rating")),
    )
    op.create_index(
        "ix_resource_feedback_resource_id", "resource_feedback", ["resource_id"], unique=False
    )


def downgrade() -> None:
    op.drop_index("ix_resource_feedback_resource_id", table_name="resource_feedback")
    op.drop_table("resource_feedback")
    op.drop_table("progress")
