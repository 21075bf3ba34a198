"""Daily prompts: channels with their schedule, skip dates, posts, prompts used, answers.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-20
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | Sequence[str] | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# BIGINT on PostgreSQL for tables that grow by a row a day per channel; SQLite only
# autoincrements an INTEGER PRIMARY KEY.
BIG_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
WHEN = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "prompt_channels",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("platform", sa.String(16), nullable=False),
        sa.Column("space_id", sa.String(64), nullable=False),
        sa.Column("channel_id", sa.String(64), nullable=False),
        sa.Column("post_minute", sa.SmallInteger(), nullable=False),
        sa.Column("timezone", sa.String(64), nullable=False),
        sa.Column("weekdays", sa.SmallInteger(), server_default=sa.text("127"), nullable=False),
        sa.Column(
            "grace_minutes", sa.SmallInteger(), server_default=sa.text("180"), nullable=False
        ),
        sa.Column("paused_until", sa.Date(), nullable=True),
        sa.Column("difficulties", sa.String(32), server_default="", nullable=False),
        sa.Column("topics", sa.String(2000), server_default="", nullable=False),
        sa.Column("mention_role_id", sa.String(64), nullable=True),
        sa.Column("enabled", sa.Boolean(), server_default=sa.true(), nullable=False),
        sa.Column("paused_reason", sa.String(200), nullable=True),
        sa.Column("revision", sa.Integer(), server_default=sa.text("0"), nullable=False),
        sa.Column("cycle", sa.Integer(), server_default=sa.text("0"), nullable=False),
        sa.Column("last_prompt_id", sa.String(64), nullable=True),
        sa.Column("next_local_date", sa.Date(), nullable=True),
        sa.Column("next_due_at", WHEN, nullable=True),
        sa.Column("created_at", WHEN, nullable=False),
        sa.Column("updated_at", WHEN, nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_prompt_channels")),
        sa.UniqueConstraint(
            "platform", "channel_id", name=op.f("uq_prompt_channels_platform_channel_id")
        ),
        sa.CheckConstraint(
            "post_minute BETWEEN 0 AND 1439", name=op.f("ck_prompt_channels_post_minute")
        ),
        sa.CheckConstraint("weekdays BETWEEN 0 AND 127", name=op.f("ck_prompt_channels_weekdays")),
        sa.CheckConstraint(
            "grace_minutes BETWEEN 0 AND 1440", name=op.f("ck_prompt_channels_grace_minutes")
        ),
    )
    # The tick's one query: due channels of the platforms a process runs.
    op.create_index("ix_prompt_channels_due", "prompt_channels", ["platform", "next_due_at"])
    op.create_table(
        "prompt_channel_skips",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "channel_id",
            sa.Integer(),
            sa.ForeignKey(
                "prompt_channels.id",
                name=op.f("fk_prompt_channel_skips_channel_id_prompt_channels"),
                ondelete="CASCADE",
            ),
            nullable=False,
        ),
        sa.Column("local_date", sa.Date(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_prompt_channel_skips")),
        sa.UniqueConstraint(
            "channel_id", "local_date", name=op.f("uq_prompt_channel_skips_channel_id_local_date")
        ),
    )
    op.create_table(
        "prompt_posts",
        sa.Column("id", BIG_ID, primary_key=True),
        sa.Column(
            "channel_id",
            sa.Integer(),
            sa.ForeignKey(
                "prompt_channels.id",
                name=op.f("fk_prompt_posts_channel_id_prompt_channels"),
                ondelete="CASCADE",
            ),
            nullable=False,
        ),
        sa.Column("local_date", sa.Date(), nullable=False),
        sa.Column("prompt_id", sa.String(64), nullable=True),
        sa.Column("cycle", sa.Integer(), server_default=sa.text("0"), nullable=False),
        sa.Column("state", sa.String(8), nullable=False),
        sa.Column("attempts", sa.SmallInteger(), server_default=sa.text("0"), nullable=False),
        sa.Column("lease_owner", sa.String(32), nullable=True),
        sa.Column("lease_until", WHEN, nullable=True),
        sa.Column("retry_at", WHEN, nullable=True),
        sa.Column("last_error", sa.String(200), nullable=True),
        sa.Column("message_id", sa.String(64), nullable=True),
        sa.Column("thread_id", sa.String(64), nullable=True),
        sa.Column("claimed_at", WHEN, nullable=False),
        sa.Column("settled_at", WHEN, nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_prompt_posts")),
        # The exactly-once key: one post per channel and local date.
        sa.UniqueConstraint(
            "channel_id", "local_date", name=op.f("uq_prompt_posts_channel_id_local_date")
        ),
        sa.CheckConstraint(
            "state IN ('claimed', 'posted', 'failed', 'missed')", name=op.f("ck_prompt_posts_state")
        ),
        sa.CheckConstraint("attempts >= 0", name=op.f("ck_prompt_posts_attempts")),
    )
    op.create_table(
        "prompt_uses",
        sa.Column("id", BIG_ID, primary_key=True),
        sa.Column(
            "channel_id",
            sa.Integer(),
            sa.ForeignKey(
                "prompt_channels.id",
                name=op.f("fk_prompt_uses_channel_id_prompt_channels"),
                ondelete="CASCADE",
            ),
            nullable=False,
        ),
        sa.Column("cycle", sa.Integer(), nullable=False),
        sa.Column("prompt_id", sa.String(64), nullable=False),
        sa.Column("how", sa.String(8), nullable=False),
        sa.Column("used_at", WHEN, nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_prompt_uses")),
        sa.UniqueConstraint(
            "channel_id",
            "cycle",
            "prompt_id",
            name=op.f("uq_prompt_uses_channel_id_cycle_prompt_id"),
        ),
        sa.CheckConstraint("how IN ('posted', 'skipped')", name=op.f("ck_prompt_uses_how")),
    )
    op.create_table(
        "prompt_answers",
        sa.Column("id", BIG_ID, primary_key=True),
        sa.Column(
            "post_id",
            BIG_ID,
            sa.ForeignKey(
                "prompt_posts.id",
                name=op.f("fk_prompt_answers_post_id_prompt_posts"),
                ondelete="CASCADE",
            ),
            nullable=False,
        ),
        sa.Column("platform", sa.String(16), nullable=False),
        sa.Column("user_id", sa.String(64), nullable=False),
        sa.Column("source", sa.String(160), nullable=False),
        sa.Column("text", sa.String(500), server_default="", nullable=False),
        sa.Column("created_at", WHEN, nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_prompt_answers")),
        # One answer per member and prompt; a redelivered message (same source) counts once.
        sa.UniqueConstraint(
            "post_id",
            "platform",
            "user_id",
            name=op.f("uq_prompt_answers_post_id_platform_user_id"),
        ),
        sa.UniqueConstraint("platform", "source", name=op.f("uq_prompt_answers_platform_source")),
    )


def downgrade() -> None:
    op.drop_table("prompt_answers")
    op.drop_table("prompt_uses")
    op.drop_table("prompt_posts")
    op.drop_table("prompt_channel_skips")
    op.drop_index("ix_prompt_channels_due", table_name="prompt_channels")
    op.drop_table("prompt_channels")
