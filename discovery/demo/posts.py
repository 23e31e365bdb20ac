"""The demo world's posts as columns of numbers: when, by whom, on what topic, which media, what the picture
looks like (its hidden qualities) and how many likes, comments and plays it drew from the hidden model."""

from __future__ import annotations

from dataclasses import dataclass, fields

import numpy as np

from discovery.clock import DAY
from discovery.demo import hidden
from discovery.demo.hidden import BRAND, CAROUSEL, CELEBRITY, CREATOR, PERSON, PHOTO, REEL, VIDEO
from discovery.demo.people import Population
from discovery.demo.vocabulary import TOPICS

# Media mix by author kind: photo, carousel, feed video, reel.
MEDIA_MIX = {PERSON: [0.62, 0.24, 0.04, 0.10], CREATOR: [0.40, 0.30, 0.05, 0.25],
             BRAND: [0.38, 0.30, 0.07, 0.25], CELEBRITY: [0.45, 0.25, 0.05, 0.25]}
PHOTO_SIZES = np.array([[1080, 1080], [1080, 1350], [1080, 566]])
PHOTO_SIZE_SHARES = [0.45, 0.40, 0.15]
LIKES_SETTLE_HOURS = 6.0  # a post collects most of its likes in its first day
INSTAGRAM_EPOCH_MS = 1_314_220_021_721  # media ids count milliseconds from here (shifted left 23 bits)
SHORTCODE_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"


@dataclass
class PostTable:
    author: np.ndarray
    taken_at: np.ndarray
    topic: np.ndarray
    scene: np.ndarray
    media: np.ndarray  # hidden.PHOTO, CAROUSEL, VIDEO, REEL
    carousel: np.ndarray
    width: np.ndarray
    height: np.ndarray
    saturation: np.ndarray
    contrast: np.ndarray
    centred: np.ndarray
    brightness: np.ndarray
    mono: np.ndarray
    style_seed: np.ndarray
    n_hashtags: np.ndarray
    n_mentions: np.ndarray
    seen: np.ndarray  # the chance the person saw it (drives their likes)
    tags_me: np.ndarray  # the person is tagged in it

    def __len__(self) -> int:
        return len(self.author)

    def take(self, index: np.ndarray) -> PostTable:
        return PostTable(**{f.name: getattr(self, f.name)[index] for f in fields(self)})

    @staticmethod
    def concat(tables: list[PostTable]) -> PostTable:
        return PostTable(**{f.name: np.concatenate([getattr(t, f.name) for t in tables])
                            for f in fields(PostTable)})

    def quality(self) -> np.ndarray:
        return hidden.picture_quality(self.saturation, self.contrast, self.centred, self.brightness,
                                      self.mono)

    def local_time(self, pop: Population) -> tuple[np.ndarray, np.ndarray]:
        return hidden.local_time(self.taken_at, pop.utc_offset[self.author])


def draw_posts(rng: np.random.Generator, pop: Population, per_author: np.ndarray, start: int, end: int,
               seen: np.ndarray) -> PostTable:
    """`per_author[a]` posts by each account a, taken in [start, end), seen by the person with `seen[a]`."""
    author = np.repeat(np.arange(pop.size), per_author)
    n = len(author)
    kind = pop.kind[author]
    topic = _categorical(rng, pop.mix[author])
    scene = (rng.random(n) * np.array([len(t.scenes) for t in TOPICS])[topic]).astype(np.int8)
    media = np.empty(n, np.int8)
    for k, shares in MEDIA_MIX.items():
        rows = kind == k
        media[rows] = rng.choice(4, rows.sum(), p=shares)
    size = PHOTO_SIZES[rng.choice(3, n, p=PHOTO_SIZE_SHARES)]
    size[media == VIDEO] = [1080, 1350]
    size[media == REEL] = [1080, 1920]
    carousel = np.where(media == CAROUSEL, np.minimum(2 + rng.geometric(0.35, n) - 1, 10), 0)
    look = hidden.draw_qualities(rng, pop.skill[author], topic)
    return PostTable(
        author=author, taken_at=_post_times(rng, pop, author, start, end), topic=topic.astype(np.int8),
        scene=scene, media=media, carousel=carousel.astype(np.int16),
        width=size[:, 0].astype(np.int32), height=size[:, 1].astype(np.int32),
        saturation=look.saturation, contrast=look.contrast, centred=look.centred, brightness=look.brightness,
        mono=look.mono,
        style_seed=rng.integers(0, 2**32, n, dtype=np.uint32),
        n_hashtags=np.minimum(rng.poisson(pop.hashtag_habit[author]), 30).astype(np.int16),
        n_mentions=np.minimum(rng.poisson(pop.mention_habit[author]), 3).astype(np.int16),
        seen=seen[author].astype(np.float64),
        tags_me=np.zeros(n, bool),
    )


