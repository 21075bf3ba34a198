"""Reminder schedule per member, an index-only current-streak rank, reminders by date.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-10
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | Sequence[str] | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

OLD_STREAK = ["platform", "space_id", "hidden", "current_streak", "longest_streak"]


def upgrade() -> None:
    with op.batch_alter_table("members") as batch:
        batch.add_column(sa.Column("next_reminder_at", sa.DateTime(timezone=True), nullable=True))
        batch.drop_index("ix_members_reminders")
        batch.create_index("ix_members_reminders_next", ["reminders", "next_reminder_at"])
    # Members who already opted in are due at the first tick, which schedules each one.
    members = sa.table(
        "members",
        sa.column("reminders", sa.Boolean()),
        sa.column("updated_at", sa.DateTime(timezone=True)),
        sa.column("next_reminder_at", sa.DateTime(timezone=True)),
    )
    op.execute(
        members.update()
        .where(members.c.reminders == sa.true())
        .values(next_reminder_at=members.c.updated_at)
    )
    # The streak board filters on alive_until: in the index, the asker's place is index-only.
    op.drop_index("ix_member_stats_alive_until", table_name="member_stats")
    op.drop_index("ix_member_stats_streak", table_name="member_stats")
    op.create_index("ix_member_stats_streak", "member_stats", [*OLD_STREAK, "alive_until"])
    op.create_index("ix_streak_reminders_local_date", "streak_reminders", ["local_date"])


def downgrade() -> None:
    op.drop_index("ix_streak_reminders_local_date", table_name="streak_reminders")
    op.drop_index("ix_member_stats_streak", table_name="member_stats")
    op.create_index("ix_member_stats_streak", "member_stats", OLD_STREAK)
    op.create_index("ix_member_stats_alive_until", "member_stats", ["alive_until"])
    with op.batch_alter_table("members") as batch:
        batch.drop_index("ix_members_reminders_next")
        batch.create_index("ix_members_reminders", ["reminders"])
        batch.drop_column("next_reminder_at")
