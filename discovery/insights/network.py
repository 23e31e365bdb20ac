"""The person's ego network: the accounts they follow and the closest second-degree accounts, laid out once.

Nodes are chosen by personalized PageRank from the person: everyone they follow (the closest first, when
they follow more than the cap), then the accounts those follow, closest first, up to `insights.max_nodes`.
Communities come from Louvain over the follows among the chosen accounts (the person's own edges left out:
they touch every followed account and would blur the groups), seeded so the same data gives the same
picture. The layout is computed once per data change and cached beside the world's store, keyed by a
fingerprint of the subgraph it was computed from.

A dense neighbourhood has tens of follows per account, far too many lines to read (or to paint fluidly), so
the picture draws a backbone: each account's few edges to the neighbours it shares most neighbours with
(Jaccard similarity; local sparsification after Satuluri et al., 2011). Communities and layout use every edge.
"""

from __future__ import annotations

import hashlib
import logging
import os
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import networkx as nx
import numpy as np
import pandas as pd
import scipy.sparse as sp

from discovery import text
from discovery.graph import YEAR_SECONDS, FollowGraph
from discovery.insights import layout
from storage import Store

log = logging.getLogger(__name__)

SEED = 7  # Louvain's and the layout's: the same data always gives the same picture
LAYOUT_VERSION = 1  # bump when the layout changes, so cached layouts are recomputed
MIN_COMMUNITY = 3  # smaller groups count as unclustered
CACHE_KEEP = 3  # cached layouts kept per world (one per recent cap or data state)
TOP_ACCOUNTS = 5
TOP_HASHTAGS = 5
BACKBONE_PER_NODE = 4  # edges each account keeps in the drawn backbone


@dataclass
class Community:
    index: int
    size: int
    top_accounts: list[str]  # usernames, closest to the person first
    top_hashtags: list[str]  # the hashtags its members use more than the rest of the world

    @property
    def label(self) -> str:
        if self.top_hashtags:
            return " ".join(f"#{t}" for t in self.top_hashtags[:2])
        return f"around @{self.top_accounts[0]}" if self.top_accounts else f"group {self.index + 1}"


@dataclass
class EgoNetwork:
    """One row per node in `nodes` (the person first, when present); `edges` index into it."""

    nodes: pd.DataFrame  # account_id, pk, username, full_name, followers, posts, followed, is_me, followed_by,
    # pagerank, position (1 = closest to the person), community (-1: none), size (0..1), x, y
    edges: np.ndarray  # (m, 2) node indices, undirected, the person's own edges left out
    edge_weights: np.ndarray  # 2 for a mutual follow, else 1
    backbone: np.ndarray  # indices into `edges`: the ones to draw
    communities: list[Community]
    fingerprint: str
    layout_seconds: float  # 0 when the layout came from the cache
    from_cache: bool = False
    total_followed: int = 0
    _by_name: dict[str, int] = field(default_factory=dict, repr=False)

    def __len__(self) -> int:
        return len(self.nodes)

    def find(self, query: str) -> int | None:
        """The node of an account by username (with or without @): exact first, then prefix, then substring,
        the closest account winning ties. None when no account matches."""
        query = query.strip().lstrip("@").lower()
        if not query:
            return None
        if not self._by_name:
            self._by_name = {name.lower(): i for i, name in enumerate(self.nodes["username"])}
        if query in self._by_name:
            return self._by_name[query]
        names = self.nodes["username"].str.lower()
        for matches in (names.str.startswith(query), names.str.contains(query, regex=False)):
            hits = np.flatnonzero(matches.to_numpy())
            if len(hits):
                return int(hits[np.argmin(self.nodes["position"].to_numpy()[hits])])
        return None

    def card(self, index: int) -> str:
        """The account's card as plain text (names are untrusted: show it as plain text)."""
        row = self.nodes.iloc[index]
        if row.is_me:
            return f"@{row.username} — you\nFollowing {text.plural(self.total_followed, 'account')}"
        title = f"@{row.username}" + (f" — {row.full_name}" if row.full_name else "")
        lines = [title, f"{text.compact(row.followers)} followers · {text.plural(int(row.posts), 'post')} here"]
        ties = "You follow them" if row.followed else "You do not follow them"
        if row.followed_by:
            ties += f" · followed by {text.plural(int(row.followed_by), 'account')} you follow"
        lines.append(ties)
        where = f"#{int(row.position):,} in your network by PageRank"
        if row.community >= 0:
            where += f" · group {row.community + 1} ({self.communities[row.community].label})"
        lines.append(where)
        return "\n".join(lines)


