"""The demo world's hidden model: what makes a post draw likes, and the files that keep the hidden state.

The generator draws every post's like count from `expected_likes` (audience, the author's engagement, topic,
local hour, weekday, media kind, hashtags and the picture's qualities, then noise), and the pictures are
drawn from the same qualities, so a like predictor has real signal to find in metadata and in pixels.

Two files sit beside the demo store:
- `demo-model.npz`: per account and per post, the hidden parameters the pictures and candidate pictures are
  drawn from (the app needs them to draw; they are not shown).
- `demo-truth.npz`: for evaluation only, per post the person's hidden interest (the probability they would
  like it if shown) and the hidden model's expected like count.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, fields
from pathlib import Path

import numpy as np
import pandas as pd

from discovery.demo.vocabulary import TOPICS

MODEL_FILE = "demo-model.npz"
TRUTH_FILE = "demo-truth.npz"

# Account kinds.
PERSON, CREATOR, BRAND, CELEBRITY = 0, 1, 2, 3
KIND_NAMES = ("person", "creator", "brand", "celebrity")

# When people post, by local hour (relative weights): mornings, lunch and the evening.
POSTING_RHYTHM = np.array([0.8, 0.4, 0.2, 0.1, 0.1, 0.2, 0.6, 1.6, 2.6, 2.4, 2.0, 2.4,
                           3.0, 2.8, 2.0, 1.8, 2.0, 2.6, 3.4, 4.0, 4.2, 3.6, 2.6, 1.6])
POSTING_RHYTHM = POSTING_RHYTHM / POSTING_RHYTHM.sum()
# How many likes a post gets for the local hour it went up at (people scroll at lunch and in the evening).
HOUR_APPEAL = np.array([0.80, 0.72, 0.66, 0.62, 0.62, 0.68, 0.78, 0.90, 0.98, 1.00, 1.02, 1.10,
                        1.16, 1.10, 1.00, 0.98, 1.00, 1.06, 1.14, 1.22, 1.24, 1.18, 1.04, 0.90])
WEEKDAY_APPEAL = np.array([0.95, 0.97, 0.99, 1.00, 1.01, 1.06, 1.08])  # Monday .. Sunday
LIKE_RATE = 0.11  # likes per post for an audience of one, before the audience exponent
AUDIENCE_EXPONENT = 0.9  # engagement thins out as audiences grow
LIKE_NOISE = 0.4  # sigma of the log-normal noise no model can explain

# Media kinds used by the like model.
PHOTO, CAROUSEL, VIDEO, REEL = 0, 1, 2, 3
MEDIA_APPEAL = np.array([1.00, 1.12, 0.90, 1.30])


def picture_quality(saturation, contrast, centred, brightness, mono) -> np.ndarray:
    """The pictures' contribution to log(likes): colourful, contrasty, centred, well-exposed pictures do
    better. Every argument is in 0..1 (mono is a flag that removes the colour)."""
    saturation = np.where(mono, 0.0, saturation)
    return (0.9 * (np.asarray(saturation) - 0.5) + 0.8 * (np.asarray(contrast) - 0.5)
            + 0.9 * (np.asarray(centred) - 0.5) - 3.0 * (np.asarray(brightness) - 0.55) ** 2)


@dataclass
class Qualities:
    saturation: np.ndarray
    contrast: np.ndarray
    centred: np.ndarray
    brightness: np.ndarray
    mono: np.ndarray


def draw_qualities(rng: np.random.Generator, skill: np.ndarray, topic: np.ndarray) -> Qualities:
    """The look of pictures by authors of `skill` on `topic` (arrays of the same length)."""
    n = len(topic)
    mono_share = np.array([t.mono_share for t in TOPICS])[topic]
    return Qualities(
        saturation=np.clip(rng.beta(2.2, 2.0, n) + skill, 0.02, 0.98).astype(np.float32),
        contrast=np.clip(rng.beta(2.0, 2.0, n) + skill, 0.02, 0.98).astype(np.float32),
        centred=np.clip(rng.beta(1.8, 1.4, n) + skill, 0.02, 0.98).astype(np.float32),
        brightness=np.clip(rng.beta(4.0, 3.5, n), 0.05, 0.95).astype(np.float32),
        mono=rng.random(n) < mono_share,
    )


def expected_likes(audience, engagement, topic, local_hour, weekday, media, n_hashtags,
                   quality) -> np.ndarray:
    """The hidden model's mean like count once a post has had time to collect its likes."""
    appeal = np.array([t.appeal for t in TOPICS])
    return (LIKE_RATE * np.asarray(audience, np.float64) ** AUDIENCE_EXPONENT * engagement
            * appeal[topic] * HOUR_APPEAL[local_hour] * WEEKDAY_APPEAL[weekday] * MEDIA_APPEAL[media]
            * (1 + 0.025 * np.minimum(n_hashtags, 12)) * np.exp(quality))


