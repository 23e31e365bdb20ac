"""What ranking reads of one world, loaded once and never changed: the people (names, followers), the follow
graph and its personalized PageRank, the recent posts with their hashtags, the person's interests and actions.

A `RankerSnapshot` is immutable: new data gives a new snapshot (`load_snapshot`), new actions a copy with them
(`with_actions`), so a ranking running on another thread keeps a consistent picture. The rank functions
(discovery.ranker_lists) and the Browser read it through its fields and the few questions below.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd

from discovery import memory
from discovery.graph import YEAR_SECONDS, FollowGraph
from discovery.settings import MAX_WINDOW_DAYS
from storage import InteractionKind, Store

# What ranking, cards and filters read of a post; the rest (location, size...) the detail view reads itself.
RANKED_COLUMNS = ("id", "pk", "shortcode", "author_id", "taken_at", "media_type", "like_count", "comment_count",
                  "play_count", "carousel_count", "caption")


@dataclass(frozen=True)
class Actions:
    """The person's actions as ranking reads them: posts hidden, seen and saved, and "see fewer" per author."""

    hidden: frozenset[int] = frozenset()
    seen: frozenset[int] = frozenset()
    saved: frozenset[int] = frozenset()
    see_fewer: Mapping[int, int] = field(default_factory=dict)  # account id -> how many times


@dataclass(frozen=True, eq=False)
class RankerSnapshot:
    """One world as ranking reads it, at `now` (epoch seconds). Arrays are indexed by account id; `data_version`
    is the store's data version it was read at (None: unknown, e.g. a history cut short)."""

    now: int
    data_version: str | None
    me: int | None  # the person's account id; None in a world with nobody at its centre
    usernames: np.ndarray
    full_names: np.ndarray
    followers: np.ndarray  # each account's follower count
    graph: FollowGraph | None
    pagerank: np.ndarray
    pagerank_position: np.ndarray  # 1-based rank by PageRank
    followed: np.ndarray  # bool: the person follows the account
    followed_by: np.ndarray  # how many accounts the person follows follow it
    like_counts: np.ndarray  # the person's likes of each account's posts in the past year
    posts: pd.DataFrame  # RANKED_COLUMNS of the posts of the last MAX_WINDOW_DAYS days
    tag_index: pd.DataFrame  # post_id, tag (sorted by post_id)
    interests: pd.Series  # the person's hashtags, most used first
    actions: Actions

    def with_actions(self, actions: Actions, data_version: str | None) -> RankerSnapshot:
        return replace(self, actions=actions, data_version=data_version)

    def is_followed(self, account: int) -> bool:
        return bool(self.followed[account]) if account < len(self.followed) else False

    def position(self, account: int) -> int:
        """The account's place by PageRank (1: the closest); 0 for an account read after this snapshot."""
        return int(self.pagerank_position[account]) if account < len(self.pagerank_position) else 0

    def followers_among_follows(self, account: int) -> list[int]:
        """Accounts the person follows that follow `account`, most central first."""
        if self.graph is None or account >= self.graph.size:
            return []
        column = self.graph.adjacency[:, account].tocoo().row
        mine = column[self.followed[column]]
        pagerank = self.pagerank
        return sorted((int(i) for i in mine), key=lambda i: -pagerank[i])

    def posts_tagged(self, tag: str) -> pd.Series:
        """The ids of the recent posts under one hashtag."""
        return self.tag_index.loc[self.tag_index["tag"] == tag, "post_id"]


