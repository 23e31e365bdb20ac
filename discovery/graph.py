"""The follow graph as a sparse matrix, and personalized PageRank over it.

Node index = the store's internal account id. Row = follower, column = followed. The person's own edges are
weighted by how many of that account's posts they liked in the last year (0.5 when none, as in the seed
this project grew from); every other edge weighs 1.

PageRank solves the walk on the accounts whose follow lists are known only. In an ego graph almost every
node (98% or so) is an account seen in someone's list whose own list was never fetched: a leaf with no
out-edges. A dangling node's mass goes back to the restart, so PageRank is the normalised solution of the
"leaky" system y = r + α Pᵀ y, in which leaves pass nothing on. Leaves then never feed the iteration: it runs
on the known-list accounts and the edges among them (a fifth of the edges or so), and every leaf's value
comes from one pass over all edges at the end.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:  # scipy loads with the first graph, not with the window's first (kept) lists
    import numpy.typing as npt
    import scipy.sparse as sp

NO_LIKES_WEIGHT = 0.5
YEAR_SECONDS = 365 * 86400


class Walk:
    """The random walk of a graph given as edge lists, arranged for PageRank once.

    `inner` are the nodes with out-weight (the accounts whose follow lists are known); `inner_t` is the
    transposed matrix of the edges among them in their local numbering (row = followed), so each step is a
    CSR matvec with the out-weights folded into the vector. The edge arrays are kept, not copied, for the
    final pass that gives the leaves their values. Edges need no order; duplicates add up.

    Edges weigh 1, or `weights` (one per edge), or, with `reweighted` = (edge indices, weights), all weigh 1
    but those few (the person's own): the rest then stays a pattern and costs no weight array.
    """

    def __init__(self, src: np.ndarray, dst: np.ndarray, n: int, weights: np.ndarray | None = None,
                 reweighted: tuple[np.ndarray, np.ndarray] | None = None):
        self.n, self.src, self.dst = n, np.asarray(src, np.intp), np.asarray(dst, np.intp)
        self.weights = None if weights is None else np.asarray(weights, np.float64)
        self.reweighted = None
        out_weight = _out_weight(self.src, n, self.weights)
        if reweighted is not None and self.weights is None:
            self.reweighted = (np.asarray(reweighted[0], np.intp), np.asarray(reweighted[1], np.float64))
            edges, values = self.reweighted
            np.add.at(out_weight, self.src[edges], values - 1)
        self.inner = np.flatnonzero(out_weight > 0)  # weights adding up to nothing leave a node dangling
        self.out_weight = out_weight[self.inner]
        index_type = np.int32 if len(self.inner) < 2**31 else np.int64
        local: npt.NDArray[np.signedinteger[Any]] = np.full(n, -1, index_type)
        local[self.inner] = np.arange(len(self.inner), dtype=local.dtype)
        among = np.flatnonzero((out_weight > 0)[self.dst])
        source = local[self.src[among]]
        among = among[source >= 0]
        data = np.ones(len(among)) if self.weights is None else self.weights[among]
        if self.reweighted is not None:
            at = np.minimum(np.searchsorted(among, edges), max(len(among) - 1, 0))
            inside = (among[at] == edges) if len(among) else np.zeros(len(edges), bool)
            data[at[inside]] = values[inside]
        import scipy.sparse as sp

        self.inner_t = sp.csr_matrix((data, (local[self.dst[among]], local[self.src[among]])),
                                     shape=(len(self.inner), len(self.inner)))

    @classmethod
    def from_matrix(cls, adjacency: sp.spmatrix | sp.sparray) -> Walk:
        import scipy.sparse as sp

        adjacency = sp.csr_matrix(adjacency)
        n = adjacency.shape[0]
        src = np.repeat(np.arange(n), np.diff(adjacency.indptr))
        weights = None if np.all(adjacency.data == 1) else adjacency.data
        return cls(src, adjacency.indices, n, weights)

    def pagerank(self, restart: np.ndarray, alpha: float = 0.85, tol: float = 1e-6,
                 x0: np.ndarray | None = None, max_iter: int = 1000) -> np.ndarray:
        """See `personalized_pagerank`; `restart` must already be checked."""
        r = np.asarray(restart, np.float64) / restart.sum()
        r_inner = r[self.inner]
        scale = alpha / self.out_weight
        if x0 is not None and len(x0) == self.n and x0.sum() > 0:
            # The leaky solution is the normalised one times 1 / (1 − α · its mass on inner nodes).
            x0 = np.asarray(x0, np.float64) / x0.sum()
            y = x0[self.inner] / max(1 - alpha * x0[self.inner].sum(), 1 - alpha)
        else:
            y = r_inner.copy()
        last_change = None
        for _ in range(max_iter if len(y) else 0):
            y_next = self.inner_t @ (y * scale)
            y_next += r_inner
            change = np.abs(y_next - y).sum()
            y = y_next
            # The whole vector's mass is 1 + α · Σ y (every inner node passes on α of its own), and a
            # leaf moves by at most what its inner sources moved: the normalised L1 change is at most this.
            change *= (1 + alpha) / (1 + alpha * y.sum())
            # Stop on the remaining error, not the last step: at contraction q it is change · q / (1 − q).
            q = min(change / last_change, alpha) if last_change else alpha
            if change * q / (1 - q) < tol or change == 0:
                break
            last_change = change
        pushed = np.zeros(self.n)
        pushed[self.inner] = y * scale
        pushed = pushed[self.src]
        if self.weights is not None:
            pushed *= self.weights
        elif self.reweighted is not None:
            pushed[self.reweighted[0]] *= self.reweighted[1]
        x: np.ndarray = r + np.bincount(self.dst, weights=pushed, minlength=self.n)
        return x / float(x.sum())


def _out_weight(src: np.ndarray, n: int, weights: np.ndarray | None) -> np.ndarray:
    """Each node's out-weight: from the runs of `src` when it is sorted (as the store returns it), which
    reads it once in order, else by a scattered count."""
    if len(src):
        starts = np.r_[0, np.flatnonzero(src[1:] != src[:-1]) + 1]
        heads = src[starts]
        if np.all(heads[1:] > heads[:-1]):
            out = np.zeros(n)
            out[heads] = np.diff(np.r_[starts, len(src)]) if weights is None else np.add.reduceat(weights, starts)
            return out
    return np.bincount(src, weights=weights, minlength=n).astype(np.float64, copy=False)


def personalized_pagerank(adjacency: sp.csr_matrix, restart: np.ndarray, alpha: float = 0.85,
                          tol: float = 1e-6, x0: np.ndarray | None = None, max_iter: int = 1000) -> np.ndarray:
    """Personalized PageRank.

    Each step follows an out-edge with probability `alpha` (in proportion to edge weights) and jumps to the
    restart distribution otherwise; a dangling node's mass goes back to the restart distribution. Iterates
    until the estimated L1 error of the result is under `tol`. `x0` warm-starts the iteration (e.g. the last
    vector). Returns a vector summing to 1. To solve the same graph again, build a `Walk` once.
    """
    n = adjacency.shape[0]
    if adjacency.shape != (n, n):
        raise ValueError("adjacency must be square")
    restart = np.asarray(restart, dtype=np.float64)
    if restart.shape != (n,) or restart.min(initial=0) < 0 or restart.sum() <= 0:
        raise ValueError("restart must be a non-negative vector of the graph's size with a positive sum")
    return Walk.from_matrix(adjacency).pagerank(restart, alpha=alpha, tol=tol, x0=x0, max_iter=max_iter)


def adjacency_from_edges(src: np.ndarray, dst: np.ndarray, n: int,
                         weights: np.ndarray | None = None) -> sp.csr_matrix:
    """CSR adjacency (row = follower) from edge arrays; duplicate edges add up. Edges grouped by source
    (as the store returns them) become CSR directly, without a sort."""
    import scipy.sparse as sp

    data = np.ones(len(src)) if weights is None else np.asarray(weights, np.float64)
    if len(src) and np.all(src[1:] >= src[:-1]):
        indptr = np.zeros(n + 1, np.int64)
        np.cumsum(np.bincount(src, minlength=n), out=indptr[1:])
        index_type = np.int32 if n < 2**31 and len(src) < 2**31 else np.int64
        return sp.csr_matrix((data, dst.astype(index_type), indptr.astype(index_type)), shape=(n, n))
    return sp.csr_matrix((data, (src, dst)), shape=(n, n))


@dataclass
class FollowGraph:
    """The follow graph around the person, with the weights the ranking needs."""

    src: np.ndarray
    dst: np.ndarray
    mine: np.ndarray  # indices of the person's own edges, which alone do not weigh 1
    my_weights: np.ndarray
    size: int
    me: int
    followed: np.ndarray  # ids the person follows
    like_counts: np.ndarray  # per account id: the person's likes of its posts in the last year

    @classmethod
    def build(cls, src: np.ndarray, dst: np.ndarray, me: int, size: int,
              like_counts: np.ndarray) -> FollowGraph:
        src, dst = np.asarray(src, np.int64), np.asarray(dst, np.int64)
        n = max(size, me + 1, int(src.max(initial=-1)) + 1, int(dst.max(initial=-1)) + 1)
        like_counts = np.pad(like_counts, (0, max(0, n - len(like_counts))))[:n]
        # The store groups edges by source, so the person's own are one run found by binary search.
        if len(src) and np.all(src[1:] >= src[:-1]):
            mine = np.arange(np.searchsorted(src, me), np.searchsorted(src, me, side="right"))
        else:
            mine = np.flatnonzero(src == me)
        my_weights = affinity_weight(like_counts[dst[mine]])
        return cls(src, dst, mine, my_weights, n, me, np.unique(dst[mine]), like_counts)

    @cached_property
    def walk(self) -> Walk:
        return Walk(self.src, self.dst, self.size, reweighted=(self.mine, self.my_weights))

    @cached_property
    def adjacency(self) -> sp.csr_matrix:
        weights = np.ones(len(self.src))
        weights[self.mine] = self.my_weights
        return adjacency_from_edges(self.src, self.dst, self.size, weights)

    def pagerank(self, alpha: float = 0.85, tol: float = 1e-6, x0: np.ndarray | None = None) -> np.ndarray:
        restart = np.zeros(self.size)
        restart[self.me] = 1.0
        return self.walk.pagerank(restart, alpha=alpha, tol=tol, x0=x0)

    def followed_by_my_follows(self) -> np.ndarray:
        """Per account: how many of the accounts the person follows follow it."""
        theirs = np.isin(self.src, self.followed)
        pairs = np.sort(self.src[theirs] * self.size + self.dst[theirs])
        pairs = pairs[np.r_[True, pairs[1:] != pairs[:-1]]] if len(pairs) else pairs  # a duplicate counts once
        return np.bincount(pairs % self.size, minlength=self.size).astype(np.int64)


def affinity_weight(like_counts: np.ndarray) -> np.ndarray:
    """The seed's edge weight: likes in the last year, or 0.5 when there were none."""
    counts = np.asarray(like_counts, dtype=np.float64)
    return np.where(counts > 0, counts, NO_LIKES_WEIGHT)
