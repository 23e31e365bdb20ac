"""The demo world's pictures, drawn with Pillow when first asked for and kept in the world's image cache.

A picture is a pure function of its style (topic, scene, the hidden qualities saturation / contrast /
centred / brightness / mono, and a seed) and size, so the same post always gets the same JPEG. The
qualities the like model rewards are the ones applied to the pixels here: a colourful, contrasty, centred,
well-exposed picture really looks it, and pixel features can learn what the hidden model knows.
"""

from __future__ import annotations

import io
import math
import zlib
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageEnhance, ImageFont, ImageStat

from discovery.demo import hidden
from discovery.demo.scenes import PAINTERS, Canvas, Draw, glow
from discovery.demo.vocabulary import TOPICS
from discovery.world import World

LONG_SIDE = 640
AVATAR_SIZE = 160
JPEG_QUALITY = 86
AVATAR_COLOURS = tuple(t.palette[2] for t in TOPICS) + tuple(t.palette[3] for t in TOPICS)


@dataclass(frozen=True)
class PictureStyle:
    topic: int  # index into vocabulary.TOPICS
    scene: int  # index into the topic's scenes
    saturation: float  # 0..1
    contrast: float  # 0..1
    centred: float  # 0..1: 1 puts the subject in the middle, 0 near an edge
    brightness: float  # 0..1, about 0.55 is well exposed
    mono: bool  # black and white
    seed: int

    @property
    def scene_name(self) -> str:
        scenes = TOPICS[self.topic].scenes
        return scenes[self.scene % len(scenes)].painter

    def quality(self) -> float:
        """This picture's term in the hidden like model (log scale)."""
        return float(hidden.picture_quality(self.saturation, self.contrast, self.centred, self.brightness,
                                            self.mono))


@dataclass(frozen=True)
class Candidate:
    """A picture an author could post, with the likes the hidden model expects for it."""

    jpeg: bytes
    expected_likes: float
    style: PictureStyle


def picture_size(width: int | None, height: int | None) -> tuple[int, int]:
    """The drawn size for a post of `width` x `height`: LONG_SIDE px wide (square when unknown)."""
    if not width or not height:
        return LONG_SIDE, LONG_SIDE
    return LONG_SIDE, max(1, round(LONG_SIDE * height / width))


def draw_picture(style: PictureStyle, size: tuple[int, int] = (LONG_SIDE, LONG_SIDE),
                 slide: int = 0) -> Image.Image:
    """The picture of `style` at `size`; `slide` > 0 gives the other pictures of a carousel."""
    rng = np.random.default_rng([style.seed, slide])
    width, height = size
    palette = [_jitter(colour, rng) for colour in TOPICS[style.topic].palette]
    angle = rng.uniform(0, 2 * math.pi)
    off = (1 - style.centred) * 0.42
    subject = (width * (0.5 + off * math.cos(angle)), height * (0.5 + off * math.sin(angle)))
    image = Image.new("RGB", size)
    canvas = Canvas(image, Draw(image, "RGBA"), rng, palette, subject,
                    min(width, height) * rng.uniform(0.13, 0.19))
    PAINTERS[style.scene_name](canvas)
    glow(canvas, subject, min(width, height) * 0.4, (255, 250, 240), 0.22)  # the light falls on the subject
    # Exposure and contrast follow the hidden qualities whatever the scene: the mean luma goes to
    # 0.15 + 0.7 * brightness, its standard deviation to 0.05 + 0.2 * contrast.
    luma = ImageStat.Stat(image.convert("L").reduce(8))
    exposure = np.clip((0.15 + 0.7 * style.brightness) / max(luma.mean[0] / 255, 0.02), 0.5, 2.2)
    spread = np.clip((0.05 + 0.2 * style.contrast) / max(exposure * luma.stddev[0] / 255, 0.01), 0.3, 3.0)
    image = ImageEnhance.Brightness(image).enhance(float(exposure))
    image = ImageEnhance.Contrast(image).enhance(float(spread))
    if style.mono:
        return ImageEnhance.Color(image).enhance(0.0)
    # Colour likewise, last (contrast changes it): grey streets and red tracks alike go to a mean HSV
    # saturation of 0.06 + 0.6 * saturation.
    chroma = ImageStat.Stat(image.reduce(8).convert("HSV")).mean[1] / 255
    return ImageEnhance.Color(image).enhance(float(np.clip((0.06 + 0.6 * style.saturation) / max(chroma, 0.02),
                                                           0.15, 3.0)))


def encode_jpeg(image: Image.Image, quality: int = JPEG_QUALITY) -> bytes:
    out = io.BytesIO()
    image.save(out, "JPEG", quality=quality, optimize=True)
    return out.getvalue()


