"""For the Predict tab: hashtags to suggest for a caption and its pictures, and the best time to post.

Suggestions mix two sources from the store: hashtags that appear together with the caption's hashtags
(co-occurrence: the share of posts carrying a caption tag that also carry the suggested one), and hashtags
of the stored posts whose pictures look most like the candidates (nearest neighbours on the pixel
features, standardised). Each suggestion says how many stored posts carry it and their median likes.

The best-time heatmap is weekday × hour of the likes a post draws relative to its author's usual
(median) likes, as additive weekday and hour effects on the log scale, estimated from the store's settled
posts (read at least two days after posting), the account's own posts shrunk towards everyone's.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from discovery.clock import timezone
from discovery.predict.features import DAY, log_likes
from discovery.predict.pixels import PixelCache, PixelFeatures
from discovery.predict.table import from_store, hashtags_in
from discovery.progress import CancelToken, Progress, ProgressEvent, no_progress

SUGGESTIONS = 10
NEIGHBOURS = 40
SETTLED_DAYS = 2.0
SHRINK_POSTS = 8.0  # an effect estimated from this many posts is trusted halfway


@dataclass(frozen=True)
class HashtagSuggestion:
    tag: str  # without '#'
    posts: int  # stored posts carrying it
    typical_likes: float  # their median like count (NaN when none has a count)
    score: float  # 0..2: co-occurrence share plus similar-picture share, each 0..1
    source: str  # "co-occurrence", "similar pictures", "both" or "popular"


class HashtagIndex:
    """The store's hashtags, their counts and median likes, and the pixel vectors of pictured posts.

    Build it once (off the GUI thread), then `suggest` is fast enough to call on every caption edit."""

    def __init__(self, post_tags: dict[str, tuple[str, ...]], likes: dict[str, float],
                 pixel_posts: list[str], pixel_matrix: np.ndarray):
        self.post_tags = post_tags
        self.by_tag: dict[str, list[str]] = defaultdict(list)
        for post, tags in post_tags.items():
            for tag in tags:
                self.by_tag[tag].append(post)
        self.counts = {tag: len(posts) for tag, posts in self.by_tag.items()}
        self.typical = {tag: _median([likes.get(p, np.nan) for p in posts])
                        for tag, posts in self.by_tag.items()}
        self.pixel_posts = pixel_posts
        self.pixel_matrix = pixel_matrix
        if len(pixel_matrix):
            self._mean = pixel_matrix.mean(axis=0)
            self._scale = np.where(pixel_matrix.std(axis=0) > 1e-9, pixel_matrix.std(axis=0), 1.0)

    @classmethod
    def build(cls, store, images=None, pixel_cache: PixelCache | None = None,
              progress: Progress = no_progress, cancel: CancelToken | None = None) -> HashtagIndex:
        """From the store's posts; pictures on disk not yet in `pixel_cache` are measured (and cached)."""
        table = from_store(store, images)
        post_tags = dict(zip(table["post"], table["hashtags"], strict=True))
        likes = dict(zip(table["post"], table["likes"], strict=True))
        cache = pixel_cache or PixelCache(None)
        pictured = table[table["image"].notna()]

        def report(done: int, total: int) -> None:
            progress(ProgressEvent("Measuring pictures", done, total))

        vectors = cache.vectors(list(pictured["image"]), report, cancel)
        cache.save()
        keep = [i for i, v in enumerate(vectors) if v is not None]
        matrix = np.array([vectors[i] for i in keep]) if keep else np.zeros((0, 0))
        return cls(post_tags, likes, [pictured["post"].iloc[i] for i in keep], matrix)

    def _cooccurring(self, tags: Sequence[str]) -> dict[str, float]:
        scores: dict[str, float] = defaultdict(float)
        known = [t for t in tags if t in self.by_tag]
        for tag in known:
            carriers = self.by_tag[tag]
            together = Counter(other for post in carriers for other in self.post_tags[post] if other != tag)
            for other, count in together.items():
                scores[other] += count / len(carriers) / len(known)
        return scores

    def _similar(self, vectors: Sequence[np.ndarray | Sequence[float]]) -> dict[str, float]:
        if not len(self.pixel_matrix) or not vectors:
            return {}
        scores: dict[str, float] = defaultdict(float)
        standard = (self.pixel_matrix - self._mean) / self._scale
        for vector in vectors:
            point = (np.asarray(vector) - self._mean) / self._scale
            distance = np.sqrt(((point - standard) ** 2).sum(axis=1))
            nearest = np.argsort(distance, kind="stable")[:NEIGHBOURS]
            weights = 1.0 / (1.0 + distance[nearest])
            for index, weight in zip(nearest, weights / weights.sum(), strict=True):
                for tag in self.post_tags.get(self.pixel_posts[index], ()):
                    scores[tag] += weight / len(vectors)
        return scores

    def suggest(self, caption: str, pictures: Sequence[PixelFeatures] = (), n: int = SUGGESTIONS
                ) -> list[HashtagSuggestion]:
        """`n` hashtags not already in the caption, best first."""
        used = set(hashtags_in(caption))
        together = self._cooccurring(sorted(used))
        similar = self._similar([PixelCache.similarity_vector(p) for p in pictures])
        candidates = (set(together) | set(similar)) - used
        scored = []
        for tag in candidates:
            a, b = together.get(tag, 0.0), similar.get(tag, 0.0)
            source = "both" if a and b else "co-occurrence" if a else "similar pictures"
            scored.append((a + b, self.counts.get(tag, 0), tag, source))
        scored.sort(key=lambda item: (-item[0], -item[1], item[2]))
        if len(scored) < n:  # fill with the store's commonest tags
            taken = {item[2] for item in scored} | used
            popular = sorted(((c, t) for t, c in self.counts.items() if t not in taken),
                             key=lambda item: (-item[0], item[1]))
            scored += [(0.0, count, tag, "popular") for count, tag in popular[: n - len(scored)]]
        return [HashtagSuggestion(tag, self.counts.get(tag, 0), self.typical.get(tag, np.nan),
                                  round(float(score), 4), source)
                for score, _count, tag, source in scored[:n]]


