"""How good is the ranking? On demo worlds the person's hidden interest in every post is known, so Feed and
Explore are scored against it, for every ranker, on freshly built worlds of several seeds and taste regimes.

Each world is ranked as of its clock with the person's history cut at the start of the ranking window: the
likes and actions of the ranked days are never seen, neither by the learned model nor by any factor. The
rankers order the same candidates with the same diversity cap:
- `tessera`: what the app uses (the learned model, with the seed formula as prior while likes are few);
- `seed_formula`: the seed project's product of five factors;
- `factor:NAME`: one feature alone (discovery.ranker_features.FEATURES), highest first;
- `chronological`: newest first; `random`: the mean of RANDOM_DRAWS shuffles.
"""

from __future__ import annotations

import hashlib
import tempfile
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from discovery.clock import DAY
from discovery.progress import Progress, ProgressEvent, no_progress
from discovery.ranker_features import FEATURES
from discovery.ranker_lists import diversify_frame
from discovery.ranking import Ranker, RankingParams
from discovery.world import World

K = 20
RANDOM_DRAWS = 50
LISTS = ("feed", "explore")


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


def ranker_names() -> list[str]:
    return ["tessera", "seed_formula", *(f"factor:{name}" for name in FEATURES), "chronological", "random"]


def orders(ranker: Ranker, kind: str, params: RankingParams, seed: int = 0) -> dict[str, list[np.ndarray]]:
    """Every ranker's order of the list's candidates, as post pks (random: RANDOM_DRAWS orders)."""
    learned = ranker.explore(params) if kind == "explore" else ranker.feed(params)
    formula_params = replace(params, mode="seed")
    formula = ranker.explore(formula_params) if kind == "explore" else ranker.feed(formula_params)
    candidates = learned.frame
    out = {"tessera": [candidates["pk"].to_numpy()], "seed_formula": [formula.frame["pk"].to_numpy()]}
    features = ranker.features(candidates, params) if len(candidates) else pd.DataFrame(columns=list(FEATURES))
    for name in FEATURES:
        by = candidates.assign(_value=features[name].to_numpy()).sort_values(["_value", "taken_at"],
                                                                           ascending=False, kind="stable")
        out[f"factor:{name}"] = [diversify_frame(by, params)["pk"].to_numpy()]
    out["chronological"] = [candidates.sort_values("taken_at", ascending=False, kind="stable")["pk"].to_numpy()]
    rng = np.random.default_rng(seed)
    pks = candidates["pk"].to_numpy()
    out["random"] = [pks[rng.permutation(len(pks))] for _ in range(RANDOM_DRAWS)]
    return out


def score_orders(ranked: dict[str, list[np.ndarray]], truth: pd.Series) -> dict[str, dict[str, float]]:
    """P@20 and NDCG@20 of each ranker against the hidden interest (relevant: the candidates' top decile)."""
    tessera = truth.reindex(ranked["tessera"][0]).fillna(0.0).to_numpy()
    cut = float(np.quantile(tessera, 0.9)) if len(tessera) else 0.0
    out = {}
    for name, lists in ranked.items():
        scores = [(precision_at(i, cut), ndcg_at(i)) for i in
                  (truth.reindex(pks).fillna(0.0).to_numpy() for pks in lists)]
        out[name] = {"p20": float(np.mean([s[0] for s in scores])), "ndcg20": float(np.mean([s[1] for s in scores]))}
    return out


def evaluate_demo_world(world: World, params: RankingParams | None = None) -> dict:
    """Every ranker on one demo world: {"feed": {ranker: {"p20", "ndcg20"}}, "explore": ..., "posts": ...}."""
    from discovery.demo import load_truth

    params = params or RankingParams()
    truth = load_truth(world)
    now = world.now()
    ranker = Ranker(world.store, now, history_until=now - int(params.window_days * DAY))
    result: dict = {"posts": {}}
    for kind in LISTS:
        ranked = orders(ranker, kind, params)
        result[kind] = score_orders(ranked, truth)
        result["posts"][kind] = len(ranked["tessera"][0])
    result["training"] = {"seconds": round(ranker.personal.seconds, 2), "likes": ranker.personal.likes,
                          "summary": ranker.learned_summary}
    return result


def demo_config(size: str, seed: int, regime: str):
    """The demo world an evaluation builds: small (3,000 accounts: too few strangers for Explore), medium
    (half the app's world) or full (the app's own, 24,000 accounts)."""
    from discovery.demo import DemoConfig

    if size == "small":
        return DemoConfig.small(seed, regime)
    if size == "medium":
        return DemoConfig(seed=seed, regime=regime, accounts=12_000, followed=300, follow_edges=115_000,
                          posts=28_000)
    return DemoConfig(seed=seed, regime=regime)


