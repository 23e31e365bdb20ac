"""The like model: gradient boosting on log likes relative to the author's baseline, with quantile models for
an 80% interval calibrated out of fold, saved beside its feature list, training date and evaluation.

Targets and predictions live on the log scale: residual = log(1 + likes) - baseline, where the baseline is
the author's trailing median of log(1 + likes) over earlier posts (features.Prior guesses it for an author
without any). Likes = exp(baseline + residual) - 1.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import joblib
import numpy as np
import pandas as pd
from sklearn.ensemble import HistGradientBoostingRegressor
from threadpoolctl import threadpool_limits

from discovery import settings
from discovery.predict import features as F
from discovery.progress import CancelToken, Progress, ProgressEvent, no_progress

VERSION = 1
LOW, HIGH = 0.1, 0.9  # the 80% interval
LITTLE_HISTORY = 5  # fewer earlier posts than this: a warning and a wider interval
CALIBRATION_FOLDS = 3
MIN_TRAINING_POSTS = 30

HORIZON = settings.declare(
    "predict.horizon_days", float, 7.0, "Prediction horizon (days)",
    "Predicted likes are the count expected this many days after posting.", 0.04, 365)
RETRAIN_MIN_NEW = settings.declare(
    "predict.retrain_min_new_posts", int, 100, "Retrain after new posts",
    "The like model is retrained once a sync or import has added at least this many posts with like counts "
    "(and at least a tenth more than it was trained on).", 1, 1_000_000)

PARAMS = {"learning_rate": 0.05, "max_iter": 300, "max_leaf_nodes": 15, "min_samples_leaf": 40,
          "l2_regularization": 1.0, "early_stopping": False}


class ModelError(Exception):
    """A like model that cannot be trained or loaded; str() is a sentence to show."""


SMALL = 5000  # training rows: below this, fewer and larger boosting steps (more would learn the noise)


def one_thread():
    """Gradient boosting here runs on one OpenMP thread: on a busy machine several threads spend their time
    synchronising (measured 5-10x slower on 2 shared cores), and the app keeps a core for the interface."""
    return threadpool_limits(limits=1, user_api="openmp")


def _booster(loss: str, seed: int, X: pd.DataFrame, quantile: float | None = None
             ) -> HistGradientBoostingRegressor:
    rows = len(X)
    params = dict(PARAMS, min_samples_leaf=max(5, min(PARAMS["min_samples_leaf"], rows // 20)))
    if "log_age" in X.columns:  # a count read later is never lower
        params["monotonic_cst"] = {"log_age": 1}
    if rows < SMALL // 2:
        params.update(learning_rate=0.15, max_iter=60)
    elif rows < SMALL:
        params.update(learning_rate=0.1, max_iter=120)
    if quantile is not None:
        params["quantile"] = quantile
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
        return np.expm1(self.point)

    @property
    def likes_low(self) -> np.ndarray:
        return np.maximum(np.expm1(self.low), 0.0)

    @property
    def likes_high(self) -> np.ndarray:
        return np.expm1(self.high)


@dataclass
class LikeModel:
    features: list[str]
    point: HistGradientBoostingRegressor
    low: HistGradientBoostingRegressor
    high: HistGradientBoostingRegressor
    calibration: float  # added to each side of the quantile interval (conformal, out of fold)
    prior: F.Prior
    popularity: F.HashtagPopularity
    time_of_day: bool
    reference: dict[str, float]  # each feature's median over the training rows
    trained_at: int
    n_posts: int
    n_authors: int
    horizon_days: float = 7.0
    seed: int = 0
    evaluation: dict | None = None
    version: int = VERSION

    def predict_point(self, X: pd.DataFrame) -> np.ndarray:
        with one_thread():
            return self.point.predict(X.reindex(columns=self.features))

    def residuals(self, X: pd.DataFrame) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        data = X.reindex(columns=self.features)
        with one_thread():
            point = self.point.predict(data)
            low = self.low.predict(data) - self.calibration
            high = self.high.predict(data) + self.calibration
        # Quantile models are fit separately; keep the interval ordered and around the point.
        return point, np.minimum(low, point), np.maximum(high, point)

    def forecast(self, X: pd.DataFrame, base: np.ndarray) -> Forecast:
        point, low, high = self.residuals(X)
        wider = widening(X["h_count"].to_numpy())
        low = point - (point - low) * wider
        high = point + (high - point) * wider
        return Forecast(base, base + point, base + low, base + high)

    def summary(self) -> dict:
        return {"trained_at": self.trained_at, "posts": self.n_posts, "authors": self.n_authors,
                "features": list(self.features), "horizon_days": self.horizon_days,
                "hashtag_popularity": self.popularity.source, "time_of_day": self.time_of_day,
                "calibration": round(self.calibration, 4), "evaluation": self.evaluation}


def _calibration(X: pd.DataFrame, residual: np.ndarray, groups: np.ndarray, seed: int, cancel: CancelToken
                 ) -> float:
    """Conformal margin from out-of-fold quantile predictions (folds by author), for 80% coverage."""
    authors = np.unique(groups)
    if len(authors) < CALIBRATION_FOLDS:
        return 0.0
    fold_of = dict(zip(authors, np.random.default_rng(seed).permutation(len(authors)) % CALIBRATION_FOLDS,
                       strict=True))
    fold = np.array([fold_of[g] for g in groups])
    scores = np.empty(len(residual))
    with one_thread():
        for k in range(CALIBRATION_FOLDS):
            cancel.check()
            train, held = fold != k, fold == k
            low = _booster("quantile", seed, X[train], LOW).fit(X[train], residual[train])
            high = _booster("quantile", seed, X[train], HIGH).fit(X[train], residual[train])
            scores[held] = np.maximum(low.predict(X[held]) - residual[held],
                                      residual[held] - high.predict(X[held]))
    level = min(1.0, (HIGH - LOW) * (1 + 1 / len(scores)))
    return float(np.quantile(scores, level))


def fit(table: pd.DataFrame, popularity: F.HashtagPopularity,
        pixel_vectors: Sequence[np.ndarray | None] | None = None, *, train_mask: np.ndarray | None = None,
        history: pd.DataFrame | None = None, seed: int = 0, horizon_days: float = 7.0,
        trained_at: int | None = None, progress: Progress = no_progress,
        cancel: CancelToken | None = None) -> LikeModel:
    """Train on the rows of a post table in `train_mask` (default all) that have at least one earlier post.

    Features of every row come from earlier rows of the same author only (see features.history_features)."""
    cancel = cancel or CancelToken()
    history = F.history_features(table) if history is None else history
    mask = np.ones(len(table), bool) if train_mask is None else np.asarray(train_mask, bool)
    mask &= history["h_count"].to_numpy() >= 1
    if mask.sum() < MIN_TRAINING_POSTS:
        raise ModelError(f"Only {int(mask.sum())} posts with an earlier post by the same author have like "
                         f"counts; the like model needs at least {MIN_TRAINING_POSTS}. Sync or import more "
                         "posts first.")
    time_of_day = F.has_time_of_day(table["taken_at"])
    X = F.design(table, popularity, time_of_day, pixel_vectors, history=history)
    prior = F.Prior.fit(table[mask])
    base = prior.baseline(history, table["followers"])
    residual = (F.log_likes(table["likes"]) - base)[mask]
    X = X[mask]
    names = usable_features(X)
    X = X[names]
    steps = 3 + CALIBRATION_FOLDS
    progress(ProgressEvent("Training the like model", 0, steps))
    calibration = _calibration(X, residual, table["author"].to_numpy()[mask], seed, cancel)
    progress(ProgressEvent("Training the like model", CALIBRATION_FOLDS, steps))
    models = []
    for i, (loss, quantile) in enumerate((("absolute_error", None), ("quantile", LOW), ("quantile", HIGH))):
        cancel.check()
        with one_thread():
            models.append(_booster(loss, seed, X, quantile).fit(X, residual))
        progress(ProgressEvent("Training the like model", CALIBRATION_FOLDS + i + 1, steps))
    return LikeModel(
        features=names, point=models[0], low=models[1], high=models[2], calibration=calibration, prior=prior,
        popularity=popularity, time_of_day=time_of_day, reference=X.median().to_dict(),
        trained_at=int(table["taken_at"].max()) if trained_at is None else int(trained_at), n_posts=int(len(table)),
        n_authors=int(table["author"].nunique()), horizon_days=horizon_days, seed=seed)


# --- on disk -----------------------------------------------------------------------------------------------


def model_path(world_directory: Path) -> Path:
    return Path(world_directory) / "models" / "likes.joblib"


def save(model: LikeModel, path: Path) -> None:
    """Write atomically: a crash leaves the previous model in place."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + f".{os.getpid()}.tmp")
    joblib.dump(model, tmp, compress=3)
    os.replace(tmp, path)


def load(path: Path) -> LikeModel | None:
    """The saved model, or None when there is none or it was written by another version of Tessera."""
    if not path.exists():
        return None
    try:
        model = joblib.load(path)
    except Exception as exc:  # unpickling fails in many ways when versions differ; retrain then
        raise ModelError(f"The saved like model {path} cannot be read ({type(exc).__name__}); "
                         "it will be retrained.") from None
    if not isinstance(model, LikeModel) or getattr(model, "version", None) != VERSION:
        return None
    return model


def posts_with_likes(store) -> int:
    return int(store.posts_frame(columns=["like_count"])["like_count"].notna().sum())


def retrain_due(model: LikeModel | None, store, min_new_posts: int | None = None) -> bool:
    """Whether enough posts with like counts arrived since the model was trained (or there is no model)."""
    if model is None:
        return True
    minimum = RETRAIN_MIN_NEW.default if min_new_posts is None else min_new_posts
    new = posts_with_likes(store) - model.n_posts
    return new >= max(minimum, model.n_posts // 10)
