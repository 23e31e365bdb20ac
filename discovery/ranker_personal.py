"""The personal ranker: a regularised logistic model of what this person likes, learned from their own past.

Training replays the past week by week. For each week before the cutoff, the person's history is taken from
before that week began (`History`), and every post of the week is a row: a positive when the person liked,
saved or opened it before the cutoff, a negative otherwise (posts they hid, or by authors they asked to see
fewer of, included). No label at or after the cutoff is read. The Feed model learns from the posts of the
accounts followed; the Explore model from every post, without what the person's history says about each
author (strangers have none). With few likes the seed formula is the prior: the two are blended, the
seed formula's part fading as (PRIOR_LIKES / (n + PRIOR_LIKES))² with n positives.

A trained model is kept beside the world (`save_model`, `load_model`: plain arrays in a .npz file, keyed by the
store's data version it was trained at), so that opening the world again does not train again; scikit-learn
loads only to train.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from discovery import text
from discovery.clock import DAY
from discovery.ranker_features import FEATURES, SEED_FACTORS, WorldData, feature_frame
from storage import InteractionKind

log = logging.getLogger(__name__)

MODEL_FORMAT = 1  # of the saved model file: another one is retrained, not read
MIN_POSITIVES = 20  # fewer than this: nothing is learned, the seed formula ranks
PRIOR_LIKES = 30  # the seed formula's weight as a prior, in likes (see prior_share)
WEEK = 7 * DAY
LIKE_RATE_WEIGHTS = (0.0, 0.25, 0.5, 1.0, 2.0)
MAX_NEGATIVES = 60_000  # per list, drawn at random past this: the rest adds time, not accuracy
# Inverse strength of the L2 penalty. Explore's model learns mostly from other posts than the ones it ranks
# (the person rarely likes strangers' posts), so it is held closer to simple weights.
C = {"feed": 0.1, "explore": 0.03}
LOG_FEATURES = ("pagerank", "post_rate", "like_rate")  # spread over orders of magnitude
# What the person's history says about one author: Explore's authors have none, so its model leaves them out
# and learns from every post how closeness, hashtags and engagement go with the person's likes.
AUTHOR_HISTORY = ("affinity", "like_rate", "author_saves", "author_opens", "author_hides", "author_fewer")
# What tells strangers apart: whether the author moves in the person's circle and draws many likes for their
# audience. On accounts the person follows, their own history says more (and these cost the Feed model).
STRANGERS = ("follows_your_follows", "follows_you", "likes_per_follower")
INPUTS = {"feed": tuple(f for f in FEATURES if f not in STRANGERS),
          "explore": tuple(f for f in FEATURES if f not in AUTHOR_HISTORY)}

# How the summary names each feature.
PHRASES = {
    "comments": "comment counts", "likes": "public like counts", "pagerank": "closeness",
    "recency": "how new a post is", "affinity": "how often you liked the author",
    "like_rate": "the share of an author's posts you like", "relative_engagement": "posts doing better than "
    "their author's usual", "likes_per_follower": "posts that draw many likes for their author's audience",
    "followed_by": "how many accounts you follow follow the author",
    "follows_your_follows": "authors who follow the accounts you follow", "follows_you": "authors who follow you",
    "tag_match": "your hashtags", "author_tags": "authors who use your hashtags",
    "words": "the words of posts you like", "author_words": "authors who write about what you like",
    "tags_you": "posts you are tagged in", "post_rate": "how often the author posts", "audience": "big audiences",
    "video": "videos",
    "carousel": "carousels",
    "author_saves": "authors whose posts you saved", "author_opens": "authors whose posts you opened",
    "author_hides": "authors whose posts you hid", "author_fewer": "authors you asked to see fewer of",
}


def design(features: pd.DataFrame, kind: str = "feed") -> np.ndarray:
    """The model's inputs: the features, the wide-ranging ones on a log scale."""
    columns = []
    for name in INPUTS[kind]:
        value = features[name].to_numpy(np.float64)
        if name in LOG_FEATURES:
            value = np.log(value + (1e-7 if name == "pagerank" else 1e-3))
        columns.append(value)
    return np.column_stack(columns)


