"""Daily prompts: the cycle whose low pool was reported, and a community's channels by index.

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-29
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | Sequence[str] | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # NULL: no warning yet, so the next post that leaves a low pool reports it.
    with op.batch_alter_table("prompt_channels") as batch:
        batch.add_column(sa.Column("low_pool_cycle", sa.Integer(), nullable=True))
    op.create_index("ix_prompt_channels_space", "prompt_channels", ["platform", "space_id"])


def downgrade() -> None:
    op.drop_index("ix_prompt_channels_space", table_name="prompt_channels")
    with op.batch_alter_table("prompt_channels") as batch:
        batch.drop_column("low_pool_cycle")
