"""Personalized PageRank end to end (the matrix built from edge arrays, then the solve to an L1 error of
1e-6), ours beside scikit-network (bicgstab), igraph (PRPACK) and networkx, all in the same run, on ego
graphs shaped like a synced account's (heavy-tailed, 500 followed, a two-hop crawl, ~98.5% of the nodes
uncrawled leaves) of 1M and 10M edges, and on the demo world. Times are medians of wall-clock runs.

The reference is igraph's PRPACK (a Gauss–Seidel solve to 1e-10); every L1 column is the distance to it,
and `top100_same` says whether our 100 best accounts not followed (what Explore draws from) are the
reference's, in the same order.

    python -m bench.bench_pagerank [--json] [--skip-demo] [--sizes 1000000 10000000] [--networkx-10m]

The peers come with the `bench` extra: pip install -e ".[bench]".
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

from bench.common import arguments, peak_memory_mib, report
from discovery.graph import Walk

ALPHA = 0.85


def _distinct(values: np.ndarray) -> np.ndarray:
    values = np.sort(values)
    return values[np.r_[True, values[1:] != values[:-1]]] if len(values) else values


def ego_graph(edges: int, seed: int = 7, followed: int = 500, crawled_share: float = 0.015,
              exponent: float = 0.8) -> tuple[np.ndarray, np.ndarray, int, int]:
    """An ego follow graph: `me` follows `followed` accounts; their lists are crawled, then those of the
    accounts they follow most, until `crawled_share` of the nodes have lists. Everyone follows by a
    heavy-tailed popularity (a few hubs, a long tail) with log-normal list lengths. Ids are shuffled (as a
    store's are, in order of discovery) and edges come grouped by source, without duplicates, as the store
    returns them. Returns (src, dst, nodes, me)."""
    rng = np.random.default_rng(seed)
    universe = max(edges // 4, 2000)

    def popular(k: int) -> np.ndarray:
        a = 1 - exponent
        return ((1 + rng.random(k) * (universe**a - 1)) ** (1 / a)).astype(np.int64) - 1

    def lists(sources: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        lengths = np.maximum(1, rng.lognormal(0, 1.0, len(sources)) * mean_out / np.exp(0.5)).astype(np.int64)
        src = np.repeat(sources, lengths)
        return src, popular(len(src))

    me = universe
    crawled = int(crawled_share * universe * 0.8)
    mean_out = edges * 1.12 / crawled
    first = rng.permutation(_distinct(popular(followed * 3)))[:followed]
    src1, dst1 = lists(first)
    seen = _distinct(dst1)
    seen_by = np.bincount(np.searchsorted(seen, dst1))
    fresh = ~np.isin(seen, first)
    seen, seen_by = seen[fresh], seen_by[fresh]
    # the crawl goes on with the accounts most of my follows follow (sampled, Gumbel top-k)
    second = seen[np.argsort(-(np.log(seen_by) + rng.gumbel(size=len(seen))))[:crawled - followed - 1]]
    src2, dst2 = lists(second)
    src = np.concatenate([np.full(len(first), me), src1, src2])
    dst = np.concatenate([first, dst1, dst2])
    keep = src != dst
    total = universe + 1
    pairs = _distinct(src[keep] * total + dst[keep])
    mine = pairs // total == me
    others = np.flatnonzero(~mine)
    if len(others) > edges - mine.sum():
        others = np.sort(rng.choice(others, edges - mine.sum(), replace=False))
    pairs = np.concatenate([pairs[mine], pairs[others]])
    ends = np.concatenate([pairs // total, pairs % total])
    present = _distinct(ends)
    n = len(present)
    shuffled = rng.permutation(n)
    ids = shuffled[np.searchsorted(present, ends)]
    pairs = np.sort(ids[:len(pairs)] * n + ids[len(pairs):])
    return pairs // n, pairs % n, n, int(shuffled[np.searchsorted(present, me)])


def ours(src: np.ndarray, dst: np.ndarray, nodes: int, me: int) -> np.ndarray:
    restart = np.zeros(nodes)
    restart[me] = 1.0
    return Walk(src, dst, nodes).pagerank(restart, alpha=ALPHA, tol=1e-6)


def sknetwork(src: np.ndarray, dst: np.ndarray, nodes: int, me: int) -> np.ndarray:
    import scipy.sparse as sp
    from sknetwork.ranking import PageRank

    adjacency = sp.csr_matrix((np.ones(len(src)), (src, dst)), shape=(nodes, nodes))
    return PageRank(damping_factor=ALPHA, solver="bicgstab", tol=1e-6).fit_predict(adjacency, weights={me: 1.0})


def igraph_prpack(src: np.ndarray, dst: np.ndarray, nodes: int, me: int) -> np.ndarray:
    import igraph

    graph = igraph.Graph(n=nodes, edges=list(zip(src.tolist(), dst.tolist(), strict=True)), directed=True)
    return np.array(graph.personalized_pagerank(damping=ALPHA, reset_vertices=[me], directed=True,
                                                implementation="prpack"))


def networkx(src: np.ndarray, dst: np.ndarray, nodes: int, me: int) -> np.ndarray:
    import networkx as nx

    graph = nx.DiGraph()
    graph.add_nodes_from(range(nodes))
    graph.add_edges_from(zip(src.tolist(), dst.tolist(), strict=True))
    # networkx stops when its L1 change is under nodes × tol: this gives it our criterion.
    ranks = nx.pagerank(graph, alpha=ALPHA, personalization={me: 1.0}, tol=1e-6 / nodes)
    return np.fromiter((ranks[i] for i in range(nodes)), np.float64, nodes)


def _installed(peer: Callable) -> bool:
    """Imports the peer and runs it once outside the timings; False (said on stderr) when it is not installed."""
    try:
        peer(np.array([0, 1]), np.array([1, 0]), 2, 0)
    except ImportError as exc:
        print(f"{peer.__name__}: not installed ({exc}); pip install -e '.[bench]' brings the peers",
              file=sys.stderr)
        return False
    return True


def median_time(function: Callable[[], np.ndarray], runs: int) -> tuple[float, np.ndarray]:
    seconds, result = [], None
    for _ in range(runs):
        start = time.perf_counter()
        result = function()
        seconds.append(time.perf_counter() - start)
    return statistics.median(seconds), result


def explore_top(ranks: np.ndarray, src: np.ndarray, dst: np.ndarray, me: int, k: int = 100) -> np.ndarray:
    candidates = np.ones(len(ranks), bool)
    candidates[dst[src == me]] = False
    candidates[me] = False
    ids = np.flatnonzero(candidates)
    return ids[np.argsort(-ranks[ids], kind="stable")[:k]]


def measure(name: str, src: np.ndarray, dst: np.ndarray, nodes: int, me: int, runs: int,
            with_networkx: bool) -> dict:
    leaves = 1 - len(np.unique(src)) / nodes
    installed = {peer: _installed(peer) for peer in (sknetwork, igraph_prpack, networkx)}
    seconds, ranks = median_time(lambda: ours(src, dst, nodes, me), runs)
    memory, _ = peak_memory_mib(lambda: ours(src, dst, nodes, me))
    peer_runs = max(1, runs // 2) | 1

    def peer_time(peer, runs: int) -> tuple[float | None, np.ndarray | None]:
        return median_time(lambda: peer(src, dst, nodes, me), runs) if installed[peer] else (None, None)

    ig_seconds, reference = peer_time(igraph_prpack, peer_runs)
    sk_seconds, sk_ranks = peer_time(sknetwork, peer_runs)
    nx_seconds, nx_ranks = peer_time(networkx, 1) if with_networkx else (None, None)
    if reference is None:  # without igraph, our own solve to 1e-12 is the reference
        restart = np.zeros(nodes)
        restart[me] = 1.0
        reference = Walk(src, dst, nodes).pagerank(restart, alpha=ALPHA, tol=1e-12)

    def l1(found: np.ndarray | None) -> float | None:
        return None if found is None else float(np.abs(found - reference).sum())

    same = np.array_equal(explore_top(ranks, src, dst, me), explore_top(reference, src, dst, me))
    return {"graph": name, "nodes": nodes, "edges": len(src), "leaves": round(leaves, 3),
            "tessera_s": seconds, "sknetwork_s": sk_seconds, "igraph_s": ig_seconds, "networkx_s": nx_seconds,
            "tessera_l1": l1(ranks), "sknetwork_l1": l1(sk_ranks), "networkx_l1": l1(nx_ranks),
            "top100_same": same, "tessera_peak_mib": memory}


def demo_graph() -> tuple[np.ndarray, np.ndarray, int, int]:
    from discovery.demo import ensure_demo_world

    with tempfile.TemporaryDirectory() as tmp:
        world = ensure_demo_world(Path(tmp))
        src, dst = world.store.edges()
        me = world.store.account_id(world.store.me())
        nodes = world.store.max_account_id() + 1
        world.close()
    return src, dst, nodes, me


def main() -> None:
    parser = arguments(__doc__)
    parser.add_argument("--skip-demo", action="store_true", help="skip the demo graph (it is generated first)")
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000_000, 10_000_000], help="edges per graph")
    parser.add_argument("--networkx-10m", action="store_true", help="also run networkx on 10M edges (minutes)")
    args = parser.parse_args()
    rows = []
    if not args.skip_demo:
        src, dst, nodes, me = demo_graph()
        rows.append(measure("demo world", src, dst, nodes, me, runs=5, with_networkx=True))
    for edges in args.sizes:
        src, dst, nodes, me = ego_graph(edges)
        label = f"ego {edges / 1e6:g}M" if edges >= 1e6 else f"ego {edges:,}"
        rows.append(measure(label, src, dst, nodes, me, runs=5 if edges < 5_000_000 else 3,
                            with_networkx=edges < 5_000_000 or args.networkx_10m))
        del src, dst
    report("Personalized PageRank end to end (alpha 0.85, L1 error 1e-6, restart at the person)", rows, args.json)


if __name__ == "__main__":
    main()
