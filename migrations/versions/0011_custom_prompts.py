"""Daily prompts: a community's own prompts (and suggestions), and the prompts it retired.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-02
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | Sequence[str] | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

WHEN = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "custom_prompts",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("platform", sa.String(16), nullable=False),
        sa.Column("space_id", sa.String(64), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("prompt_id", sa.String(64), nullable=False),
        sa.Column("title", sa.String(100), nullable=False),
        sa.Column("body", sa.String(1500), nullable=False),
        sa.Column("difficulty", sa.String(8), nullable=False),
        sa.Column("topics", sa.String(2000), nullable=False),
        sa.Column("hint", sa.String(400), nullable=True),
        sa.Column("status", sa.String(8), nullable=False),
        sa.Column("author_id", sa.String(64), nullable=False),
        sa.Column("author_name", sa.String(100), nullable=False),
        sa.Column("decided_by", sa.String(64), nullable=True),
        sa.Column("created_at", WHEN, nullable=False),
        sa.Column("decided_at", WHEN, nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_custom_prompts")),
        sa.UniqueConstraint(
            "platform",
            "space_id",
            "prompt_id",
            name=op.f("uq_custom_prompts_platform_space_id_prompt_id"),
        ),
        sa.UniqueConstraint(
            "platform",
            "space_id",
            "number",
            name=op.f("uq_custom_prompts_platform_space_id_number"),
        ),
        sa.CheckConstraint(
            "status IN ('pending', 'active', 'rejected')", name=op.f("ck_custom_prompts_status")
        ),
        sa.CheckConstraint(
            "difficulty IN ('easy', 'medium', 'hard')", name=op.f("ck_custom_prompts_difficulty")
        ),
    )
    op.create_index(
        "ix_custom_prompts_space_status", "custom_prompts", ["platform", "space_id", "status"]
    )
    op.create_table(
        "prompt_retirements",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("platform", sa.String(16), nullable=False),
        sa.Column("space_id", sa.String(64), nullable=False),
        sa.Column("prompt_id", sa.String(64), nullable=False),
        sa.Column("retired_at", WHEN, nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_prompt_retirements")),
        sa.UniqueConstraint(
            "platform",
            "space_id",
            "prompt_id",
            name=op.f("uq_prompt_retirements_platform_space_id_prompt_id"),
        ),
    )


def downgrade() -> None:
    op.drop_table("prompt_retirements")
    op.drop_index("ix_custom_prompts_space_status", table_name="custom_prompts")
    op.drop_table("custom_prompts")
