"""What the Predict tab asks: for 1–8 candidate pictures with one caption, posting time and account, the
likes each would have after the horizon, an 80% interval, and why (feature contributions); plus training
the model of a world in the background and knowing when to retrain it.

Contributions are *ablations against the account's usual post*: for each feature that describes the
candidate (caption, hashtags, timing, pixels), the model's prediction is recomputed with that one feature
set to the account's typical value (the median over its recent posts; the training median when it has
none), and the contribution is the ratio of the two predictions. They are exact for one feature at a time
and do not add up to the total when features interact.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from discovery import settings
from discovery.predict import MAX_CANDIDATES
from discovery.predict.evaluate import evaluate_table, pick_summary, test_mask
from discovery.predict.features import (
    CANDIDATE_FEATURES,
    DAY,
    HISTORY_FEATURES,
    LABELS,
    AgeCurve,
    HashtagPopularity,
    Prior,
    design,
    history_row,
    log_age_days,
    log_likes,
    settled_log_likes,
    tag_history,
)
from discovery.predict.model import (
    HORIZON,
    LITTLE_HISTORY,
    LikeModel,
    ModelError,
    fit,
    load,
    model_path,
    retrain_due,
    save,
    widening,
)
from discovery.predict.pixels import ImageError, ImageSource, PixelCache, PixelFeatures, measure_many
from discovery.predict.table import from_store, hashtags_in, like_series, mentions_in
from discovery.progress import CancelToken, Progress, ProgressEvent, no_progress
from discovery.world import WorldKind
from storage import ImageCache, Store

MAX_PICTURES = settings.lookup("predict.max_pictures")
REFERENCE_POSTS = 30  # the account's usual post: the median over this many recent posts
ATTRIBUTION = ("ablation against the account's usual post: each candidate feature is set to the account's "
               "typical value in turn, and the contribution is the change in predicted likes")


class PredictError(Exception):
    """A prediction that cannot be made; str() is a sentence to show."""


@dataclass(frozen=True)
class Contribution:
    feature: str  # a features.FEATURES name
    label: str  # for people: "Brightness"
    value: float  # the candidate's value
    reference: float  # the account's usual value
    effect: float  # predicted likes with the candidate's value over those with the usual one (1.08 = +8%)

    @property
    def percent(self) -> float:
        return (self.effect - 1.0) * 100.0


@dataclass(frozen=True)
class CandidatePrediction:
    index: int  # position in the request
    name: str
    likes: float  # predicted at the horizon (NaN when the picture could not be read or there is no model)
    low: float  # 80% interval
    high: float
    rank: int  # 1 = the best candidate; 0 when the picture could not be read or there is no model
    contributions: tuple[Contribution, ...] = ()  # strongest first
    pixels: PixelFeatures | None = None
    error: str | None = None  # why the picture could not be used


@dataclass(frozen=True)
class PredictionReport:
    account: str
    when: int  # the planned posting time (UTC epoch seconds)
    horizon_days: float
    baseline_likes: float  # the account's usual likes (trailing median; a guess from followers without posts)
    history_posts: int  # earlier posts with like counts
    candidates: tuple[CandidatePrediction, ...]  # in request order
    warnings: tuple[str, ...] = ()
    hashtags: tuple[str, ...] = ()  # the caption's hashtags
    model_trained_at: int | None = None  # None: no model yet, so no candidate has a prediction
    attribution: str = ATTRIBUTION
    usual: tuple[float, float, float] | None = None  # the account's usual likes and the 10th-90th
    # percentile of its earlier posts (widened when they are few); None without earlier posts
    settled_share: float = 1.0  # the share of its settled likes a post holds at the horizon (age curve)

    @property
    def has_model(self) -> bool:
        return self.model_trained_at is not None

    def ranked(self) -> list[CandidatePrediction]:
        """Readable candidates best first, then the unreadable ones."""
        return sorted(self.candidates, key=lambda c: (c.rank == 0, c.rank, c.index))


@dataclass
class Predictor:
    """Predictions for one world's store. Cheap to keep: it holds the model and caches, not the data."""

    store: Store
    model: LikeModel | None
    now: Callable[[], int]  # the world's clock
    images: ImageCache | None = None  # pictures of stored posts
    pixel_cache: PixelCache = field(default_factory=lambda: PixelCache(None))
    model_note: str | None = None  # why a saved model was set aside (it is retrained)

    @classmethod
    def for_world(cls, world, model: LikeModel | None = None) -> Predictor:
        """With the world's saved model (None when not trained yet, or when the saved one cannot be used:
        predictions then use the baseline, and model_note says why)."""
        note = None
        if model is None:
            try:
                model = load(model_file(world))
            except ModelError as exc:
                note = str(exc)
        return cls(world.store, model, world.now, world.images, PixelCache(pixel_cache_file(world)), note)

    def account_posts(self, account_pk: str, before: int | None = None) -> pd.DataFrame:
        account_id = self.store.account_id(account_pk)
        if account_id is None:
            raise PredictError(f"There is no account {account_pk} in this world.")
        posts = from_store(self.store, self.images, author_ids=[account_id])
        return posts if before is None else posts[posts["taken_at"] < before].reset_index(drop=True)

    def predict(self, account_pk: str, images: Sequence[ImageSource], caption: str = "",
                when: int | None = None, horizon_days: float | None = None,
                names: Sequence[str] | None = None, top: int = 6) -> PredictionReport:
        """Predict likes for each candidate picture posted by `account_pk` at `when` (default: the world's
        now) with `caption`, as counted `horizon_days` after posting (default: the model's horizon).

        `images` are file paths or encoded bytes (1 to MAX_CANDIDATES); a picture that cannot be read gets
        its error sentence and no prediction, the others are still predicted. `top` contributions are kept
        per candidate (0 skips computing them)."""
        if not 1 <= len(images) <= MAX_CANDIDATES:
            raise PredictError(f"Choose between 1 and {MAX_CANDIDATES} pictures (got {len(images)}).")
        when = self.now() if when is None else int(when)
        model = self.model
        horizon = float(horizon_days or (model.horizon_days if model else HORIZON.default))
        past = self.account_posts(account_pk, before=when)
        account = self._account_row(account_pk)
        names = list(names) if names else [_name(source, i) for i, source in enumerate(images)]
        measured = measure_many(images, names)
        n = len(images)
        tags = hashtags_in(caption)
        rows = _candidate_rows(account_pk, account, past, caption, tags, when, horizon, n)
        history = self._history(past, when, tags, n, model.curve if model is not None else None)
        vectors = [None if isinstance(m, ImageError) else PixelCache.similarity_vector(m)
                   for m in measured]
        warnings = []
        if len(past) < LITTLE_HISTORY:
            warnings.append(f"Little history: this account has {len(past)} earlier post"
                            f"{'' if len(past) == 1 else 's'} with like counts, so the interval is wider.")
        base = _prior(model, past).baseline(history, rows["followers"])
        usual = None
        if len(past):
            usual_low, usual_high = _empirical_interval(past, base[0])
            usual = (float(np.expm1(base[0])), float(max(np.expm1(usual_low), 0.0)), float(np.expm1(usual_high)))
        if model is None and self.model_note:
            warnings.append(self.model_note)
        if model is None:
            warnings.append(_no_model_warning(usual, len(past)))
            point = low = high = np.full(n, np.nan)
            contributions: list[tuple[Contribution, ...]] = [()] * n
        else:
            X = design(rows, model.popularity, model.time_of_day, vectors, horizon_days=horizon,
                         history=history)
            forecast = model.forecast(X, base, horizon)
            point, low, high = forecast.point, forecast.low, forecast.high
            if top > 0:
                contributions = _contributions(model, X, self._reference(past, model), top)
            else:
                contributions = [()] * n
            if not any(c.startswith("px_") for c in model.features):
                warnings.append("The model has not learned from pictures (no post images were available when "
                                "it was trained), so the pictures do not change the prediction.")
        candidates = _candidates(measured, names, point, low, high, contributions, model is not None)
        share = float(np.exp(model.curve.log_share(horizon))) if model is not None else 1.0
        return PredictionReport(account_pk, when, horizon, float(np.expm1(base[0])), len(past),
                                tuple(candidates), tuple(warnings), tags, model.trained_at if model else None,
                                usual=usual, settled_share=share)

    # --- pieces ------------------------------------------------------------------------------------------

    def _account_row(self, account_pk: str) -> dict:
        account_id = self.store.account_id(account_pk)  # known: account_posts ran first
        frame = self.store.accounts_frame([] if account_id is None else [account_id])
        row = frame.iloc[0]
        return {key: float(row[column]) if pd.notna(row[column]) else np.nan
                for key, column in (("followers", "follower_count"), ("following", "following_count"),
                                    ("media_count", "media_count"))}

    @staticmethod
    def _history(past: pd.DataFrame, when: int, tags: tuple[str, ...], n: int,
                 curve: AgeCurve | None = None) -> pd.DataFrame:
        likes = settled_log_likes(past, curve)
        ages = log_age_days(past["observed_at"], past["taken_at"])
        row = history_row(likes, ages, past["taken_at"].to_numpy(dtype=float), when)
        lift, reuse = tag_history(list(past["hashtags"]), likes, tags)
        values = np.tile(np.r_[row, lift, reuse], (n, 1))
        return pd.DataFrame(values, columns=[*HISTORY_FEATURES, "tag_lift", "tag_reuse"])

    def _reference(self, past: pd.DataFrame, model: LikeModel) -> dict[str, float]:
        """The account's usual value of each candidate feature: the median over its recent posts."""
        reference = {name: model.reference.get(name, np.nan) for name in model.features}
        recent = past.tail(REFERENCE_POSTS).reset_index(drop=True)
        if recent.empty:
            return reference
        vectors = [self.pixel_cache.vector(file) for file in recent["image"]]
        self.pixel_cache.save()
        X = design(recent, model.popularity, model.time_of_day, vectors, horizon_days=model.horizon_days)
        for name in model.features:
            if name in CANDIDATE_FEATURES and name in X and X[name].notna().any():
                values = X[name].dropna()
                # The usual hour and weekday are the commonest ones (a median of clock times means little).
                usual = values.mode().iloc[0] if name in ("hour", "weekday") else values.median()
                reference[name] = float(usual)
        return reference


