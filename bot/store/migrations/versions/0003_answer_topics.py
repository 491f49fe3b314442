"""Answers remember the conversation topic assumed, the entities asked about and the first quote
(for insights).

Revision ID: 0003
Revises: 0002
"""
import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("answers") as batch:
        batch.add_column(sa.Column("topic", sa.String(100), nullable=True))
        batch.add_column(sa.Column("entities", sa.Text, nullable=True))
        batch.add_column(sa.Column("top_quote", sa.Text, nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("answers") as batch:
        batch.drop_column("top_quote")
        batch.drop_column("entities")
        batch.drop_column("topic")