@dataclass
class Linear:
    """A fitted logistic model as plain arrays: each input standardized, then weighed and summed."""

    inputs: tuple[str, ...]
    mean: np.ndarray
    scale: np.ndarray
    coef: np.ndarray
    intercept: float

    def probability(self, features: pd.DataFrame, kind: str) -> np.ndarray:
        logit = ((design(features, kind) - self.mean) / self.scale) @ self.coef + self.intercept
        return 1.0 / (1.0 + np.exp(-np.clip(logit, -50, 50)))


@dataclass
class PersonalModel:
    models: dict  # "feed" / "explore" -> Linear, or None (then the other one ranks)
    positives: dict  # "feed" / "explore" -> positives trained on
    likes: int
    saves: int
    opens: int
    until: int
    seconds: float = 0.0
    rows: int = 0
    weights: dict = field(default_factory=dict)  # feature -> standardized coefficient (feed model first)
    like_rate_weight: float = 0.0  # Feed: weight of the author's like share beside the model (percentiles)
    actions: int = 0  # the person's actions in Tessera (hides, saves...) it was trained with

    @property
    def learned(self) -> bool:
        return any(m is not None for m in self.models.values())

    @property
    def prior_share(self) -> float:
        """How much the seed formula still weighs: a third at 20 liked posts, a tenth at about 60, under 1%
        past 300."""
        n = max(self.positives.values())
        return 1.0 if not self.learned else (PRIOR_LIKES / (n + PRIOR_LIKES)) ** 2

    def score(self, kind: str, features: pd.DataFrame) -> np.ndarray:
        """The learned score of each candidate of one list (Feed: the model's percentile and the author's
        like share's, as weighed in training; Explore: the model's probability)."""
        probability = self.probability(kind, features)
        if kind != "feed" or not self.like_rate_weight or len(features) == 0:
            return probability
        weight = self.like_rate_weight
        return (percentile(probability) + weight * percentile(features["like_rate"].to_numpy())) / (1 + weight)

    def probability(self, kind: str, features: pd.DataFrame) -> np.ndarray:
        if self.models.get(kind) is None:
            kind = "explore"  # learned from every post, without the author's history: fits any post
        model = self.models.get(kind)
        if model is None or len(features) == 0:
            return np.zeros(len(features))
        return model.probability(features, kind)

    def summary(self) -> str:
        """What it learned, in words, for the ranking panel."""
        if not self.learned:
            return (f"Learning from your likes starts at {MIN_POSITIVES}; so far "
                    f"{text.plural(self.likes, 'like')}. Until then the seed formula ranks: closeness, "
                    "recency, engagement and how often you liked each author.")
        what = [text.plural(self.likes, "like")]
        if self.saves:
            what.append(text.plural(self.saves, "save"))
        if self.opens:
            what.append(text.plural(self.opens, "opened post"))
        source = " and ".join([", ".join(what[:-1]), what[-1]] if len(what) > 1 else what)
        ranked = sorted(self.weights.items(), key=lambda kv: -abs(kv[1]))
        top = [name for name, w in ranked if w > 0][:2]
        weakest = min(SEED_FACTORS, key=lambda name: abs(self.weights.get(name, 0.0)))
        parts = []
        if top:
            parts.append(f"what matters most to you is {PHRASES[top[0]]}"
                         + (f", then {PHRASES[top[1]]}" if len(top) > 1 else ""))
        against = [name for name, w in ranked[:4] if w < 0]
        if against:
            parts.append(f"you lean away from {PHRASES[against[0]]}")
        if weakest not in top and weakest not in against:
            parts.append(f"{PHRASES[weakest]}: hardly at all")
        sentence = f"Learned from your {source}: " + "; ".join(parts) + "."
        if self.prior_share > 0.05:
            sentence += f" With so few, the seed formula still weighs {self.prior_share:.0%}."
        return sentence


