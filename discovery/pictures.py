"""Where a world's pictures come from, chosen once when the world opens (`World.pictures`).

Every source looks in the world's image cache first. What happens on a miss depends on the kind of world:
the demo world draws the picture, a connected account's world downloads a post's cover when the caller
allows the network, and an imported export has only what is on disk.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from discovery.world import World

log = logging.getLogger(__name__)


class PictureSource(Protocol):
    def post(self, post_pk: str, slide: int = 0, allow_network: bool = False) -> Path | None:
        """Picture `slide` of a post (0 is the cover, the one a sync downloads) on disk, or None."""
        ...


def post_key(post_pk: str, slide: int = 0) -> str:
    return post_pk if slide == 0 else f"{post_pk}_{slide}"


@dataclass(frozen=True)
class CachedPictures:
    """An imported export's pictures: what is on disk."""

    world: World

    def post(self, post_pk: str, slide: int = 0, allow_network: bool = False) -> Path | None:
        return self.world.images.get(post_key(post_pk, slide))


class DownloadedPictures(CachedPictures):
    """A connected account's pictures: what the sync downloaded, and a missing cover fetched when allowed."""

    def post(self, post_pk: str, slide: int = 0, allow_network: bool = False) -> Path | None:
        cached = super().post(post_pk, slide)
        if cached is not None or slide or not allow_network:
            return cached
        from discovery.live.images import fetch_post_image  # here: the live path imports instagrapi

        try:
            return fetch_post_image(self.world, post_pk)
        except Exception as exc:  # a picture that cannot be fetched stays a placeholder
            log.info("picture of %s not fetched: %s", post_pk, exc)
            return None


class DrawnPictures(CachedPictures):
    """The demo world's pictures: drawn on a cache miss, then cached."""

    def post(self, post_pk: str, slide: int = 0, allow_network: bool = False) -> Path | None:
        from discovery.demo import post_image

        try:
            return post_image(self.world, post_pk, slide)
        except LookupError:  # not a post of this world
            return None