def load_snapshot(store: Store, now: int, history_until: int | None = None,
                  warm_start: np.ndarray | None = None) -> RankerSnapshot:
    """Read the world. `history_until` hides the person's likes and actions from that moment on; `warm_start`
    is an earlier PageRank vector the new one converges from."""
    version = store.data_version() if history_until is None else None  # read before the data
    me_pk = store.me()
    me = store.account_id(me_pk) if me_pk else None
    accounts = store.accounts_frame()
    size = int(accounts["id"].max()) + 1 if len(accounts) else 1
    usernames = np.full(size, "", dtype=object)
    full_names = np.full(size, "", dtype=object)
    ids = accounts["id"].to_numpy(np.int64)
    usernames[ids] = accounts["username"].to_numpy()
    full_names[ids] = accounts["full_name"].to_numpy()
    followers = np.zeros(size, np.int64)
    followers[ids] = accounts["follower_count"].fillna(0).to_numpy(np.int64)

    likes = store.likes_frame()
    if history_until is not None:
        likes = likes[likes["liked_at"].isna() | (likes["liked_at"] < history_until)]
    since = (now if history_until is None else history_until) - YEAR_SECONDS
    recent = likes[likes["liked_at"].isna() | (likes["liked_at"] >= since)]
    like_counts = np.bincount(recent["author_id"].to_numpy(np.int64), minlength=size)[:size]
    src, dst = store.edges()
    graph: FollowGraph | None = None
    if me is not None:
        graph = FollowGraph.build(src, dst, me, size, like_counts)
        pagerank = graph.pagerank(x0=warm_start)
        followed_by = graph.followed_by_my_follows()
        followed = np.zeros(graph.size, bool)
        followed[graph.followed] = True
        like_counts = graph.like_counts
    else:
        pagerank = np.zeros(size)
        followed_by = np.zeros(size, np.int64)
        followed = np.zeros(size, bool)
    posts, tag_index = _load_posts(store, now)
    events = read_events(store, history_until)
    snapshot = RankerSnapshot(
        now=now, data_version=version, me=me, usernames=usernames, full_names=full_names, followers=followers,
        graph=graph, pagerank=pagerank, pagerank_position=_positions(pagerank), followed=followed,
        followed_by=followed_by, like_counts=like_counts, posts=posts, tag_index=tag_index,
        interests=_interests(store, likes, events), actions=actions_of(events))
    memory.release()  # the store's slices and the graph's building arrays
    return snapshot


def read_events(store: Store, history_until: int | None = None) -> pd.DataFrame:
    """The person's actions, those before `history_until` when it is given."""
    events = store.interactions_frame()
    return events if history_until is None else events[events["at"] < history_until]


def actions_of(events: pd.DataFrame) -> Actions:
    posts = events[events["post_id"].notna()]
    authors = events[events["account_id"].notna()]

    def ids(kind: InteractionKind) -> frozenset[int]:
        return frozenset(int(i) for i in posts.loc[posts["kind"] == kind, "post_id"])

    fewer = authors.loc[authors["kind"] == InteractionKind.SEE_FEWER, "account_id"].astype(np.int64)
    return Actions(ids(InteractionKind.HIDDEN), ids(InteractionKind.SEEN), ids(InteractionKind.SAVED),
                   Counter(int(i) for i in fewer))


def _load_posts(store: Store, now: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    posts = store.posts_frame(since=now - MAX_WINDOW_DAYS * 86400, columns=RANKED_COLUMNS)
    posts = posts[posts["taken_at"] <= now].reset_index(drop=True)
    for column in ("like_count", "comment_count", "play_count", "carousel_count"):
        posts[column] = posts[column].fillna(0).astype(np.int64)
    posts["author_id"] = posts["author_id"].astype(np.int64)
    posts["taken_at"] = posts["taken_at"].astype(np.int64)
    posts["caption"] = posts["caption"].fillna("")
    tags = store.hashtags_frame(posts["id"].to_numpy())
    tags = tags.sort_values("post_id", kind="stable", ignore_index=True)
    tags["tag"] = tags["tag"].astype("category")  # a few thousand distinct tags over ~3 per post
    return posts, tags


def _interests(store: Store, likes: pd.DataFrame, events: pd.DataFrame) -> pd.Series:
    """The person's hashtags, most used first: from posts they liked, saved or are tagged in."""
    saved = events.loc[(events["kind"] == InteractionKind.SAVED) & events["post_id"].notna(), "post_id"]
    ids = np.unique(np.concatenate([likes["post_id"].to_numpy(np.int64), store.tagged_post_ids(),
                                    saved.to_numpy(np.int64)]))
    tags = store.hashtags_frame(ids.tolist())
    return tags["tag"].value_counts() if len(tags) else pd.Series(dtype=np.int64)


def _positions(values: np.ndarray) -> np.ndarray:
    """1-based rank of each entry when sorted descending."""
    order = np.argsort(-values, kind="stable")
    positions = np.empty(len(values), np.int64)
    positions[order] = np.arange(1, len(values) + 1)
    return positions
