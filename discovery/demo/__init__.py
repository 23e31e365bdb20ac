"""The demo world: a generated, believable personal Instagram neighbourhood, the app's default world.

It is a source like any other: the generator writes records through the Store. Beside the store it keeps the
hidden model the world was drawn from (for drawing its pictures lazily) and, for evaluation only, the
person's hidden interest in every post.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from discovery.lazy import exports

if TYPE_CHECKING:
    import pandas as pd

    from discovery.world import World

_MODULES = {
    "discovery.demo.generator": ["DEMO_CLOCK", "DemoConfig", "DemoSummary", "build_demo_world", "summarize"],
    "discovery.demo.install": ["ensure_demo_world"],
    "discovery.demo.pictures": ["Candidate", "PictureStyle", "avatar_image", "candidate_images", "draw_picture",
                                "post_image", "post_style"],
}
__getattr__ = exports(__name__, {name: module for module, names in _MODULES.items() for name in names})


def load_truth(world: World) -> pd.Series:
    """For evaluation only: the person's hidden interest in every post of the demo world (the probability they
    would like it if shown), indexed by post pk. LookupError for a world that is not a demo world."""
    from discovery.demo import hidden

    return hidden.load_interest(world.directory)


def load_expected_likes(world: World) -> pd.Series:
    """For evaluation only: the hidden like model's expected (settled, noise-free) like count of every post,
    indexed by post pk."""
    from discovery.demo import hidden

    return hidden.load_expected_likes(world.directory)


__all__ = [
    "DEMO_CLOCK", "Candidate", "DemoConfig", "DemoSummary", "PictureStyle", "avatar_image",
    "build_demo_world", "candidate_images", "draw_picture", "ensure_demo_world", "load_expected_likes",
    "load_truth", "post_image", "post_style", "summarize",
]
