"""The canvas scene painters draw on, and the shapes and lights they share."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from PIL import Image, ImageDraw

Colour = tuple[int, int, int]
SUN = (255, 196, 96)  # suns are warm whatever the topic's accent


class Draw(ImageDraw.ImageDraw):
    """Pillow's drawing, taking boxes whose corners come in either order: a subject near an edge can turn a
    painter's box inside out, and that should draw, not raise."""

    def rectangle(self, xy, *args, **kwargs):
        return super().rectangle(_box(xy), *args, **kwargs)

    def rounded_rectangle(self, xy, *args, **kwargs):
        return super().rounded_rectangle(_box(xy), *args, **kwargs)

    def ellipse(self, xy, *args, **kwargs):
        return super().ellipse(_box(xy), *args, **kwargs)

    def arc(self, xy, *args, **kwargs):
        return super().arc(_box(xy), *args, **kwargs)

    def chord(self, xy, *args, **kwargs):
        return super().chord(_box(xy), *args, **kwargs)

    def pieslice(self, xy, *args, **kwargs):
        return super().pieslice(_box(xy), *args, **kwargs)


def _box(xy):
    (x0, y0, x1, y1) = xy if len(xy) == 4 else (*xy[0], *xy[1])
    return (min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1))


@dataclass
class Canvas:
    image: Image.Image
    draw: ImageDraw.ImageDraw
    rng: np.random.Generator
    palette: list[Colour]  # light, deep, main, accent, dark
    subject: tuple[float, float]  # where the subject goes, in pixels
    scale: float  # the subject's size, in pixels

    @property
    def width(self) -> int:
        return self.image.width

    @property
    def height(self) -> int:
        return self.image.height

    @property
    def light(self) -> Colour:
        return self.palette[0]

    @property
    def deep(self) -> Colour:
        return self.palette[1]

    @property
    def main(self) -> Colour:
        return self.palette[2]

    @property
    def accent(self) -> Colour:
        return self.palette[3]

    @property
    def dark(self) -> Colour:
        return self.palette[4]


# --- helpers ---------------------------------------------------------------------------------------------

def mix(a: Colour, b: Colour, t: float) -> Colour:
    red, green, blue = (int(round(x + (y - x) * t)) for x, y in zip(a, b, strict=True))
    return red, green, blue


def alpha(colour: Colour, a: int) -> tuple[int, int, int, int]:
    return (*colour, a)


def gradient(canvas: Canvas, top: Colour, bottom: Colour,
             box: tuple[float, float, float, float] | None = None) -> None:
    """A vertical gradient over `box` (default: the whole canvas), its corners truncated to whole pixels."""
    x0, y0, x1, y1 = (int(v) for v in box or (0, 0, canvas.width, canvas.height))
    if x1 <= x0 or y1 <= y0:
        return
    mask = Image.linear_gradient("L").resize((x1 - x0, y1 - y0))
    band = Image.composite(Image.new("RGB", mask.size, bottom), Image.new("RGB", mask.size, top), mask)
    canvas.image.paste(band, (x0, y0))


def glow(canvas: Canvas, centre: tuple[float, float], radius: float, colour: Colour,
         strength: float = 1.0) -> None:
    """A soft round light: strongest in the middle, fading to nothing at `radius`."""
    size = max(2, int(radius * 2))
    # Pillow's radial gradient reaches 181 at the middle of each edge; fade to nothing there, smoothly.
    mask = Image.radial_gradient("L").resize((size, size))
    mask = mask.point(lambda v: int(255 * strength * max(0.0, 1 - v / 181) ** 2))
    canvas.image.paste(Image.new("RGB", (size, size), colour),
                       (int(centre[0] - size / 2), int(centre[1] - size / 2)), mask)


def ellipse(canvas: Canvas, cx: float, cy: float, rx: float, ry: float, fill, outline=None,
            width: int = 1) -> None:
    canvas.draw.ellipse((cx - rx, cy - ry, cx + rx, cy + ry), fill=fill, outline=outline, width=width)