def _post_times(rng: np.random.Generator, pop: Population, author: np.ndarray, start: int,
                end: int) -> np.ndarray:
    """A day drawn evenly, a local hour from the daily rhythm (shifted by the author's habit), any minute."""
    n = len(author)
    offset = pop.utc_offset[author].astype(np.int64) * 3600
    day = start + offset + rng.integers(0, max(1, (end - start) // DAY + 1), n) * DAY
    day -= day % DAY  # local midnight, in local seconds
    hour = (rng.choice(24, n, p=hidden.POSTING_RHYTHM) + pop.hour_shift[author]) % 24
    taken = day + hour * 3600 + rng.integers(0, 3600, n) - offset
    taken = np.where(taken >= end, taken - DAY * ((taken - end) // DAY + 1), taken)
    return np.where(taken < start, taken + DAY * ((start - taken - 1) // DAY + 1), taken).astype(np.int64)


def _categorical(rng: np.random.Generator, probabilities: np.ndarray) -> np.ndarray:
    cumulative = np.cumsum(probabilities, axis=1)
    drawn = (rng.random(len(probabilities))[:, None] * cumulative[:, -1:] > cumulative).sum(axis=1)
    return np.minimum(drawn, probabilities.shape[1] - 1)


@dataclass
class Counts:
    expected: np.ndarray  # the hidden model's mean likes (settled, noise-free)
    likes: np.ndarray
    comments: np.ndarray
    plays: np.ndarray  # -1 for pictures


def engagement_counts(rng: np.random.Generator, pop: Population, posts: PostTable, clock: int) -> Counts:
    """Likes, comments and plays as of `clock`, drawn from the hidden model with noise."""
    hour, weekday = posts.local_time(pop)
    expected = hidden.expected_likes(pop.audience[posts.author], pop.engagement[posts.author], posts.topic,
                                     hour, weekday, posts.media, posts.n_hashtags, posts.quality())
    n = len(posts)
    noise = np.exp(hidden.LIKE_NOISE * rng.standard_normal(n) - hidden.LIKE_NOISE**2 / 2)
    age_hours = np.maximum(clock - posts.taken_at, 0) / 3600
    settled = 1 - np.exp(-age_hours / LIKES_SETTLE_HOURS)
    mean = expected * noise * settled
    likes = rng.poisson(mean)
    talk = pop.comment_ratio[posts.author] * np.exp(0.5 * rng.standard_normal(n) - 0.125)
    comments = rng.poisson(mean * talk)
    per_like = np.where(posts.media == REEL, rng.uniform(12, 40, n), rng.uniform(5, 15, n))
    plays = np.where(np.isin(posts.media, [VIDEO, REEL]), rng.poisson(mean * per_like), -1)
    return Counts(expected, likes.astype(np.int64), comments.astype(np.int64), plays.astype(np.int64))


def media_ids(posts: PostTable, pop: Population, rng: np.random.Generator) -> np.ndarray:
    """Instagram-shaped media ids (milliseconds since Instagram's epoch << 23 | shard << 10 | sequence)."""
    ms = posts.taken_at.astype(np.int64) * 1000 + rng.integers(0, 1000, len(posts))
    shard = posts.author.astype(np.int64) % 2048
    ids = ((ms - INSTAGRAM_EPOCH_MS) << 23) | (shard << 10) | (np.arange(len(posts)) % 1024)
    if len(np.unique(ids)) != len(ids):
        raise RuntimeError("generated media ids collide")  # cannot happen short of a broken generator
    return ids


def shortcodes(media_ids: np.ndarray) -> list[str]:
    """The link codes Instagram derives from media ids (base 64, most significant digit first)."""
    ids = np.asarray(media_ids, np.int64)
    digits = (ids[:, None] >> (6 * np.arange(10, -1, -1))) & 63  # 11 digits cover 63 bits
    letters = np.frombuffer(SHORTCODE_ALPHABET.encode(), np.uint8)[digits]
    codes = np.ascontiguousarray(letters).view("S11").ravel()
    return [code.decode().lstrip("A") or "A" for code in codes.tolist()]


def media_fields(media: int) -> tuple[int, str]:
    """(Instagram media_type, product_type) of a hidden media kind."""
    return {PHOTO: (1, "feed"), CAROUSEL: (8, "carousel_container"), VIDEO: (2, "feed"),
            REEL: (2, "clips")}[media]
