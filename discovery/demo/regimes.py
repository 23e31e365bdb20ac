"""The taste regimes of the demo person (see discovery.demo.taste), apart so that `demo --help` can list them
without loading the generator."""

from __future__ import annotations

from dataclasses import dataclass

# Affinity for followed accounts, per kind in the order of discovery.demo.hidden: person, creator, brand, celebrity.
FOLLOW_BONUS = (1.8, 0.9, -0.1, 0.4)


@dataclass(frozen=True)
class Regime:
    """How the person's hidden taste is made: log-odds weights of what they care about."""

    description: str
    similarity: float = 1.6  # topics shared with the author
    same_circle: float = 0.5  # the author is in the person's social circle
    closeness: float = 0.3  # per log(1 + accounts the person follows that follow the author)
    audience: float = 0.0  # per power of ten of the author's audience above 1,000
    follow_bonus: tuple[float, ...] = FOLLOW_BONUS
    author_noise: float = 1.0  # scales the random part of each author's affinity
    topic: float = 0.55  # scales the log of the person's own topic mix
    quality: float = 0.8  # per unit of picture quality
    popularity: float = 0.0  # per standard deviation of the post's log expected like count


REGIMES = {
    "default": Regime("closeness and small audiences: friends and accounts close in the graph"),
    "popular": Regime("popular, high-engagement posts: big audiences, posts that draw many likes",
                      similarity=0.8, same_circle=0.0, closeness=0.1, audience=0.5,
                      follow_bonus=(0.0, 0.9, 0.5, 1.4), quality=1.2, popularity=1.0),
    "topical": Regime("topics and hashtags more than people", similarity=0.5, same_circle=0.0, closeness=0.1,
                      follow_bonus=(0.4, 0.4, 0.1, 0.2), author_noise=0.4, topic=1.6),
}