def build_ego_network(store: Store, now: int, max_nodes: int = 300, cache_dir: Path | None = None,
                      seed: int = SEED) -> EgoNetwork | None:
    """The ego network of the store's person, or None when there is no person or they follow nobody."""
    me_pk = store.me()
    me = store.account_id(me_pk) if me_pk else None
    if me is None:
        return None
    size = store.max_account_id() + 1
    likes = store.likes_frame()
    recent = likes[likes["liked_at"].isna() | (likes["liked_at"] >= now - YEAR_SECONDS)]
    like_counts = np.bincount(recent["author_id"].to_numpy(np.int64), minlength=size)[:size]
    src, dst = store.edges()
    graph = FollowGraph.build(src, dst, me, size, like_counts)
    if len(graph.followed) == 0:
        return None
    pagerank = graph.pagerank()
    ids = _choose_nodes(graph, pagerank, max(2, max_nodes))
    u, v, w = _undirected_edges(graph.adjacency, ids[1:], offset=1)
    fingerprint = _fingerprint(ids, u, v, w, seed)

    cached = _load_cache(cache_dir, fingerprint, len(ids)) if cache_dir else None
    started = time.perf_counter()
    if cached is None:
        communities = _communities(len(ids), u, v, w, seed)
        positions = _layout(len(ids), u, v, w, communities, seed)
        if cache_dir:
            _save_cache(cache_dir, fingerprint, positions, communities)
        seconds = time.perf_counter() - started
    else:
        positions, communities = cached
        seconds = 0.0
    nodes = _node_frame(store, graph, pagerank, ids, communities, positions)
    groups = _describe_communities(store, nodes)
    return EgoNetwork(nodes, np.c_[u, v], w, backbone(len(ids), u, v), groups, fingerprint, seconds,
                      cached is not None, total_followed=len(graph.followed))


def _choose_nodes(graph: FollowGraph, pagerank: np.ndarray, cap: int) -> np.ndarray:
    """The person, then the accounts they follow, then second-degree accounts, each closest first."""
    followed = graph.followed[np.argsort(-pagerank[graph.followed], kind="stable")][: cap - 1]
    reached = graph.followed_by_my_follows() > 0
    reached[graph.followed] = False
    reached[graph.me] = False
    second = np.flatnonzero(reached)
    second = second[np.argsort(-pagerank[second], kind="stable")][: max(0, cap - 1 - len(followed))]
    return np.concatenate([[graph.me], followed, second]).astype(np.int64)


def _undirected_edges(adjacency: sp.csr_matrix, ids: np.ndarray, offset: int):
    """Follows among `ids` as undirected edges (weight 2 when mutual), as node indices shifted by `offset`."""
    pattern = adjacency[ids][:, ids].astype(bool).astype(np.int8)
    both = sp.triu(pattern + pattern.T, k=1).tocoo()
    order = np.lexsort((both.col, both.row))
    return (both.row[order].astype(np.int64) + offset, both.col[order].astype(np.int64) + offset,
            both.data[order].astype(np.float64))


