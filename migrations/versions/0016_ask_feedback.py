"""Questions' outcomes, their documents and topics, answers' ratings, the keep setting.

Revision ID: 0016
Revises: 0015
Create Date: 2026-11-29
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0016"
down_revision: str | Sequence[str] | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

WHEN = sa.DateTime(timezone=True)


def _answer_key(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ["answer_id"],
        ["ask_answers.id"],
        ondelete="CASCADE",
        name=op.f(f"fk_{table}_answer_id_ask_answers"),
    )


def upgrade() -> None:
    op.create_table(
        "ask_answers",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("platform", sa.String(16), nullable=False),
        sa.Column("space_id", sa.String(64), nullable=False),
        sa.Column("asker_id", sa.String(64), nullable=False),
        sa.Column("asked_at", WHEN, nullable=False),
        sa.Column("answered", sa.Boolean(), nullable=False),
        sa.Column("kept_text", sa.String(300), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ask_answers")),
        sa.CheckConstraint(
            "kept_text IS NULL OR NOT answered", name=op.f("ck_ask_answers_kept_declined_only")
        ),
    )
    op.create_index("ix_ask_answers_asked_at", "ask_answers", ["asked_at"])
    op.create_index("ix_ask_answers_space", "ask_answers", ["platform", "space_id", "asked_at"])
    op.create_table(
        "ask_answer_documents",
        sa.Column("answer_id", sa.Integer(), nullable=False),
        sa.Column("document", sa.String(128), nullable=False),
        sa.PrimaryKeyConstraint("answer_id", "document", name=op.f("pk_ask_answer_documents")),
        _answer_key("ask_answer_documents"),
    )
    op.create_table(
        "ask_answer_topics",
        sa.Column("answer_id", sa.Integer(), nullable=False),
        sa.Column("topic_id", sa.String(64), nullable=False),
        sa.PrimaryKeyConstraint("answer_id", "topic_id", name=op.f("pk_ask_answer_topics")),
        _answer_key("ask_answer_topics"),
    )
    op.create_table(
        "ask_ratings",
        sa.Column("answer_id", sa.Integer(), nullable=False),
        sa.Column("platform", sa.String(16), nullable=False),
        sa.Column("user_id", sa.String(64), nullable=False),
        sa.Column("helpful", sa.Boolean(), nullable=False),
        sa.Column("rated_at", WHEN, nullable=False),
        sa.PrimaryKeyConstraint("answer_id", "platform", "user_id", name=op.f("pk_ask_ratings")),
        _answer_key("ask_ratings"),
    )
    op.create_table(
        "ask_settings",
        sa.Column("platform", sa.String(16), nullable=False),
        sa.Column("space_id", sa.String(64), nullable=False),
        sa.Column("keep_declined", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.PrimaryKeyConstraint("platform", "space_id", name=op.f("pk_ask_settings")),
    )


def downgrade() -> None:
    op.drop_table("ask_settings")
    op.drop_table("ask_ratings")
    op.drop_table("ask_answer_topics")
    op.drop_table("ask_answer_documents")
    op.drop_index("ix_ask_answers_space", table_name="ask_answers")
    op.drop_index("ix_ask_answers_asked_at", table_name="ask_answers")
    op.drop_table("ask_answers")