def _candidate_rows(account_pk: str, account: dict, past: pd.DataFrame, caption: str, tags: tuple[str, ...],
                    when: int, horizon: float, n: int) -> pd.DataFrame:
    """The candidates as rows of a post table: posted at `when`, counted `horizon` days later."""
    return pd.DataFrame({
        "author": account_pk, "post": [f"candidate-{i}" for i in range(n)], "taken_at": when,
        "order": len(past), "likes": np.nan, "observed_at": float(when + horizon * DAY),
        "followers": account["followers"], "following": account["following"],
        "media_count": account["media_count"], "caption": caption, "hashtags": [tags] * n,
        "mentions": len(mentions_in(caption)), "has_location": False, "media_type": 1, "is_reel": False,
        "carousel_count": 1.0, "image": None})


def _prior(model: LikeModel | None, past: pd.DataFrame) -> Prior:
    if model is not None:
        return model.prior
    if len(past):
        return Prior.fit(past)
    return Prior(0.0, math.log1p(10))  # nothing known: about ten likes


def _no_model_warning(usual: tuple[float, float, float] | None, posts: int) -> str:
    return ("No like model yet: it has not been trained on this world, so no picture has a prediction of its "
            "own. " + (f"This account's posts usually get about {usual[0]:,.0f} likes (80% between "
                       f"{usual[1]:,.0f} and {usual[2]:,.0f}, from {posts} earlier posts)."
                       if usual else "This account has no earlier posts with like counts either."))


