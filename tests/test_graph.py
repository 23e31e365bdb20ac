"""Personalized PageRank against networkx, the reference."""

from __future__ import annotations

import networkx as nx
import numpy as np
import pytest
import scipy.sparse as sp

from discovery.graph import FollowGraph, adjacency_from_edges, personalized_pagerank


def random_graph(seed: int, n: int = 120, m: int = 500):
    rng = np.random.default_rng(seed)
    src, dst = rng.integers(0, n, m), rng.integers(0, n, m)
    src[:6] = dst[:6]  # self-loops
    src[src >= n - 10] = 0  # the last ten nodes have no out-edges: dangling
    weights = rng.uniform(0.1, 3.0, m)
    matrix = sp.csr_matrix((weights, (src, dst)), shape=(n, n))
    restart = np.zeros(n)
    restart[rng.integers(0, n, 3)] = rng.uniform(0.5, 2.0, 3)
    return matrix, restart


def networkx_pagerank(matrix, restart):
    graph = nx.from_scipy_sparse_array(matrix, create_using=nx.DiGraph)
    reference = nx.pagerank(graph, alpha=0.85, personalization=dict(enumerate(restart)), tol=1e-15,
                            max_iter=100_000)
    return np.array([reference[i] for i in range(matrix.shape[0])])


@pytest.mark.parametrize("seed", range(8))
def test_agrees_with_networkx_on_random_graphs(seed):
    matrix, restart = random_graph(seed)
    assert (matrix.diagonal() > 0).any()
    ours = personalized_pagerank(matrix, restart, tol=1e-13)
    assert abs(ours.sum() - 1) < 1e-12
    assert np.abs(ours - networkx_pagerank(matrix, restart)).sum() < 1e-8


def test_default_tolerance_is_close_and_warm_start_converges_to_the_same_vector():
    matrix, restart = random_graph(99)
    cold = personalized_pagerank(matrix, restart)
    assert np.abs(cold - networkx_pagerank(matrix, restart)).sum() < 1e-5
    warm = personalized_pagerank(matrix, restart, x0=cold)
    assert np.abs(warm - cold).sum() < 1e-6


def test_all_mass_stays_with_restart_when_nothing_leaves():
    matrix = sp.csr_matrix((4, 4))
    restart = np.array([0, 1.0, 0, 0])
    assert personalized_pagerank(matrix, restart).tolist() == [0, 1.0, 0, 0]


def test_rejects_bad_input():
    with pytest.raises(ValueError):
        personalized_pagerank(sp.csr_matrix((3, 3)), np.zeros(3))
    with pytest.raises(ValueError):
        personalized_pagerank(sp.csr_matrix((3, 4)), np.ones(3))


def test_grouped_edges_build_the_same_matrix_without_sorting():
    rng = np.random.default_rng(3)
    src, dst = np.sort(rng.integers(0, 50, 300)), rng.integers(0, 50, 300)
    weights = rng.random(300)
    direct = adjacency_from_edges(src, dst, 50, weights)
    reference = sp.csr_matrix((weights, (src, dst)), shape=(50, 50))
    assert abs(direct - reference).sum() < 1e-12


def test_my_edges_are_weighted_by_my_likes():
    # me=0 follows 1 (liked 4 of its posts) and 2 (never liked): 4 against 0.5.
    graph = FollowGraph.build(np.array([0, 0, 1]), np.array([1, 2, 2]), me=0, size=3,
                              like_counts=np.array([0, 4, 0]))
    assert graph.adjacency[0, 1] == 4 and graph.adjacency[0, 2] == 0.5 and graph.adjacency[1, 2] == 1
    assert graph.followed.tolist() == [1, 2]
    assert graph.followed_by_my_follows().tolist() == [0, 0, 1]  # only 1 -> 2 is a follow of a follow


def exact_pagerank(matrix, restart, alpha=0.85):
    """The tight reference: a direct sparse solve of the leaky system, normalised."""
    out = np.asarray(matrix.sum(axis=1)).ravel()
    inverse = np.divide(1.0, out, out=np.zeros_like(out), where=out > 0)
    system = sp.eye(matrix.shape[0], format="csc") - alpha * (sp.diags(inverse) @ matrix).T.tocsc()
    solved = sp.linalg.spsolve(system, restart / restart.sum())
    return solved / solved.sum()


def explore_top(ranks, graph, k=100):
    candidates = np.ones(len(ranks), bool)
    candidates[graph.followed] = False
    candidates[graph.me] = False
    ids = np.flatnonzero(candidates)
    return ids[np.argsort(-ranks[ids], kind="stable")[:k]]


def test_ego_graph_pagerank_is_within_1e6_of_a_direct_solve_with_the_same_explore_top_100():
    from bench.bench_pagerank import ego_graph

    src, dst, n, me = ego_graph(60_000, followed=50)
    assert (np.bincount(src, minlength=n) == 0).mean() > 0.98  # almost all nodes are uncrawled leaves
    likes = np.random.default_rng(5).poisson(0.7, n)
    graph = FollowGraph.build(src, dst, me=me, size=n, like_counts=likes)
    restart = np.zeros(n)
    restart[me] = 1.0
    reference = exact_pagerank(graph.adjacency, restart)
    ours = graph.pagerank()
    assert abs(ours.sum() - 1) < 1e-12
    assert np.abs(ours - reference).sum() <= 1e-6
    assert explore_top(ours, graph).tolist() == explore_top(reference, graph).tolist()
    # the same from the matrix, from shuffled edges, and warm-started from a perturbed vector
    assert np.abs(personalized_pagerank(graph.adjacency, restart) - reference).sum() <= 1e-6
    order = np.random.default_rng(1).permutation(len(src))
    shuffled = FollowGraph.build(src[order], dst[order], me=me, size=n, like_counts=likes)
    assert np.abs(shuffled.pagerank() - reference).sum() <= 1e-6
    nudged = ours * np.random.default_rng(2).uniform(0.5, 1.5, n)
    assert np.abs(graph.pagerank(x0=nudged) - reference).sum() <= 1e-6
