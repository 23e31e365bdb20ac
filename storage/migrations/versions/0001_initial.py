"""The first schema: accounts, packed follow lists, posts, hashtags, mentions, likes, interactions.

Revision ID: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "meta",
        sa.Column("key", sa.String(), primary_key=True),
        sa.Column("value", sa.Text(), nullable=False),
    )
    op.create_table(
        "accounts",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("pk", sa.String(), nullable=False, unique=True),
        sa.Column("username", sa.String(), nullable=False),
        sa.Column("full_name", sa.String(), nullable=False),
        sa.Column("follower_count", sa.BigInteger()),
        sa.Column("following_count", sa.BigInteger()),
        sa.Column("media_count", sa.BigInteger()),
        sa.Column("is_private", sa.Boolean(), nullable=False),
        sa.Column("is_verified", sa.Boolean(), nullable=False),
        sa.Column("profile_pic_url", sa.Text()),
        sa.Column("profile_pic_path", sa.Text()),
        sa.Column("fetched_at", sa.BigInteger()),
    )
    op.create_index("ix_accounts_username", "accounts", ["username"])
    op.create_table(
        "follows",
        sa.Column("source_id", sa.Integer(), sa.ForeignKey("accounts.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("targets", sa.LargeBinary(), nullable=False),
        sa.Column("first_seen", sa.LargeBinary(), nullable=False),
        sa.Column("last_seen", sa.LargeBinary(), nullable=False),
        sa.Column("listed_at", sa.BigInteger()),
    )
    op.create_table(
        "posts",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("pk", sa.String(), nullable=False, unique=True),
        sa.Column("shortcode", sa.String()),
        sa.Column("author_id", sa.Integer(), sa.ForeignKey("accounts.id", ondelete="CASCADE"), nullable=False),
        sa.Column("taken_at", sa.BigInteger()),
        sa.Column("media_type", sa.Integer(), nullable=False),
        sa.Column("product_type", sa.String(), nullable=False),
        sa.Column("caption", sa.Text(), nullable=False),
        sa.Column("like_count", sa.BigInteger()),
        sa.Column("comment_count", sa.BigInteger()),
        sa.Column("play_count", sa.BigInteger()),
        sa.Column("location", sa.Text()),
        sa.Column("width", sa.Integer()),
        sa.Column("height", sa.Integer()),
        sa.Column("carousel_count", sa.Integer(), nullable=False),
        sa.Column("image_url", sa.Text()),
        sa.Column("image_path", sa.Text()),
        sa.Column("fetched_at", sa.BigInteger()),
    )
    op.create_index("ix_posts_shortcode", "posts", ["shortcode"])
    op.create_index("ix_posts_author_taken", "posts", ["author_id", "taken_at"])
    op.create_index("ix_posts_taken", "posts", ["taken_at"])
    op.create_table(
        "post_hashtags",
        sa.Column("post_id", sa.Integer(), sa.ForeignKey("posts.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("tag", sa.String(), primary_key=True),
    )
    op.create_index("ix_post_hashtags_tag", "post_hashtags", ["tag"])
    op.create_table(
        "post_mentions",
        sa.Column("post_id", sa.Integer(), sa.ForeignKey("posts.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("username", sa.String(), primary_key=True),
    )
    op.create_table(
        "my_likes",
        sa.Column("post_id", sa.Integer(), sa.ForeignKey("posts.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("liked_at", sa.BigInteger()),
        sa.Column("origin", sa.String(), nullable=False),
    )
    op.create_table(
        "tagged_in",
        sa.Column("post_id", sa.Integer(), sa.ForeignKey("posts.id", ondelete="CASCADE"), primary_key=True),
    )
    op.create_table(
        "interactions",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("post_id", sa.Integer(), sa.ForeignKey("posts.id", ondelete="CASCADE")),
        sa.Column("account_id", sa.Integer(), sa.ForeignKey("accounts.id", ondelete="CASCADE")),
        sa.Column("kind", sa.String(), nullable=False),
        sa.Column("at", sa.BigInteger(), nullable=False),
        sa.Column("value", sa.Float(), nullable=False),
    )
    op.create_index("ix_interactions_post_id", "interactions", ["post_id"])
    op.create_index("ix_interactions_account_id", "interactions", ["account_id"])
    op.create_table(
        "sync_state",
        sa.Column("stage", sa.String(), primary_key=True),
        sa.Column("cursor", sa.Text()),
        sa.Column("updated_at", sa.BigInteger(), nullable=False),
    )


def downgrade() -> None:
    for table in ("sync_state", "interactions", "tagged_in", "my_likes", "post_mentions", "post_hashtags",
                  "posts", "follows", "accounts", "meta"):
        op.drop_table(table)