def _candidates(measured: Sequence, names: list[str], point: np.ndarray, low: np.ndarray, high: np.ndarray,
                contributions: Sequence[tuple[Contribution, ...]], ranked: bool
                ) -> list[CandidatePrediction]:
    """One CandidatePrediction per picture, ranked by predicted likes (when `ranked`: there is a model)."""
    readable = [i for i, m in enumerate(measured) if not isinstance(m, ImageError) and ranked]
    order = sorted(readable, key=lambda i: (-point[i], i))
    rank = {i: r + 1 for r, i in enumerate(order)}
    candidates = []
    for i, pictured in enumerate(measured):
        if isinstance(pictured, ImageError):
            candidates.append(CandidatePrediction(i, names[i], math.nan, math.nan, math.nan, 0,
                                                  error=str(pictured)))
            continue
        candidates.append(CandidatePrediction(
            i, names[i], float(np.expm1(point[i])), float(max(np.expm1(low[i]), 0.0)),
            float(np.expm1(high[i])), rank.get(i, 0), contributions[i], pictured))
    return candidates


def _name(source: ImageSource, index: int) -> str:
    return Path(source).name if isinstance(source, str | Path) else f"Picture {index + 1}"


def _empirical_interval(past: pd.DataFrame, base: float) -> tuple[float, float]:
    """The 10th-90th percentile of an account's earlier posts (log scale), wider when they are few."""
    likes = log_likes(past["likes"])
    if len(likes) >= 3:
        low, high = np.percentile(likes, [10, 90])
    else:
        low, high = base - 0.7, base + 0.7
    wider = float(widening([len(likes)])[0])
    return base - (base - low) * wider, base + (high - base) * wider


