"""Prompt posts found by their answers thread: a reply in a thread is looked up on every message.

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-29
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0009"
down_revision: str | Sequence[str] | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index("ix_prompt_posts_thread_id", "prompt_posts", ["thread_id"])


def downgrade() -> None:
    op.drop_index("ix_prompt_posts_thread_id", table_name="prompt_posts")
