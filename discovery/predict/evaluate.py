"""Honest evaluation of like prediction.

Protocol: for each author the last TEST_POSTS posts by time are the test set. The model is trained on the
other posts only, and every feature of a post (test or not) comes from that author's earlier posts. A test
post is scored when its author has at least one earlier post. The baseline predicts the author's trailing
median of likes (over all earlier posts, earlier test posts included) with the trailing 10th–90th
percentiles as its 80% interval. The model predicts the count at the age it was actually read.

Metrics, side by side for baseline and model:
    mape, mdape     mean and median of |predicted - actual| / actual, over test posts with at least one like
    log_mae         mean |log(1 + predicted) - log(1 + actual)|
    spearman        rank correlation of predicted and actual likes over all test posts
    pairwise        share of an author's test-post pairs (different actual likes) put in the right order
                    (a tie in the prediction counts one half), over all authors' pairs
    coverage80      share of test posts whose actual likes fall within the 80% interval
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy.stats import spearmanr

from discovery.predict import features as F
from discovery.predict import model as M
from discovery.progress import CancelToken, Progress, ProgressEvent, no_progress

TEST_POSTS = 3
METRICS = ("mape", "mdape", "log_mae", "spearman", "pairwise", "coverage80")


def test_mask(table: pd.DataFrame, test_posts: int = TEST_POSTS) -> np.ndarray:
    """The last `test_posts` posts of each author (the table is sorted by author and order)."""
    size = table.groupby("author", sort=False)["order"].transform("size")
    return (table["order"] >= size - test_posts).to_numpy()


def trailing_baseline(table: pd.DataFrame) -> pd.DataFrame:
    """Per row, from the author's earlier posts: median likes and the 10th / 90th percentiles."""
    out = np.full((len(table), 3), np.nan)
    likes = table["likes"].to_numpy(dtype=float)
    authors = table["author"].to_numpy()
    starts = np.flatnonzero(np.r_[True, authors[1:] != authors[:-1]])
    for start, end in zip(starts, np.r_[starts[1:], len(table)], strict=True):
        for i in range(start + 1, end):
            past = likes[start:i]
            out[i] = [np.median(past), *np.percentile(past, [10, 90])]
    return pd.DataFrame(out, columns=["median", "low", "high"], index=table.index)


def pairwise_accuracy(authors: np.ndarray, predicted: np.ndarray, actual: np.ndarray) -> float:
    right = pairs = 0.0
    for author in np.unique(authors):
        idx = np.flatnonzero(authors == author)
        for a in range(len(idx)):
            for b in range(a + 1, len(idx)):
                i, j = idx[a], idx[b]
                if actual[i] == actual[j]:
                    continue
                pairs += 1
                guess = np.sign(predicted[i] - predicted[j])
                right += 0.5 if guess == 0 else float(guess == np.sign(actual[i] - actual[j]))
    return right / pairs if pairs else float("nan")


def scores(authors: np.ndarray, predicted: np.ndarray, low: np.ndarray, high: np.ndarray,
           actual: np.ndarray) -> dict[str, float]:
    """The METRICS of predicted likes (and their interval) against actual likes."""
    positive = actual > 0
    ape = np.abs(predicted[positive] - actual[positive]) / actual[positive]
    rho = spearmanr(predicted, actual).statistic if len(actual) > 2 else float("nan")
    return {
        "mape": float(ape.mean()) if len(ape) else float("nan"),
        "mdape": float(np.median(ape)) if len(ape) else float("nan"),
        "log_mae": float(np.mean(np.abs(np.log1p(predicted) - np.log1p(actual)))),
        "spearman": float(rho),
        "pairwise": pairwise_accuracy(authors, predicted, actual),
        "coverage80": float(np.mean((actual >= low) & (actual <= high))),
    }


