"""The person's hidden taste: how much they care for each account and topic, and so the probability that they
would like any post if they saw it. Their likes over the past year are drawn from the same probabilities,
so "how often you liked this author", the follow graph and the topics really do predict what they like.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from discovery.demo.hidden import BRAND, CELEBRITY, CREATOR, PERSON, REEL
from discovery.demo.network import FollowGraph
from discovery.demo.people import ME, Population
from discovery.demo.posts import PostTable

FOLLOWED_SEEN = 0.75  # the share of followed accounts' posts the person scrolls past
EXPLORE_SEEN = 0.04  # ... and of other accounts' posts, for the accounts they would care most about
FOLLOW_BONUS = {PERSON: 1.8, CREATOR: 0.9, BRAND: -0.1, CELEBRITY: 0.4}  # affinity for followed accounts
TAGGED_BONUS = 2.5
INTEREST_NOISE = 0.6  # the person's whims: part of the truth no ranking can know


@dataclass
class Taste:
    affinity: np.ndarray  # per account: log-odds the person adds to any post of theirs
    topic_preference: np.ndarray  # per topic: log-odds added to posts on the topic
    seen: np.ndarray  # per account: the chance the person sees one of its posts
    intercept: float = 0.0  # set by calibrate() to give the wanted number of likes

    def logit(self, posts: PostTable, noise: np.ndarray) -> np.ndarray:
        return (self.intercept + self.affinity[posts.author] + self.topic_preference[posts.topic]
                + 0.8 * posts.quality() - 0.3 * (posts.media == REEL) + TAGGED_BONUS * posts.tags_me + noise)

    def interest(self, posts: PostTable, noise: np.ndarray) -> np.ndarray:
        """The probability the person would like each post if shown it."""
        return 1 / (1 + np.exp(-self.logit(posts, noise)))


def make_taste(rng: np.random.Generator, pop: Population, graph: FollowGraph) -> Taste:
    n = pop.size
    unit = pop.mix / np.linalg.norm(pop.mix, axis=1, keepdims=True)
    similarity = unit @ unit[ME]
    closeness = np.log1p(graph.followers_among(graph.followed, n))  # followed by many you follow
    same_circle = (pop.circle == pop.circle[ME]).astype(np.float64)
    affinity = -1.4 + 1.6 * similarity + 0.5 * same_circle + 0.3 * closeness + 0.5 * rng.standard_normal(n)
    bonus = np.array([FOLLOW_BONUS[k] for k in range(4)])[pop.kind[graph.followed]]
    spread = np.where(pop.kind[graph.followed] == PERSON, 0.9, 0.6)
    affinity[graph.followed] += bonus + spread * rng.standard_normal(len(graph.followed))
    affinity[ME] = -10.0  # the person has no posts here; they would not like their own anyway

    topic_preference = 0.55 * np.log(pop.mix[ME] * pop.mix.shape[1] + 0.05)
    seen = EXPLORE_SEEN / (1 + np.exp(-(affinity + 0.5)))
    seen[graph.followed] = FOLLOWED_SEEN
    seen[ME] = 0.0
    return Taste(affinity, topic_preference, seen)


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
