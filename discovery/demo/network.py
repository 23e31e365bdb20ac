"""Who follows whom in the demo world.

The person follows friends from their own social circles, creators on their topics, a few brands and
celebrities. The graph holds the complete following lists of the person, of everyone they follow and of a
second ring of accounts many of those follow (what a sync that reaches two hops out would fetch). Each list
is drawn without replacement with weights that grow with the target's audience (heavy-tailed in-degrees),
with topic similarity (homophily) and, strongly, with a shared social circle (friends follow friends).
Every other account is followed by at least one listed account: that is how it came to be in the world.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from discovery.demo.hidden import BRAND, CELEBRITY, CREATOR, PERSON
from discovery.demo.people import ME, Population

FOLLOWED_SHARES = {PERSON: 0.42, CREATOR: 0.44, BRAND: 0.07, CELEBRITY: 0.07}
# Following-list length by kind of source: (median, log sigma, min, max), before scaling to the edge budget.
LIST_LENGTHS = {PERSON: (420, 0.55, 40, 2500), CREATOR: (650, 0.6, 80, 4000), BRAND: (160, 0.7, 10, 1200),
                CELEBRITY: (120, 0.8, 10, 900)}
# How strongly a source prefers big audiences (exponent on the audience), by kind of source.
AUDIENCE_PULL = np.array([0.35, 0.45, 0.4, 0.7])
TOPIC_PULL = 4.0  # exp(TOPIC_PULL * cosine similarity of topic mixes)
CIRCLE_PULL = 60.0  # a shared social circle multiplies the weight by 1 + CIRCLE_PULL
FRIENDS_FOLLOW_BACK = 0.9
BLOCK = 128  # sources drawn together


@dataclass
class DemoNetwork:
    """Who follows whom in the generated world (discovery.graph.FollowGraph is what the ranking builds)."""

    followed: np.ndarray  # account indexes the person follows, sorted
    friends: np.ndarray  # the followed people from the person's circles
    sources: np.ndarray  # accounts whose complete following list is known, sorted
    offsets: np.ndarray  # CSR: sources[i] follows targets[offsets[i]:offsets[i + 1]] (sorted, unique)
    targets: np.ndarray

    @property
    def edges(self) -> int:
        return len(self.targets)

    def out_degree(self, size: int) -> np.ndarray:
        degree = np.zeros(size, np.int64)
        degree[self.sources] = np.diff(self.offsets)
        return degree

    def followers_among(self, sources: np.ndarray, size: int) -> np.ndarray:
        """Per account: how many of `sources` (which must all be listed) follow it."""
        picked = np.isin(self.sources, sources)
        lengths = np.diff(self.offsets)
        return np.bincount(self.targets[np.repeat(picked, lengths)], minlength=size)


def choose_followed(rng: np.random.Generator, pop: Population, count: int) -> tuple[np.ndarray, np.ndarray]:
    """(everyone the person follows, the friends among them)."""
    me_mix = _unit(pop.mix[ME])
    similarity = _unit(pop.mix) @ me_mix
    chosen = []
    for kind, share in FOLLOWED_SHARES.items():
        want = round(count * share) if kind != PERSON else count - sum(
            round(count * s) for k, s in FOLLOWED_SHARES.items() if k != PERSON)
        if kind == PERSON:
            near = (pop.circle == 1) | (pop.circle == 2)  # neighbouring circles
            circle_weight = np.select([pop.circle == 0, near], [4.0, 1.0], 0.0)
            log_weight = np.log(circle_weight + 1e-300) + 1.0 * similarity
        else:
            pull = {CREATOR: 4.0, BRAND: 4.0, CELEBRITY: 2.0}[kind]
            log_weight = pull * similarity + 0.3 * np.log(pop.audience)
        candidates = (pop.kind == kind) & (np.arange(pop.size) != ME)
        chosen.append(_weighted_sample(rng, np.where(candidates, log_weight, -np.inf), want))
    followed = np.sort(np.concatenate(chosen))
    return followed, np.sort(chosen[list(FOLLOWED_SHARES).index(PERSON)])


def build_graph(rng: np.random.Generator, pop: Population, followed: np.ndarray, friends: np.ndarray,
                edge_budget: int, check=lambda: None) -> DemoNetwork:
    n = pop.size
    first_ring = followed
    # The second ring: the accounts (people and creators with public lists) most followed by the first ring.
    second_count = len(followed)
    first_lengths = _list_lengths(rng, pop.kind[first_ring])
    second_lengths = _list_lengths(rng, rng.choice([PERSON, CREATOR], second_count, p=[0.7, 0.3]))
    scale = (edge_budget - len(followed)) / max(1, first_lengths.sum() + second_lengths.sum())
    first_lengths = np.maximum(1, np.rint(first_lengths * scale)).astype(np.int64)
    second_lengths = np.maximum(1, np.rint(second_lengths * scale)).astype(np.int64)

    lists = {ME: followed}
    lists |= _draw_lists(rng, pop, first_ring, np.minimum(first_lengths, n - 2), check)
    for friend in friends.tolist():  # most friends follow you back
        if rng.random() < FRIENDS_FOLLOW_BACK:
            lists[friend] = np.union1d(lists[friend], [ME])

    reached = np.zeros(n, np.int64)
    for targets in lists.values():
        reached[targets] += 1
    eligible = np.isin(pop.kind, [PERSON, CREATOR]) & ~pop.private
    eligible[first_ring] = eligible[ME] = False
    score = np.where(eligible, reached + rng.random(n), -1.0)
    second_ring = np.sort(np.argsort(-score, kind="stable")[:second_count])
    lists |= _draw_lists(rng, pop, second_ring, np.minimum(second_lengths, n - 2), check)

    sources = np.array(sorted(lists), np.int64)
    _adopt_orphans(rng, pop, lists, sources[sources != ME])  # the person's own list is what they chose
    lengths = np.array([len(lists[s]) for s in sources.tolist()], np.int64)
    offsets = np.concatenate([[0], np.cumsum(lengths)])
    targets = np.concatenate([lists[s] for s in sources.tolist()]).astype(np.int64)
    return DemoNetwork(followed, friends, sources, offsets, targets)


def _list_lengths(rng: np.random.Generator, kinds: np.ndarray) -> np.ndarray:
    table = np.array([LIST_LENGTHS[k] for k in range(4)], np.float64)[kinds]
    drawn = table[:, 0] * np.exp(table[:, 1] * rng.standard_normal(len(kinds)))
    return np.clip(drawn, table[:, 2], table[:, 3])


def _draw_lists(rng: np.random.Generator, pop: Population, sources: np.ndarray, lengths: np.ndarray,
                check) -> dict[int, np.ndarray]:
    unit = _unit(pop.mix)
    log_audience = np.log(pop.audience.astype(np.float64))
    out = {}
    for start in range(0, len(sources), BLOCK):
        check()
        block = sources[start:start + BLOCK]
        log_weight = AUDIENCE_PULL[pop.kind[block]][:, None] * log_audience[None, :]
        log_weight += TOPIC_PULL * (unit[block] @ unit.T)
        same_circle = (pop.circle[block][:, None] == pop.circle[None, :]) & (pop.circle[block][:, None] >= 0)
        log_weight += np.log1p(CIRCLE_PULL * same_circle)
        log_weight[np.arange(len(block)), block] = -np.inf  # nobody follows themselves
        keys = log_weight + rng.gumbel(size=log_weight.shape)
        for row, (source, length) in enumerate(zip(block.tolist(), lengths[start:start + BLOCK].tolist(),
                                                   strict=True)):
            top = np.argpartition(-keys[row], length)[:length]
            out[source] = np.sort(top)
    return out


def _adopt_orphans(rng: np.random.Generator, pop: Population, lists: dict[int, np.ndarray],
                   sources: np.ndarray) -> None:
    """Give every account nobody lists a follower: the listed account most like it (with some chance)."""
    followed_by_someone = np.zeros(pop.size, bool)
    for targets in lists.values():
        followed_by_someone[targets] = True
    followed_by_someone[ME] = True
    orphans = np.flatnonzero(~followed_by_someone)
    unit = _unit(pop.mix)
    adopters = np.empty(len(orphans), np.int64)
    for start in range(0, len(orphans), 1024):
        block = orphans[start:start + 1024]
        score = TOPIC_PULL * (unit[block] @ unit[sources].T)
        circle = pop.circle[block][:, None]
        same = (circle == pop.circle[sources][None, :]) & (circle >= 0)
        score += np.log1p(CIRCLE_PULL * same) + rng.gumbel(size=score.shape)
        score[block[:, None] == sources[None, :]] = -np.inf
        adopters[start:start + 1024] = sources[score.argmax(axis=1)]
    order = np.argsort(adopters, kind="stable")
    adopters, orphans = adopters[order], orphans[order]
    bounds = np.flatnonzero(np.r_[True, adopters[1:] != adopters[:-1], True])
    for lo, hi in zip(bounds[:-1].tolist(), bounds[1:].tolist(), strict=True):
        source = int(adopters[lo])
        lists[source] = np.union1d(lists[source], orphans[lo:hi])


def _weighted_sample(rng: np.random.Generator, log_weight: np.ndarray, count: int) -> np.ndarray:
    """`count` distinct indexes drawn without replacement in proportion to exp(log_weight) (Gumbel top-k)."""
    keys = log_weight + rng.gumbel(size=len(log_weight))
    available = int(np.isfinite(log_weight).sum())
    if count > available:
        raise ValueError(f"the demo world has only {available} candidates where {count} are needed")
    return np.argpartition(-keys, count)[:count] if count < len(keys) else np.arange(len(keys))


def _unit(matrix: np.ndarray) -> np.ndarray:
    return matrix / np.linalg.norm(matrix, axis=-1, keepdims=True)