def train(data: WorldData, until: int, tau_hours: float = 1e5 / 3600, seed: int = 0) -> PersonalModel:
    """Learn from the person's history before `until` (see the module's description)."""
    started = time.perf_counter()
    rows, labels, lists, weeks = _training_rows(data, until, tau_hours)
    events = data.events[data.events["at"] < until]
    counts = {kind: int((events["kind"] == kind).sum()) for kind in (InteractionKind.SAVED, InteractionKind.OPENED)}
    model = PersonalModel({"feed": None, "explore": None}, {"feed": 0, "explore": 0},
                          likes=int((data.likes["at"] < until).sum()), saves=counts[InteractionKind.SAVED],
                          opens=counts[InteractionKind.OPENED], until=until, actions=len(events))
    if rows is None:
        return model
    rng = np.random.default_rng(seed)
    for kind in ("feed", "explore"):
        mine = lists == "feed" if kind == "feed" else np.ones(len(lists), bool)
        positive = np.flatnonzero(mine & labels)
        negative = np.flatnonzero(mine & ~labels)
        model.positives[kind] = len(positive)
        if len(positive) < MIN_POSITIVES or len(negative) < MIN_POSITIVES:
            continue
        sampled = min(1.0, MAX_NEGATIVES / len(negative))
        if sampled < 1:
            negative = rng.choice(negative, MAX_NEGATIVES, replace=False)
        take = np.concatenate([positive, negative])
        model.models[kind] = _fit(rows.iloc[take], labels[take], kind, sampled)
        model.rows += len(take)
        if kind == "feed":
            model.like_rate_weight = _like_rate_weight(rows[mine], labels[mine], weeks[mine])
    kind = "feed" if model.models["feed"] is not None else "explore"
    if model.models[kind] is not None:
        model.weights = dict(zip(INPUTS[kind], model.models[kind].coef.tolist(), strict=True))
    model.seconds = time.perf_counter() - started
    return model


def _fit(rows: pd.DataFrame, labels: np.ndarray, kind: str, sampled: float = 1.0) -> Linear:
    """A regularised logistic model; `sampled`: the share of the negatives kept, which the intercept corrects
    for, so that the probability is the share of such posts the person likes."""
    from sklearn.linear_model import LogisticRegression
    from threadpoolctl import threadpool_limits

    inputs = design(rows, kind)
    mean, scale = inputs.mean(axis=0), inputs.std(axis=0)
    scale[scale == 0] = 1.0  # a constant input: as the standard scaler leaves it
    with threadpool_limits(1):  # a small problem: threads only wait on each other (and on the window)
        fitted = LogisticRegression(C=C[kind], max_iter=2000).fit((inputs - mean) / scale, labels)
    return Linear(INPUTS[kind], mean, scale, fitted.coef_[0].astype(np.float64),
                  float(fitted.intercept_[0]) + float(np.log(sampled)))


def _like_rate_weight(rows: pd.DataFrame, labels: np.ndarray, weeks: np.ndarray) -> float:
    """How much the Feed leans on the share of each author's posts the person liked, beside the model:
    the weight that best ranks the person's likes of the latest week, by a model that has not seen it."""
    from sklearn.metrics import average_precision_score

    latest = weeks == 0
    if labels[latest].sum() < 5 or labels[~latest].sum() < MIN_POSITIVES:
        return 0.0
    probability = _fit(rows[~latest], labels[~latest], "feed").probability(rows[latest], "feed")
    model, rate = percentile(probability), percentile(rows.loc[latest, "like_rate"].to_numpy())
    quality = {w: average_precision_score(labels[latest], model + w * rate) for w in LIKE_RATE_WEIGHTS}
    return max(LIKE_RATE_WEIGHTS, key=lambda w: (quality[w], -w))


# --- on disk -----------------------------------------------------------------------------------------------

NUMBERS = ("feed_positives", "explore_positives", "likes", "saves", "opens", "until", "seconds", "rows",
           "like_rate_weight", "actions")


def save_model(model: PersonalModel, path: Path, key: str) -> None:
    """Keep `model` in `path` with `key`, what it was trained on (the store's data version): plain arrays,
    written atomically (a crash leaves the previous file)."""
    values = {"feed_positives": model.positives["feed"], "explore_positives": model.positives["explore"],
              **{name: getattr(model, name) for name in NUMBERS[2:]}}
    arrays: dict[str, Any] = {"format": np.array(MODEL_FORMAT), "key": np.array(str(key)),
              "numbers": np.array([values[name] for name in NUMBERS], np.float64),
              "weight_names": np.array(list(model.weights), dtype=str),
              "weight_values": np.array(list(model.weights.values()), np.float64)}
    for kind, linear in model.models.items():
        if linear is not None:
            arrays[f"{kind}_inputs"] = np.array(linear.inputs, dtype=str)
            arrays[f"{kind}_params"] = np.vstack([linear.mean, linear.scale, linear.coef])
            arrays[f"{kind}_intercept"] = np.array(linear.intercept)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f"{path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
    with open(temporary, "wb") as file:
        np.savez(file, **arrays)
    os.replace(temporary, path)