def post_style(world: World, post_pk: str) -> tuple[PictureStyle, tuple[int, int]]:
    """The hidden style of a demo post and its drawn size; LookupError when the post is not in the world."""
    model = hidden.hidden_world(world.directory)
    i = model.post_index(post_pk)
    if i is None:
        raise LookupError(f"post {post_pk} is not in the demo world.")
    style = PictureStyle(int(model.topic[i]), int(model.scene[i]), float(model.saturation[i]),
                         float(model.contrast[i]), float(model.centred[i]), float(model.brightness[i]),
                         bool(model.mono[i]), int(model.style_seed[i]))
    return style, picture_size(int(model.width[i]), int(model.height[i]))


def post_image(world: World, post_pk: str, slide: int = 0) -> Path:
    """The image-cache file of a demo post's picture (`slide` of a carousel), drawn on a cache miss."""
    key = post_pk if slide == 0 else f"{post_pk}_{slide}"
    cached = world.images.get(key)
    if cached is not None:
        return cached
    style, size = post_style(world, post_pk)
    return world.images.put(key, encode_jpeg(draw_picture(style, size, slide)))


def avatar_image(world: World, account_pk: str) -> Path:
    """The image-cache file of an account's avatar: its initials on a coloured disc (any world)."""
    key = f"avatar_{account_pk}"
    cached = world.images.get(key)
    if cached is not None:
        return cached
    account_id = world.store.account_id(account_pk)
    if account_id is None:
        raise LookupError(f"account {account_pk} is not in this world.")
    row = world.store.accounts_frame([account_id]).iloc[0]
    return world.images.put(key, encode_jpeg(draw_avatar(account_pk, row["full_name"], row["username"])))


def draw_avatar(account_pk: str, full_name: str, username: str, size: int = AVATAR_SIZE) -> Image.Image:
    hashed = zlib.crc32(account_pk.encode())
    colour = AVATAR_COLOURS[hashed % len(AVATAR_COLOURS)]
    big = size * 3  # drawn large and scaled down: smooth edges
    image = Image.new("RGB", (big, big), (250, 248, 245))
    draw = ImageDraw.Draw(image)
    draw.ellipse((0, 0, big - 1, big - 1), fill=colour)
    text = initials(full_name, username)
    font = ImageFont.load_default(size=big * 0.42 if len(text) < 2 else big * 0.36)
    ink = (255, 255, 255) if sum(colour) < 520 else (40, 36, 34)
    draw.text((big / 2, big / 2), text, fill=ink, font=font, anchor="mm")
    return image.resize((size, size), Image.Resampling.LANCZOS)


def initials(full_name: str, username: str) -> str:
    """Up to two capital letters: the first letters of the first two words of the name, else the username."""
    words = [w for w in (full_name or "").split() if w[:1].isalpha()]
    if words:
        return "".join(w[0] for w in words[:2]).upper()
    letters = [c for c in username if c.isalnum()]
    return "".join(letters[:2]).upper() or "?"


def candidate_images(world: World, author_pk: str, n: int = 4, seed: int = 0,
                     taken_at: int | None = None) -> list[Candidate]:
    """`n` pictures `author_pk` could post as a square photo at `taken_at` (default: the world's clock), each
    with the hidden model's expected likes. Varied in quality, so a good pick beats a random one."""
    model = hidden.hidden_world(world.directory)
    a = model.account_index(author_pk)
    if a is None:
        raise LookupError(f"account {author_pk} is not in the demo world.")
    if n < 1:
        raise ValueError("ask for at least one candidate picture")
    when = world.now() if taken_at is None else int(taken_at)
    rng = np.random.default_rng([seed, zlib.crc32(author_pk.encode()), when])
    hour, weekday = hidden.local_time(when, int(model.utc_offset[a]))
    topics = rng.choice(len(TOPICS), n, p=model.mix[a] / model.mix[a].sum())
    look = hidden.draw_qualities(rng, np.full(n, model.skill[a]), topics)
    out = []
    for i, topic in enumerate(topics.tolist()):
        style = PictureStyle(topic, int(rng.integers(len(TOPICS[topic].scenes))), float(look.saturation[i]),
                             float(look.contrast[i]), float(look.centred[i]), float(look.brightness[i]),
                             bool(look.mono[i]), int(rng.integers(2**32)))
        expected = hidden.expected_likes(model.audience[a], model.engagement[a], topic, hour, weekday,
                                         hidden.PHOTO, round(float(model.hashtag_habit[a])), style.quality())
        out.append(Candidate(encode_jpeg(draw_picture(style)), float(expected), style))
    return out


def _jitter(colour: tuple[int, int, int], rng: np.random.Generator) -> tuple[int, int, int]:
    r, g, b = (int(v) for v in np.clip(np.array(colour) + rng.normal(0, 12, 3), 0, 255))
    return r, g, b
