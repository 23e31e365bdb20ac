"""How good is the ranking? On the demo world the person's hidden interest in every post is known, so
Feed and Explore are scored against it, beside a chronological and a random order of the same posts."""

from __future__ import annotations

import numpy as np
import pandas as pd

from discovery.ranking import Ranker, RankingParams
from discovery.world import World

K = 20
RANDOM_DRAWS = 50


def precision_at(interest: np.ndarray, relevant_cut: float, k: int = K) -> float:
    """Share of the first k items whose hidden interest is in the candidate set's top decile."""
    top = interest[:k]
    return float((top >= relevant_cut).mean()) if len(top) else 0.0


def ndcg_at(interest: np.ndarray, k: int = K) -> float:
    """NDCG@k with the hidden interest as graded gain."""
    if len(interest) == 0:
        return 0.0
    discounts = 1.0 / np.log2(np.arange(2, k + 2))[: min(k, len(interest))]
    ideal = np.sort(interest)[::-1][:k] @ discounts
    return float(interest[:k] @ discounts / ideal) if ideal > 0 else 0.0


def _scores(interest: np.ndarray, cut: float) -> dict[str, float]:
    return {"precision_at_20": precision_at(interest, cut), "ndcg_at_20": ndcg_at(interest)}


def evaluate_order(ranked: pd.DataFrame, truth: pd.Series, seed: int = 0) -> dict[str, dict[str, float]]:
    """Tessera's order of `ranked` against its chronological and random orders of the same posts."""
    interest = truth.reindex(ranked["pk"]).fillna(0.0).to_numpy()
    if len(interest) == 0:
        empty = {"precision_at_20": 0.0, "ndcg_at_20": 0.0}
        return {"tessera": empty, "chronological": empty, "random": empty, "posts": 0}
    cut = float(np.quantile(interest, 0.9))
    newest_first = np.argsort(-ranked["taken_at"].to_numpy(), kind="stable")
    rng = np.random.default_rng(seed)
    draws = [_scores(interest[rng.permutation(len(interest))], cut) for _ in range(RANDOM_DRAWS)]
    return {
        "tessera": _scores(interest, cut),
        "chronological": _scores(interest[newest_first], cut),
        "random": {key: float(np.mean([d[key] for d in draws])) for key in draws[0]},
        "posts": len(interest),
    }


def evaluate_ranking(world: World, params: RankingParams | None = None) -> dict:
    from discovery.demo import load_truth

    params = params or RankingParams()
    truth = load_truth(world)
    ranker = Ranker(world.store, world.now())
    return {"feed": evaluate_order(ranker.feed(params).frame, truth),
            "explore": evaluate_order(ranker.explore(params).frame, truth)}


def format_table(result: dict) -> str:
    lines = ["| list | posts | order | precision@20 | NDCG@20 |", "|---|---|---|---|---|"]
    for name in ("feed", "explore"):
        part = result[name]
        for order in ("tessera", "chronological", "random"):
            scores = part[order]
            lines.append(f"| {name.title()} | {part['posts']:,} | {order} | {scores['precision_at_20']:.2f} | "
                         f"{scores['ndcg_at_20']:.3f} |")
    return "\n".join(lines)