def evaluate_regimes(seeds: list[int], regimes: list[str], size: str = "full",
                     params: RankingParams | None = None, progress: Progress = no_progress,
                     cache: Path | None = None) -> dict:
    """Build a demo world per (regime, seed) and evaluate every ranker on it. The worlds are kept under
    `cache` (one directory per configuration, reused by the next evaluation), else built in a temporary
    directory and removed."""

    started = time.perf_counter()
    per_world: dict[str, list[dict]] = {regime: [] for regime in regimes}
    total = len(seeds) * len(regimes)
    config = None
    for i, (regime, seed) in enumerate((r, s) for r in regimes for s in seeds):
        progress(ProgressEvent("Evaluating the ranking", i, total, f"{regime} world, seed {seed}"))
        config = demo_config(size, seed, regime)
        if cache is not None:
            per_world[regime].append(_evaluate_built(cache / _config_key(config), config, params))
            continue
        with tempfile.TemporaryDirectory(prefix="tessera-eval-") as root:
            per_world[regime].append(_evaluate_built(Path(root), config, params))
    progress(ProgressEvent("Evaluating the ranking", total, total, "done"))
    out: dict[str, Any] = {"regimes": {}, "seeds": seeds, "size": size, "k": K,
                           "seconds": round(time.perf_counter() - started, 1)}
    if config is not None:
        out["world"] = {"accounts": config.accounts, "followed": config.followed,
                        "follow_edges": config.follow_edges, "posts": config.posts, "days": config.days}
    for regime, results in per_world.items():
        rankers: dict[str, Any] = {}
        for name in ranker_names():
            rankers[name] = {kind: {metric: _mean_sd([r[kind][name][metric] for r in results])
                                    for metric in ("p20", "ndcg20")} for kind in LISTS}
        out["regimes"][regime] = {
            "rankers": rankers,
            "candidates": {kind: _mean_sd([r["posts"][kind] for r in results]) for kind in LISTS},
            "best_single_factor": {kind: _best_factor(rankers, kind) for kind in LISTS},
            "training_seconds": _mean_sd([r["training"]["seconds"] for r in results]),
            "summary": results[0]["training"]["summary"] if results else "",
        }
    return out


def _config_key(config) -> str:
    from discovery.demo.generator import GENERATOR_VERSION

    digest = hashlib.sha1(f"{GENERATOR_VERSION} {config.to_json()}".encode()).hexdigest()[:12]
    return f"{config.regime}-seed{config.seed}-{config.accounts}-{digest}"


def _evaluate_built(root: Path, config, params: RankingParams | None) -> dict:
    from discovery.demo import ensure_demo_world

    world = ensure_demo_world(root, config=config)
    try:
        return evaluate_demo_world(world, params)
    finally:
        world.close()


def _best_factor(rankers: dict[str, Any], kind: str) -> str:
    """The single factor whose ranking of `kind` has the best precision at K."""
    factors = [name for name in rankers if name.startswith("factor:")]
    return max(factors, key=lambda name: rankers[name][kind]["p20"]["mean"])


def _mean_sd(values: list[float]) -> dict[str, float]:
    array = np.asarray(values, np.float64)
    sd = float(array.std(ddof=1)) if len(array) > 1 else 0.0
    return {"mean": round(float(array.mean()), 4), "sd": round(sd, 4)}


