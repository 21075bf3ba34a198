"""Held notices: private messages a platform refused, shown at the member's next message.

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-29
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012"
down_revision: str | Sequence[str] | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "held_notices",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("platform", sa.String(length=16), nullable=False),
        sa.Column("user_id", sa.String(length=64), nullable=False),
        sa.Column("space_id", sa.String(length=64), nullable=False),
        sa.Column("held_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_held_notices")),
    )
    op.create_index("ix_held_notices_member", "held_notices", ["platform", "user_id", "held_at"])
    op.create_index("ix_held_notices_held_at", "held_notices", ["held_at"])


def downgrade() -> None:
    op.drop_index("ix_held_notices_held_at", table_name="held_notices")
    op.drop_index("ix_held_notices_member", table_name="held_notices")
    op.drop_table("held_notices")
