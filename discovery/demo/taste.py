"""The person's hidden taste: how much they care for each account and topic, and so the probability that they
would like any post if they saw it. Their likes over the past year are drawn from the same probabilities,
so "how often you liked this author", the follow graph and the topics really do predict what they like.

The taste has a *regime* (`REGIMES`), so that a ranking can be measured on people who differ:
- `default`: taste follows closeness and small audiences (friends, people followed by those you follow;
  brands and celebrities matter little). Every world built before regimes existed has this taste.
- `popular`: taste follows popular, high-engagement posts: big audiences, posts that draw many likes.
- `topical`: taste follows topics (and so their hashtags) much more than people.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from discovery.demo import hidden
from discovery.demo.hidden import PERSON, REEL
from discovery.demo.network import DemoNetwork
from discovery.demo.people import ME, Population
from discovery.demo.posts import PostTable
from discovery.demo.regimes import REGIMES, Regime

FOLLOWED_SEEN = 0.75  # the share of followed accounts' posts the person scrolls past
EXPLORE_SEEN = 0.04  # ... and of other accounts' posts, for the accounts they would care most about
TAGGED_BONUS = 2.5
INTEREST_NOISE = 0.6  # the person's whims: part of the truth no ranking can know


@dataclass
class Taste:
    affinity: np.ndarray  # per account: log-odds the person adds to any post of theirs
    topic_preference: np.ndarray  # per topic: log-odds added to posts on the topic
    seen: np.ndarray  # per account: the chance the person sees one of its posts
    intercept: float = 0.0  # set by calibrate() to give the wanted number of likes
    regime: Regime = field(default_factory=lambda: REGIMES["default"])
    popularity: np.ndarray | None = None  # per post: standardized log expected likes (regimes that use it)

    def logit(self, posts: PostTable, noise: np.ndarray) -> np.ndarray:
        logit = (self.intercept + self.affinity[posts.author] + self.topic_preference[posts.topic]
                 + self.regime.quality * posts.quality() - 0.3 * (posts.media == REEL)
                 + TAGGED_BONUS * posts.tags_me + noise)
        if self.regime.popularity and self.popularity is not None:
            logit = logit + self.regime.popularity * self.popularity
        return logit

    def interest(self, posts: PostTable, noise: np.ndarray) -> np.ndarray:
        """The probability the person would like each post if shown it."""
        return 1 / (1 + np.exp(-self.logit(posts, noise)))


def make_taste(rng: np.random.Generator, pop: Population, graph: DemoNetwork, regime: str = "default") -> Taste:
    r = REGIMES[regime]
    n = pop.size
    unit = pop.mix / np.linalg.norm(pop.mix, axis=1, keepdims=True)
    similarity = unit @ unit[ME]
    closeness = np.log1p(graph.followers_among(graph.followed, n))  # followed by many you follow
    same_circle = (pop.circle == pop.circle[ME]).astype(np.float64)
    affinity = (-1.4 + r.similarity * similarity + r.same_circle * same_circle + r.closeness * closeness
                + r.author_noise * 0.5 * rng.standard_normal(n))
    if r.audience:
        affinity += r.audience * (np.log10(np.maximum(pop.audience, 1)) - 3.0)
    bonus = np.array(r.follow_bonus)[pop.kind[graph.followed]]
    spread = np.where(pop.kind[graph.followed] == PERSON, 0.9, 0.6)
    affinity[graph.followed] += bonus + r.author_noise * spread * rng.standard_normal(len(graph.followed))
    affinity[ME] = -10.0  # the person has no posts here; they would not like their own anyway

    topic_preference = r.topic * np.log(pop.mix[ME] * pop.mix.shape[1] + 0.05)
    seen = EXPLORE_SEEN / (1 + np.exp(-(affinity + 0.5)))
    seen[graph.followed] = FOLLOWED_SEEN
    seen[ME] = 0.0
    return Taste(affinity, topic_preference, seen, regime=r)


def set_popularity(taste: Taste, pop: Population, posts: PostTable) -> None:
    """For regimes that like popular posts: each post's standardized log expected like count."""
    if not taste.regime.popularity:
        return
    hour, weekday = posts.local_time(pop)
    expected = hidden.expected_likes(pop.audience[posts.author], pop.engagement[posts.author], posts.topic,
                                     hour, weekday, posts.media, posts.n_hashtags, posts.quality())
    log_likes = np.log(expected + 1.0)
    taste.popularity = (log_likes - log_likes.mean()) / max(float(log_likes.std()), 1e-9)


def calibrate(taste: Taste, posts: PostTable, noise: np.ndarray, wanted_likes: float) -> None:
    """Set the intercept so the expected number of likes over `posts` is `wanted_likes` (bisection)."""
    taste.intercept = 0.0
    base = taste.logit(posts, noise)
    low, high = -20.0, 10.0
    for _ in range(60):
        middle = (low + high) / 2
        expected = np.sum(posts.seen / (1 + np.exp(-(base + middle))))
        low, high = (middle, high) if expected < wanted_likes else (low, middle)
    taste.intercept = (low + high) / 2


def draw_likes(rng: np.random.Generator, posts: PostTable, interest: np.ndarray, clock: int,
               followed: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(liked?, liked at) per post: seen and liked, hours after posting (days, when found by browsing)."""
    liked = rng.random(len(posts)) < posts.seen * interest
    from_followed = np.isin(posts.author, followed)
    delay = rng.exponential(np.where(from_followed, 5 * 3600, 2 * 86_400))
    liked_at = np.minimum(posts.taken_at + 60 + delay.astype(np.int64), clock - 60)
    return liked, np.maximum(liked_at, posts.taken_at)