def backbone(n: int, u: np.ndarray, v: np.ndarray, per_node: int = BACKBONE_PER_NODE) -> np.ndarray:
    """Indices of the edges kept for drawing: for every node, its `per_node` edges of highest Jaccard
    similarity (shared neighbours / all neighbours of the two ends); an edge stays when either end keeps it."""
    if len(u) == 0:
        return np.zeros(0, np.int64)
    ones = np.ones(len(u))
    adjacency = sp.csr_matrix((np.r_[ones, ones], (np.r_[u, v], np.r_[v, u])), shape=(n, n))
    degree = np.asarray(adjacency.sum(axis=1)).ravel()
    shared = np.asarray((adjacency @ adjacency)[u, v]).ravel()
    jaccard = shared / np.maximum(degree[u] + degree[v] - shared, 1)
    ends = np.r_[u, v]
    edge = np.r_[np.arange(len(u)), np.arange(len(u))]
    score = np.r_[jaccard, jaccard]
    order = np.lexsort((edge, -score, ends))
    ends, edge = ends[order], edge[order]
    starts = np.flatnonzero(np.r_[True, ends[1:] != ends[:-1]])
    rank = np.arange(len(ends)) - np.repeat(starts, np.diff(np.r_[starts, len(ends)]))
    return np.unique(edge[rank < per_node])


def _fingerprint(ids: np.ndarray, u: np.ndarray, v: np.ndarray, w: np.ndarray, seed: int) -> str:
    digest = hashlib.sha256(f"v{LAYOUT_VERSION}/seed{seed}/".encode())
    for array in (ids.astype("<i8"), u.astype("<i8"), v.astype("<i8"), w.astype("<f8")):
        digest.update(array.tobytes())
    return digest.hexdigest()


def _communities(n: int, u: np.ndarray, v: np.ndarray, w: np.ndarray, seed: int) -> np.ndarray:
    """Louvain labels per node, biggest group 0; -1 for the person and for groups under MIN_COMMUNITY."""
    graph = nx.Graph()
    graph.add_nodes_from(range(1, n))
    graph.add_weighted_edges_from(zip(u.tolist(), v.tolist(), w.tolist(), strict=True))
    groups = nx.community.louvain_communities(graph, weight="weight", seed=seed) if graph.number_of_edges() else []
    groups = sorted((sorted(g) for g in groups if len(g) >= MIN_COMMUNITY), key=lambda g: (-len(g), g[0]))
    labels = np.full(n, -1, np.int64)
    for index, members in enumerate(groups):
        labels[members] = index
    return labels


def _layout(n: int, u: np.ndarray, v: np.ndarray, w: np.ndarray, communities: np.ndarray, seed: int) -> np.ndarray:
    """Connected accounts by force-directed layout; accounts without a follow among the others on an outer
    ring; the person at the centre of those they follow."""
    rng = np.random.default_rng(seed)
    positions = np.zeros((n, 2))
    degree = np.bincount(u, minlength=n) + np.bincount(v, minlength=n)
    linked = np.flatnonzero(degree > 0)
    lonely = np.flatnonzero((degree == 0) & (np.arange(n) > 0))
    if len(linked):
        index = np.full(n, -1, np.int64)
        index[linked] = np.arange(len(linked))
        start = layout.community_start(communities[linked], rng)
        iterations = 80 if len(linked) <= 1000 else 50
        placed = layout.fruchterman_reingold(len(linked), index[u], index[v], w, start, iterations)
        positions[linked] = layout.normalise(placed)
    positions[lonely] = layout.ring(len(lonely), 1.12 if len(linked) else 1.0)
    return positions


def _node_frame(store: Store, graph: FollowGraph, pagerank: np.ndarray, ids: np.ndarray, communities: np.ndarray,
                positions: np.ndarray) -> pd.DataFrame:
    accounts = store.accounts_frame(ids).set_index("id").reindex(ids)
    posts = store.posts_frame(author_ids=ids, columns=["author_id"])
    post_counts = posts["author_id"].value_counts().reindex(ids, fill_value=0).to_numpy()
    followed = np.zeros(graph.size, bool)
    followed[graph.followed] = True
    order = np.argsort(-pagerank, kind="stable")
    position = np.empty(len(pagerank), np.int64)
    position[order] = np.arange(len(pagerank))  # the person is 0, the closest account 1
    rank = pagerank[ids]
    logs = np.log(np.maximum(rank, 1e-12))
    lo, hi = logs[1:].min(initial=0.0), logs[1:].max(initial=0.0)
    relative = np.clip((logs - lo) / (hi - lo), 0, 1) if hi > lo else np.full(len(ids), 0.5)
    relative[0] = 1.0
    nodes = pd.DataFrame({
        "account_id": ids, "pk": accounts["pk"].fillna("").to_numpy(),
        "username": accounts["username"].fillna("").to_numpy(),
        "full_name": accounts["full_name"].fillna("").to_numpy(),
        "followers": accounts["follower_count"].fillna(0).to_numpy(np.int64), "posts": post_counts,
        "followed": followed[ids], "is_me": ids == graph.me, "followed_by": graph.followed_by_my_follows()[ids],
        "pagerank": rank, "position": position[ids], "community": communities, "size": relative,
        "x": positions[:, 0], "y": positions[:, 1],
    })
    return nodes


