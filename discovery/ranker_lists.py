"""Pure ranking: the Feed and Explore frames from a RankerSnapshot, the ranking parameters and the moment `now`
(and in learned mode the person's model with what its features read). Nothing here reads the store or keeps
state: the same inputs give the same frame. discovery.ranking's Ranker wraps them into Rankings."""

from __future__ import annotations

import heapq
from collections import Counter, deque
from collections.abc import Hashable
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from discovery.graph import affinity_weight
from discovery.ranker_features import FEATURES, History, WorldData, feature_frame
from discovery.ranker_snapshot import RankerSnapshot
from discovery.settings import FACTORS

if TYPE_CHECKING:  # scikit-learn loads only when a model trains
    from discovery.ranker_personal import PersonalModel
    from discovery.ranking import RankingParams


@dataclass(frozen=True)
class Learned:
    """What a learned list reads beyond the snapshot: the person's model and the inputs of its features."""

    model: PersonalModel
    data: WorldData
    history: History


def feed_frame(snapshot: RankerSnapshot, params: RankingParams, now: int,
               learned: Learned | None = None) -> pd.DataFrame:
    """The posts of the accounts the person follows, best first."""
    candidates = _window(snapshot, params, now)
    candidates = candidates[snapshot.followed[candidates["author_id"].to_numpy()]]
    if learned is not None:
        frame = _score_learned(snapshot, candidates, "feed", learned, params, now)
    else:
        frame = _score(snapshot, candidates, params.formula(), now, use_affinity=True)
    frame["source"], frame["tag"] = "following", ""
    return _order(frame, params)


def explore_frame(snapshot: RankerSnapshot, params: RankingParams, now: int,
                  learned: Learned | None = None) -> pd.DataFrame:
    """Posts of accounts the person does not follow: reached through the graph, or under their hashtags."""
    window = _window(snapshot, params, now)
    authors = window["author_id"].to_numpy()
    strangers = window[~snapshot.followed[authors] & (authors != snapshot.me)]
    if learned is not None:
        return _explore_learned(snapshot, strangers, learned, params, now)
    params = params.formula()
    reached = strangers[snapshot.pagerank[strangers["author_id"].to_numpy()] > 0]
    graph = _score(snapshot, reached, params, now, use_affinity=False)
    graph["source"], graph["tag"] = "graph", ""
    graph = graph.sort_values(["score", "taken_at"], ascending=False, kind="stable")
    interest = _interest_candidates(snapshot, strangers, params, now)
    merged = _interleave(graph, interest, params.interest_every)
    return diversify_frame(merged, params)


def _explore_learned(snapshot: RankerSnapshot, strangers: pd.DataFrame, learned: Learned, params: RankingParams,
                     now: int) -> pd.DataFrame:
    """Explore by the learned model: posts reached through the graph and posts under the person's top
    hashtags, scored on one scale and ordered together."""
    reached = snapshot.pagerank[strangers["author_id"].to_numpy()] > 0
    top = list(snapshot.interests.index[: params.top_hashtags]) if params.top_hashtags else []
    tag_index = snapshot.tag_index
    tagged = tag_index[tag_index["tag"].isin(top) & tag_index["post_id"].isin(strangers["id"])]
    order = {t: i for i, t in enumerate(top)}
    first_tag = (tagged.assign(order=tagged["tag"].astype(str).map(order)).sort_values("order", kind="stable")
                 .drop_duplicates("post_id").set_index("post_id")["tag"].astype(str))
    tag = first_tag.reindex(strangers["id"]).fillna("").to_numpy()
    keep = reached | (tag != "")
    frame = _score_learned(snapshot, strangers[keep], "explore", learned, params, now)
    frame["source"] = np.where(reached[keep], "graph", "interest")
    frame["tag"] = np.where(reached[keep], "", tag[keep])
    return _order(frame, params)


def _window(snapshot: RankerSnapshot, params: RankingParams, now: int) -> pd.DataFrame:
    posts = snapshot.posts
    keep = posts["taken_at"].to_numpy() >= now - params.window_days * 86400
    if snapshot.actions.hidden:
        keep &= ~posts["id"].isin(snapshot.actions.hidden).to_numpy()
    return posts[keep]


def _fewer(snapshot: RankerSnapshot, posts: pd.DataFrame, params: RankingParams) -> np.ndarray | float:
    """What each post's score is multiplied by for the person's "see fewer" of its author."""
    see_fewer = snapshot.actions.see_fewer
    if not see_fewer:
        return 1.0
    authors = posts["author_id"].to_numpy()
    fewer = np.fromiter((see_fewer.get(a, 0) for a in authors), np.float64, len(authors))
    multiplier: np.ndarray = params.see_fewer_factor**fewer
    return multiplier


