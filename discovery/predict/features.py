"""Features of a post for like prediction, from the author's earlier posts only, the caption, the timing,
the age at which the like count was read, and the pixels.

Every feature of a post is computed from that post and from posts of the same author that come *before* it
in time (the `order` column of a post table); nothing later can reach it. Likes are compared on the log
scale, log(1 + likes), and relative to the author's trailing median (the baseline).
"""

from __future__ import annotations

import math
import re
import warnings
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from discovery.clock import DAY
from discovery.predict import pixels

PRIOR_WEIGHT = 0.3  # how firmly the age curve is held at its prior (see AgeCurve.fit)
CURVE_DAYS = 10.0  # the age curve is fitted on counts read within this many days (later ones drift otherwise)
MIN_SERIES_READS = 30  # reads of posts read at several ages needed to learn the age curve from them
MIN_AGE_DAYS = 1 / 24  # a count read within the first hour is treated as read at one hour
TREND_POSTS = 5
RECENT_POSTS = 3

HISTORY_FEATURES = ("h_count", "h_median", "h_mean", "h_std", "h_spread", "h_last", "h_last_age",
                    "h_recent", "h_trend", "h_age", "h_gap", "h_rate")
ACCOUNT_FEATURES = ("log_followers", "log_following", "log_media_count", "likes_per_follower")
POST_FEATURES = ("log_age", "caption_length", "n_hashtags", "tag_pop_mean", "tag_pop_max", "tag_lift",
                 "tag_reuse", "n_mentions", "n_emoji", "question", "call_to_action", "sponsored",
                 "has_location", "is_video", "is_reel", "is_carousel", "carousel_count", "weekday", "hour")
PIXEL_COLUMNS = tuple(f"px_{name}" for name in pixels.PIXEL_FEATURES)
FEATURES = HISTORY_FEATURES + ACCOUNT_FEATURES + POST_FEATURES + PIXEL_COLUMNS
# Features that describe the candidate post itself (the rest describe the account and its past).
CANDIDATE_FEATURES = POST_FEATURES[1:] + PIXEL_COLUMNS

LABELS = {
    "h_count": "Posts so far", "h_median": "Usual likes", "h_mean": "Mean likes", "h_std": "Spread of likes",
    "h_spread": "Range of likes", "h_last": "Last post vs usual", "h_last_age": "Age of last post's count",
    "h_recent": "Recent posts vs usual", "h_trend": "Trend of recent posts", "h_age": "Age of past counts",
    "h_gap": "Days since last post", "h_rate": "Posts per day", "log_followers": "Followers",
    "log_following": "Following", "log_media_count": "Posts on profile",
    "likes_per_follower": "Likes per follower",
    "log_age": "Age at the count", "caption_length": "Caption length", "n_hashtags": "Hashtags",
    "tag_pop_mean": "Hashtag popularity", "tag_pop_max": "Most popular hashtag",
    "tag_lift": "Your past posts with these hashtags", "tag_reuse": "Hashtags used before",
    "n_mentions": "Mentions", "n_emoji": "Emoji", "question": "A question", "call_to_action": "A call to action",
    "sponsored": "Marked as an ad", "has_location": "Location", "is_video": "Video", "is_reel": "Reel",
    "is_carousel": "Carousel", "carousel_count": "Carousel size",
    "weekday": "Weekday", "hour": "Hour",
} | {f"px_{name}": label for name, label in pixels.PIXEL_LABELS.items()}


# Captions that ask for something, and posts marked as paid (in the languages seen most in the data).
CALL_TO_ACTION = re.compile(r"link in (?:my )?(?:bio|profile)|tag (?:a|your) (?:friend|bestie)|comment below|"
                            r"double tap|swipe (?:up|left)|let me know|giveaway|shop now|\bdm\b", re.IGNORECASE)
SPONSORED = re.compile(r"#(?:ad|ads|sponsored|spon|advert|advertising|anzeige|werbung|publicidad|pub|partner)\b|"
                       r"paid partnership", re.IGNORECASE)
EMOJI = re.compile("[\U0001F300-\U0001FAFF\u2600-\u27BF\u2B50\u2764]")


def caption_features(captions: pd.Series) -> pd.DataFrame:
    """Counts and flags of a caption's text: emoji, a question, a call to action, marked as an ad."""
    text = captions.fillna("").astype(str)
    return pd.DataFrame({
        "n_emoji": text.str.count(EMOJI.pattern).to_numpy(dtype=float),
        "question": text.str.contains("?", regex=False).to_numpy(dtype=float),
        "call_to_action": text.str.contains(CALL_TO_ACTION).to_numpy(dtype=float),
        "sponsored": text.str.contains(SPONSORED).to_numpy(dtype=float),
    }, index=captions.index)


