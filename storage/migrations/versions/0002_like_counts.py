"""Like counts as each sync read them: one row per post per read.

Revision ID: 0002
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "like_counts",
        sa.Column("post_id", sa.Integer(), sa.ForeignKey("posts.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("observed_at", sa.BigInteger(), primary_key=True),
        sa.Column("like_count", sa.BigInteger(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("like_counts")
