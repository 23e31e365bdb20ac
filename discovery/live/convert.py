"""instagrapi's objects (Media, User, UserShort) as Tessera's records."""

from __future__ import annotations

import re

from instagrapi.types import Media, User, UserShort

from storage import Account, MediaType, Post

HASHTAG = re.compile(r"#(\w+)", re.UNICODE)
MENTION = re.compile(r"@([A-Za-z0-9._]{1,30})")


def account(user: User | UserShort, fetched_at: int | None = None) -> Account:
    full = isinstance(user, User)
    picture = (getattr(user, "profile_pic_url_hd", None) if full else None) or user.profile_pic_url
    return Account(
        pk=str(user.pk), username=user.username, full_name=user.full_name or "",
        follower_count=user.follower_count if full else None,
        following_count=user.following_count if full else None,
        media_count=user.media_count if full else None,
        is_private=bool(user.is_private), is_verified=bool(user.is_verified),
        profile_pic_url=str(picture) if picture else None, fetched_at=fetched_at if full else None,
    )


def display_image(media: Media) -> tuple[str | None, int | None, int | None]:
    """The picture a card shows: a carousel's first item, a video's cover, a photo itself (URL, w, h)."""
    if media.media_type == MediaType.CAROUSEL and media.resources:
        url = media.resources[0].thumbnail_url
        return (str(url) if url else None), None, None
    candidates = media.image_versions2.candidates if media.image_versions2 else []
    if candidates:
        best = max(candidates, key=lambda c: c.width * c.height)
        return best.url, best.width, best.height
    return (str(media.thumbnail_url) if media.thumbnail_url else None), None, None


def post(media: Media, fetched_at: int) -> Post:
    caption = media.caption_text or ""
    image_url, width, height = display_image(media)
    media_type = MediaType(media.media_type) if media.media_type in (1, 2, 8) else MediaType.PHOTO
    plays = media.play_count or media.view_count or None
    return Post(
        pk=str(media.pk), author=str(media.user.pk), taken_at=int(media.taken_at.timestamp()),
        shortcode=media.code, media_type=media_type, product_type=media.product_type or "feed",
        caption=caption, like_count=media.like_count, comment_count=media.comment_count,
        play_count=plays if media_type == MediaType.VIDEO else None,
        location=media.location.name if media.location else None, width=width, height=height,
        carousel_count=len(media.resources), image_url=image_url, fetched_at=fetched_at,
        hashtags=sorted({t.lower() for t in HASHTAG.findall(caption)}),
        mentions=sorted({m.lower().rstrip(".") for m in MENTION.findall(caption)}),
    )


def authors(medias: list[Media]) -> list[Account]:
    seen: dict[str, Account] = {}
    for media in medias:
        seen.setdefault(str(media.user.pk), account(media.user))
    return list(seen.values())


def is_ad(media: Media) -> bool:
    return media.product_type == "ad"


def taken_at(post: Post) -> int:
    """When a fetched post was taken (only a stub from a data export has no time)."""
    return post.taken_at or 0
