"""What the next requests of a sync are worth: the order of the two-hop crawl (closest first) and when to
stop it (when more requests barely move the top of the lists).

Closeness of an account the person follows: how many of its posts they liked, then personalized PageRank
over the follow graph known so far. A stage that stops by value looks at the top of its list every
CHECK_EVERY requests and stops once those requests changed at most STEADY of it. Every decision is a pure
function of the store, so an interrupted sync decides exactly as an uninterrupted one.
"""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING

import numpy as np

from discovery.graph import YEAR_SECONDS, FollowGraph

if TYPE_CHECKING:
    from discovery.live.context import StageContext

CHECK_EVERY = 10  # requests between two looks at the top of a list
TOP_ACCOUNTS = 50  # the accounts near you that Explore draws from, as the follow lists move them
TOP_POSTS = 20  # Explore's first screen
STEADY = {TOP_ACCOUNTS: 5, TOP_POSTS: 4}  # entries changed by CHECK_EVERY requests that count as little


def follow_graph(ctx: StageContext) -> FollowGraph | None:
    store = ctx.store
    me_id = store.account_id(ctx.me)
    if me_id is None:
        return None
    src, dst = store.edges()
    size = store.max_account_id() + 1
    likes = store.likes_frame()
    recent = likes[likes["liked_at"].isna() | (likes["liked_at"] >= ctx.started - YEAR_SECONDS)]
    like_counts = np.bincount(recent["author_id"].to_numpy(np.int64), minlength=size)[:size]
    return FollowGraph.build(src, dst, me_id, size, like_counts)


def closest_first(ctx: StageContext, pks: list[str], graph: FollowGraph | None) -> list[str]:
    """Followed accounts by the person's likes of them, then by PageRank, then by pk."""
    if not pks:
        return []
    ids = ctx.store.account_ids(pks)
    liked = Counter(ctx.store.likes_frame()["author_id"].tolist())
    scores = graph.pagerank() if graph is not None else None

    def key(pk: str):
        i = ids.get(pk)
        rank = float(scores[i]) if scores is not None and i is not None and i < len(scores) else 0.0
        return -liked.get(i, 0), -rank, pk

    return sorted(pks, key=key)


def near_accounts(ctx: StageContext, graph: FollowGraph | None, count: int, skipped: set[str]) -> list[str]:
    """Public accounts the person does not follow, the closest by personalized PageRank first."""
    if graph is None or count <= 0:
        return []
    scores = graph.pagerank()
    accounts = ctx.store.accounts_frame()
    followed = set(graph.followed.tolist())
    keep = accounts[(accounts["id"] != graph.me) & ~accounts["id"].isin(followed)
                    & ~accounts["is_private"].astype(bool) & ~accounts["pk"].str.startswith("u:")
                    & ~accounts["pk"].isin(skipped)].copy()
    keep["score"] = scores[keep["id"].to_numpy()]
    keep = keep[keep["score"] > 0].sort_values(["score", "id"], ascending=[False, True])
    return keep["pk"].head(count).tolist()


def explore_top(ctx: StageContext, count: int = TOP_POSTS) -> list[str]:
    """The pks of Explore's first posts by the seed formula, as the store stands."""
    from discovery.ranking import Ranker, RankingParams

    ranking = Ranker(ctx.store, ctx.started).explore(RankingParams(mode="seed"))
    return [str(pk) for pk in ranking.frame["pk"].head(count)] if len(ranking) else []


def changed(before: list[str], after: list[str]) -> int:
    """How many entries of the new top were not in the old one."""
    return len(set(after) - set(before))


def steady(before: list[str], after: list[str], size: int) -> bool:
    """The top moved little: at most STEADY of `size` entries changed (and it is not empty)."""
    return bool(after) and changed(before, after) <= STEADY[size]
