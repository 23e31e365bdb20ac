"""What the personal ranker knows about a candidate post at a moment: the seed's five factors and what the
person's own history says about the post and its author.

Everything about the person (likes, saves, opens, hides, "see fewer", their hashtags) is read only from
before a cutoff (`History`), so a ranking at any past moment can be rebuilt without seeing what came after
it: that is how the ranker trains on its own past without peeking at the labels.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from discovery.clock import DAY
from discovery.graph import YEAR_SECONDS, FollowGraph, affinity_weight
from storage import InteractionKind

SETTLE_HOURS = 6.0  # a post collects most of its likes in its first day: young counts are scaled up
MEDIA_PHOTO, MEDIA_VIDEO, MEDIA_CAROUSEL = 1, 2, 8

# name: (label, what it measures). The first five are the seed formula's factors, in its order.
FEATURES = {
    "comments": ("Comments", "log10(comments + 2), a young post's count scaled up to a settled one"),
    "likes": ("Likes", "log10(likes + 1), a young post's count scaled up to a settled one"),
    "pagerank": ("Closeness", "personalized PageRank of the author"),
    "recency": ("Recency", "exp(−age / τ)"),
    "affinity": ("Your likes", "ln(likes you gave the author this year + 1)"),
    "like_rate": ("Your like rate", "the share of the author's posts you liked this year"),
    "relative_engagement": ("Above their usual", "the post's likes against the author's usual"),
    "likes_per_follower": ("Likes per follower", "log10 of the post's likes per follower of the author"),
    "followed_by": ("Followed by your follows", "how many accounts you follow follow the author"),
    "follows_your_follows": ("Follows your follows", "how many accounts you follow the author follows"),
    "follows_you": ("Follows you", "the author follows you"),
    "tag_match": ("Your hashtags", "the post's hashtags among those of posts you liked or saved"),
    "author_tags": ("Author's hashtags", "the author's usual hashtags among yours"),
    "words": ("Your words", "the post's caption words among those of posts you liked or saved"),
    "author_words": ("Author's words", "the author's usual caption words among yours"),
    "tags_you": ("Tags you", "you are tagged in the post"),
    "post_rate": ("Posting rate", "how many posts a week the author makes"),
    "audience": ("Audience", "log10 of the author's followers"),
    "video": ("Video", "the post is a video or reel"),
    "carousel": ("Carousel", "the post is a carousel"),
    "author_saves": ("Your saves", "posts by the author you saved"),
    "author_opens": ("Your opens", "posts by the author you opened"),
    "author_hides": ("Your hides", "posts by the author you hid"),
    "author_fewer": ("“See fewer”", "times you asked to see fewer of the author"),
}
SEED_FACTORS = ("comments", "likes", "pagerank", "recency", "affinity")


@dataclass
class History:
    """The person's own history before `until` (epoch seconds)."""

    until: int
    like_counts: np.ndarray  # per account: likes of their posts in the year before `until`
    liked_posts: np.ndarray  # post ids liked before `until`
    events: pd.DataFrame  # interactions before `until`: post_id, account_id, kind, at, author_id
    interests: pd.Series  # tag -> count over posts liked, saved or tagged-in before `until`
    word_weights: np.ndarray  # per caption word: log of how much likelier it is in those posts than in all
    pagerank: np.ndarray

    @property
    def likes(self) -> int:
        return len(self.liked_posts)


