"""The plain records every source yields and the store accepts.

Live sync, data export, demo world and public datasets all speak this vocabulary. Times are UTC epoch
seconds (int); Instagram primary keys are text because they outgrow 64-bit integers in places.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import IntEnum, StrEnum


class MediaType(IntEnum):
    """Instagram's own media_type numbers."""

    PHOTO = 1
    VIDEO = 2
    CAROUSEL = 8


class InteractionKind(StrEnum):
    OPENED = "opened"
    HIDDEN = "hidden"
    SAVED = "saved"
    SEE_FEWER = "see_fewer"
    SEEN = "seen"
    DWELL = "dwell"


@dataclass(slots=True)
class Account:
    pk: str
    username: str
    full_name: str = ""
    follower_count: int | None = None
    following_count: int | None = None
    media_count: int | None = None
    is_private: bool = False
    is_verified: bool = False
    profile_pic_url: str | None = None
    profile_pic_path: str | None = None
    fetched_at: int | None = None


@dataclass(slots=True)
class Follow:
    """`source` follows `target` (account pks), seen at `seen_at`."""

    source: str
    target: str
    seen_at: int
    first_seen: int | None = None  # when known (exports carry it); else seen_at


@dataclass(slots=True)
class Post:
    pk: str
    author: str  # account pk
    taken_at: int | None  # None for a stub known only by its link (from a data export)
    shortcode: str | None = None
    media_type: MediaType = MediaType.PHOTO
    product_type: str = "feed"
    caption: str = ""
    like_count: int | None = None
    comment_count: int | None = None
    play_count: int | None = None
    location: str | None = None
    width: int | None = None
    height: int | None = None
    carousel_count: int = 0
    image_url: str | None = None
    image_path: str | None = None
    fetched_at: int | None = None
    hashtags: list[str] = field(default_factory=list)
    mentions: list[str] = field(default_factory=list)


@dataclass(slots=True)
class Like:
    """The person liked `post` (a post pk) at `liked_at`; `origin` says where we learned it."""

    post: str
    liked_at: int | None
    origin: str = "sync"


@dataclass(slots=True)
class Interaction:
    """Something the person did in Tessera: on a post, or on an author (exactly one is set)."""

    kind: InteractionKind
    at: int
    post: str | None = None
    account: str | None = None
    value: float = 1.0