def log_likes(likes) -> np.ndarray:
    return np.log1p(np.maximum(np.asarray(likes, dtype=float), 0.0))


def log_age_days(observed_at, taken_at) -> np.ndarray:
    """log(days between posting and reading the count), at least one hour; NaN when unknown."""
    days = (np.asarray(observed_at, dtype=float) - np.asarray(taken_at, dtype=float)) / DAY
    return np.log(np.maximum(days, MIN_AGE_DAYS))


def has_time_of_day(taken_at: Iterable[int]) -> bool:
    """Whether timestamps carry a time of day: day-precision data repeats one or two clock times."""
    seconds = {int(t) % int(DAY) for t in taken_at}
    return len(seconds) > 3


# --- the author's history ------------------------------------------------------------------------------


def history_row(past_log_likes: np.ndarray, past_log_ages: np.ndarray, past_times: np.ndarray,
                now: float) -> np.ndarray:
    """HISTORY_FEATURES of a post taken at `now`, from the author's earlier posts (oldest first)."""
    n = len(past_log_likes)
    out = np.full(len(HISTORY_FEATURES), np.nan)
    out[0] = n
    if n == 0:
        return out
    median = float(np.median(past_log_likes))
    q10, q90 = np.percentile(past_log_likes, [10, 90]) if n >= 3 else (np.nan, np.nan)
    out[1] = median
    out[2] = past_log_likes.mean()
    out[3] = past_log_likes.std(ddof=1) if n >= 2 else np.nan
    out[4] = q90 - q10
    out[5] = past_log_likes[-1] - median
    out[6] = past_log_ages[-1]
    out[7] = past_log_likes[-RECENT_POSTS:].mean() - median
    if n >= 3:
        recent = past_log_likes[-TREND_POSTS:]
        index = np.arange(len(recent)) - (len(recent) - 1) / 2
        out[8] = float((index * (recent - recent.mean())).sum() / (index**2).sum())
    ages = past_log_ages[~np.isnan(past_log_ages)]
    out[9] = np.median(ages) if len(ages) else np.nan
    out[10] = math.log1p(max(now - past_times[-1], 0) / DAY)
    if n >= 2:
        out[11] = math.log((n - 1) / max((past_times[-1] - past_times[0]) / DAY, 1.0))
    return out


def tag_history(past_tags: Sequence[Sequence[str]], past_log_likes: np.ndarray, tags: Sequence[str]
                ) -> tuple[float, float]:
    """(tag_lift, tag_reuse) of a post with `tags`: how the author's earlier posts sharing one of them did
    against the author's trailing median (NaN when none did), and the share of its tags used before."""
    if not tags or len(past_log_likes) == 0:
        return np.nan, (np.nan if not tags else 0.0)
    wanted = set(tags)
    median = float(np.median(past_log_likes))
    shared = [like - median for like, earlier in zip(past_log_likes, past_tags, strict=True)
              if wanted.intersection(earlier)]
    seen = set().union(*map(set, past_tags))
    return (float(np.mean(shared)) if shared else np.nan), len(wanted & seen) / len(wanted)