class WorldData:
    """One world's data as the features need it, loaded once: the graph, every post with its hashtags, the
    person's likes and actions with their times, none from `until` on (default: after `now`)."""

    def __init__(self, store, size: int, me: int | None, src: np.ndarray, dst: np.ndarray,
                 followed: np.ndarray, followed_by: np.ndarray, now: int, until: int | None = None):
        # Accounts a sync added after the Ranker read the world (ids from `size` on) are left out until it
        # reads it again: its arrays, and the features, are sized to what it read.
        known = (src < size) & (dst < size)
        self.size, self.me, self.src, self.dst, self.now = size, me, src[known], dst[known], now
        self.until = np.inf if until is None else int(until)
        self.followed, self.followed_by = followed, followed_by
        self._graph_neighbours()
        posts = store.posts_frame(columns=["id", "author_id", "taken_at", "media_type", "like_count",
                                           "comment_count", "caption"])
        posts = posts[(posts["taken_at"] <= now) & (posts["author_id"] < size)]
        self.posts = posts.assign(like_count=posts["like_count"].fillna(0),
                                  comment_count=posts["comment_count"].fillna(0)).set_index("id")
        likes = store.likes_frame()
        likes = likes[likes["author_id"] < size]
        # An export can lack the time of a like: count it as liked a day after the post went up.
        taken = self.posts["taken_at"].reindex(likes["post_id"]).to_numpy(np.float64)
        likes["at"] = likes["liked_at"].to_numpy(np.float64)
        likes.loc[likes["at"].isna(), "at"] = taken[likes["at"].isna().to_numpy()] + DAY
        self.likes = likes[likes["at"] < self.until]
        self.reload_events(store)
        tagged = store.tagged_post_ids()
        self.tagged = set(tagged.tolist())
        self.tagged_ids = tagged
        self.tagged_at = self.posts["taken_at"].reindex(tagged).fillna(0).to_numpy()
        tags = store.hashtags_frame()
        self.tags = tags[tags["post_id"].isin(self.posts.index)].reset_index(drop=True)
        self.tags["tag"] = self.tags["tag"].astype("category")
        accounts = store.accounts_frame()
        self.audience = np.zeros(size)
        known = accounts["id"].to_numpy(np.int64) < size
        self.audience[accounts["id"].to_numpy(np.int64)[known]] = np.log10(
            accounts["follower_count"].fillna(0).to_numpy(np.float64)[known] + 1)
        self._author_stats()
        self._caption_words()

    def _graph_neighbours(self) -> None:
        """Per account: how many accounts the person follows it follows (its circle overlaps theirs; known
        when its own following list is), and whether it follows the person."""
        followed = np.pad(self.followed, (0, max(0, self.size - len(self.followed))))[:self.size]
        self.follows_followed = np.bincount(self.src[followed[self.dst]], minlength=self.size)[:self.size]
        self.follows_me = np.zeros(self.size)
        if self.me is not None:
            self.follows_me[self.src[self.dst == self.me]] = 1.0

    def reload_events(self, store) -> None:
        """The person's actions in Tessera (hide, save, open, see fewer), each with the post's author."""
        events = store.interactions_frame()
        events = events[events["at"] < self.until].copy()
        post_author = self.posts["author_id"].reindex(events["post_id"].dropna().astype(np.int64))
        events["author_id"] = events["account_id"]
        has_post = events["post_id"].notna().to_numpy()
        events.loc[has_post, "author_id"] = post_author.to_numpy()
        self.events = events

    def _author_stats(self) -> None:
        """Per author: posts per week and usual (age-corrected) like count, over the posts of the last 60
        days that nobody picked for being liked (the coverage window every world has)."""
        posts = self.posts
        start = self.coverage_start()
        window = posts[posts["taken_at"] >= start]
        days = max(1.0, (self.now - start) / DAY)
        self.post_rate = np.bincount(window["author_id"].to_numpy(np.int64), minlength=self.size)[:self.size] * 7 / days
        settled = window[self.now - window["taken_at"] >= DAY]
        level = np.log1p(settled["like_count"].to_numpy(np.float64))
        frame = pd.DataFrame({"author": settled["author_id"].to_numpy(np.int64), "level": level})
        usual = frame.groupby("author")["level"].median()
        self.usual_level = np.full(self.size, np.nan)
        self.usual_level[usual.index.to_numpy()] = usual.to_numpy()

    def _caption_words(self) -> None:
        """Which words each post's caption holds (hashtags included), as a sparse 0/1 matrix, and how common
        each word is over the posts of the coverage window."""
        captions = self.posts["caption"].fillna("").to_numpy()
        self.posts = self.posts.drop(columns="caption")
        self.post_row = pd.Index(self.posts.index)
        self.words = caption_words(captions)
        window = self.posts["taken_at"].to_numpy() >= self.coverage_start()
        self.word_share = (np.asarray(self.words[window].sum(axis=0)).ravel() + 1) / (window.sum() + 2)

    def coverage_start(self) -> int:
        """Since when the world holds every post of its accounts, not only the ones the person liked: older
        posts are kept only for being liked, so they cannot teach what the person passed over."""
        liked = set(self.likes["post_id"].tolist()) | self.tagged
        others = self.posts[~self.posts.index.isin(liked)]
        if self.me is not None:
            others = others[others["author_id"] != self.me]
        if others.empty:
            return self.now
        return int(max(np.quantile(others["taken_at"], 0.01), self.now - 90 * DAY))

    def history(self, until: int, pagerank: np.ndarray | None = None) -> History:
        """What the person had done before `until`; `pagerank` when it is already known for that moment."""
        likes = self.likes[self.likes["at"] < until]
        recent = likes[likes["at"] >= until - YEAR_SECONDS]
        like_counts = np.bincount(recent["author_id"].to_numpy(np.int64), minlength=self.size)[:self.size]
        events = self.events[self.events["at"] < until]
        saved = events.loc[(events["kind"] == InteractionKind.SAVED) & events["post_id"].notna(), "post_id"]
        tagged = self.tagged_ids[self.tagged_at < until]
        ids = np.unique(np.concatenate([likes["post_id"].to_numpy(np.int64), saved.to_numpy(np.int64), tagged]))
        tags = self.tags[self.tags["post_id"].isin(ids)]
        interests = tags["tag"].astype(str).value_counts()
        rows = self.post_row.get_indexer(ids)
        rows = rows[rows >= 0]
        liked_share = (np.asarray(self.words[rows].sum(axis=0)).ravel() + 0.1 * self.word_share) / (len(rows) + 0.1)
        word_weights = np.log(liked_share / self.word_share) if len(rows) else np.zeros(self.words.shape[1])
        if pagerank is not None:
            pagerank = np.pad(pagerank, (0, max(0, self.size - len(pagerank))))[:self.size]
        elif self.me is not None:
            graph = FollowGraph.build(self.src, self.dst, self.me, self.size, like_counts)
            pagerank = graph.pagerank()[:self.size]
        else:
            pagerank = np.zeros(self.size)
        return History(until, like_counts, likes["post_id"].to_numpy(np.int64), events, interests, word_weights,
                       pagerank)


