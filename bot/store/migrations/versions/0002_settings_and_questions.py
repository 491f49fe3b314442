"""Per-server settings, and question text where a server turned logging on.

Revision ID: 0002
Revises: 0001
"""
import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "guild_settings",
        sa.Column("guild_id", sa.BigInteger, primary_key=True),
        sa.Column("mention_channels", sa.Text, nullable=True),
        sa.Column("thread_mode", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Column("log_questions", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Column("retention_days", sa.Integer, nullable=False, server_default="30"),
        sa.Column("cooldown_rate", sa.Integer, nullable=True),
        sa.Column("cooldown_seconds", sa.Float, nullable=True),
        sa.Column("updated_at", sa.Float, nullable=False),
    )
    op.create_table(
        "questions",
        sa.Column("answer_id", sa.String(32), primary_key=True),
        sa.Column("user_id", sa.BigInteger, nullable=False),
        sa.Column("guild_id", sa.BigInteger, nullable=True),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("created_at", sa.Float, nullable=False),
    )
    op.create_index("ix_questions_user_id", "questions", ["user_id"])
    op.create_index("ix_questions_created_at", "questions", ["created_at"])


def downgrade() -> None:
    op.drop_table("questions")
    op.drop_table("guild_settings")
