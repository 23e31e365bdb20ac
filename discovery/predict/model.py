"""The like model, in three parts, saved with its feature list, training date and evaluation:

- an age curve (features.AgeCurve): the share of its settled likes a post holds at each age, learned from
  posts of one author read at different ages; a count is scaled to its settled value before it is compared;
- the level: gradient boosting on log likes once settled relative to the author's baseline (the trailing
  median of earlier posts' settled log likes), with quantile models for an 80% interval whose margin is
  calibrated on held-out authors (one margin for counts read young, one for settled ones);
- the content stage (Content): what orders one author's posts, learned within authors from the post's own
  caption, hashtags and pixels.

Predicted likes at age a = exp(baseline + level + content + log share(a)) - 1; with a at the horizon (a week
by default) that is the settled count.
"""

from __future__ import annotations

import os
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

import joblib
import numpy as np
import pandas as pd
from sklearn.ensemble import HistGradientBoostingRegressor
from threadpoolctl import threadpool_limits

from discovery import settings
from discovery.predict.features import (
    PIXEL_COLUMNS,
    AgeCurve,
    HashtagPopularity,
    Prior,
    design,
    has_time_of_day,
    history_features,
    settled_log_likes,
)
from discovery.progress import CancelToken, Progress, ProgressEvent, no_progress

VERSION = 3  # the saved file's format: raise it whenever LikeModel or a part it holds changes shape
LOW, HIGH = 0.1, 0.9  # the 80% interval
LITTLE_HISTORY = 5  # fewer earlier posts than this: a warning and a wider interval
MIN_TRAINING_POSTS = 30

HORIZON = settings.lookup("predict.horizon_days")
RETRAIN_MIN_NEW = settings.lookup("predict.retrain_min_new_posts")

PARAMS = {"learning_rate": 0.05, "max_iter": 300, "max_leaf_nodes": 15, "min_samples_leaf": 40,
          "l2_regularization": 1.0, "early_stopping": False}


class ModelError(Exception):
    """A like model that cannot be trained or loaded; str() is a sentence to show."""


MAX_ROWS = 10_000  # training rows used at most (every row with a picture among them)
CONTENT_STAGE = True
QUANTILE_SPEEDUP = 3
LEVEL_SEES_CONTENT = True
SMALL = 5000  # training rows: below this, fewer and larger boosting steps (more would learn the noise)


def one_thread():
    """Gradient boosting here runs on one OpenMP thread: on a busy machine several threads spend their time
    synchronising (measured 5-10x slower on 2 shared cores), and the app keeps a core for the interface."""
    return threadpool_limits(limits=1, user_api="openmp")


