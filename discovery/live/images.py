"""Pictures for offline browsing. Instagram's image links expire within days, so during the sync each post's
display image (a carousel's first item, a video's cover) goes into the world's image cache keyed by the
post's pk, and profile pictures keyed `avatar_<account pk>`; the store records the path relative to the cache.

These are CDN downloads, not API requests: they do not count against the request budget.
"""

from __future__ import annotations

import logging
from dataclasses import replace
from pathlib import Path

import requests

from discovery.clock import Clock, SystemClock
from discovery.live.client import with_timeout
from discovery.progress import CancelToken
from discovery.world import World
from storage import Account, Post

log = logging.getLogger(__name__)

MAGIC = (b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n", b"GIF8", b"RIFF")
MAX_BYTES = 20 * 1024 * 1024


def avatar_key(account_pk: str) -> str:
    return f"avatar_{account_pk}"


class ImageFetcher:
    def __init__(self, world: World, session: requests.Session, clock: Clock, cancel: CancelToken | None = None,
                 gap: float = 0.3, enabled: bool = True):
        self.world = world
        self.session = session
        self.clock = clock
        self.cancel = cancel
        self.gap = gap
        self.enabled = enabled
        self.downloaded = 0
        self.failed = 0

    def _relative(self, key: str) -> str:
        return str(self.world.images.path_for(key).relative_to(self.world.images.directory))

    def _fetch(self, key: str, url: str | None) -> str | None:
        """The cache path of `key`, downloading `url` when it is not cached yet; None when that fails."""
        if self.world.images.get(key) is not None:
            return self._relative(key)
        if not url or not self.enabled:
            return None
        if self.cancel is not None:
            self.cancel.check()
        try:
            response = self.session.get(url)
            data = response.content
            ok = response.status_code == 200 and data.startswith(MAGIC) and len(data) <= MAX_BYTES
        except requests.RequestException as exc:
            log.info("picture download failed: %s", type(exc).__name__)
            ok = False
        if self.gap:
            self.clock.sleep(self.gap, self.cancel)
        if not ok:
            self.failed += 1
            return None
        self.world.images.put(key, data)
        self.downloaded += 1
        return self._relative(key)

    def posts(self, posts: list[Post]) -> None:
        for post in posts:
            if post.image_path is None and post.image_url:
                path = self._fetch(post.pk, post.image_url)
                if path is not None:
                    self.world.store.set_image_path(post.pk, path)

    def avatars(self, accounts: list[Account]) -> None:
        done = []
        for account in accounts:
            if account.profile_pic_url and not account.profile_pic_path:
                path = self._fetch(avatar_key(account.pk), account.profile_pic_url)
                if path is not None:
                    done.append(replace(account, profile_pic_path=path))
        self.world.store.upsert_accounts(done)

    def sweep(self, since: int) -> None:
        """Pictures of posts fetched since `since` that are still missing (an interrupted page)."""
        frame = self.world.store.posts_frame(columns=["pk", "author_id", "taken_at", "image_url", "image_path",
                                                      "fetched_at"])
        missing = frame[frame["image_path"].isna() & frame["image_url"].notna() & (frame["fetched_at"] >= since)]
        self.posts([Post(pk, "", None, image_url=url) for pk, url in zip(missing["pk"], missing["image_url"],
                                                                          strict=True)])


def fetch_post_image(world: World, post_pk: str, timeout: float = 20.0) -> Path | None:
    """Download one post's picture now (browsing a post the sync stored without its picture); None when the
    post has no link or the download fails. The link may have expired: then the next sync brings it."""
    ids = world.store.post_ids([post_pk])
    if not ids:
        return None
    frame = world.store.posts_frame(post_ids=list(ids.values()), columns=["pk", "image_url"])
    if frame.empty or not isinstance(frame["image_url"].iloc[0], str):
        return None
    with requests.Session() as session:
        with_timeout(session, timeout)
        ImageFetcher(world, session, SystemClock(), gap=0.0).posts([Post(post_pk, "", None,
                                                                          image_url=frame["image_url"].iloc[0])])
    return world.images.get(post_pk)
