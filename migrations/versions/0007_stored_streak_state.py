"""Each member_stats row keeps its streak state, so a check-in adds a day without a recount.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-29
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | Sequence[str] | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

STATE = {
    "state_streak": sa.Integer(),
    "state_freezes": sa.SmallInteger(),
    "state_run": sa.SmallInteger(),
    "state_days_per_freeze": sa.SmallInteger(),
    "state_max_freezes": sa.SmallInteger(),
}


def upgrade() -> None:
    # NULL means unknown: the row's next update counts it from all the member's days, and
    # stores the state from then on. So existing rows need no backfill.
    with op.batch_alter_table("member_stats") as batch:
        for name, type_ in STATE.items():
            batch.add_column(sa.Column(name, type_, nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("member_stats") as batch:
        for name in reversed(STATE):
            batch.drop_column(name)