def evaluate_table(table: pd.DataFrame, popularity: F.HashtagPopularity | None = None,
                   pixel_vectors=None, seed: int = 0, progress: Progress = no_progress,
                   cancel: CancelToken | None = None) -> tuple[dict, M.LikeModel, pd.DataFrame]:
    """Evaluate on a post table by the protocol above.

    Returns the report (JSON-ready), the model trained for it (on the non-test posts) and one row per scored
    test post: author, post, likes, age_days, baseline / baseline_low / baseline_high and predicted /
    low / high. Without `popularity`, hashtag popularity is counted on the training posts only."""
    test = test_mask(table)
    progress(ProgressEvent("Computing features", 0, 1))
    history = F.history_features(table)
    scored = test & (history["h_count"].to_numpy() >= 1)
    if not scored.any():
        raise M.ModelError("No author has a test post with an earlier post before it; there is nothing "
                           "to evaluate.")
    popularity = popularity or F.HashtagPopularity.from_posts(table.loc[~test, "hashtags"])
    progress(ProgressEvent("Computing features", 1, 1))
    model = M.fit(table, popularity, pixel_vectors, train_mask=~test, history=history, seed=seed,
                  progress=progress, cancel=cancel)
    vectors = None if pixel_vectors is None else [v for v, s in zip(pixel_vectors, scored, strict=True) if s]
    rows = table[scored]
    X = F.design(rows, popularity, model.time_of_day, vectors, history=history[scored])
    forecast = model.forecast(X, model.prior.baseline(history[scored], rows["followers"]))
    trailing = trailing_baseline(table)[scored]
    authors, actual = rows["author"].to_numpy(), rows["likes"].to_numpy(dtype=float)
    predictions = pd.DataFrame({
        "author": authors, "post": rows["post"].to_numpy(), "likes": actual,
        "age_days": (rows["observed_at"] - rows["taken_at"]).to_numpy(dtype=float) / F.DAY,
        "baseline": trailing["median"].to_numpy(), "baseline_low": trailing["low"].to_numpy(),
        "baseline_high": trailing["high"].to_numpy(), "predicted": forecast.likes, "low": forecast.likes_low,
        "high": forecast.likes_high})
    report = {
        "n_test": int(scored.sum()),
        "n_authors": int(rows["author"].nunique()),
        "n_train": int((~test & (history["h_count"].to_numpy() >= 1)).sum()),
        "baseline": scores(authors, trailing["median"].to_numpy(), trailing["low"].to_numpy(),
                           trailing["high"].to_numpy(), actual),
        "model": scores(authors, forecast.likes, forecast.likes_low, forecast.likes_high, actual),
        "features": list(model.features),
        "hashtag_popularity": popularity.source,
        "seed": seed,
        "by_age": by_age(predictions),
    }
    return report, model, predictions


def by_age(predictions: pd.DataFrame, days: float = 3.0) -> dict:
    """Baseline and model scores for test posts whose count was read within `days` of posting and later."""
    out = {}
    for name, rows in (("young", predictions[predictions["age_days"] < days]),
                       ("settled", predictions[predictions["age_days"] >= days])):
        if len(rows) < 3:
            continue
        authors, actual = rows["author"].to_numpy(), rows["likes"].to_numpy()
        out[name] = {"days": days, "n_test": len(rows),
                     "baseline": scores(authors, rows["baseline"].to_numpy(), rows["baseline_low"].to_numpy(),
                                        rows["baseline_high"].to_numpy(), actual),
                     "model": scores(authors, rows["predicted"].to_numpy(), rows["low"].to_numpy(),
                                     rows["high"].to_numpy(), actual)}
    return out


def sample_authors(table: pd.DataFrame, vectors, authors: int, seed: int):
    """The posts (and pixel vectors) of `authors` authors drawn at random with `seed`."""
    names = np.unique(table["author"].to_numpy())
    if authors >= len(names):
        return table, vectors
    chosen = set(np.random.default_rng(seed).choice(names, authors, replace=False))
    keep = table["author"].isin(chosen).to_numpy()
    kept = table[keep].reset_index(drop=True)
    return kept, None if vectors is None else [v for v, k in zip(vectors, keep, strict=True) if k]


def format_table(report: dict) -> str:
    """The report as a small text table: one row per metric, baseline and model side by side."""
    lines = [f"test posts: {report['n_test']:,} of {report['n_authors']:,} authors "
             f"(model trained on {report['n_train']:,} earlier posts)", "",
             f"{'metric':<12} {'baseline':>9} {'model':>9}"]
    percent = {"mape", "mdape", "pairwise", "coverage80"}
    for name in METRICS:
        cells = []
        for side in ("baseline", "model"):
            value = report[side][name]
            cells.append(f"{value * 100:8.1f}%" if name in percent else f"{value:9.3f}")
        lines.append(f"{name:<12} {cells[0]:>9} {cells[1]:>9}")
    for name, part in report.get("by_age", {}).items():
        when = "within" if name == "young" else "after"
        lines.append(f"  {part['n_test']:,} test posts read {when} {part['days']:g} days: MAPE "
                     f"{part['baseline']['mape'] * 100:.1f}% -> {part['model']['mape'] * 100:.1f}%, log-MAE "
                     f"{part['baseline']['log_mae']:.3f} -> {part['model']['log_mae']:.3f}")
    if "pick_gain" in report:
        gain = report["pick_gain"]
        lines += ["", f"model's pick of {gain['candidates']} pictures vs a random one: "
                      f"{gain['gain'] * 100:+.1f}% expected likes over {gain['trials']} trials "
                      f"(a perfect pick: {gain['oracle_gain'] * 100:+.1f}%; best picked "
                      f"{gain['best_picked'] * 100:.0f}% of the time)"]
    return "\n".join(lines)
