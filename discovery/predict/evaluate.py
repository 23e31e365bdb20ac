"""Honest evaluation of like prediction.

Protocol: for each author the last TEST_POSTS posts by time are the test set. The model is trained on the
other posts only, and every feature of a post comes from that author's earlier posts; those of a test post
from the author's training posts only, so that no test post's likes reach another's prediction (an
earlier test post's luck would otherwise move the predictions of the later ones, and their order within
the author with it). A test post is scored when its author has at least one earlier post. The baseline
predicts the author's trailing median of likes (over the same earlier posts) with the trailing 10th–90th
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

from discovery.predict.features import DAY, AgeCurve, HashtagPopularity, design, expanding_stats, history_features
from discovery.predict.model import LikeModel, ModelError, fit
from discovery.progress import CancelToken, Progress, ProgressEvent, no_progress

TEST_POSTS = 3
SETTLED_DAYS = 3.0  # a count read this long after posting has (nearly) all its likes
METRICS = ("mape", "mdape", "log_mae", "spearman", "pairwise", "coverage80")


def test_mask(table: pd.DataFrame, test_posts: int = TEST_POSTS) -> np.ndarray:
    """The last `test_posts` posts of each author (the table is sorted by author and order)."""
    size = table.groupby("author", sort=False)["order"].transform("size")
    return (table["order"] >= size - test_posts).to_numpy()


def held_out(table: pd.DataFrame, test: np.ndarray, compute, known: tuple[str, ...] = ()) -> pd.DataFrame:
    """`compute` (per-row values from an author's earlier rows, such as features.history_features) for
    every row, each test row seeing the training rows and itself only: it is computed once per position in
    the test window, on the table without the author's other test rows. The `known` columns are kept as
    computed from every earlier row (they read no likes)."""
    out = compute(table)
    position = table.groupby("author", sort=False).cumcount(ascending=False).to_numpy()
    hidden = [c for c in out.columns if c not in known]
    for k in np.unique(position[test]):
        keep = ~test | (position == k)
        part = compute(table[keep])
        rows = table.index[keep & test]
        out.loc[rows, hidden] = part.loc[rows, hidden].to_numpy()
    return out


def trailing_baseline(table: pd.DataFrame) -> pd.DataFrame:
    """Per row, from the author's earlier posts: median likes and the 10th / 90th percentiles."""
    likes = table["likes"].to_numpy(dtype=float)
    stats = expanding_stats(likes, table["author"].to_numpy(), {
        "median": lambda w: np.median(w, axis=1),
        "low": lambda w: np.percentile(w, 10, axis=1),
        "high": lambda w: np.percentile(w, 90, axis=1)})
    return pd.DataFrame(stats, index=table.index)[["median", "low", "high"]]


def pairwise_accuracy(authors: np.ndarray, predicted: np.ndarray, actual: np.ndarray) -> float:
    order = np.argsort(authors, kind="stable")
    authors, predicted, actual = np.asarray(authors)[order], np.asarray(predicted)[order], \
        np.asarray(actual)[order]
    starts = np.flatnonzero(np.r_[True, authors[1:] != authors[:-1]]) if len(authors) else np.array([], int)
    sizes = np.diff(np.r_[starts, len(authors)])
    first, second = [], []
    for size in np.unique(sizes[sizes >= 2]):
        i, j = np.triu_indices(size, 1)
        base = starts[sizes == size][:, None]
        first.append((base + i).ravel())
        second.append((base + j).ravel())
    if not first:
        return float("nan")
    i, j = np.concatenate(first), np.concatenate(second)
    differ = actual[i] != actual[j]
    i, j = i[differ], j[differ]
    if not len(i):
        return float("nan")
    guess = np.sign(predicted[i] - predicted[j])
    right = np.where(guess == 0, 0.5, (guess == np.sign(actual[i] - actual[j])).astype(float))
    return float(right.mean())


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


def age_factors(table: pd.DataFrame, median: np.ndarray, mask: np.ndarray, minimum: int = 20) -> pd.Series:
    """The age curve of the age-aware baseline: per whole day of age at the count, the median of likes over
    the trailing median, over the rows in `mask` (training rows). A day with fewer than `minimum` rows takes
    the value of the nearest day that has them; 1 where no day has."""
    days = np.floor((table["observed_at"] - table["taken_at"]).to_numpy(dtype=float) / DAY)
    likes = table["likes"].to_numpy(dtype=float)
    usable = mask & ~np.isnan(days) & (median > 0)
    ratio = pd.Series(likes[usable] / median[usable]).groupby(days[usable])
    known = ratio.median()[ratio.size() >= minimum]
    return known.rename("factor").rename_axis("day")


def age_factor(factors: pd.Series, age_days: np.ndarray) -> np.ndarray:
    if factors.empty:
        return np.ones(len(age_days))
    days = np.floor(np.asarray(age_days, dtype=float))
    known = factors.index.to_numpy(dtype=float)
    nearest = np.abs(np.nan_to_num(days, nan=known.max())[:, None] - known[None, :]).argmin(axis=1)
    return factors.to_numpy()[nearest]


def prediction_rows(rows: pd.DataFrame, age: np.ndarray, trailing: pd.DataFrame, factor: np.ndarray,
                    forecast) -> pd.DataFrame:
    """One row per scored test post: what it got, and what each baseline and the model said."""
    median, low, high = (trailing[c].to_numpy() for c in ("median", "low", "high"))
    return pd.DataFrame({
        "author": rows["author"].to_numpy(), "post": rows["post"].to_numpy(), "taken_at": rows["taken_at"].to_numpy(),
        "age_days": age, "likes": rows["likes"].to_numpy(dtype=float),
        "baseline": median, "baseline_low": low, "baseline_high": high,
        "age_baseline": median * factor, "age_baseline_low": low * factor, "age_baseline_high": high * factor,
        "predicted": forecast.likes, "low": forecast.likes_low, "high": forecast.likes_high})


def evaluate_table(table: pd.DataFrame, popularity: HashtagPopularity | None = None,
                   pixel_vectors=None, seed: int = 0, progress: Progress = no_progress,
                   cancel: CancelToken | None = None, series: pd.DataFrame | None = None,
                   read_up_to_days_earlier: float = 0.0) -> tuple[dict, LikeModel, pd.DataFrame]:
    """Evaluate on a post table by the protocol above.

    Returns the report (JSON-ready), the model trained for it (on the non-test posts) and one row per scored
    test post: author, post, taken_at, likes, age_days, baseline / baseline_low / baseline_high,
    age_baseline / age_baseline_low / age_baseline_high and predicted / low / high. Without `popularity`,
    hashtag popularity is counted on the training posts only. `series`: like counts read by syncs (post,
    observed_at, likes); the age curve learns from those of training posts (never a test post's).
    `read_up_to_days_earlier`: how much sooner than `observed_at` the counts may have been read (see
    table.read_csv); the intervals allow for it."""
    test = test_mask(table)
    progress(ProgressEvent("Computing features", 0, 1))
    curve = AgeCurve.fit(table, ~test, series=series)
    # When the earlier test posts went up is known before their likes are: only their likes are held out.
    history = held_out(table, test, lambda part: history_features(part, curve), known=("h_gap", "h_rate"))
    scored = test & (history["h_count"].to_numpy() >= 1)
    if not scored.any():
        raise ModelError(f"No author has a post before their {TEST_POSTS} newest (the test posts); there is "
                           "nothing to evaluate.")
    popularity = popularity or HashtagPopularity.from_posts(table.loc[~test, "hashtags"])
    progress(ProgressEvent("Computing features", 1, 1))
    model = fit(table, popularity, pixel_vectors, train_mask=~test, history=history, curve=curve, seed=seed,
                  progress=progress, cancel=cancel)
    vectors = None if pixel_vectors is None else [v for v, s in zip(pixel_vectors, scored, strict=True) if s]
    rows = table[scored]
    age = (rows["observed_at"] - rows["taken_at"]).to_numpy(dtype=float) / DAY
    X = design(rows, model.popularity, model.time_of_day, vectors, history=history[scored])
    forecast = model.forecast(X, model.prior.baseline(history[scored], rows["followers"]), age,
                              read_up_to_days_earlier)
    trailing = held_out(table, test, trailing_baseline)
    factors = age_factors(table, trailing["median"].to_numpy(), ~test & (history["h_count"].to_numpy() >= 1))
    factor = age_factor(factors, age)
    predictions = prediction_rows(rows, age, trailing[scored], factor, forecast)
    report = {
        "n": int(scored.sum()),  # as in "settled"
        "n_test": int(scored.sum()),
        "n_authors": int(rows["author"].nunique()),
        "n_train": int((~test & (history["h_count"].to_numpy() >= 1)).sum()),
        "pictured": 0 if pixel_vectors is None else int(sum(v is not None for v in pixel_vectors)),
        **side_by_side(predictions),
        "settled": {"days": SETTLED_DAYS, "n": int((age >= SETTLED_DAYS).sum()),
                    **(side_by_side(predictions[age >= SETTLED_DAYS]) if (age >= SETTLED_DAYS).any() else {})},
        "features": list(model.features),
        "age_curve": model.summary()["age_curve"],
        "hashtag_popularity": popularity.source,
        "seed": seed,
        "by_age": by_age(predictions),
    }
    return report, model, predictions


def side_by_side(predictions: pd.DataFrame) -> dict[str, dict[str, float]]:
    """The METRICS of the baseline, the age-aware baseline and the model over rows of a predictions frame."""
    authors, actual = predictions["author"].to_numpy(), predictions["likes"].to_numpy(dtype=float)
    return {name: scores(authors, predictions[column].to_numpy(dtype=float),
                         predictions[f"{low}_low" if low else "low"].to_numpy(dtype=float),
                         predictions[f"{low}_high" if low else "high"].to_numpy(dtype=float), actual)
            for name, column, low in (("baseline", "baseline", "baseline"),
                                      ("age_baseline", "age_baseline", "age_baseline"),
                                      ("model", "predicted", ""))}


def by_age(predictions: pd.DataFrame, days: float = SETTLED_DAYS) -> dict:
    """Scores for test posts whose count was read within `days` of posting and later."""
    out = {}
    for name, rows in (("young", predictions[predictions["age_days"] < days]),
                       ("settled", predictions[predictions["age_days"] >= days])):
        if len(rows) >= 3:
            out[name] = {"days": days, "n_test": len(rows), **side_by_side(rows)}
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


def pick_summary(picked: np.ndarray, best: np.ndarray, hits: np.ndarray, seeds: int | None, candidates: int,
                 resamples: int = 2000, seed: int = 0) -> dict:
    """The pick gain over trials: each trial's expected likes of the model's pick (and of the best
    candidate) over the candidates' mean. The gain's 95% interval is a bootstrap over trials."""
    gains = np.asarray(picked, dtype=float) - 1
    draws = np.random.default_rng(seed).integers(0, len(gains), (resamples, len(gains)))
    low, high = np.percentile(gains[draws].mean(axis=1), [2.5, 97.5])
    return {"pick": {"gain": {"mean": float(gains.mean()), "low": float(low), "high": float(high)},
                     "best_rate": float(np.mean(hits)), "ceiling": float(np.mean(best) - 1),
                     "seeds": seeds, "candidates": candidates, "trials": int(len(gains))}}


def in_words(report: dict) -> list[str]:
    """An evaluation report for a person: how far off a typical prediction is, how often an account's own
    posts come out in the right order, and how often the range holds the actual count (the exact metrics
    are the report itself)."""
    model, usual = report["model"], report["age_baseline"]

    def pct(value: float) -> str:
        return "–" if value != value else f"{value * 100:.0f}%"

    lines = [f"Tested on each account's {TEST_POSTS} newest posts, which training did not see "
             f"({report['n_test']:,} posts of {report['n_authors']:,} accounts):",
             f"  typical error: {pct(model['mdape'])} of the likes (half the predictions are closer; on average "
             f"{pct(model['mape'])})",
             f"    (guessing each account's usual likes instead: {pct(usual['mdape'])})",
             f"  puts an account's own posts in the right order {pct(model['pairwise'])} of the time "
             "(a coin toss: 50%)",
             f"  {pct(model['coverage80'])} of actual counts fall within the predicted range (it aims at 80%)"]
    settled = report.get("settled", {})
    if "model" in settled and settled["n"] != report["n_test"]:
        lines.append(f"  counted {settled['days']:g} or more days after posting ({settled['n']:,} posts): typical "
                     f"error {pct(settled['model']['mdape'])}, right order {pct(settled['model']['pairwise'])}"
                     " of the time")
    return lines


def format_table(report: dict) -> str:
    """The report as a small text table: one row per metric; baseline, age-aware baseline and model side by
    side, for all test posts and for those counted once settled."""
    percent = {"mape", "mdape", "pairwise", "coverage80"}
    sides = (("baseline", "baseline"), ("age_baseline", "age-aware"), ("model", "model"))

    def block(part: dict) -> list[str]:
        lines = [f"{'metric':<12}" + "".join(f" {label:>10}" for _, label in sides)]
        for name in METRICS:
            cells = [part[side][name] for side, _ in sides]
            lines.append(f"{name:<12}" + "".join(f" {v * 100:9.1f}%" if name in percent else f" {v:10.3f}"
                                                 for v in cells))
        return lines

    lines = []
    if "n_test" in report:
        lines = [f"test posts: {report['n_test']:,} of {report['n_authors']:,} authors "
                 f"(model trained on {report['n_train']:,} earlier posts)", "", *block(report)]
    settled = report.get("settled", {})
    if "model" in settled:
        lines += ["", f"{settled['n']:,} test posts counted {settled['days']:g} or more days after posting:",
                  *block(settled)]
    if "age_curve" in report:
        curve = report["age_curve"]
        lines += ["", f"age curve: 95% of the settled likes after {curve['days_to_95_percent']:.2f} days"]
    if "pick" in report:
        pick = report["pick"]
        gain = pick["gain"]
        lines += ["", f"model's pick of {pick['candidates']} pictures vs a random one: {gain['mean'] * 100:+.1f}% "
                      f"expected likes (95% CI {gain['low'] * 100:+.1f}% to {gain['high'] * 100:+.1f}%, "
                      f"{pick['trials']} trials); best picked {pick['best_rate'] * 100:.0f}% of the time; "
                      f"a perfect pick: {pick['ceiling'] * 100:+.1f}%"]
    return "\n".join(lines)