def _booster(loss: str, seed: int, X: pd.DataFrame, quantile: float | None = None
             ) -> HistGradientBoostingRegressor:
    rows = len(X)
    params: dict[str, Any] = dict(PARAMS, min_samples_leaf=max(5, min(PARAMS["min_samples_leaf"], rows // 20)))
    if "log_age" in X.columns:  # a count read later is never lower
        params["monotonic_cst"] = {"log_age": 1}
    if rows < SMALL // 2:
        params.update(learning_rate=0.15, max_iter=60)
    elif rows < SMALL:
        params.update(learning_rate=0.1, max_iter=120)
    if quantile is not None:
        params["quantile"] = quantile
        # The interval's edges need fewer, larger steps than the point: the margin is calibrated anyway.
        params.update(learning_rate=params["learning_rate"] * QUANTILE_SPEEDUP,
                      max_iter=params["max_iter"] // QUANTILE_SPEEDUP)
    return HistGradientBoostingRegressor(loss=loss, random_state=seed, **params)


def usable_features(X: pd.DataFrame) -> list[str]:
    """The features that vary in the training rows (a constant or absent one cannot teach anything)."""
    return [c for c in X.columns if X[c].nunique(dropna=True) >= 2]


def widening(history_count) -> np.ndarray:
    """How much wider the interval is for an account with little history: x2.25 with none, x1.25 with 4."""
    n = np.nan_to_num(np.asarray(history_count, dtype=float), nan=0.0)
    return 1.0 + 0.25 * np.clip(LITTLE_HISTORY - n, 0, LITTLE_HISTORY)


@dataclass(frozen=True)
class Forecast:
    """Log-scale predictions for rows: point (median) and the 80% interval, and the baseline they sit on."""

    base: np.ndarray
    point: np.ndarray
    low: np.ndarray
    high: np.ndarray

    @property
    def likes(self) -> np.ndarray:
        return np.maximum(np.expm1(self.point), 0.0)

    @property
    def likes_low(self) -> np.ndarray:
        return np.maximum(np.expm1(self.low), 0.0)

    @property
    def likes_high(self) -> np.ndarray:
        return np.expm1(self.high)


# Features of the post itself that the within-author stage weighs; pixels also enter squared (an optimum,
# such as a brightness neither too dark nor too light, is a curve).
CONTENT_FEATURES = ("caption_length", "n_hashtags", "n_mentions", "n_emoji", "question", "call_to_action",
                    "sponsored", "tag_lift", "tag_pop_mean", "has_location", "is_carousel",
                    "is_video") + PIXEL_COLUMNS
LOG_SCALED = ("caption_length", "n_hashtags", "n_mentions", "n_emoji")
RIDGE_ALPHAS = np.logspace(-1, 4, 11)
# How the author's latest posts did against their usual. Left out of the level: they make the prediction for
# a post swing with its predecessor's luck, which costs more in ordering an author's posts (gvsi, settled
# test posts: pairwise 0.49 with them, 0.53 without) than it gains in accuracy (log-MAE 0.350 -> 0.355).
MOMENTUM = ("h_last", "h_recent", "h_trend", "h_last_age", "h_mean")


@dataclass
class Content:
    """The within-author stage: a ridge regression of what the level model leaves unexplained on how a post
    differs from its author's other posts. Each author's mean is taken out of the target and the features
    (the within-author, or fixed-effects, objective), so it learns only what orders one author's posts."""

    names: list[str]
    squared: list[str]
    centre: np.ndarray  # per squared feature: its training median
    mean: np.ndarray
    scale: np.ndarray
    coef: np.ndarray
    alpha: float

    def raw(self, X: pd.DataFrame) -> np.ndarray:
        values = X.reindex(columns=self.names).to_numpy(dtype=float).copy()
        for i, name in enumerate(self.names):
            if name in LOG_SCALED:
                values[:, i] = np.log1p(np.maximum(values[:, i], 0))
        squares = (X.reindex(columns=self.squared).to_numpy(dtype=float) - self.centre) ** 2
        return np.column_stack([values, squares])

    def standard(self, X: pd.DataFrame) -> np.ndarray:
        return np.nan_to_num((self.raw(X) - self.mean) / self.scale, nan=0.0)

    def predict(self, X: pd.DataFrame) -> np.ndarray:
        return self.standard(X) @ self.coef

    @classmethod
    def fit(cls, X: pd.DataFrame, residual: np.ndarray, groups: np.ndarray) -> Content | None:
        from sklearn.linear_model import RidgeCV

        names = [n for n in CONTENT_FEATURES if n in X.columns and X[n].nunique(dropna=True) >= 2]
        squared = [n for n in names if n.startswith("px_")]
        if not names:
            return None
        centre = X[squared].median().to_numpy(dtype=float) if squared else np.zeros(0)
        model = cls(names, squared, centre, np.zeros(0), np.ones(0), np.zeros(0), 0.0)
        raw = model.raw(X)
        with np.errstate(invalid="ignore"), warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)  # an all-missing column stays at zero
            model.mean = np.nan_to_num(np.nanmean(raw, axis=0))
            model.scale = np.nan_to_num(np.nanstd(raw, axis=0), nan=1.0)
        model.scale[model.scale < 1e-9] = 1.0
        Z = model.standard(X)
        codes, _ = pd.factorize(groups)
        size = np.bincount(codes).astype(float)[:, None]
        sums = np.zeros((len(size), Z.shape[1]))
        np.add.at(sums, codes, Z)
        Zw = Z - (sums / size)[codes]
        yw = residual - (np.bincount(codes, residual) / size[:, 0])[codes]
        ridge = RidgeCV(alphas=RIDGE_ALPHAS, fit_intercept=False).fit(Zw, yw)
        model.coef, model.alpha = ridge.coef_.astype(float), float(ridge.alpha_)
        return model


@dataclass
class LikeModel:
    features: list[str]  # every input: the level model's and the content stage's
    level_features: list[str]
    point: HistGradientBoostingRegressor
    low: HistGradientBoostingRegressor
    high: HistGradientBoostingRegressor
    content: Content | None
    calibration: tuple[float, float]  # added to each side of the quantile interval, for a young / a
    # settled count (conformal, on held-out authors)
    prior: Prior
    curve: AgeCurve
    popularity: HashtagPopularity
    time_of_day: bool
    reference: dict[str, float]  # each feature's median over the training rows
    trained_at: int
    n_posts: int
    n_authors: int
    horizon_days: float = 7.0
    seed: int = 0
    evaluation: dict | None = None

    def _content(self, X: pd.DataFrame) -> np.ndarray:
        return np.zeros(len(X)) if self.content is None else self.content.predict(X)

    def predict_point(self, X: pd.DataFrame) -> np.ndarray:
        """The settled residual: log likes once settled relative to the author's baseline."""
        with one_thread():
            return self.point.predict(X.reindex(columns=self.level_features)) + self._content(X)

    def residuals(self, X: pd.DataFrame, young: np.ndarray | bool = False
                  ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        data = X.reindex(columns=self.level_features)
        content = self._content(X)
        margin = np.where(young, *self.calibration)
        with one_thread():
            point = self.point.predict(data) + content
            low = self.low.predict(data) + content - margin
            high = self.high.predict(data) + content + margin
        # Quantile models are fit separately; keep the interval ordered and around the point.
        return point, np.minimum(low, point), np.maximum(high, point)

    def forecast(self, X: pd.DataFrame, base: np.ndarray, age_days, read_up_to_days_earlier: float = 0.0
                 ) -> Forecast:
        """Likes as counted `age_days` after posting (a number or one per row): the settled prediction times
        the share of it the age curve says a post holds by then. `read_up_to_days_earlier`: the count may have
        been read that much sooner (a read time assumed as the latest it can be), which lowers the interval's
        low end of a young count."""
        age = np.broadcast_to(np.asarray(age_days, dtype=float), (len(X),))
        point, low, high = self.residuals(X, age < self.curve.days_to(0.99))
        wider = widening(X["h_count"].to_numpy())
        low = point - (point - low) * wider
        high = point + (high - point) * wider
        shift = self.curve.log_share(age)
        # A date without a time of day leaves the age uncertain by about half a day either way.
        spread = 0.0 if self.time_of_day else 0.5
        low = low + self.curve.log_share(np.maximum(age - spread - read_up_to_days_earlier, 0.0))
        high = high + self.curve.log_share(age + spread)
        return Forecast(base + shift, base + point + shift, base + low, base + high)

    def summary(self) -> dict:
        return {"trained_at": self.trained_at, "posts": self.n_posts, "authors": self.n_authors,
                "features": list(self.features), "horizon_days": self.horizon_days,
                "age_curve": {"tau_days": round(self.curve.tau, 4), "shape": round(self.curve.shape, 4),
                              "days_to_95_percent": round(self.curve.days_to(0.95), 3)},
                "hashtag_popularity": self.popularity.source, "time_of_day": self.time_of_day,
                "calibration": [round(c, 4) for c in self.calibration], "evaluation": self.evaluation}


def _fit_parts(X: pd.DataFrame, residual: np.ndarray, groups: np.ndarray, level: list[str], seed: int,
               cancel: CancelToken, step: Callable[[], None]):
    """The level model's three boosters (median, 10th and 90th percentile) and the content stage."""
    data = X[level]
    boosters = []
    for loss, quantile in (("absolute_error", None), ("quantile", LOW), ("quantile", HIGH)):
        cancel.check()
        with one_thread():
            boosters.append(_booster(loss, seed, data, quantile).fit(data, residual))
        step()
    with one_thread():
        left = residual - boosters[0].predict(data)
    return boosters, Content.fit(X, left, groups) if CONTENT_STAGE else None


def _calibration(X: pd.DataFrame, residual: np.ndarray, groups: np.ndarray, young: np.ndarray,
                 level: list[str], seed: int, cancel: CancelToken, step: Callable[[], None]
                 ) -> tuple[float, float]:
    """Conformal margins for 80% coverage, from a quarter of the authors held out of a first fit: one for
    counts read while still growing (`young`) and one for settled counts (their errors differ in size)."""
    authors = np.unique(groups)
    if len(authors) < 4:
        return 0.0, 0.0
    held_out = set(np.random.default_rng(seed).permutation(authors)[: len(authors) // 4])
    held = np.fromiter((g in held_out for g in groups), bool, len(groups))
    boosters, content = _fit_parts(X[~held], residual[~held], groups[~held], level, seed, cancel, step)
    data = X.loc[held, level]
    shift = np.zeros(held.sum()) if content is None else content.predict(X[held])
    with one_thread():
        low = boosters[1].predict(data) + shift
        high = boosters[2].predict(data) + shift
    scores = np.maximum(low - residual[held], residual[held] - high)

    def margin(part: np.ndarray) -> float:
        part = part if len(part) >= MIN_TRAINING_POSTS else scores
        return float(np.quantile(part, min(1.0, (HIGH - LOW) * (1 + 1 / len(part)))))

    return margin(scores[young[held]]), margin(scores[~young[held]])


def fit(table: pd.DataFrame, popularity: HashtagPopularity,
        pixel_vectors: Sequence[np.ndarray | None] | None = None, *, train_mask: np.ndarray | None = None,
        history: pd.DataFrame | None = None, curve: AgeCurve | None = None,
        series: pd.DataFrame | None = None, seed: int = 0, horizon_days: float = 7.0,
        trained_at: int | None = None, progress: Progress = no_progress,
        cancel: CancelToken | None = None) -> LikeModel:
    """Train on the rows of a post table in `train_mask` (default all) that have at least one earlier post.

    The age curve is fitted on those rows first (unless given), from the like counts syncs read of them
    (`series`, see features.AgeCurve.fit) where there are enough; `history` must have been computed with the
    same curve. Features of every row come from earlier rows of the same author only (see
    features.history_features)."""
    cancel = cancel or CancelToken()
    mask = np.ones(len(table), bool) if train_mask is None else np.asarray(train_mask, bool).copy()
    curve = AgeCurve.fit(table, mask, series=series) if curve is None else curve
    history = history_features(table, curve) if history is None else history
    mask &= history["h_count"].to_numpy() >= 1
    if mask.sum() < MIN_TRAINING_POSTS:
        raise ModelError(f"Only {int(mask.sum())} posts with an earlier post by the same author have like "
                         f"counts; the like model needs at least {MIN_TRAINING_POSTS}. Sync or import more "
                         "posts first.")
    time_of_day = has_time_of_day(table["taken_at"])
    X = design(table, popularity, time_of_day, pixel_vectors, history=history)
    prior = Prior.fit(table[mask])
    base = prior.baseline(history, table["followers"])
    residual = (settled_log_likes(table, curve) - base)[mask]
    groups = table["author"].to_numpy()[mask]
    X = X[mask].reset_index(drop=True)
    if len(X) > MAX_ROWS:  # beyond this, more rows barely help and training time grows with them
        pictured = X.reindex(columns=list(PIXEL_COLUMNS)).notna().any(axis=1).to_numpy()
        others = np.flatnonzero(~pictured)
        sample = np.random.default_rng(seed).choice(others, max(MAX_ROWS - pictured.sum(), 0), replace=False)
        keep = np.sort(np.r_[np.flatnonzero(pictured), sample])
        X, residual, groups = X.iloc[keep].reset_index(drop=True), residual[keep], groups[keep]
    names = usable_features(X)
    level = [n for n in names if n not in PIXEL_COLUMNS and n not in MOMENTUM
             and (LEVEL_SEES_CONTENT or n not in CONTENT_FEATURES)]
    done = [0]
    steps = 6

    def step() -> None:
        done[0] += 1
        progress(ProgressEvent("Training the like model", done[0], steps))

    progress(ProgressEvent("Training the like model", 0, steps))
    young = np.exp(X["log_age"].to_numpy()) < curve.days_to(0.99)
    calibration = _calibration(X, residual, groups, young, level, seed, cancel, step)
    done[0] = 3
    boosters, content = _fit_parts(X, residual, groups, level, seed, cancel, step)
    used = level + ([n for n in content.names if n not in level] if content is not None else [])
    return LikeModel(
        features=used, level_features=level, point=boosters[0], low=boosters[1], high=boosters[2],
        content=content, calibration=calibration, prior=prior, curve=curve, popularity=popularity,
        time_of_day=time_of_day, reference=X[used].median().to_dict(),
        trained_at=int(table["taken_at"].max()) if trained_at is None else int(trained_at),
        n_posts=int(len(table)), n_authors=int(table["author"].nunique()), horizon_days=horizon_days,
        seed=seed)


# --- on disk -----------------------------------------------------------------------------------------------


def model_path(world_directory: Path) -> Path:
    return Path(world_directory) / "models" / "likes.joblib"


def save(model: LikeModel, path: Path) -> None:
    """Write atomically, with the format version: a crash leaves the previous model in place."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + f".{os.getpid()}.tmp")
    joblib.dump({"format": VERSION, "model": model}, tmp, compress=3)
    os.replace(tmp, path)


def load(path: Path) -> LikeModel | None:
    """The saved model, or None when there is none. A file that cannot be read, was written in another
    format or does not work with this code raises ModelError with a sentence: the model is then retrained."""
    if not path.exists():
        return None
    try:
        saved = joblib.load(path)
    except Exception as exc:  # unpickling fails in many ways when versions differ; retrain then
        raise ModelError(f"The saved like model {path} cannot be read ({type(exc).__name__}); "
                         "it will be retrained.") from None
    if not isinstance(saved, dict) or saved.get("format") != VERSION or not isinstance(saved.get("model"),
                                                                                         LikeModel):
        raise ModelError(f"The saved like model {path} was written by another version of Tessera; "
                         "it will be retrained.")
    model = saved["model"]
    try:
        _check(model)
    except Exception as exc:
        raise ModelError(f"The saved like model {path} does not work with this version of Tessera "
                         f"({type(exc).__name__}); it will be retrained.") from None
    return model


def _check(model: LikeModel) -> None:
    """Raise unless every part is there and a prediction runs (a file can match the format and still hold
    parts that older or newer code shaped differently)."""
    missing = [f.name for f in fields(model) if f.name not in vars(model)]
    if missing:
        raise AttributeError(", ".join(missing))
    row = pd.DataFrame([model.reference]).reindex(columns=model.features)
    point, low, high = model.residuals(row, np.array([True]))
    if not (np.isfinite(point).all() and (low <= point).all() and (point <= high).all()):
        raise ValueError("a prediction outside its interval")


def posts_with_likes(store) -> int:
    return int(store.posts_frame(columns=["like_count"])["like_count"].notna().sum())


def retrain_due(model: LikeModel | None, store, min_new_posts: int | None = None) -> bool:
    """Whether enough posts with like counts arrived since the model was trained (or there is no model)."""
    if model is None:
        return True
    minimum = RETRAIN_MIN_NEW.default if min_new_posts is None else min_new_posts
    new = posts_with_likes(store) - model.n_posts
    return new >= max(minimum, model.n_posts // 10)