def _median(values: list[float]) -> float:
    values = [v for v in values if not np.isnan(v)]
    return float(np.median(values)) if values else float("nan")


# --- the best time to post ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class BestTimes:
    lift: np.ndarray  # (7, 24): expected likes relative to the account's usual; rows Monday..Sunday
    own_posts: np.ndarray  # (7, 24) int: the account's own settled posts in each slot
    all_posts: int  # settled posts of everyone that informed the shape
    timezone: str
    best: tuple[tuple[int, int, float], ...]  # the top slots as (weekday, hour, lift)
    weekday_lift: np.ndarray  # (7,) the weekday's factor in `lift` (Insights' weekday chart shows it)
    hour_lift: np.ndarray  # (24,) the hour's factor in `lift`


def _effects(slot: np.ndarray, residual: np.ndarray, size: int, prior: np.ndarray, smooth: bool
             ) -> np.ndarray:
    """Per slot, the mean residual shrunk towards `prior` (a slot with few posts stays near it)."""
    total = np.bincount(slot, residual, minlength=size)
    count = np.bincount(slot, minlength=size).astype(float)
    if smooth:  # neighbouring hours share their posts: 1/4, 1/2, 1/4 around the clock
        total = 0.5 * total + 0.25 * (np.roll(total, 1) + np.roll(total, -1))
        count = 0.5 * count + 0.25 * (np.roll(count, 1) + np.roll(count, -1))
    return (total + SHRINK_POSTS * prior) / (count + SHRINK_POSTS)


def best_time_heatmap(store, account_pk: str | None = None, tz: str | dt.tzinfo | None = None,
                      top: int = 3) -> BestTimes:
    """When posts of `account_pk` (default: everyone) draw the most likes, by weekday and hour in `tz`
    (a zone name such as "Europe/Paris"; default the computer's)."""
    zone = timezone(tz)
    posts = store.posts_frame(columns=["author_id", "taken_at", "like_count", "fetched_at"])
    posts = posts[posts["like_count"].notna()]
    age = (pd.to_numeric(posts["fetched_at"], errors="coerce") - posts["taken_at"]) / DAY
    posts = posts[age.isna() | (age >= SETTLED_DAYS)]
    likes = log_likes(posts["like_count"])
    usual = pd.Series(likes, index=posts.index).groupby(posts["author_id"]).transform("median").to_numpy()
    residual = likes - usual
    local = pd.to_datetime(posts["taken_at"].to_numpy(dtype=np.int64), unit="s", utc=True).tz_convert(zone)
    weekday, hour = np.asarray(local.day_of_week, int), np.asarray(local.hour, int)
    everyone_day = _effects(weekday, residual, 7, np.zeros(7), smooth=False)
    everyone_hour = _effects(hour, residual, 24, np.zeros(24), smooth=True)
    own = np.zeros(len(posts), bool)
    if account_pk is not None:
        account_id = store.account_id(account_pk)
        own = posts["author_id"].to_numpy() == account_id
    if own.any():
        day = _effects(weekday[own], residual[own], 7, everyone_day, smooth=False)
        hours = _effects(hour[own], residual[own], 24, everyone_hour, smooth=True)
    else:
        day, hours = everyone_day, everyone_hour
    lift = np.exp(day[:, None] + hours[None, :])
    own_posts = np.zeros((7, 24), int)
    np.add.at(own_posts, (weekday[own], hour[own]), 1)
    flat = np.argsort(-lift, axis=None, kind="stable")[:top]
    best = tuple((int(i // 24), int(i % 24), float(lift.flat[i])) for i in flat)
    return BestTimes(lift, own_posts, int(len(posts)), str(zone), best, np.exp(day), np.exp(hours))