def _contributions(model: LikeModel, X: pd.DataFrame, reference: dict[str, float], top: int
                   ) -> list[tuple[Contribution, ...]]:
    data = X.reindex(columns=model.features)
    names = [f for f in model.features if f in CANDIDATE_FEATURES]
    variants, keys = [], []
    for i in range(len(data)):
        for name in names:
            value, usual = data.iloc[i][name], reference.get(name, np.nan)
            if pd.isna(value) or pd.isna(usual) or value == usual:
                continue
            row = data.iloc[i].copy()
            row[name] = usual
            variants.append(row)
            keys.append((i, name, float(value), float(usual)))
    out: list[list[Contribution]] = [[] for _ in range(len(data))]
    if variants:
        full = model.predict_point(data)
        ablated = model.predict_point(pd.DataFrame(variants, columns=model.features))
        for (i, name, value, usual), other in zip(keys, ablated, strict=True):
            effect = float(math.exp(full[i] - other))
            out[i].append(Contribution(name, LABELS.get(name, name), value, usual, effect))
    return [tuple(sorted(c, key=lambda c: -abs(math.log(c.effect)))[:top]) for c in out]


# --- training a world's model ------------------------------------------------------------------------------


def model_file(world) -> Path:
    return model_path(world.directory)


def pixel_cache_file(world) -> Path:
    return Path(world.directory) / "models" / "pixels.json"


def picture_file(world, post_pk: str) -> str | None:
    """A stored post's picture on disk, from the world's picture source (the demo world draws it now)."""
    path = world.pictures.post(post_pk)
    return None if path is None else str(path)


def world_table(world, progress: Progress = no_progress, cancel: CancelToken | None = None,
                max_pictures: int | None = None, seed: int = 0
                ) -> tuple[pd.DataFrame, list[np.ndarray | None]]:
    """The world's post table and each post's pixel vector (None when it has no picture on disk).

    Measured pictures are cached. Pictures not yet on disk (the demo world draws them on demand) are added
    for `max_pictures` posts drawn at random (with `seed`) among the posts the model learns from, never
    the newest ones the evaluation holds out: what the model learns about pictures comes from a sample
    chosen on purpose, not from whatever was browsed."""
    cancel = cancel or CancelToken()
    table = from_store(world.store, world.images)
    budget = MAX_PICTURES.default if max_pictures is None else max_pictures
    candidates = np.flatnonzero(table["image"].isna().to_numpy() & ~test_mask(table))
    chosen = np.random.default_rng(seed).permutation(candidates)[:budget] if budget > 0 else candidates[:0]
    if len(chosen):
        from concurrent.futures import ThreadPoolExecutor

        posts = table["post"].to_numpy()
        # Drawing and encoding spend most of their time in Pillow, which lets other threads run meanwhile.
        with ThreadPoolExecutor(max_workers=2) as pool:
            files = pool.map(lambda i: picture_file(world, posts[i]), chosen)
            for done, (i, file) in enumerate(zip(chosen, files, strict=True)):
                if done % 16 == 0:
                    cancel.check()
                    progress(ProgressEvent("Drawing pictures", done, len(chosen)))
                table.at[i, "image"] = file
        progress(ProgressEvent("Drawing pictures", len(chosen), len(chosen)))
    cache = PixelCache(pixel_cache_file(world))

    def report(done: int, total: int) -> None:
        progress(ProgressEvent("Measuring pictures", done, total))

    try:
        vectors = cache.vectors(list(table["image"]), report, cancel)
    finally:
        cache.save()
    report(len(table), len(table))
    return table, vectors