def _score(snapshot: RankerSnapshot, posts: pd.DataFrame, params: RankingParams, now: int,
           use_affinity: bool) -> pd.DataFrame:
    like_counts = snapshot.like_counts if use_affinity else None
    values = factor_values(posts, snapshot.pagerank, like_counts, now, params)
    frame = posts.copy()
    frame["score"] = combine(values, params) * _fewer(snapshot, posts, params)
    frame["age_s"] = (now - posts["taken_at"].to_numpy()).astype(np.float64)
    for name, value in values.items():
        frame[f"f_{name}"] = value
    return _decorate(snapshot, frame)


def _score_learned(snapshot: RankerSnapshot, candidates: pd.DataFrame, kind: str, learned: Learned,
                   params: RankingParams, now: int) -> pd.DataFrame:
    """The learned model's scores, on one scale for every candidate of the list (blended with the seed
    formula's while the model rests on few likes), with every feature as an `f_` column."""
    model = learned.model
    candidates = candidates.drop_duplicates("id")
    features = feature_frame(candidates, learned.data, learned.history, now, params.tau_hours)
    probability = model.score(kind, features)
    share = model.prior_share
    if share > 0 and len(candidates):
        # The seed formula with every factor at exponent 1 (what params.formula() is in learned mode).
        seed = combine({k: features[k].to_numpy() for k in FACTORS if kind == "feed" or k != "affinity"},
                       params.formula())
        probability = (1 - share) * percentile(probability) + share * percentile(seed)
    frame = candidates.copy()
    frame["score"] = probability * _fewer(snapshot, candidates, params)
    # What a card shows: the model's own chance that the person likes the post (the score above is the
    # blend that orders the list, often a percentile, so near 1 for every top post).
    frame["chance"] = model.probability(kind, features)
    frame["age_s"] = (now - candidates["taken_at"].to_numpy()).astype(np.float64)
    for name in FEATURES:
        frame[f"f_{name}"] = features[name].to_numpy()
    return _decorate(snapshot, frame)


def _interest_candidates(snapshot: RankerSnapshot, strangers: pd.DataFrame, params: RankingParams,
                         now: int) -> pd.DataFrame:
    """The best recent posts under each of the person's top hashtags, taken round-robin by hashtag."""
    if params.top_hashtags == 0 or snapshot.interests.empty or strangers.empty:
        return _decorate(snapshot, strangers.iloc[:0].assign(score=[], age_s=[], source=[], tag=[]))
    top = list(snapshot.interests.index[: params.top_hashtags])
    tagged = snapshot.tag_index[snapshot.tag_index["tag"].isin(top)]
    tagged = tagged[tagged["post_id"].isin(strangers["id"])]
    rows = strangers.set_index("id").loc[tagged["post_id"].to_numpy()].reset_index()
    rows["tag"] = tagged["tag"].to_numpy()
    rows["age_s"] = (now - rows["taken_at"].to_numpy()).astype(np.float64)
    values = factor_values(rows, snapshot.pagerank, None, now, params)
    for name, value in values.items():
        rows[f"f_{name}"] = value
    # Interest candidates are strangers, often unreached by the graph: engagement and recency rank them.
    rows["score"] = combine({k: v for k, v in values.items() if k != "pagerank"}, params)
    rows["source"] = "interest"
    rows = rows.sort_values(["score", "taken_at"], ascending=False, kind="stable")
    rows = rows.drop_duplicates("id")
    rows["tag_rank"] = rows.groupby("tag").cumcount()
    rows["tag_order"] = rows["tag"].map({t: i for i, t in enumerate(top)})
    rows = rows.sort_values(["tag_rank", "tag_order"], kind="stable").drop(columns=["tag_rank", "tag_order"])
    return _decorate(snapshot, rows)


def _decorate(snapshot: RankerSnapshot, frame: pd.DataFrame) -> pd.DataFrame:
    authors = frame["author_id"].to_numpy()
    frame["username"] = snapshot.usernames[authors]
    frame["full_name"] = snapshot.full_names[authors]
    frame["liked_count"] = snapshot.like_counts[authors]
    frame["followed_by"] = snapshot.followed_by[authors] if len(snapshot.followed_by) else 0
    frame["author_followers"] = snapshot.followers[authors]
    frame["pagerank_position"] = snapshot.pagerank_position[authors]
    frame["following"] = snapshot.followed[authors]
    return frame


def _order(frame: pd.DataFrame, params: RankingParams) -> pd.DataFrame:
    frame = frame.sort_values(["score", "taken_at"], ascending=False, kind="stable")
    return diversify_frame(frame, params)


# --- the seed formula --------------------------------------------------------------------------------------


