"""The SQLite schema as SQLAlchemy 2 typed ORM classes.

Follow edges are stored one row per *source* account with its targets packed as little-endian int64
arrays (internal account ids), beside parallel first-seen / last-seen arrays. Loading 10M edges this way
is one cheap query and `numpy.frombuffer`, where one row per edge costs seconds.
"""

from __future__ import annotations

from sqlalchemy import BigInteger, Boolean, Float, ForeignKey, Index, Integer, LargeBinary, String, Text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    pass


class Meta(Base):
    __tablename__ = "meta"
    key: Mapped[str] = mapped_column(String, primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class AccountRow(Base):
    __tablename__ = "accounts"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    pk: Mapped[str] = mapped_column(String, unique=True)
    username: Mapped[str] = mapped_column(String, index=True)
    full_name: Mapped[str] = mapped_column(String, default="")
    follower_count: Mapped[int | None] = mapped_column(BigInteger)
    following_count: Mapped[int | None] = mapped_column(BigInteger)
    media_count: Mapped[int | None] = mapped_column(BigInteger)
    is_private: Mapped[bool] = mapped_column(Boolean, default=False)
    is_verified: Mapped[bool] = mapped_column(Boolean, default=False)
    profile_pic_url: Mapped[str | None] = mapped_column(Text)
    profile_pic_path: Mapped[str | None] = mapped_column(Text)
    fetched_at: Mapped[int | None] = mapped_column(BigInteger)


class FollowListRow(Base):
    """Everyone `source_id` follows: int64 arrays of target ids, first seen and last seen (epoch s)."""

    __tablename__ = "follows"
    source_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"), primary_key=True)
    targets: Mapped[bytes] = mapped_column(LargeBinary)
    first_seen: Mapped[bytes] = mapped_column(LargeBinary)
    last_seen: Mapped[bytes] = mapped_column(LargeBinary)
    # When the source's complete following list was last read: targets last seen before it are unfollowed.
    listed_at: Mapped[int | None] = mapped_column(BigInteger)


class PostRow(Base):
    __tablename__ = "posts"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    pk: Mapped[str] = mapped_column(String, unique=True)
    shortcode: Mapped[str | None] = mapped_column(String, index=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"))
    taken_at: Mapped[int | None] = mapped_column(BigInteger)  # None: a stub known by id only
    media_type: Mapped[int] = mapped_column(Integer, default=1)
    product_type: Mapped[str] = mapped_column(String, default="feed")
    caption: Mapped[str] = mapped_column(Text, default="")
    like_count: Mapped[int | None] = mapped_column(BigInteger)
    comment_count: Mapped[int | None] = mapped_column(BigInteger)
    play_count: Mapped[int | None] = mapped_column(BigInteger)
    location: Mapped[str | None] = mapped_column(Text)
    width: Mapped[int | None] = mapped_column(Integer)
    height: Mapped[int | None] = mapped_column(Integer)
    carousel_count: Mapped[int] = mapped_column(Integer, default=0)
    image_url: Mapped[str | None] = mapped_column(Text)
    image_path: Mapped[str | None] = mapped_column(Text)
    fetched_at: Mapped[int | None] = mapped_column(BigInteger)

    __table_args__ = (
        Index("ix_posts_author_taken", "author_id", "taken_at"),
        Index("ix_posts_taken", "taken_at"),
    )


class LikeCountRow(Base):
    """A post's like count as one sync read it: one row per post per read, the growth of its likes."""

    __tablename__ = "like_counts"
    post_id: Mapped[int] = mapped_column(ForeignKey("posts.id", ondelete="CASCADE"), primary_key=True)
    observed_at: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    like_count: Mapped[int] = mapped_column(BigInteger)


class PostHashtagRow(Base):
    __tablename__ = "post_hashtags"
    post_id: Mapped[int] = mapped_column(ForeignKey("posts.id", ondelete="CASCADE"), primary_key=True)
    tag: Mapped[str] = mapped_column(String, primary_key=True, index=True)


class PostMentionRow(Base):
    __tablename__ = "post_mentions"
    post_id: Mapped[int] = mapped_column(ForeignKey("posts.id", ondelete="CASCADE"), primary_key=True)
    username: Mapped[str] = mapped_column(String, primary_key=True)


class MyLikeRow(Base):
    __tablename__ = "my_likes"
    post_id: Mapped[int] = mapped_column(ForeignKey("posts.id", ondelete="CASCADE"), primary_key=True)
    liked_at: Mapped[int | None] = mapped_column(BigInteger)
    origin: Mapped[str] = mapped_column(String, default="sync")


class TaggedInRow(Base):
    """Posts the person is tagged in (an interest signal beside likes)."""

    __tablename__ = "tagged_in"
    post_id: Mapped[int] = mapped_column(ForeignKey("posts.id", ondelete="CASCADE"), primary_key=True)


class InteractionRow(Base):
    __tablename__ = "interactions"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    post_id: Mapped[int | None] = mapped_column(ForeignKey("posts.id", ondelete="CASCADE"), index=True)
    account_id: Mapped[int | None] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String)
    at: Mapped[int] = mapped_column(BigInteger)
    value: Mapped[float] = mapped_column(Float, default=1.0)


class SyncStateRow(Base):
    __tablename__ = "sync_state"
    stage: Mapped[str] = mapped_column(String, primary_key=True)
    cursor: Mapped[str | None] = mapped_column(Text)
    updated_at: Mapped[int] = mapped_column(BigInteger)