def ridge(canvas: Canvas, base: float, roughness: float, colour, smooth: int = 6) -> None:
    """A mountain or hill silhouette whose crest wanders around height `base` (pixels from the top)."""
    points = max(8, canvas.width // 16)
    walk = np.cumsum(canvas.rng.normal(0, roughness, points))
    kernel = np.ones(smooth) / smooth
    walk = np.convolve(np.pad(walk, smooth, mode="edge"), kernel, mode="same")[smooth:-smooth]
    walk -= walk.mean()
    xs = np.linspace(-4, canvas.width + 4, points)
    crest = [(float(x), float(base + y)) for x, y in zip(xs, walk, strict=True)]
    canvas.draw.polygon(crest + [(canvas.width + 4, canvas.height + 4), (-4, canvas.height + 4)], fill=colour)


def leaf(cx: float, cy: float, length: float, width: float, angle: float) -> list[tuple[float, float]]:
    """A pointed leaf from (cx, cy) along `angle` (radians)."""
    t = np.linspace(0, math.pi, 14)
    along = np.concatenate([t, t[::-1]]) / math.pi * length
    side = np.concatenate([np.sin(t), -np.sin(t[::-1])]) * width / 2
    cos, sin = math.cos(angle), math.sin(angle)
    return [(cx + a * cos - s * sin, cy + a * sin + s * cos) for a, s in zip(along, side, strict=True)]


def person(canvas: Canvas, x: float, feet: float, height: float, colour, accent=None) -> None:
    """A walking figure, seen from afar."""
    head = height * 0.13
    d = canvas.draw
    ellipse(canvas, x, feet - height + head, head, head, colour)
    torso = (x - height * 0.13, feet - height + head * 2.1, x + height * 0.13, feet - height * 0.42)
    d.rounded_rectangle(torso, radius=height * 0.06, fill=accent or colour)
    stride = height * 0.12
    w = max(2, int(height * 0.07))
    d.line([(x - height * 0.04, feet - height * 0.44), (x - stride, feet)], fill=colour, width=w)
    d.line([(x + height * 0.04, feet - height * 0.44), (x + stride * 0.8, feet)], fill=colour, width=w)


def pick(canvas: Canvas, options):
    return options[int(canvas.rng.integers(len(options)))]


SKIES = {  # top and horizon colours of the light a scene is shot in
    "day": ((112, 168, 222), (206, 228, 242)),
    "golden": ((236, 170, 112), (255, 226, 170)),
    "dusk": ((62, 58, 108), (238, 136, 104)),
    "overcast": ((160, 170, 180), (214, 216, 216)),
}


def sky(canvas: Canvas, horizon: float, kinds=tuple(SKIES)) -> str:
    """A sky down to `horizon` (pixels), in one of the lights of `kinds`, tinted by the topic; its name."""
    kind = pick(canvas, kinds)
    top, low = SKIES[kind]
    gradient(canvas, mix(top, canvas.deep, 0.15), mix(low, canvas.light, 0.2),
             (0, 0, canvas.width, int(horizon)))
    return kind


def sun_colour(kind: str) -> Colour:
    return {"day": (255, 246, 214), "golden": SUN, "dusk": (255, 150, 90)}.get(kind, (236, 236, 230))


def polygon(canvas: Canvas, points, fill) -> None:
    canvas.draw.polygon([(float(x), float(y)) for x, y in points], fill=fill)


def turned(points, cx: float, cy: float, angle: float) -> list[tuple[float, float]]:
    """`points` turned by `angle` (radians) about (cx, cy)."""
    cos, sin = math.cos(angle), math.sin(angle)
    return [(cx + (x - cx) * cos - (y - cy) * sin, cy + (x - cx) * sin + (y - cy) * cos) for x, y in points]


def limb(canvas: Canvas, points, colour, width: float) -> None:
    """A jointed arm or leg: a thick line with rounded joints."""
    w = max(2, int(width))
    canvas.draw.line([(float(x), float(y)) for x, y in points], fill=colour, width=w, joint="curve")
    for x, y in (points[0], points[-1]):
        ellipse(canvas, x, y, w / 2, w / 2, colour)


def runner(canvas: Canvas, x: float, feet: float, height: float, colour, shirt, facing: int = 1) -> None:
    """A runner in mid-stride, leaning into the run."""
    f, h = facing, height
    hip = (x, feet - h * 0.48)
    neck = (x + f * h * 0.08, feet - h * 0.8)
    limb(canvas, [hip, (x + f * h * 0.2, feet - h * 0.28), (x + f * h * 0.14, feet - h * 0.02)], colour, h * 0.08)
    limb(canvas, [hip, (x - f * h * 0.1, feet - h * 0.24), (x - f * h * 0.3, feet - h * 0.3)], colour, h * 0.08)
    limb(canvas, [neck, hip], shirt, h * 0.16)
    limb(canvas, [(neck[0], neck[1] + h * 0.04), (x + f * h * 0.2, feet - h * 0.64),
                  (x + f * h * 0.28, feet - h * 0.76)], colour, h * 0.06)
    limb(canvas, [(neck[0], neck[1] + h * 0.04), (x - f * h * 0.1, feet - h * 0.62),
                  (x - f * h * 0.2, feet - h * 0.52)], colour, h * 0.06)
    ellipse(canvas, neck[0] + f * h * 0.03, neck[1] - h * 0.1, h * 0.075, h * 0.085, colour)


def climber(canvas: Canvas, x: float, y: float, size: float, skin, shirt, trousers) -> None:
    """A climber seen from behind at (x, y) (the hips), one arm reaching up, one knee high."""
    s = size
    shoulders = (x + s * 0.03, y - s * 0.42)
    limb(canvas, [(x - s * 0.08, y), (x - s * 0.32, y + s * 0.12), (x - s * 0.3, y + s * 0.42)], trousers, s * 0.13)
    limb(canvas, [(x + s * 0.08, y), (x + s * 0.34, y - s * 0.12), (x + s * 0.4, y + s * 0.14)], trousers, s * 0.13)
    limb(canvas, [(x, y), shoulders], shirt, s * 0.26)
    limb(canvas, [(shoulders[0] - s * 0.1, shoulders[1]), (x - s * 0.26, y - s * 0.7),
                  (x - s * 0.22, y - s * 0.98)], skin, s * 0.09)
    limb(canvas, [(shoulders[0] + s * 0.1, shoulders[1]), (x + s * 0.36, y - s * 0.4),
                  (x + s * 0.44, y - s * 0.58)], skin, s * 0.09)
    ellipse(canvas, shoulders[0], shoulders[1] - s * 0.17, s * 0.11, s * 0.12, mix(skin, (40, 30, 24), 0.6))


def grain(canvas: Canvas, amount: float) -> None:
    """Film grain: noise of standard deviation `amount` (0..255) over the whole picture."""
    pixels = np.asarray(canvas.image, dtype=np.int16)
    noise = canvas.rng.normal(0, amount, pixels.shape[:2])[..., None]
    canvas.image.paste(Image.fromarray(np.clip(pixels + noise, 0, 255).astype(np.uint8)))


def planks(canvas: Canvas, colour: Colour, box=None, vertical: bool = False) -> None:
    """A wooden table top or floor of boards over `box`."""
    x0, y0, x1, y1 = box or (0, 0, canvas.width, canvas.height)
    gradient(canvas, mix(colour, (255, 255, 255), 0.08), mix(colour, (0, 0, 0), 0.12), (x0, y0, x1, y1))
    board = canvas.rng.uniform(0.12, 0.2) * canvas.width
    line = max(1, int(canvas.width / 320))
    edge = mix(colour, (0, 0, 0), 0.3)
    pos = (x0 if vertical else y0) + canvas.rng.uniform(0, board)
    while pos < (x1 if vertical else y1):
        if vertical:
            canvas.draw.line([(pos, y0), (pos, y1)], fill=edge, width=line)
        else:
            canvas.draw.line([(x0, pos), (x1, pos)], fill=edge, width=line)
        pos += board
    for _ in range(30):  # the grain of the wood
        if vertical:
            x, y = canvas.rng.uniform(x0, x1), canvas.rng.uniform(y0, y1)
            canvas.draw.line([(x, y), (x, y + canvas.rng.uniform(20, 80))], fill=alpha(edge, 50), width=line)
        else:
            x, y = canvas.rng.uniform(x0, x1), canvas.rng.uniform(y0, y1)
            canvas.draw.line([(x, y), (x + canvas.rng.uniform(20, 80), y)], fill=alpha(edge, 50), width=line)


def shadow(canvas: Canvas, cx: float, cy: float, rx: float, ry: float, strength: int = 70) -> None:
    ellipse(canvas, cx, cy, rx, ry, alpha((20, 16, 14), strength))