def _describe_communities(store: Store, nodes: pd.DataFrame) -> list[Community]:
    """Each community's closest accounts and its most distinctive hashtags (used by its members more than
    by the whole world, weighted by how often: count × log(lift))."""
    labels = nodes["community"].to_numpy()
    count = int(labels.max(initial=-1)) + 1
    if count == 0:
        return []
    posts = store.posts_frame(author_ids=nodes["account_id"].to_numpy(), columns=["id", "author_id"])
    tags = store.hashtags_frame(posts["id"].to_numpy()) if len(posts) else pd.DataFrame(columns=["post_id", "tag"])
    group_of_author = pd.Series(labels, index=nodes["account_id"].to_numpy())
    tags = tags.merge(posts.rename(columns={"id": "post_id"}), on="post_id")
    tags["group"] = group_of_author.reindex(tags["author_id"].to_numpy()).to_numpy()
    tags = tags[tags["group"] >= 0]
    overall = tags["tag"].value_counts()
    total = max(1, len(tags))
    out = []
    for index in range(count):
        members = nodes[labels == index].sort_values("position")
        mine = tags.loc[tags["group"] == index, "tag"].value_counts()
        top: list[str] = []
        if len(mine):
            lift = (mine / mine.sum()) / (overall.reindex(mine.index) / total)
            score = (mine * np.log(lift)).where(lift > 1.0, 0.0)
            if count == 1 or not (score > 0).any():
                score = mine.astype(float)
            top = score.sort_values(ascending=False, kind="stable").index[:TOP_HASHTAGS].tolist()
        out.append(Community(index, len(members), members["username"].head(TOP_ACCOUNTS).tolist(), top))
    return out


# --- the layout cache ------------------------------------------------------------------------------------------


def _cache_path(cache_dir: Path, fingerprint: str) -> Path:
    return cache_dir / f"layout-{fingerprint[:20]}.npz"


def _load_cache(cache_dir: Path, fingerprint: str, n: int) -> tuple[np.ndarray, np.ndarray] | None:
    path = _cache_path(cache_dir, fingerprint)
    if not path.exists():
        return None
    try:
        with np.load(path) as data:
            if str(data["fingerprint"]) != fingerprint or data["positions"].shape != (n, 2):
                return None
            return data["positions"].astype(np.float64), data["communities"].astype(np.int64)
    except (OSError, ValueError, KeyError) as exc:
        log.warning("cached layout %s unreadable (%s); laying out again", path, exc)
        return None


def _save_cache(cache_dir: Path, fingerprint: str, positions: np.ndarray, communities: np.ndarray) -> None:
    try:
        cache_dir.mkdir(parents=True, exist_ok=True)
        path = _cache_path(cache_dir, fingerprint)
        tmp = path.with_name(f"{path.stem}.{os.getpid()}-{threading.get_ident()}.tmp.npz")  # one per writer
        np.savez(tmp, fingerprint=np.array(fingerprint), positions=positions, communities=communities)
        os.replace(tmp, path)
        old = sorted(cache_dir.glob("layout-*.npz"), key=lambda p: p.stat().st_mtime, reverse=True)
        for stale in old[CACHE_KEEP:]:
            stale.unlink(missing_ok=True)
    except OSError as exc:  # a read-only world still gets its picture, only not cached
        log.warning("could not cache the network layout in %s: %s", cache_dir, exc)
