"""The fake person's hidden taste: how much they care for each account and each hashtag's topic, and so which
posts they like. Modelled on the demo world's default regime (discovery/demo/taste.py): likes concentrate on a
few close accounts (followed, in the person's circle, followed by many they follow, sharing their topics) and
on the few topics the person cares for, with whims no ranking can know.

Drawn from its own generator seeded by the world's seed, so the rest of the world (accounts, follows, posts)
is the same with or without it.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

FOLLOWED_SEEN = 0.75  # the share of followed accounts' posts the person scrolls past
STRANGER_SEEN = 0.04  # ... and of other accounts' posts, for the ones they would care most about
FOLLOW_BONUS = {False: 1.8, True: 0.4}  # by is_verified: a friend or creator, a celebrity or brand
TAGGED_BONUS = 2.5
WHIM = 0.6  # per post


@dataclass(frozen=True)
class Taste:
    affinity: dict[str, float]  # per account: log-odds the person adds to any post of theirs
    topic: dict[str, float]  # per hashtag: log-odds added to a post on that topic
    seen: dict[str, float]  # per account: the chance the person sees one of its posts
    circle: int  # the person's own community


def make_taste(seed: int, tags: list[str], accounts: dict, me: str, community: dict[str, int]) -> Taste:
    rng = np.random.default_rng([seed, 0x7A57E])
    mix = rng.dirichlet(np.full(len(tags), 0.3))  # a few topics carry most of the person's interest
    topic = dict(zip(tags, (0.55 * np.log(mix * len(tags) + 0.05)).tolist(), strict=True))
    weight = dict(zip(tags, mix.tolist(), strict=True))
    norm = float(np.linalg.norm(mix))
    circle = int(rng.integers(0, max(community.values()) + 1))
    followed = set(accounts[me].follows)
    followed_by: dict[str, int] = {}
    for pk in followed:
        for other in accounts[pk].follows:
            followed_by[other] = followed_by.get(other, 0) + 1
    affinity, seen = {}, {}
    for pk in sorted(community):
        account = accounts[pk]
        similarity = sum(weight[t] for t in account.tags) / (np.sqrt(max(1, len(account.tags))) * norm)
        value = (-1.4 + 1.6 * similarity + 0.5 * (community[pk] == circle) + 0.3 * np.log1p(followed_by.get(pk, 0))
                 + 0.5 * rng.standard_normal())
        if pk in followed:
            spread = 0.6 if account.is_verified else 0.9
            value += FOLLOW_BONUS[account.is_verified] + spread * rng.standard_normal()
        affinity[pk] = float(value)
        seen[pk] = FOLLOWED_SEEN if pk in followed else STRANGER_SEEN / (1 + np.exp(-(value + 0.5)))
    return Taste(affinity, topic, seen, circle)


def like_weights(taste: Taste, posts: list, accounts: dict, me: str, rng: np.random.Generator) -> np.ndarray:
    """Per post, proportional to the chance the person sees and likes it: seen x exp(log-odds), the log-odds
    being the author's affinity, the post's topics (its hashtags, else its author's usual ones), whether it
    tags the person, and a whim."""
    logit = np.empty(len(posts))
    for i, post in enumerate(posts):
        tags = [t[1:] for t in post.caption.split() if t.startswith("#")] or accounts[post.author].tags
        on_topic = sum(taste.topic.get(t, 0.0) for t in tags) / max(1, len(tags))
        logit[i] = taste.affinity.get(post.author, -3.0) + on_topic + TAGGED_BONUS * (me in post.tagged)
    logit += WHIM * rng.standard_normal(len(posts))
    followed = set(accounts[me].follows)
    seen = np.array([FOLLOWED_SEEN if p.author in followed else taste.seen.get(p.author, 0.0) for p in posts])
    return seen / (1 + np.exp(-(logit - 4.0)))  # low odds: the shape of exp(logit), bounded for the rare sure like
