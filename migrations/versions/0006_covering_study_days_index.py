"""A member's study days read from the index alone: the events index also holds minutes.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-29
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0006"
down_revision: str | Sequence[str] | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

DAYS = ["platform", "user_id", "local_date"]


def upgrade() -> None:
    # Summing minutes per day no longer visits each event's table row. The old index is a
    # prefix of the new one, so it goes: every query it served, the new one serves.
    op.create_index("ix_learning_events_study_days", "learning_events", [*DAYS, "minutes"])
    op.drop_index("ix_learning_events_platform_user_id_local_date", table_name="learning_events")


def downgrade() -> None:
    op.create_index("ix_learning_events_platform_user_id_local_date", "learning_events", DAYS)
    op.drop_index("ix_learning_events_study_days", table_name="learning_events")