@dataclass(frozen=True)
class AgeCurve:
    """How a post's likes grow with its age: `age` days after posting it holds the share
    1 - exp(-(age / tau) ** shape) of the count it settles at. Learned from posts of one author read at
    different ages (each author's own level taken out, a robust loss), so a young post's count can be read
    as its settled count and a prediction can be made for the settled count."""

    tau: float = 0.5  # days; the prior: most likes within the first day or two
    shape: float = 1.0

    def log_share(self, age_days) -> np.ndarray:
        """log of the share of the settled count reached at each age (0 when the age is unknown)."""
        age = np.maximum(np.asarray(age_days, dtype=float), MIN_AGE_DAYS)
        with np.errstate(invalid="ignore"):
            share = -np.expm1(-((age / self.tau) ** self.shape))
            out = np.log(np.maximum(share, 1e-6))
        return np.where(np.isnan(out), 0.0, out)

    def days_to(self, share: float = 0.95) -> float:
        """The age (days) at which a post holds `share` of its settled count."""
        return float(self.tau * (-math.log(1 - share)) ** (1 / self.shape))

    @classmethod
    def fit(cls, table: pd.DataFrame, mask: np.ndarray | None = None, limit: int = 60_000,
            series: pd.DataFrame | None = None) -> AgeCurve:
        """Fitted on the rows in `mask` (default all) with a known age; the default curve when the ages
        within authors do not vary.

        `series` holds like counts read by syncs (post, observed_at, likes). Where at least MIN_SERIES_READS
        of them are reads of posts in `mask` read at two or more ages, the curve is learned from how each of
        those posts' own count grew, which a single snapshot can only guess from different posts."""
        keep = np.ones(len(table), bool) if mask is None else np.asarray(mask, bool).copy()
        if series is not None and len(series):
            reads = series.merge(table.loc[keep, ["post", "taken_at"]], on="post")
            age = (reads["observed_at"].to_numpy(dtype=float) - reads["taken_at"].to_numpy(dtype=float)) / DAY
            reads = reads[(age >= 0) & (age <= CURVE_DAYS)]
            reads = reads[reads.groupby("post")["observed_at"].transform("nunique").to_numpy() >= 2]
            if len(reads) > limit:
                posts = reads["post"].unique()
                chosen = np.random.default_rng(0).choice(posts, max(1, len(posts) * limit // len(reads)), False)
                reads = reads[reads["post"].isin(chosen)]
            if len(reads) >= MIN_SERIES_READS:
                codes, _ = pd.factorize(reads["post"].to_numpy())
                age = (reads["observed_at"].to_numpy(dtype=float) - reads["taken_at"].to_numpy(dtype=float)) / DAY
                return cls._fit(age, log_likes(reads["likes"].to_numpy()), codes)
        age = (table["observed_at"].to_numpy(dtype=float) - table["taken_at"].to_numpy(dtype=float)) / DAY
        keep &= ~np.isnan(age) & (age <= CURVE_DAYS)
        rows = np.flatnonzero(keep)
        if len(rows) > limit:
            rows = np.sort(np.random.default_rng(0).choice(rows, limit, replace=False))
        codes, _ = pd.factorize(table["author"].to_numpy()[rows])
        return cls._fit(age[rows], log_likes(table["likes"].to_numpy()[rows]), codes)

    @classmethod
    def _fit(cls, age: np.ndarray, y: np.ndarray, codes: np.ndarray) -> AgeCurve:
        """The curve that best explains log likes `y` read at `age` days, each group's (`codes`: an author,
        or one post read several times) own level taken out."""
        from scipy.optimize import least_squares

        rows = np.arange(len(y))
        size = np.bincount(codes).astype(float)
        if len(rows) < 30 or np.all(size < 2):
            return cls()

        def centred(values: np.ndarray) -> np.ndarray:
            return values - (np.bincount(codes, values) / size)[codes]

        target = centred(y)
        if np.ptp(centred(np.log(np.maximum(age, MIN_AGE_DAYS)))) < 1e-9:
            return cls()

        prior = np.array([math.log(cls.tau), math.log(cls.shape)])

        def misfit(params: np.ndarray) -> np.ndarray:
            # Two pseudo-observations hold the curve at the prior where few posts were read young: a
            # snapshot's young posts are mostly the newest ones, which an evaluation holds out.
            pull = PRIOR_WEIGHT * (params - prior)
            return np.r_[centred(cls(math.exp(params[0]), math.exp(params[1])).log_share(age)) - target, pull]

        lower, upper = [math.log(1 / 24), math.log(0.3)], [math.log(60.0), math.log(3.0)]
        found = least_squares(misfit, prior, bounds=(lower, upper), loss="soft_l1", f_scale=0.3)
        return cls(float(math.exp(found.x[0])), float(math.exp(found.x[1])))


def settled_log_likes(table: pd.DataFrame, curve: AgeCurve | None = None) -> np.ndarray:
    """log(1 + likes) of each row, scaled to its settled count by `curve` (as read without one)."""
    likes = log_likes(table["likes"])
    if curve is None:
        return likes
    days = (table["observed_at"].to_numpy(dtype=float) - table["taken_at"].to_numpy(dtype=float)) / DAY
    return likes - curve.log_share(days)


def expanding_stats(values: np.ndarray, authors: np.ndarray, stats: dict) -> dict[str, np.ndarray]:
    """For every row (sorted by author), each of `stats` (a function of a 2-D array: one row per author, the
    author's earlier values in columns) over the author's earlier values; NaN
    for an author's first row. Computed a position at a time over all authors long enough: sum over
    authors of (posts squared), fast for the short histories of most authors."""
    n = len(values)
    out = {name: np.full(n, np.nan) for name in stats}
    if n == 0:
        return out
    starts = np.flatnonzero(np.r_[True, authors[1:] != authors[:-1]])
    sizes = np.diff(np.r_[starts, n])
    order = np.argsort(-sizes, kind="stable")
    starts, sizes = starts[order], sizes[order]
    longest = int(sizes[0])
    matrix = np.full((len(starts), longest), np.nan)
    for k in range(longest):
        live = int(np.searchsorted(-sizes, -k, side="left"))  # authors with more than k posts
        matrix[:live, k] = values[starts[:live] + k]
    for k in range(1, longest):
        live = int(np.searchsorted(-sizes, -k, side="left"))
        window = matrix[:live, :k]
        for name, function in stats.items():
            out[name][starts[:live] + k] = function(window)
    return out


def _earlier(column: np.ndarray, count: np.ndarray, back: int = 1) -> np.ndarray:
    """Each row's value `back` posts earlier by the same author (NaN when the author has fewer)."""
    n = len(column)
    shifted = np.full(n, np.nan)
    shifted[back:] = column[:-back] if back < n else shifted[back:]
    return np.where(count >= back, shifted, np.nan)


def _trailing_sum(column: np.ndarray, count: np.ndarray, size: int) -> np.ndarray:
    """Sum of the last `size` earlier values (fewer when there are fewer)."""
    total = np.zeros(len(column))
    for back in range(1, size + 1):
        total += np.nan_to_num(_earlier(column, count, back))
    return total


def _recent_and_trend(likes: np.ndarray, count: np.ndarray, median: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """h_recent and h_trend of every row, from running sums over the author's latest earlier posts."""
    recent = np.minimum(count, RECENT_POSTS)
    with np.errstate(invalid="ignore", divide="ignore"):
        h_recent = _trailing_sum(likes, count, RECENT_POSTS) / recent - median
        # Slope of the last TREND_POSTS values against their position (1 = the latest), from sums.
        m = np.minimum(count, TREND_POSTS).astype(float)
        sy = _trailing_sum(likes, count, TREND_POSTS)
        sj = sum(np.where(count >= b, b, 0.0) for b in range(1, TREND_POSTS + 1))
        sjj = sum(np.where(count >= b, b * b, 0.0) for b in range(1, TREND_POSTS + 1))
        sjy = sum(np.where(count >= b, b * np.nan_to_num(_earlier(likes, count, b)), 0.0)
                  for b in range(1, TREND_POSTS + 1))
        slope = -(sjy - sj * sy / m) / (sjj - sj**2 / m)  # positions count back in time
    return h_recent, np.where(count >= 3, slope, np.nan)


def _timing(times: np.ndarray, count: np.ndarray, first: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """h_gap and h_rate of every row: days since the author's previous post, and posts per day before it."""
    previous = _earlier(times, count)
    gap = np.log1p(np.maximum(times - previous, 0) / DAY)
    first_time = times[first] if len(times) else times
    with np.errstate(invalid="ignore", divide="ignore"):
        rate = np.where(count >= 2, np.log((count - 1) / np.maximum((previous - first_time) / DAY, 1.0)), np.nan)
    return gap, rate


def history_features(table: pd.DataFrame, curve: AgeCurve | None = None) -> pd.DataFrame:
    """HISTORY_FEATURES, tag_lift and tag_reuse for every row of a post table (sorted by author and order),
    from earlier rows of the same author only: history_row and tag_history, computed for all rows at once.

    With `curve`, each earlier count is first scaled to its settled value (see AgeCurve)."""
    likes = settled_log_likes(table, curve)
    ages = log_age_days(table["observed_at"], table["taken_at"])
    authors = table["author"].to_numpy()
    n = len(table)
    starts = np.flatnonzero(np.r_[True, authors[1:] != authors[:-1]]) if n else np.array([], int)
    first = np.zeros(n, int)
    first[starts] = starts
    first = np.maximum.accumulate(first) if n else first
    count = np.arange(n) - first  # earlier posts of the same author
    stats = expanding_stats(likes, authors, {
        "median": lambda w: np.median(w, axis=1), "mean": lambda w: w.mean(axis=1),
        "std": lambda w: w.std(axis=1, ddof=1) if w.shape[1] >= 2 else np.full(len(w), np.nan),
        "q10": lambda w: np.percentile(w, 10, axis=1), "q90": lambda w: np.percentile(w, 90, axis=1)})
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # an author whose ages are all unknown: NaN
        age_median = expanding_stats(ages, authors, {"age": lambda w: np.nanmedian(w, axis=1)})["age"]
    median = stats["median"]
    values = np.full((n, len(HISTORY_FEATURES)), np.nan)
    values[:, 0] = count
    values[:, 1] = median
    values[:, 2] = stats["mean"]
    values[:, 3] = np.where(count >= 2, stats["std"], np.nan)
    values[:, 4] = np.where(count >= 3, stats["q90"] - stats["q10"], np.nan)
    values[:, 5] = _earlier(likes, count) - median
    values[:, 6] = _earlier(ages, count)
    values[:, 7], values[:, 8] = _recent_and_trend(likes, count, median)
    values[:, 9] = age_median
    values[:, 10], values[:, 11] = _timing(table["taken_at"].to_numpy(dtype=float), count, first)
    values[count == 0, 1:] = np.nan
    lift, reuse = _tag_history_all(list(table["hashtags"]), likes, median, starts, n)
    out = np.column_stack([values, lift, reuse])
    return pd.DataFrame(out, columns=[*HISTORY_FEATURES, "tag_lift", "tag_reuse"], index=table.index)


def _tag_history_all(tags: list, likes: np.ndarray, median: np.ndarray, starts: np.ndarray, n: int
                     ) -> tuple[np.ndarray, np.ndarray]:
    """tag_history for every row, walking each author's posts once with running per-tag sums."""
    lift = np.full(n, np.nan)
    reuse = np.full(n, np.nan)
    for start, end in zip(starts, np.r_[starts[1:], n][: len(starts)], strict=True):
        seen_rows: dict[str, list[int]] = {}
        for i in range(start, end):
            wanted = tags[i]
            if wanted:
                if i > start:
                    rows = sorted({r for tag in wanted for r in seen_rows.get(tag, ())})
                    if rows:
                        lift[i] = float(np.mean(likes[rows]) - median[i])
                    reuse[i] = sum(tag in seen_rows for tag in set(wanted)) / len(set(wanted))
                else:
                    reuse[i] = 0.0
                for tag in wanted:
                    seen_rows.setdefault(tag, []).append(i)
    return lift, reuse


# --- hashtag popularity ----------------------------------------------------------------------------------


class HashtagPopularity:
    """How popular a hashtag is, from a ranking (rank 1 = most used): score 1 - log(rank) / log(size + 1),
    so 1 for the top tag, falling towards 0, and 0 for a tag not in the ranking.

    Two sources: a ranked list file (a public top-hashtags list, used only when evaluating) or the usage
    counts of the store's own posts (what the app uses)."""

    def __init__(self, ranks: dict[str, int], source: str):
        self.ranks = ranks
        self.source = source
        self._scale = math.log(len(ranks) + 1) if ranks else 1.0

    @classmethod
    def from_ranked_file(cls, path: str | Path) -> HashtagPopularity:
        words = Path(path).read_text(encoding="utf-8").split()
        tags = dict.fromkeys(w.lower().lstrip("#") for w in words if w.strip("#"))
        return cls({tag: rank for rank, tag in enumerate(tags, start=1)}, f"ranked list {Path(path).name}")

    @classmethod
    def from_posts(cls, hashtag_lists: Iterable[Sequence[str]], limit: int = 50_000) -> HashtagPopularity:
        counts = Counter(tag for tags in hashtag_lists for tag in tags)
        ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0]))[:limit]
        return cls({tag: rank for rank, (tag, _count) in enumerate(ranked, start=1)}, "the store's hashtags")

    def score(self, tag: str) -> float:
        rank = self.ranks.get(tag.lower().lstrip("#"))
        return 0.0 if rank is None else 1.0 - math.log(rank) / self._scale

    def features(self, tags: Sequence[str]) -> tuple[float, float]:
        """(mean, max) score of a post's tags; (0, 0) without tags."""
        if not tags:
            return 0.0, 0.0
        scores = [self.score(t) for t in tags]
        return float(np.mean(scores)), float(max(scores))


# --- the post itself -----------------------------------------------------------------------------------


def account_features(table: pd.DataFrame, history: pd.DataFrame) -> pd.DataFrame:
    followers = np.log1p(table["followers"].to_numpy(dtype=float))
    return pd.DataFrame({
        "log_followers": followers,
        "log_following": np.log1p(table["following"].to_numpy(dtype=float)),
        "log_media_count": np.log1p(table["media_count"].to_numpy(dtype=float)),
        "likes_per_follower": history["h_median"].to_numpy() - followers,
    }, index=table.index)


def post_features(table: pd.DataFrame, popularity: HashtagPopularity, time_of_day: bool,
                  horizon_days: float | None = None) -> pd.DataFrame:
    """POST_FEATURES. With `horizon_days` the count is the one expected that long after posting (prediction);
    without, the age at which each row's count was read."""
    if horizon_days is None:
        age = log_age_days(table["observed_at"], table["taken_at"])
    else:
        age = np.full(len(table), math.log(max(horizon_days, MIN_AGE_DAYS)))
    tag_scores = np.array([popularity.features(tags) for tags in table["hashtags"]], dtype=float)
    tag_scores = tag_scores.reshape(-1, 2)
    stamps = pd.to_datetime(table["taken_at"].to_numpy(dtype=np.int64), unit="s", utc=True)
    media = table["media_type"].to_numpy(dtype=int)
    return pd.DataFrame({
        "log_age": age,
        "caption_length": table["caption"].fillna("").str.len().to_numpy(dtype=float),
        "n_hashtags": [float(len(tags)) for tags in table["hashtags"]],
        "tag_pop_mean": tag_scores[:, 0],
        "tag_pop_max": tag_scores[:, 1],
        "n_mentions": table["mentions"].to_numpy(dtype=float),
        **{name: values.to_numpy() for name, values in caption_features(table["caption"]).items()},
        "has_location": table["has_location"].to_numpy(dtype=float),
        "is_video": (media == 2).astype(float),
        "is_reel": table["is_reel"].to_numpy(dtype=float),
        "is_carousel": (media == 8).astype(float),
        "carousel_count": table["carousel_count"].to_numpy(dtype=float),
        "weekday": np.asarray(stamps.day_of_week, dtype=float),
        "hour": np.asarray(stamps.hour, dtype=float) if time_of_day else np.full(len(table), np.nan),
    }, index=table.index)


def pixel_frame(vectors: Sequence[np.ndarray | Sequence[float] | None], index=None) -> pd.DataFrame:
    """PIXEL_COLUMNS from one pixel vector (or None: unknown) per row."""
    values = np.full((len(vectors), len(PIXEL_COLUMNS)), np.nan)
    for i, vector in enumerate(vectors):
        if vector is not None:
            values[i] = vector[: len(PIXEL_COLUMNS)]
    return pd.DataFrame(values, columns=list(PIXEL_COLUMNS), index=index)


# --- the baseline ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Prior:
    """The baseline of an author without earlier posts: typical log likes per follower, else typical
    log likes."""

    log_rate: float
    log_level: float

    @classmethod
    def fit(cls, table: pd.DataFrame) -> Prior:
        likes = log_likes(table["likes"])
        followers = np.log1p(table["followers"].to_numpy(dtype=float))
        known = ~np.isnan(followers)
        rate = float(np.median(likes[known] - followers[known])) if known.any() else 0.0
        return cls(rate, float(np.median(likes)) if len(likes) else 0.0)

    def baseline(self, history: pd.DataFrame, followers) -> np.ndarray:
        """The author's trailing median log likes, or this prior's guess when the author has no history."""
        base = history["h_median"].to_numpy(dtype=float).copy()
        guess = np.log1p(np.asarray(followers, dtype=float)) + self.log_rate
        guess = np.where(np.isnan(guess), self.log_level, guess)
        return np.where(np.isnan(base), guess, base)


def design(table: pd.DataFrame, popularity: HashtagPopularity, time_of_day: bool,
           pixel_vectors: Sequence[np.ndarray | Sequence[float] | None] | None = None,
           horizon_days: float | None = None, history: pd.DataFrame | None = None) -> pd.DataFrame:
    """The FEATURES frame of a post table (history computed unless given)."""
    history = history_features(table) if history is None else history
    vectors = pixel_vectors if pixel_vectors is not None else [None] * len(table)
    post = post_features(table, popularity, time_of_day, horizon_days)
    post["tag_lift"] = history["tag_lift"] if "tag_lift" in history else np.nan
    post["tag_reuse"] = history["tag_reuse"] if "tag_reuse" in history else np.nan
    parts = [history[list(HISTORY_FEATURES)], account_features(table, history), post,
             pixel_frame(vectors, table.index)]
    return pd.concat(parts, axis=1)[list(FEATURES)]