def format_tables(result: dict) -> str:
    """Readable tables: per regime, each ranker's mean ± sd over the seeds."""
    seeds = result["seeds"]
    world = result.get("world", {})
    lines = [f"Ranking against the hidden taste, {len(seeds)} seed{'s' * (len(seeds) != 1)} per regime, "
             f"{result['size']} demo worlds ({world.get('accounts', 0):,} accounts, {world.get('posts', 0):,} "
             f"posts), {result['seconds']:.0f} s"]
    for regime, part in result["regimes"].items():
        best = part["best_single_factor"]
        lines += ["", f"Regime {regime} · candidates: Feed {part['candidates']['feed']['mean']:.0f}, "
                      f"Explore {part['candidates']['explore']['mean']:.0f} · best single factor: "
                      f"Feed {best['feed']}, Explore {best['explore']}",
                  f"  {part['summary']}",
                  "| ranker | Feed P@20 | Feed NDCG@20 | Explore P@20 | Explore NDCG@20 |",
                  "| --- | --- | --- | --- | --- |"]
        for name, scores in part["rankers"].items():
            cells = [f"{scores[kind][metric]['mean']:.2f} ± {scores[kind][metric]['sd']:.2f}"
                     for kind in LISTS for metric in ("p20", "ndcg20")]
            lines.append(f"| {name} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


# --- a world without hidden truth: the person's own latest likes -------------------------------------------

HOLDOUT_DAYS = 30


def evaluate_holdout(world: World, params: RankingParams | None = None, days: int = HOLDOUT_DAYS) -> dict:
    """On any world holding the person's likes (an imported export, a synced account, a demo world): hide
    the last `days` days of likes, rank what the world holds from then with only what came before, and
    measure how high the posts liked in those days, and their authors, come. Per ranker: for posts, P@20
    (the share of the top 20 liked), recall@100 and the liked posts' mean percentile; for authors, recall@20
    and the mean percentile of the authors liked in those days (an author ranks by their best post)."""
    params = params or RankingParams()
    likes = world.store.likes_frame()
    if likes["liked_at"].notna().sum() == 0:
        raise ValueError("this world's likes carry no dates, so the last 30 days cannot be held out.")
    end = int(likes["liked_at"].max())
    cutoff = end - days * DAY
    ranker = Ranker(world.store, end, history_until=cutoff)
    held = likes[likes["liked_at"] >= cutoff]
    posts = ranker.store.posts_frame(since=cutoff - int(params.window_days * DAY),
                                     columns=["id", "pk", "author_id", "taken_at", "media_type", "like_count",
                                              "comment_count"])
    posts = posts[(posts["taken_at"] <= end) & (posts["author_id"] != ranker.me)]
    posts = posts[~posts["id"].isin(likes.loc[likes["liked_at"] < cutoff, "post_id"])]
    for column in ("like_count", "comment_count"):
        posts[column] = posts[column].fillna(0)
    liked = posts["id"].isin(held["post_id"]).to_numpy()
    out: dict[str, Any] = {"world": world.name, "held_out_days": days, "held_out_likes": len(held), "likes_before": int(
        (likes["liked_at"] < cutoff).sum()), "candidates": len(posts), "liked_candidates": int(liked.sum()),
        "rankers": {}}
    if not liked.any() or liked.all():
        out["message"] = ("the world holds none of the posts liked in those days beside others to rank them "
                          "against, so there is nothing to measure.")
        return out
    features = ranker.features(posts, params)
    model = ranker.personal
    followed = ranker.followed[posts["author_id"].to_numpy()]
    scores = {}
    if model.learned:
        # Both lists on one scale (the models' probabilities): the held-out likes span followed and others.
        scores["tessera"] = np.where(followed, model.probability("feed", features),
                                     model.probability("explore", features))
    seed = {k: features[k].to_numpy() for k in ("comments", "likes", "pagerank", "recency", "affinity")}
    from discovery.ranking import combine

    scores["seed_formula"] = combine(seed, RankingParams())
    for name in FEATURES:
        scores[f"factor:{name}"] = features[name].to_numpy()
    scores["chronological"] = posts["taken_at"].to_numpy(np.float64)
    scores["random"] = np.random.default_rng(0).random(len(posts))
    authors = posts["author_id"].to_numpy()
    liked_authors = list(set(held["author_id"].tolist()))
    newest_first = -posts["taken_at"].to_numpy()
    for name, score in scores.items():
        out["rankers"][name] = holdout_measures(score, newest_first, liked, authors, liked_authors)
    out["summary"] = ranker.learned_summary
    return out


def holdout_measures(score: np.ndarray, newest_first: np.ndarray, liked: np.ndarray, authors: np.ndarray,
                     liked_authors: list) -> dict:
    """One ranker's measures: how high the held-out liked posts come, and their authors (an author ranks by
    their best post). Ties go to the newer post."""
    hits = liked[np.lexsort((newest_first, -score))]
    below = pd.Series(score).rank(method="average").to_numpy()[liked]
    best = pd.Series(score).groupby(authors).max().sort_values(ascending=False, kind="stable")
    author_hits = best.index.isin(liked_authors)
    author_rank = pd.Series(np.arange(len(best)), index=best.index)
    return {
        "posts": {"p20": float(hits[:K].mean()), "recall100": float(hits[:100].sum() / liked.sum()),
                  "mean_percentile": round(float(((below - 1) / max(1, len(score) - 1)).mean() * 100), 1)},
        "authors": {"recall20": float(author_hits[:20].sum() / max(1, author_hits.sum())),
                    "mean_percentile": round(float(100 * (1 - author_rank[best.index[author_hits]].mean()
                                                          / max(1, len(best) - 1))), 1)},
    }


def format_holdout(result: dict) -> str:
    lines = [f"World {result['world']}: the last {result['held_out_days']} days of likes held out "
             f"({result['held_out_likes']:,} likes; {result['likes_before']:,} before), "
             f"{result['candidates']:,} posts to rank, {result['liked_candidates']:,} of them liked then"]
    if result.get("message"):
        return "\n".join([*lines, result["message"]])
    lines += [f"  {result['summary']}", "",
              "| ranker | posts P@20 | posts recall@100 | liked posts' percentile | authors recall@20 | "
              "liked authors' percentile |", "| --- | --- | --- | --- | --- | --- |"]
    for name, r in result["rankers"].items():
        lines.append(f"| {name} | {r['posts']['p20']:.2f} | {r['posts']['recall100']:.2f} | "
                     f"{r['posts']['mean_percentile']:.0f} | {r['authors']['recall20']:.2f} | "
                     f"{r['authors']['mean_percentile']:.0f} |")
    return "\n".join(lines)