def factor_values(posts: pd.DataFrame, pagerank: np.ndarray, like_counts: np.ndarray | None, now: int,
                  params: RankingParams) -> dict[str, np.ndarray]:
    """Each factor of the seed's score for every post (affinity only when `like_counts` is given)."""
    authors = posts["author_id"].to_numpy()
    age = (now - posts["taken_at"].to_numpy()).astype(np.float64)
    values = {
        "comments": np.log10(posts["comment_count"].to_numpy() + 2.0),
        "likes": np.log10(posts["like_count"].to_numpy() + 1.0),
        "pagerank": pagerank[authors],
        "recency": np.exp(-age / (params.tau_hours * 3600.0)),
    }
    if like_counts is not None:
        values["affinity"] = np.log(affinity_weight(like_counts[authors]) + 1.0)
    return values


def combine(values: dict[str, np.ndarray], params: RankingParams) -> np.ndarray:
    """The product of the factors, each raised to its exponent (a switched-off factor counts as 1)."""
    score = np.ones(len(next(iter(values.values()))))
    for name, value in values.items():
        power = params.power(name)
        if power == 1.0:
            score *= value
        elif power:
            score *= value**power
    return score


def percentile(values: np.ndarray) -> np.ndarray:
    """Each value's rank among `values`, from 0 (lowest) to 1 (highest); ties share their mean rank."""
    if len(values) < 2:
        return np.ones(len(values))
    ranks: np.ndarray = pd.Series(values).rank(method="average").to_numpy()
    return (ranks - 1) / (len(values) - 1)


# --- ordering ----------------------------------------------------------------------------------------------


def diversify(authors: np.ndarray, cap: int = 2, window: int = 10, limit: int | None = None) -> np.ndarray:
    """A new order of items (given best first) with at most `cap` items by one author in any `window`
    consecutive items, keeping the best available item at each place. Items past `limit` places keep their
    order; when only over-represented authors are left, they follow in order (nothing is dropped)."""
    n = len(authors)
    limit = n if limit is None else min(limit, n)
    by: list[Hashable] = authors.tolist()
    out: list[int] = []
    recent: deque[Hashable] = deque()
    in_window: Counter[Hashable] = Counter()
    deferred: dict[Hashable, deque[int]] = {}  # author -> its passed-over items, best first
    heads: list[tuple[int, Hashable]] = []  # (best deferred item, author), a heap
    i = 0
    while len(out) < limit and (i < n or heads):
        while i < n and in_window[by[i]] >= cap:
            queue = deferred.setdefault(by[i], deque())
            if not queue:
                heapq.heappush(heads, (i, by[i]))
            queue.append(i)
            i += 1
        blocked = []
        while heads and in_window[heads[0][1]] >= cap:
            blocked.append(heapq.heappop(heads))
        pick: Hashable | None
        if heads and (i >= n or heads[0][0] < i):
            pick = heads[0][1]
        elif i < n:
            pick = None
        else:  # everything left is by over-represented authors: take the best of them anyway
            heads.extend(blocked)
            heapq.heapify(heads)
            blocked = []
            pick = heads[0][1]
        if pick is None:
            chosen = i
            i += 1
        else:
            heapq.heappop(heads)
            queue = deferred[pick]
            chosen = queue.popleft()
            if queue:
                heapq.heappush(heads, (queue[0], pick))
        for entry in blocked:
            heapq.heappush(heads, entry)
        out.append(chosen)
        author = by[chosen]
        recent.append(author)
        in_window[author] += 1
        if len(recent) >= window:
            in_window[recent.popleft()] -= 1
    placed = np.fromiter(out, np.int64, len(out))
    rest = np.setdiff1d(np.arange(n), placed, assume_unique=True)
    return np.concatenate([placed, rest])


def diversify_frame(frame: pd.DataFrame, params: RankingParams, limit: int = 20_000) -> pd.DataFrame:
    order = diversify(frame["author_id"].to_numpy(), params.diversity_cap, params.diversity_window, limit)
    return frame.iloc[order].reset_index(drop=True)


def _interleave(first: pd.DataFrame, second: pd.DataFrame, every: int) -> pd.DataFrame:
    """Merge two ranked lists: every `every`-th place comes from `second`; a post already taken is skipped."""
    if every <= 0 or second.empty:
        return first
    combined = pd.concat([first, second], ignore_index=True)
    ids = combined["id"].to_numpy()
    sources = [iter(range(len(first))), iter(range(len(first), len(combined)))]
    exhausted = [False, False]
    picks: list[int] = []
    seen: set[int] = set()
    while not all(exhausted):
        want = 1 if (len(picks) + 1) % every == 0 or exhausted[0] else 0
        if exhausted[want]:
            want = 1 - want
        position = next(sources[want], None)
        if position is None:
            exhausted[want] = True
        elif ids[position] not in seen:
            seen.add(ids[position])
            picks.append(position)
    return combined.iloc[picks].reset_index(drop=True)
