"""Ranking 1M candidate posts: Tessera's scoring, ordering and diversity pass beside the seed's pandas
recipe (column arithmetic on a DataFrame and a sort), on the same synthetic posts. With --learned, also the
personal ranker on the demo world (built in a temporary directory first): training it, and ranking Feed and
Explore with it beside the seed formula.

    python -m bench.bench_ranking [--json] [--posts N] [--learned]
"""

from __future__ import annotations

import tempfile
from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd

from bench.common import arguments, peak_memory_mib, report, timed
from discovery.ranking import Ranker, RankingParams, combine, diversify, factor_values

NOW = 1_800_000_000


def synthetic_posts(count: int, authors: int = 50_000, seed: int = 3) -> tuple[pd.DataFrame, np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    frame = pd.DataFrame({
        "author_id": rng.integers(0, authors, count),
        "taken_at": NOW - rng.integers(0, 7 * 86400, count),
        "like_count": rng.lognormal(5, 1.5, count).astype(np.int64),
        "comment_count": rng.lognormal(2, 1.2, count).astype(np.int64),
    })
    pagerank = rng.dirichlet(np.ones(authors))
    like_counts = rng.poisson(0.5, authors)
    return frame, pagerank, like_counts


def tessera(frame: pd.DataFrame, pagerank: np.ndarray, like_counts: np.ndarray, params: RankingParams) -> np.ndarray:
    score = combine(factor_values(frame, pagerank, like_counts, NOW, params), params)
    order = np.lexsort((-frame["taken_at"].to_numpy(), -score))
    # Diversity over the first 20,000 places (what the app shows before anyone scrolls that far).
    placed = diversify(frame["author_id"].to_numpy()[order], params.diversity_cap, params.diversity_window, 20_000)
    return order[placed]


def seed_recipe(frame: pd.DataFrame, pagerank: np.ndarray, like_counts: np.ndarray) -> pd.Series:
    scores = frame.copy()
    scores["page_rank"] = pagerank[scores["author_id"]]
    scores["weight"] = np.where(like_counts[scores["author_id"]] > 0, like_counts[scores["author_id"]], 0.5)
    scores["time_score"] = np.exp(-(NOW - scores["taken_at"]) / 1e5)
    scores["total_score"] = (np.log10(scores["comment_count"] + 2) * np.log10(scores["like_count"] + 1)
                             * scores["page_rank"] * scores["time_score"] * np.log(scores["weight"] + 1))
    return scores.sort_values("total_score", ascending=False)["total_score"]


def main() -> None:
    parser = arguments(__doc__)
    parser.add_argument("--posts", type=int, default=1_000_000)
    parser.add_argument("--learned", action="store_true", help="also time the personal ranker on the demo world")
    args = parser.parse_args()
    frame, pagerank, like_counts = synthetic_posts(args.posts)
    params = RankingParams()
    ours_s, order = timed(lambda: tessera(frame, pagerank, like_counts, params), repeat=3)
    ours_mib, _ = peak_memory_mib(lambda: tessera(frame, pagerank, like_counts, params))
    seed_s, ranked = timed(lambda: seed_recipe(frame, pagerank, like_counts), repeat=3)
    seed_mib, _ = peak_memory_mib(lambda: seed_recipe(frame, pagerank, like_counts))
    same_top = len(set(order[:100].tolist()) & set(ranked.index[:100].tolist()))
    rows = [
        {"method": "Tessera (score, order, diversity on top 20k)", "posts": args.posts, "seconds": ours_s,
         "peak_mib": ours_mib, "top100_shared_with_seed": same_top},
        {"method": "seed recipe in pandas (score, sort; no diversity)", "posts": args.posts, "seconds": seed_s,
         "peak_mib": seed_mib, "top100_shared_with_seed": 100},
    ]
    if args.learned:
        rows += learned_rows()
    report("Ranking candidate posts", rows, args.json)


def learned_rows() -> list[dict]:
    from discovery.demo import ensure_demo_world

    with tempfile.TemporaryDirectory(prefix="bench-ranking-") as root:
        world = ensure_demo_world(Path(root))
        try:
            ranker = Ranker(world.store, world.now())
            train_s, model = timed(ranker.retrain)
            seed = replace(RankingParams(), mode="seed")
            rows = [{"method": f"personal ranker: train on the demo world ({model.likes:,} likes, {model.rows:,} "
                               "rows, both lists)", "posts": model.rows, "seconds": train_s, "peak_mib": None,
                     "top100_shared_with_seed": None}]
            for kind in ("feed", "explore"):
                rank = ranker.explore if kind == "explore" else ranker.feed
                learned_s, ranking = timed(lambda rank=rank: rank(RankingParams()), repeat=3)
                seed_s, seeded = timed(lambda rank=rank: rank(seed), repeat=3)
                shared = len(set(ranking.frame["pk"][:100]) & set(seeded.frame["pk"][:100]))
                rows.append({"method": f"{kind.title()}: learned model (seed formula {seed_s:.3f} s)",
                             "posts": len(ranking), "seconds": learned_s, "peak_mib": None,
                             "top100_shared_with_seed": shared})
            return rows
        finally:
            world.close()


if __name__ == "__main__":
    main()
