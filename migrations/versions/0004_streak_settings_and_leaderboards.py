"""Streak settings per space, member preferences, leaderboard totals and reminders.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-22
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | Sequence[str] | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# One index per leaderboard, each ending in the ranked column so the top ten is an index scan.
STATS_INDEXES = {
    "ix_member_stats_streak": [
        "platform", "space_id", "hidden", "current_streak", "longest_streak",
    ],
    "ix_member_stats_week_days": [
        "platform", "space_id", "hidden", "week_start", "week_days", "week_minutes",
    ],
    "ix_member_stats_week_minutes": [
        "platform", "space_id", "hidden", "week_start", "week_minutes",
    ],
    "ix_member_stats_month_days": [
        "platform", "space_id", "hidden", "month_start", "month_days", "month_minutes",
    ],
    "ix_member_stats_month_minutes": [
        "platform", "space_id", "hidden", "month_start", "month_minutes",
    ],
    "ix_member_stats_total_minutes": ["platform", "space_id", "hidden", "total_minutes"],
    "ix_member_stats_platform_user_id": ["platform", "user_id"],
    "ix_member_stats_alive_until": ["alive_until"],
}  # fmt: skip


def upgrade() -> None:
    # Batch mode: SQLite can only add CHECK constraints by rebuilding the table.
    with op.batch_alter_table("spaces") as batch:
        batch.add_column(
            sa.Column(
                "days_per_freeze", sa.SmallInteger(), server_default=sa.text("7"), nullable=False
            )
        )
        batch.add_column(
            sa.Column("max_freezes", sa.SmallInteger(), server_default=sa.text("2"), nullable=False)
        )
        batch.add_column(
            sa.Column(
                "reminder_hour", sa.SmallInteger(), server_default=sa.text("20"), nullable=False
            )
        )
        batch.create_check_constraint(
            op.f("ck_spaces_days_per_freeze"), "days_per_freeze BETWEEN 1 AND 60"
        )
        batch.create_check_constraint(op.f("ck_spaces_max_freezes"), "max_freezes BETWEEN 0 AND 10")
        batch.create_check_constraint(
            op.f("ck_spaces_reminder_hour"), "reminder_hour BETWEEN 0 AND 23"
        )  # fmt: skip
    with op.batch_alter_table("members") as batch:
        batch.add_column(
            sa.Column("leaderboard_hidden", sa.Boolean(), server_default=sa.false(), nullable=False)
        )
        batch.add_column(
            sa.Column("reminders", sa.Boolean(), server_default=sa.false(), nullable=False)
        )
        batch.add_column(sa.Column("reminder_space_id", sa.String(length=64), nullable=True))
        batch.create_index("ix_members_reminders", ["reminders"], unique=False)
    op.create_table(
        "milestone_roles",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("platform", sa.String(length=16), nullable=False),
        sa.Column("space_id", sa.String(length=64), nullable=False),
        sa.Column("days", sa.SmallInteger(), nullable=False),
        sa.Column("role_id", sa.String(length=64), nullable=False),
        sa.CheckConstraint("days IN (7, 30, 100)", name=op.f("ck_milestone_roles_days")),
        sa.PrimaryKeyConstraint("id", name="pk_milestone_roles"),
        sa.UniqueConstraint(
            "platform", "space_id", "days", name="uq_milestone_roles_platform_space_id_days"
        ),
    )
    op.create_table(
        "member_stats",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("platform", sa.String(length=16), nullable=False),
        sa.Column("space_id", sa.String(length=64), nullable=False),
        sa.Column("user_id", sa.String(length=64), nullable=False),
        sa.Column("display_name", sa.String(length=200), nullable=False),
        sa.Column("hidden", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("current_streak", sa.Integer(), server_default=sa.text("0"), nullable=False),
        sa.Column("longest_streak", sa.Integer(), server_default=sa.text("0"), nullable=False),
        sa.Column("alive_until", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_day", sa.Date(), nullable=False),
        sa.Column("week_start", sa.Date(), nullable=False),
        sa.Column("week_days", sa.SmallInteger(), server_default=sa.text("0"), nullable=False),
        sa.Column("week_minutes", sa.Integer(), server_default=sa.text("0"), nullable=False),
        sa.Column("month_start", sa.Date(), nullable=False),
        sa.Column("month_days", sa.SmallInteger(), server_default=sa.text("0"), nullable=False),
        sa.Column("month_minutes", sa.Integer(), server_default=sa.text("0"), nullable=False),
        sa.Column("total_days", sa.Integer(), server_default=sa.text("0"), nullable=False),
        sa.Column("total_minutes", sa.Integer(), server_default=sa.text("0"), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_member_stats"),
        sa.UniqueConstraint(
            "platform", "space_id", "user_id", name="uq_member_stats_platform_space_id_user_id"
        ),
    )
    for name, columns in STATS_INDEXES.items():
        op.create_index(name, "member_stats", columns, unique=False)
    op.create_table(
        "streak_reminders",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("platform", sa.String(length=16), nullable=False),
        sa.Column("user_id", sa.String(length=64), nullable=False),
        sa.Column("local_date", sa.Date(), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_streak_reminders"),
        sa.UniqueConstraint(
            "platform", "user_id", "local_date",
            name="uq_streak_reminders_platform_user_id_local_date",
        ),
    )  # fmt: skip


def downgrade() -> None:
    op.drop_table("streak_reminders")
    for name in STATS_INDEXES:
        op.drop_index(name, table_name="member_stats")
    op.drop_table("member_stats")
    op.drop_table("milestone_roles")
    with op.batch_alter_table("members") as batch:
        batch.drop_index("ix_members_reminders")
        batch.drop_column("reminder_space_id")
        batch.drop_column("reminders")
        batch.drop_column("leaderboard_hidden")
    with op.batch_alter_table("spaces") as batch:
        batch.drop_constraint(op.f("ck_spaces_reminder_hour"), type_="check")
        batch.drop_constraint(op.f("ck_spaces_max_freezes"), type_="check")
        batch.drop_constraint(op.f("ck_spaces_days_per_freeze"), type_="check")
        batch.drop_column("reminder_hour")
        batch.drop_column("max_freezes")
        batch.drop_column("days_per_freeze")