def feature_frame(posts: pd.DataFrame, data: WorldData, history: History, at: int,
                  tau_hours: float = 1e5 / 3600) -> pd.DataFrame:
    """One row of features per post (same index as `posts`), as known at time `at` with `history`."""
    authors = posts["author_id"].to_numpy(np.int64)
    ids = posts["id"].to_numpy(np.int64)
    likes = posts["like_count"].to_numpy(np.float64)
    age = np.maximum(at - posts["taken_at"].to_numpy(np.float64), 0.0)
    counts_age = np.maximum(data.now - posts["taken_at"].to_numpy(np.float64), 0.0)  # when counts were read
    settle = np.maximum(1 - np.exp(-counts_age / 3600 / SETTLE_HOURS), 0.05)
    level = np.log1p(likes / settle)
    usual = data.usual_level[authors]
    rate = data.post_rate[authors]
    tag_match = _tag_match(ids, data, history)
    author_tags = pd.Series(tag_match).groupby(authors).transform("mean").to_numpy()
    words = _word_match(ids, data, history)
    author_words = pd.Series(words).groupby(authors).transform("mean").to_numpy()
    media = posts["media_type"].to_numpy()
    out = pd.DataFrame({
        "comments": np.log10(posts["comment_count"].to_numpy(np.float64) / settle + 2.0),
        "likes": np.log10(likes / settle + 1.0),
        "pagerank": history.pagerank[authors],
        "recency": np.exp(-age / (tau_hours * 3600.0)),
        "affinity": np.log(affinity_weight(history.like_counts[authors]) + 1.0),
        "like_rate": history.like_counts[authors] / (rate * 52.0 + 2.0),
        "relative_engagement": np.where(np.isnan(usual), 0.0, level - np.nan_to_num(usual)),
        "likes_per_follower": np.log10(likes / settle + 1.0) - data.audience[authors],
        "followed_by": np.log1p(data.followed_by[authors]),
        "follows_your_follows": np.log1p(data.follows_followed[authors]),
        "follows_you": data.follows_me[authors],
        "tag_match": tag_match,
        "author_tags": author_tags,
        "words": words,
        "author_words": author_words,
        "tags_you": np.isin(ids, list(data.tagged)).astype(np.float64),
        "post_rate": rate,
        "audience": data.audience[authors],
        "video": (media == MEDIA_VIDEO).astype(np.float64),
        "carousel": (media == MEDIA_CAROUSEL).astype(np.float64),
    }, index=posts.index)
    for name, kind in (("author_saves", InteractionKind.SAVED), ("author_opens", InteractionKind.OPENED),
                       ("author_hides", InteractionKind.HIDDEN), ("author_fewer", InteractionKind.SEE_FEWER)):
        by = history.events.loc[history.events["kind"] == kind, "author_id"].dropna().astype(np.int64)
        per_author = np.bincount(by.to_numpy(), minlength=data.size)[:data.size] if len(by) else np.zeros(data.size)
        out[name] = np.log1p(per_author[authors])
    return out


