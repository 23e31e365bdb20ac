"""Personalized PageRank: ours beside networkx.pagerank(personalization=…), on the demo graph and on
generated heavy-tailed graphs of 1M and 10M edges. Time includes building the matrix from edge arrays.

    python -m bench.bench_pagerank [--json] [--skip-demo] [--networkx-10m]
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import networkx as nx
import numpy as np

from bench.common import arguments, peak_memory_mib, report, timed
from discovery.graph import adjacency_from_edges, personalized_pagerank


def heavy_tailed_graph(nodes: int, edges: int, seed: int = 7, listed: float = 1.0) -> tuple[np.ndarray, np.ndarray]:
    """Followers chosen uniformly among the first `listed` share of the nodes (the accounts whose follow
    lists are known), followed accounts from a Zipf-like law (a few hubs, a long tail); edges come grouped
    by follower, as the store returns them, without duplicates."""
    rng = np.random.default_rng(seed)
    src = rng.integers(0, max(1, int(nodes * listed)), int(edges * 1.05))
    dst = np.minimum((rng.pareto(1.1, len(src)) * nodes / 200).astype(np.int64), nodes - 1)
    dst = rng.permutation(nodes)[dst]  # hubs scattered over ids
    pairs = np.unique(src * nodes + dst)[:edges]
    return pairs // nodes, pairs % nodes


def ours(src: np.ndarray, dst: np.ndarray, nodes: int, me: int) -> np.ndarray:
    adjacency = adjacency_from_edges(src, dst, nodes)
    restart = np.zeros(nodes)
    restart[me] = 1.0
    return personalized_pagerank(adjacency, restart)


def networkx_reference(src: np.ndarray, dst: np.ndarray, nodes: int, me: int, tol: float = 1e-6) -> np.ndarray:
    graph = nx.DiGraph()
    graph.add_nodes_from(range(nodes))
    graph.add_edges_from(zip(src.tolist(), dst.tolist(), strict=True))
    ranks = nx.pagerank(graph, alpha=0.85, personalization={me: 1.0}, tol=tol)
    return np.fromiter((ranks[i] for i in range(nodes)), np.float64, nodes)


def measure(name: str, src: np.ndarray, dst: np.ndarray, nodes: int, me: int, with_networkx: bool) -> dict:
    seconds, ranks = timed(lambda: ours(src, dst, nodes, me), repeat=3)
    memory, _ = peak_memory_mib(lambda: ours(src, dst, nodes, me))
    row = {"graph": name, "nodes": nodes, "edges": len(src), "ours_s": seconds, "ours_peak_mib": memory,
           "nx_s": None, "nx_peak_mib": None, "speedup": None, "l1_vs_nx": None, "nx_matched_s": None,
           "l1_vs_nx_matched": None}
    if with_networkx:
        # networkx stops when its L1 change is under nodes × tol; "matched" gives it our criterion.
        nx_seconds, reference = timed(lambda: networkx_reference(src, dst, nodes, me))
        nx_memory, _ = peak_memory_mib(lambda: networkx_reference(src, dst, nodes, me))
        matched_seconds, matched = timed(lambda: networkx_reference(src, dst, nodes, me, tol=1e-6 / nodes))
        row.update(nx_s=nx_seconds, nx_peak_mib=nx_memory, speedup=nx_seconds / seconds,
                   l1_vs_nx=float(np.abs(ranks - reference).sum()), nx_matched_s=matched_seconds,
                   l1_vs_nx_matched=float(np.abs(ranks - matched).sum()))
    return row


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
    parser.add_argument("--networkx-10m", action="store_true", help="also run networkx on 10M edges (minutes)")
    args = parser.parse_args()
    rows = []
    if not args.skip_demo:
        src, dst, nodes, me = demo_graph()
        rows.append(measure("demo world", src, dst, nodes, me, with_networkx=True))
    for nodes, edges, label, with_nx in ((200_000, 1_000_000, "generated 1M", True),
                                         (2_000_000, 10_000_000, "generated 10M", args.networkx_10m)):
        src, dst = heavy_tailed_graph(nodes, edges)
        me = int(src[0])
        rows.append(measure(label, src, dst, nodes, me, with_nx))
        del src, dst
    report("Personalized PageRank (alpha 0.85, L1 tolerance 1e-6, restart at one node)", rows, args.json)


if __name__ == "__main__":
    main()