def load_model(path: Path, key: str) -> PersonalModel | None:
    """The model kept in `path` if it was trained on `key` with this code's features; None otherwise (no
    file, another key or format, or a file that cannot be read: then it is trained again)."""
    path = Path(path)
    if not path.exists():
        return None
    try:
        with np.load(path, allow_pickle=False) as saved:
            if int(saved["format"]) != MODEL_FORMAT or str(saved["key"]) != str(key):
                return None
            models: dict[str, Linear | None] = {}
            for kind in ("feed", "explore"):
                models[kind] = None
                if f"{kind}_inputs" not in saved:
                    continue
                inputs = tuple(saved[f"{kind}_inputs"].tolist())
                if inputs != INPUTS[kind]:
                    return None  # trained on other features
                mean, scale, coef = saved[f"{kind}_params"]
                intercept = float(saved[f"{kind}_intercept"])
                if len(coef) != len(inputs) or not (np.isfinite(saved[f"{kind}_params"]).all()
                                                    and np.isfinite(intercept) and (scale > 0).all()):
                    raise ValueError("parameters that cannot rank")
                models[kind] = Linear(inputs, mean, scale, coef, intercept)
            values = dict(zip(NUMBERS, saved["numbers"].tolist(), strict=True))
            weights = dict(zip(saved["weight_names"].tolist(), saved["weight_values"].tolist(), strict=True))
    except Exception as exc:  # a damaged file fails in many ways (zip, format, shapes): train again then
        log.warning("The kept ranking model %s cannot be read (%s); it is trained again.", path,
                    type(exc).__name__)
        return None
    integer = {name: int(values[name]) for name in NUMBERS if name not in ("seconds", "like_rate_weight")}
    return PersonalModel(models, {"feed": integer["feed_positives"], "explore": integer["explore_positives"]},
                         likes=integer["likes"], saves=integer["saves"], opens=integer["opens"],
                         until=integer["until"], seconds=values["seconds"], rows=integer["rows"], weights=weights,
                         like_rate_weight=values["like_rate_weight"], actions=integer["actions"])


def percentile(values: np.ndarray) -> np.ndarray:
    """Each value's rank among `values`, from 0 (lowest) to 1 (highest); ties share their mean rank."""
    if len(values) < 2:
        return np.ones(len(values))
    return (pd.Series(values).rank(method="average").to_numpy() - 1) / (len(values) - 1)


def _training_rows(data: WorldData, until: int, tau_hours: float):
    """(features, label, "feed" | "explore", weeks before the cutoff) of every post in the weeks before
    `until`."""
    start = data.coverage_start()
    end = until - DAY  # the last day's likes are still coming in: leave it out
    posts = data.posts.reset_index()
    if data.me is not None:
        posts = posts[posts["author_id"] != data.me]
    positive = set(data.likes.loc[data.likes["at"] < until, "post_id"].tolist())
    events = data.events[data.events["at"] < until]
    taken = events["kind"].isin([InteractionKind.SAVED, InteractionKind.OPENED]) & events["post_id"].notna()
    positive |= set(events.loc[taken, "post_id"].astype(np.int64).tolist())
    frames, labels, lists, weeks = [], [], [], []
    week_end = end
    while week_end - WEEK >= start - WEEK / 2:
        week_start = week_end - WEEK
        week = posts[(posts["taken_at"] >= week_start) & (posts["taken_at"] < week_end)]
        if len(week):
            history = data.history(int(week_start))
            frames.append(feature_frame(week, data, history, int(week_end), tau_hours))
            labels.append(week["id"].isin(positive).to_numpy())
            followed = data.followed[week["author_id"].to_numpy(np.int64)]
            lists.append(np.where(followed, "feed", "explore"))
            weeks.append(np.full(len(week), len(frames) - 1))
        week_end = week_start
    if not frames:
        return None, None, None, None
    return (pd.concat(frames, ignore_index=True), np.concatenate(labels), np.concatenate(lists),
            np.concatenate(weeks))
