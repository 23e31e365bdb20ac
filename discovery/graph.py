"""The follow graph as a sparse matrix, and personalized PageRank over it.

Node index = the store's internal account id. Row = follower, column = followed. The person's own edges are
weighted by how many of that account's posts they liked in the last year (0.5 when none, as in the seed
this project grew from); every other edge weighs 1.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

NO_LIKES_WEIGHT = 0.5
YEAR_SECONDS = 365 * 86400


def personalized_pagerank(adjacency: sp.csr_matrix, restart: np.ndarray, alpha: float = 0.85,
                          tol: float = 1e-6, x0: np.ndarray | None = None, max_iter: int = 1000) -> np.ndarray:
    """Personalized PageRank by sparse power iteration.

    Each step follows an out-edge with probability `alpha` (in proportion to edge weights) and jumps to the
    restart distribution otherwise; a dangling node's mass goes back to the restart distribution. Stops
    when the L1 change of a step falls under `tol`. `x0` warm-starts the iteration (e.g. the last vector).
    Returns a vector summing to 1.
    """
    n = adjacency.shape[0]
    if adjacency.shape != (n, n):
        raise ValueError("adjacency must be square")
    restart = np.asarray(restart, dtype=np.float64)
    if restart.shape != (n,) or restart.min(initial=0) < 0 or restart.sum() <= 0:
        raise ValueError("restart must be a non-negative vector of the graph's size with a positive sum")
    r = restart / restart.sum()
    adjacency = sp.csr_matrix(adjacency, dtype=np.float64)
    out_weight = np.asarray(adjacency.sum(axis=1)).ravel()
    inverse_out = np.divide(alpha, out_weight, out=np.zeros_like(out_weight), where=out_weight > 0)
    dangling = np.flatnonzero(out_weight == 0)
    # Aᵀ of a CSR matrix is a CSC view: the step below is one scatter matvec, with no transpose built.
    forward = adjacency.T
    x = r.copy() if x0 is None or len(x0) != n or x0.sum() <= 0 else np.asarray(x0, np.float64) / x0.sum()
    scaled = np.empty(n)
    for _ in range(max_iter):
        np.multiply(x, inverse_out, out=scaled)
        x_next = forward @ scaled
        x_next += (alpha * x[dangling].sum() + 1 - alpha) * r
        err = np.abs(x_next - x).sum()
        x = x_next
        if err < tol:
            break
    return x / x.sum()


def adjacency_from_edges(src: np.ndarray, dst: np.ndarray, n: int,
                         weights: np.ndarray | None = None) -> sp.csr_matrix:
    """CSR adjacency (row = follower) from edge arrays; duplicate edges add up. Edges grouped by source
    (as the store returns them) become CSR directly, without a sort."""
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

    adjacency: sp.csr_matrix
    me: int
    followed: np.ndarray  # ids the person follows
    like_counts: np.ndarray  # per account id: the person's likes of its posts in the last year

    @property
    def size(self) -> int:
        return self.adjacency.shape[0]

    @classmethod
    def build(cls, src: np.ndarray, dst: np.ndarray, me: int, size: int,
              like_counts: np.ndarray) -> FollowGraph:
        n = max(size, me + 1, int(src.max(initial=-1)) + 1, int(dst.max(initial=-1)) + 1)
        like_counts = np.pad(like_counts, (0, max(0, n - len(like_counts))))[:n]
        weights = np.ones(len(src))
        mine = src == me
        followed = np.unique(dst[mine])
        weights[mine] = affinity_weight(like_counts[dst[mine]])
        return cls(adjacency_from_edges(src, dst, n, weights), me, followed, like_counts)

    def pagerank(self, alpha: float = 0.85, tol: float = 1e-6, x0: np.ndarray | None = None) -> np.ndarray:
        restart = np.zeros(self.size)
        restart[self.me] = 1.0
        return personalized_pagerank(self.adjacency, restart, alpha=alpha, tol=tol, x0=x0)

    def followed_by_my_follows(self) -> np.ndarray:
        """Per account: how many of the accounts the person follows follow it."""
        mask = np.zeros(self.size)
        mask[self.followed] = 1.0
        pattern = self.adjacency.copy()
        pattern.data[:] = 1.0
        return np.asarray(pattern.T @ mask).ravel().astype(np.int64)


def affinity_weight(like_counts: np.ndarray) -> np.ndarray:
    """The seed's edge weight: likes in the last year, or 0.5 when there were none."""
    counts = np.asarray(like_counts, dtype=np.float64)
    return np.where(counts > 0, counts, NO_LIKES_WEIGHT)