def local_time(taken_at, utc_offset_hours) -> tuple[np.ndarray, np.ndarray]:
    """(local hour 0..23, weekday 0 = Monday) of UTC epoch seconds in a fixed UTC offset."""
    local = np.asarray(taken_at, np.int64) + np.asarray(utc_offset_hours, np.int64) * 3600
    return (local // 3600) % 24, (local // 86400 + 3) % 7  # 1970-01-01 was a Thursday


@dataclass
class HiddenWorld:
    """The hidden parameters of a demo world's accounts and posts (one row per stored account / post)."""

    account_pk: np.ndarray  # int64 (demo pks are numeric strings)
    kind: np.ndarray  # int8: PERSON, CREATOR, BRAND, CELEBRITY
    mix: np.ndarray  # float32 (accounts, topics): each account's mix of interests, rows sum to 1
    audience: np.ndarray  # int64: the audience the like model uses (= follower_count)
    engagement: np.ndarray  # float32: the author's pull per follower
    utc_offset: np.ndarray  # int8: hours
    skill: np.ndarray  # float32: how good the author's pictures tend to be
    hashtag_habit: np.ndarray  # float32: mean hashtags per post
    post_pk: np.ndarray  # int64
    topic: np.ndarray  # int8
    scene: np.ndarray  # int8: index into TOPICS[topic].scenes
    saturation: np.ndarray  # float32, 0..1
    contrast: np.ndarray  # float32, 0..1
    centred: np.ndarray  # float32, 0..1: 1 = the subject sits in the middle
    brightness: np.ndarray  # float32, 0..1
    mono: np.ndarray  # bool
    style_seed: np.ndarray  # uint32: everything else about the picture
    width: np.ndarray  # int32
    height: np.ndarray  # int32

    def __post_init__(self) -> None:
        self._accounts: dict[str, int] | None = None
        self._posts: dict[str, int] | None = None

    def account_index(self, pk: str) -> int | None:
        if self._accounts is None:
            self._accounts = {str(p): i for i, p in enumerate(self.account_pk.tolist())}
        return self._accounts.get(pk)

    def post_index(self, pk: str) -> int | None:
        if self._posts is None:
            self._posts = {str(p): i for i, p in enumerate(self.post_pk.tolist())}
        return self._posts.get(pk)

    def save(self, directory: Path) -> Path:
        path = directory / MODEL_FILE
        np.savez(path, **{f.name: getattr(self, f.name) for f in fields(self)})
        return path


_cache: dict[Path, tuple[tuple[int, int], HiddenWorld]] = {}
_cache_lock = threading.Lock()


def hidden_world(directory: Path) -> HiddenWorld:
    """The hidden model of the demo world in `directory`, loaded once and kept while the file is unchanged."""
    path = directory / MODEL_FILE
    try:
        stat = path.stat()
    except FileNotFoundError:
        raise LookupError(f"{directory} is not a demo world: it has no {MODEL_FILE}.") from None
    stamp = (stat.st_mtime_ns, stat.st_size)
    with _cache_lock:
        cached = _cache.get(path)
        if cached is not None and cached[0] == stamp:
            return cached[1]
        with np.load(path) as data:
            model = HiddenWorld(**{f.name: data[f.name] for f in fields(HiddenWorld)})
        _cache[path] = (stamp, model)
        return model


def save_truth(directory: Path, post_pk: np.ndarray, interest: np.ndarray, expected: np.ndarray) -> Path:
    path = directory / TRUTH_FILE
    np.savez(path, post_pk=post_pk.astype(np.int64), interest=interest.astype(np.float64),
             expected_likes=expected.astype(np.float64))
    return path


def _truth_column(directory: Path, column: str, name: str) -> pd.Series:
    path = directory / TRUTH_FILE
    if not path.exists():
        raise LookupError(f"{directory} is not a demo world: it has no {TRUTH_FILE}.")
    with np.load(path) as data:
        return pd.Series(data[column], index=pd.Index(data["post_pk"].astype(str), name="post"), name=name)


def load_interest(directory: Path) -> pd.Series:
    return _truth_column(directory, "interest", "interest")


def load_expected_likes(directory: Path) -> pd.Series:
    return _truth_column(directory, "expected_likes", "expected_likes")