def _word_match(ids: np.ndarray, data: WorldData, history: History) -> np.ndarray:
    """Per post: the mean weight of its caption words (0 for a caption without known words)."""
    rows = data.post_row.get_indexer(ids)
    known = rows >= 0
    out = np.zeros(len(ids))
    if known.any() and data.words.shape[1]:
        matrix = data.words[rows[known]]
        n = np.asarray(matrix.sum(axis=1)).ravel()
        out[known] = np.divide(matrix @ history.word_weights, n, out=np.zeros(len(n)), where=n > 0)
    return out


def _tag_match(ids: np.ndarray, data: WorldData, history: History) -> np.ndarray:
    """Per post: its hashtags' weight among the person's, sum of log(1 + uses) over √(1 + tags)."""
    if history.interests.empty or data.tags.empty:
        return np.zeros(len(ids))
    tags = data.tags[data.tags["post_id"].isin(ids)]
    weight = np.log1p(history.interests.reindex(tags["tag"].astype(str)).fillna(0.0).to_numpy())
    position = pd.Index(ids).get_indexer(tags["post_id"].to_numpy())
    total = np.bincount(position, weights=weight, minlength=len(ids))
    n = np.bincount(position, minlength=len(ids))
    return total / np.sqrt(1.0 + n)


WORD = re.compile(r"(?u)#?\b\w\w+\b")


def caption_words(captions: np.ndarray, min_df: int = 3, max_features: int = 30_000) -> Any:
    """Which words each caption holds (hashtags included, in lower case), as a sparse 0/1 float32 matrix with a
    column per word found in at least `min_df` captions, at most the `max_features` most common (ties:
    alphabetical), in alphabetical order: what scikit-learn's CountVectorizer(binary=True) gives, without
    loading scikit-learn (some 90 MiB and half a second for a ranking that trains nothing)."""
    from scipy import sparse

    vocabulary: dict[str, int] = {}
    columns: list[int] = []
    ends = np.zeros(len(captions) + 1, np.int64)
    for row, caption in enumerate(captions):
        columns.extend({vocabulary.setdefault(word, len(vocabulary)) for word in WORD.findall(caption.lower())})
        ends[row + 1] = len(columns)
    column = np.array(columns, np.int64)
    counts = np.bincount(column, minlength=len(vocabulary))
    words = np.array(list(vocabulary), dtype=object)
    keep = np.flatnonzero(counts >= min_df)
    keep = keep[np.argsort(words[keep], kind="stable")]
    if len(keep) > max_features:  # the most common, still in alphabetical order
        keep = keep[np.sort(np.argsort(-counts[keep], kind="stable")[:max_features])]
    new_column = np.full(len(vocabulary), -1, np.int64)
    new_column[keep] = np.arange(len(keep))
    mapped = new_column[column]
    present = mapped >= 0
    rows = np.repeat(np.arange(len(captions)), np.diff(ends))[present]
    return sparse.csr_matrix((np.ones(len(rows), np.float32), (rows, mapped[present])),
                             shape=(len(captions), len(keep)))