def train_world(world, progress: Progress = no_progress, cancel: CancelToken | None = None, seed: int = 0,
                horizon_days: float | None = None, max_pictures: int | None = None) -> LikeModel:
    """Train on the world's store by the honest protocol (each author's newest posts held out), evaluate on
    those held-out posts, save the model with its evaluation and return it. Too few posts for a held-out
    test: trained on all of them, without an evaluation."""
    cancel = cancel or CancelToken()
    table, vectors = world_table(world, progress, cancel, max_pictures, seed)
    series = like_series(world.store, table)
    try:
        evaluation, model, _ = evaluate_table(table, None, vectors, seed=seed, progress=progress,
                                                cancel=cancel, series=series)
    except ModelError:
        evaluation = None
        popularity = HashtagPopularity.from_posts(table["hashtags"])
        model = fit(table, popularity, vectors, series=series, seed=seed, progress=progress, cancel=cancel)
    model.horizon_days = horizon_days or HORIZON.default
    model.trained_at = int(world.now())
    model.n_posts = int(len(table))
    model.evaluation = evaluation
    cancel.check()
    save(model, model_file(world))
    return model


def demo_pick_trials(world, model: LikeModel, trials: int = 200, seed: int = 0,
                     progress: Progress = no_progress, candidates: int = 4) -> dict[str, np.ndarray]:
    """On the demo world, where the hidden model's expected likes are known: in each trial a random account
    has `candidates` fresh pictures and posts the model's pick instead of a random one. Returns per trial
    the pick's and the best candidate's expected likes over the candidates' mean, and whether the pick
    was the best; empty arrays for a world that is not a demo world."""
    empty = {"picked": np.zeros(0), "best": np.zeros(0), "hits": np.zeros(0, bool)}
    if world.kind is not WorldKind.DEMO or trials <= 0:
        return empty
    from discovery.demo import candidate_images

    table = from_store(world.store, world.images)
    counts = table.groupby("author").size()
    accounts = sorted(counts.index[counts >= 3])
    if not accounts:
        return empty
    predictor = Predictor(world.store, model, world.now, world.images, PixelCache(None))
    rng = np.random.default_rng(seed)
    when = world.now()
    picked, best, hits = [], [], []
    for trial in range(trials):
        if trial % 10 == 0:
            progress(ProgressEvent("Choosing among demo pictures", trial, trials))
        account = accounts[int(rng.integers(len(accounts)))]
        drawn = candidate_images(world, account, candidates, seed=seed * 100_003 + trial, taken_at=when)
        report = predictor.predict(account, [c.jpeg for c in drawn], "", when, top=0)
        expected = np.array([c.expected_likes for c in drawn])
        choice = int(np.nanargmax([c.likes for c in report.candidates]))
        picked.append(expected[choice] / expected.mean())
        best.append(expected.max() / expected.mean())
        hits.append(bool(expected[choice] == expected.max()))
    progress(ProgressEvent("Choosing among demo pictures", trials, trials))
    return {"picked": np.array(picked), "best": np.array(best), "hits": np.array(hits)}


def demo_pick_gain(world, model: LikeModel, trials: int = 200, seed: int = 0,
                   progress: Progress = no_progress, candidates: int = 4) -> dict:
    """evaluate.pick_summary of demo_pick_trials on this world ({} for a world that is not a demo world)."""
    found = demo_pick_trials(world, model, trials, seed, progress, candidates)
    if not len(found["picked"]):
        return {}
    return pick_summary(found["picked"], found["best"], found["hits"], None, candidates)


def ensure_model(world, progress: Progress = no_progress, cancel: CancelToken | None = None,
                 min_new_posts: int | None = None, max_pictures: int | None = None) -> LikeModel | None:
    """The world's model, retrained first when it is missing or enough new posts arrived; None when the
    world has too few posts to train one."""
    try:
        model = load(model_file(world))
    except ModelError as exc:
        model = None
        progress(ProgressEvent(str(exc), 0, None))
    if not retrain_due(model, world.store, min_new_posts):
        return model
    try:
        return train_world(world, progress, cancel, max_pictures=max_pictures)
    except ModelError:
        return model
