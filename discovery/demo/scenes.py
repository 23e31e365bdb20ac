"""Flat illustrations for the demo world's pictures, one painter per scene kind.

A painter draws in full colour on a canvas, with its subject (the salient thing: a sun, a cup, a dog, a
climber) at `canvas.subject`; discovery.demo.pictures then applies the picture's brightness, colour and
contrast. Everything random comes from `canvas.rng`, so a picture is a pure function of its style.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from PIL import Image, ImageDraw

Colour = tuple[int, int, int]
SUN = (255, 196, 96)  # suns are warm whatever the topic's accent


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
    return tuple(int(round(x + (y - x) * t)) for x, y in zip(a, b, strict=True))


def alpha(colour: Colour, a: int) -> tuple[int, int, int, int]:
    return (*colour, a)


def gradient(canvas: Canvas, top: Colour, bottom: Colour,
             box: tuple[int, int, int, int] | None = None) -> None:
    """A vertical gradient over `box` (default: the whole canvas)."""
    x0, y0, x1, y1 = box or (0, 0, canvas.width, canvas.height)
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


# --- scenes ----------------------------------------------------------------------------------------------

def mountains(c: Canvas) -> None:
    h = c.height
    gradient(c, mix(c.accent, c.light, 0.55), c.light)
    sx, sy = c.subject  # the sun; low in the frame it sets behind the ridges
    sun = mix(c.accent, SUN, 0.6)
    glow(c, (sx, sy), c.scale * 2.6, mix(sun, (255, 255, 255), 0.3), 1.0)
    ellipse(c, sx, sy, c.scale * 0.75, c.scale * 0.75, sun)
    layers = 4  # hazy ridges, darker as they come closer, low in the frame: the sun is the subject
    for i in range(layers):
        t = i / (layers - 1)
        ridge(c, h * (0.68 + 0.09 * i), h * 0.022 * (1.3 - t),
              mix(mix(c.deep, c.light, 0.55), mix(c.deep, c.dark, 0.45), t), smooth=5 + 3 * i)


def sea(c: Canvas) -> None:
    w, h = c.width, c.height
    sx, sy = c.subject  # the sun; below the horizon only its glow shows in the water
    horizon = int(h * c.rng.uniform(0.6, 0.7))
    gradient(c, mix(c.deep, c.light, 0.2), mix(c.light, c.deep, 0.35), (0, 0, w, horizon))
    sun = mix(c.accent, SUN, 0.6)
    glow(c, (sx, sy), c.scale * 2.6, mix(sun, (255, 255, 255), 0.4), 1.0)
    ellipse(c, sx, sy, c.scale * 0.75, c.scale * 0.75, sun)
    gradient(c, mix(c.main, c.light, 0.25), mix(c.main, c.dark, 0.3), (0, horizon, w, h))
    for _ in range(26):  # the sun's reflection on the water
        y = c.rng.uniform(horizon + 4, h)
        spread = (y - horizon) / max(1, h - horizon)
        length = c.rng.uniform(0.2, 1.0) * c.scale * (0.6 + spread)
        x = sx + c.rng.normal(0, c.scale * 0.25 * (1 + spread))
        c.draw.line([(x - length, y), (x + length, y)], fill=alpha(mix(c.accent, (255, 255, 255), 0.4), 150),
                    width=max(2, int(h / 220)))
    if c.rng.random() < 0.5:  # an island on the horizon
        x, half = c.rng.uniform(0, w), w * c.rng.uniform(0.12, 0.25)
        c.draw.pieslice((x - half, horizon - h * 0.06, x + half, horizon + h * 0.06), 180, 360,
                        fill=mix(c.dark, c.deep, 0.3))


def wall(c: Canvas) -> None:
    w, h = c.width, c.height
    gradient(c, mix(c.light, c.deep, 0.35), c.deep)
    for _ in range(7):  # cracks and slabs
        x0 = c.rng.uniform(-0.2, 1.2) * w
        c.draw.line([(x0, 0), (x0 + c.rng.uniform(-0.5, 0.5) * w, h)],
                    fill=alpha(c.dark, 60), width=max(2, int(w / 90)))
        c.draw.polygon([(x0, 0), (x0 + w * 0.25, 0), (x0 - w * 0.1, h)], fill=alpha(c.light, 28))
    holds = [c.accent, c.main, mix(c.accent, c.light, 0.4), (240, 210, 80)]
    for _ in range(22):
        x, y = c.rng.uniform(0, w), c.rng.uniform(0, h)
        r = c.rng.uniform(0.012, 0.03) * w
        ellipse(c, x, y, r * 1.3, r, holds[int(c.rng.integers(len(holds)))])
    sx, sy = c.subject
    c.draw.line([(sx, 0), (sx, sy)], fill=mix(c.accent, (255, 255, 255), 0.3), width=max(2, int(w / 200)))
    size = c.scale * 1.5
    arm = max(3, int(size * 0.08))
    ellipse(c, sx, sy - size * 0.36, size * 0.11, size * 0.11, c.dark)
    c.draw.line([(sx, sy - size * 0.25), (sx, sy + size * 0.12)], fill=c.accent, width=int(arm * 1.8))
    c.draw.line([(sx, sy - size * 0.2), (sx - size * 0.28, sy - size * 0.55)], fill=c.dark, width=arm)
    c.draw.line([(sx, sy - size * 0.2), (sx + size * 0.3, sy - size * 0.3)], fill=c.dark, width=arm)
    c.draw.line([(sx, sy + size * 0.1), (sx - size * 0.22, sy + size * 0.45)], fill=c.dark, width=arm)
    c.draw.line([(sx, sy + size * 0.1), (sx + size * 0.26, sy + size * 0.32)], fill=c.dark, width=arm)


def cup(c: Canvas) -> None:
    w, h = c.width, c.height
    sx, sy = c.subject
    table = int(min(h * 0.85, max(h * 0.35, sy + c.scale * 0.2)))
    gradient(c, c.light, mix(c.light, c.deep, 0.45), (0, 0, w, table))
    gradient(c, mix(c.deep, c.dark, 0.2), c.dark, (0, table, w, h))
    r = c.scale
    ellipse(c, sx, sy + r * 0.55, r * 1.25, r * 0.42, mix(c.light, (255, 255, 255), 0.5))  # saucer
    ellipse(c, sx, sy + r * 0.5, r * 1.0, r * 0.3, mix(c.light, c.deep, 0.25))
    c.draw.rounded_rectangle((sx - r * 0.8, sy - r * 0.35, sx + r * 0.8, sy + r * 0.5), radius=r * 0.35,
                             fill=mix(c.light, (255, 255, 255), 0.6))  # cup body
    c.draw.arc((sx + r * 0.6, sy - r * 0.2, sx + r * 1.15, sy + r * 0.3), -90, 90,
               fill=mix(c.light, (255, 255, 255), 0.6), width=max(3, int(r * 0.12)))
    ellipse(c, sx, sy - r * 0.35, r * 0.8, r * 0.26, mix(c.light, (255, 255, 255), 0.7))
    ellipse(c, sx, sy - r * 0.35, r * 0.68, r * 0.2, c.main)  # coffee
    heart = [(sx, sy - r * 0.2), (sx - r * 0.28, sy - r * 0.38), (sx - r * 0.12, sy - r * 0.5),
             (sx, sy - r * 0.4), (sx + r * 0.12, sy - r * 0.5), (sx + r * 0.28, sy - r * 0.38)]
    c.draw.polygon(heart, fill=mix(c.light, c.accent, 0.3))
    for k in (-1, 0, 1):  # steam
        x = sx + k * r * 0.3
        c.draw.arc((x - r * 0.15, sy - r * 1.5, x + r * 0.15, sy - r * 0.6), 100, 260,
                   fill=alpha((255, 255, 255), 110), width=max(2, int(r * 0.05)))


def bokeh(c: Canvas) -> None:
    w, h = c.width, c.height
    gradient(c, mix(c.dark, c.deep, 0.3), c.dark)
    colours = [c.accent, c.light, c.main, mix(c.accent, c.light, 0.5)]
    for _ in range(34):
        x, y = c.rng.uniform(0, w), c.rng.uniform(0, h)
        r = c.rng.uniform(0.03, 0.11) * min(w, h)
        colour = colours[int(c.rng.integers(len(colours)))]
        ellipse(c, x, y, r, r, alpha(colour, int(c.rng.uniform(35, 90))))
    sx, sy = c.subject
    glow(c, (sx, sy), c.scale * 2.2, mix(c.accent, (255, 240, 210), 0.4), 0.9)
    ellipse(c, sx, sy, c.scale * 0.7, c.scale * 0.7, alpha(mix(c.accent, (255, 255, 255), 0.5), 220))


def street(c: Canvas) -> None:
    w, h = c.width, c.height
    ground = int(h * c.rng.uniform(0.68, 0.8))
    gradient(c, mix(c.light, c.deep, 0.3), c.light, (0, 0, w, ground))
    gradient(c, mix(c.deep, c.dark, 0.3), mix(c.deep, c.light, 0.2), (0, ground, w, h))
    x = -w * 0.05
    while x < w:  # a row of buildings with windows
        bw = c.rng.uniform(0.16, 0.3) * w
        top = c.rng.uniform(0.08, 0.45) * h
        colour = mix(c.deep, c.dark, c.rng.uniform(0.0, 0.7))
        c.draw.rectangle((x, top, x + bw, ground), fill=colour)
        for wy in np.arange(top + h * 0.04, ground - h * 0.08, h * 0.07):
            for wx in np.arange(x + bw * 0.12, x + bw * 0.85, bw * 0.22):
                lit = c.rng.random() < 0.25
                c.draw.rectangle((wx, wy, wx + bw * 0.1, wy + h * 0.035),
                                 fill=c.accent if lit else mix(colour, c.light, 0.25))
        x += bw
    c.draw.polygon([(0, ground), (w, ground - h * 0.15), (w, h), (w * 0.3, h)], fill=alpha(c.dark, 70))
    sx, sy = c.subject
    feet = max(sy + c.scale * 0.9, ground + h * 0.02)
    s = c.scale
    shadow = [(sx - s * 0.1, feet), (sx + s * 0.1, feet), (sx + s * 2.2, feet + s * 0.5),
              (sx + s * 1.9, feet + s * 0.6)]
    c.draw.polygon(shadow, fill=alpha(c.dark, 120))  # a long evening shadow
    person(c, sx, feet, c.scale * 1.8, c.dark, c.accent)


def facade(c: Canvas) -> None:
    w, h = c.width, c.height
    gradient(c, mix(c.deep, c.light, 0.2), c.light)
    left, right = w * c.rng.uniform(-0.1, 0.1), w * c.rng.uniform(0.9, 1.1)
    top = h * c.rng.uniform(0.05, 0.2)
    c.draw.rectangle((left, top, right, h), fill=c.main)
    columns = int(c.rng.integers(4, 8))
    rows = int(c.rng.integers(5, 10))
    cell_w, cell_h = (right - left) / columns, (h - top) / rows
    for i in range(columns):
        for j in range(rows):
            x0, y0 = left + i * cell_w + cell_w * 0.2, top + j * cell_h + cell_h * 0.2
            c.draw.rectangle((x0, y0, x0 + cell_w * 0.6, y0 + cell_h * 0.6), fill=mix(c.main, c.dark, 0.55))
            c.draw.rectangle((x0, y0 + cell_h * 0.6, x0 + cell_w * 0.6, y0 + cell_h * 0.66),
                             fill=mix(c.main, c.light, 0.5))  # the sill
    c.draw.polygon([(left, top), (right, top), (right, top + (h - top) * 0.6)],
                   fill=alpha((255, 255, 255), 40))  # sunlight across the facade
    sx, sy = c.subject
    r = c.scale * 0.9
    ellipse(c, sx, sy, r * 1.15, r * 1.15, mix(c.main, c.light, 0.6))
    ellipse(c, sx, sy, r, r, c.accent)
    for k in range(6):
        angle = k * math.pi / 6
        c.draw.line([(sx - r * math.cos(angle), sy - r * math.sin(angle)),
                     (sx + r * math.cos(angle), sy + r * math.sin(angle))], fill=mix(c.accent, c.dark, 0.4),
                    width=max(2, int(r * 0.06)))


def arches(c: Canvas) -> None:
    w, h = c.width, c.height
    gradient(c, mix(c.main, c.light, 0.35), c.main)
    floor = h * 0.82
    count = int(c.rng.integers(3, 6))
    span = w / count
    sx, sy = c.subject
    for i in range(count):
        x0 = i * span + span * 0.18
        x1 = (i + 1) * span - span * 0.18
        top = h * 0.3
        colour = mix(c.main, c.dark, 0.6)
        c.draw.rectangle((x0, top + (x1 - x0) / 2, x1, max(floor, top + (x1 - x0) / 2)), fill=colour)
        c.draw.pieslice((x0, top, x1, top + (x1 - x0)), 180, 360, fill=colour)
    aw = c.scale * 1.4  # the lit arch: the subject
    lit_top = sy - aw * 0.2
    c.draw.rectangle((sx - aw / 2, lit_top, sx + aw / 2, max(lit_top, min(floor, sy + aw * 1.1))), fill=c.accent)
    c.draw.pieslice((sx - aw / 2, sy - aw * 0.7, sx + aw / 2, sy + aw * 0.3), 180, 360, fill=c.accent)
    gradient(c, mix(c.main, c.light, 0.2), mix(c.main, c.dark, 0.3), (0, int(floor), w, h))
    c.draw.polygon([(0, floor), (w * 0.55, floor), (w * 0.25, h), (0, h)], fill=alpha(c.dark, 60))


def plate(c: Canvas) -> None:
    w, h = c.width, c.height
    gradient(c, mix(c.light, c.deep, 0.15), mix(c.light, c.deep, 0.4))
    for k in range(9):  # table boards
        y = h * k / 9
        c.draw.line([(0, y), (w, y + h * 0.02)], fill=alpha(c.dark, 25), width=max(1, int(h / 300)))
    sx, sy = c.subject
    r = c.scale * 1.3
    ellipse(c, sx + r * 0.06, sy + r * 0.08, r, r, alpha(c.dark, 60))  # shadow
    ellipse(c, sx, sy, r, r, (248, 246, 240))
    ellipse(c, sx, sy, r * 0.78, r * 0.78, (236, 232, 224))
    food = [c.main, c.accent, mix(c.main, c.dark, 0.3), mix(c.accent, c.light, 0.3)]
    for _ in range(int(c.rng.integers(6, 12))):
        angle, dist = c.rng.uniform(0, 2 * math.pi), c.rng.uniform(0, r * 0.45)
        fx, fy = sx + dist * math.cos(angle), sy + dist * math.sin(angle)
        fr = c.rng.uniform(0.1, 0.24) * r
        ellipse(c, fx, fy, fr, fr * c.rng.uniform(0.7, 1.0), food[int(c.rng.integers(len(food)))])
    for _ in range(8):  # herbs
        angle, dist = c.rng.uniform(0, 2 * math.pi), c.rng.uniform(0, r * 0.55)
        c.draw.polygon(leaf(sx + dist * math.cos(angle), sy + dist * math.sin(angle), r * 0.16, r * 0.07,
                            c.rng.uniform(0, 2 * math.pi)), fill=(70, 140, 60))
    fork_x = sx + r * 1.3
    c.draw.line([(fork_x, sy - r * 0.8), (fork_x, sy + r * 0.8)], fill=(190, 190, 196),
                width=max(3, int(r * 0.06)))


def table(c: Canvas) -> None:
    w, h = c.width, c.height
    gradient(c, mix(c.light, c.deep, 0.2), mix(c.light, c.deep, 0.5))
    colours = [c.main, c.accent, mix(c.main, c.light, 0.4), mix(c.accent, c.dark, 0.3)]
    for _ in range(int(c.rng.integers(3, 7))):
        x, y = c.rng.uniform(0, w), c.rng.uniform(0, h)
        r = c.rng.uniform(0.07, 0.13) * min(w, h)
        ellipse(c, x + r * 0.08, y + r * 0.1, r, r, alpha(c.dark, 50))
        ellipse(c, x, y, r, r, colours[int(c.rng.integers(len(colours)))])
        ellipse(c, x, y, r * 0.7, r * 0.7, mix(c.light, (255, 255, 255), 0.3))
    sx, sy = c.subject
    r = c.scale * 1.2
    ellipse(c, sx + r * 0.08, sy + r * 0.1, r, r, alpha(c.dark, 70))
    ellipse(c, sx, sy, r, r, c.accent)
    ellipse(c, sx, sy, r * 0.75, r * 0.75, mix(c.accent, c.light, 0.55))
    ellipse(c, sx, sy, r * 0.4, r * 0.4, c.main)


def dog(c: Canvas) -> None:
    w, h = c.width, c.height
    gradient(c, mix(c.deep, c.light, 0.35), c.deep)
    gradient(c, mix(c.deep, c.dark, 0.2), mix(c.deep, c.dark, 0.45), (0, int(h * 0.78), w, h))
    sx, sy = c.subject
    r = c.scale * 1.05
    fur = c.main
    darker = mix(fur, c.dark, 0.45)
    ellipse(c, sx, sy + r * 1.25, r * 1.05, r * 0.8, fur)  # body
    for side in (-1, 1):  # ears
        c.draw.polygon(leaf(sx + side * r * 0.55, sy - r * 0.55, r * 0.95, r * 0.55,
                            math.pi / 2 + side * 0.35), fill=darker)
    ellipse(c, sx, sy, r * 0.85, r * 0.8, fur)  # head
    ellipse(c, sx, sy + r * 0.35, r * 0.45, r * 0.35, mix(fur, (255, 255, 255), 0.55))  # snout
    ellipse(c, sx, sy + r * 0.2, r * 0.15, r * 0.11, c.dark)  # nose
    for side in (-1, 1):
        ellipse(c, sx + side * r * 0.33, sy - r * 0.12, r * 0.1, r * 0.11, c.dark)
        ellipse(c, sx + side * r * 0.3, sy - r * 0.16, r * 0.035, r * 0.035, (255, 255, 255))
    if c.rng.random() < 0.6:  # tongue
        ellipse(c, sx, sy + r * 0.62, r * 0.12, r * 0.16, c.accent)
    c.draw.rectangle((sx - r * 0.55, sy + r * 0.75, sx + r * 0.55, sy + r * 0.86), fill=c.accent)  # collar


def road(c: Canvas) -> None:
    w, h = c.width, c.height
    sx, sy = c.subject
    horizon = int(min(max(sy, h * 0.3), h * 0.7))
    gradient(c, mix(c.accent, c.light, 0.5), c.light, (0, 0, w, horizon))
    glow(c, (sx, horizon - c.scale * 0.3), c.scale * 1.8, mix(c.accent, (255, 255, 255), 0.5), 0.9)
    ridge(c, horizon - h * 0.03, h * 0.015, mix(c.deep, c.light, 0.4), smooth=8)
    gradient(c, mix(c.deep, c.main, 0.3) if c.rng.random() < 0.5 else c.deep, c.dark, (0, horizon, w, h))
    c.draw.polygon([(sx - w * 0.01, horizon), (sx + w * 0.01, horizon), (w * 0.85, h), (w * 0.15, h)],
                   fill=mix(c.dark, (90, 90, 96), 0.5))
    for k in range(12):  # the centre line, converging on the subject
        t0, t1 = (k / 12) ** 2, ((k + 0.5) / 12) ** 2
        y0, y1 = horizon + (h - horizon) * t0, horizon + (h - horizon) * t1
        x0, x1 = sx + (w * 0.5 - sx) * t0, sx + (w * 0.5 - sx) * t1
        c.draw.line([(x0, y0), (x1, y1)], fill=c.accent, width=max(1, int(1 + 8 * t1)))
    person(c, sx + w * 0.03, horizon + (h - horizon) * 0.3, c.scale * 1.2, c.dark, c.accent)


def plant(c: Canvas) -> None:
    w, h = c.width, c.height
    gradient(c, c.light, mix(c.light, c.deep, 0.5))
    sx, sy = c.subject
    shelf = min(h * 0.95, sy + c.scale * 1.1)
    c.draw.rectangle((0, shelf, w, h), fill=mix(c.deep, c.dark, 0.35))
    pot_top, r = sy + c.scale * 0.3, c.scale * 0.6
    greens = [c.main, mix(c.main, c.dark, 0.3), mix(c.main, c.light, 0.3), mix(c.main, (120, 170, 60), 0.5)]
    for _ in range(int(c.rng.integers(9, 16))):
        angle = -math.pi / 2 + c.rng.normal(0, 0.75)
        length = c.scale * c.rng.uniform(1.0, 1.9)
        c.draw.polygon(leaf(sx, pot_top, length, length * c.rng.uniform(0.3, 0.5), angle),
                       fill=greens[int(c.rng.integers(len(greens)))])
    c.draw.polygon([(sx - r, pot_top), (sx + r, pot_top), (sx + r * 0.75, shelf), (sx - r * 0.75, shelf)],
                   fill=c.accent)
    c.draw.rectangle((sx - r * 1.05, pot_top - r * 0.1, sx + r * 1.05, pot_top + r * 0.15),
                     fill=mix(c.accent, c.dark, 0.2))


def leaves(c: Canvas) -> None:
    w, h = c.width, c.height
    gradient(c, mix(c.main, c.dark, 0.5), c.dark)
    greens = [c.main, mix(c.main, c.light, 0.35), mix(c.main, c.dark, 0.25), mix(c.main, (150, 190, 70), 0.4)]
    for _ in range(26):
        x, y = c.rng.uniform(-0.1, 1.1) * w, c.rng.uniform(-0.1, 1.1) * h
        length = c.rng.uniform(0.25, 0.5) * min(w, h)
        c.draw.polygon(leaf(x, y, length, length * 0.4, c.rng.uniform(0, 2 * math.pi)),
                       fill=greens[int(c.rng.integers(len(greens)))])
    sx, sy = c.subject
    for k in range(6):  # a flower among the leaves
        angle = k * math.pi / 3
        c.draw.polygon(leaf(sx, sy, c.scale * 0.9, c.scale * 0.5, angle), fill=c.accent)
    ellipse(c, sx, sy, c.scale * 0.22, c.scale * 0.22, (250, 214, 90))


def vase(c: Canvas) -> None:
    w, h = c.width, c.height
    sx, sy = c.subject
    table_y = min(h * 0.92, sy + c.scale * 1.3)
    gradient(c, c.light, mix(c.light, c.deep, 0.4), (0, 0, w, int(table_y)))
    gradient(c, mix(c.deep, c.light, 0.2), c.deep, (0, int(table_y), w, h))
    height = table_y - (sy - c.scale * 1.3)
    ys = np.linspace(sy - c.scale * 1.3, table_y, 24)
    t = np.linspace(0, 1, 24)
    belly = c.rng.uniform(0.55, 0.8)
    profile = c.scale * (0.28 + belly * np.sin(np.pi * np.clip(t * 1.1 - 0.05, 0, 1)) ** 1.5)
    outline = [(sx - p, y) for p, y in zip(profile, ys, strict=True)]
    outline += [(sx + p, y) for p, y in zip(profile[::-1], ys[::-1], strict=True)]
    c.draw.polygon(outline, fill=c.main)
    band = int(c.rng.uniform(0.3, 0.6) * len(ys))
    c.draw.polygon([(sx - p, y) for p, y in zip(profile[:band], ys[:band], strict=True)]
                   + [(sx + p, y) for p, y in zip(profile[:band][::-1], ys[:band][::-1], strict=True)],
                   fill=c.accent)  # glaze dipped from the top
    for _ in range(40):  # speckles
        i = int(c.rng.integers(len(ys)))
        x = sx + c.rng.uniform(-0.9, 0.9) * profile[i]
        ellipse(c, x, ys[i] + c.rng.uniform(-4, 4), 1.5, 1.5, alpha(c.dark, 140))
    c.draw.polygon([(sx - profile[3] * 0.2, ys[3]), (sx + profile[3] * 0.1, ys[3]),
                    (sx - profile[-4] * 0.5, ys[-4])], fill=alpha((255, 255, 255), 50))
    ellipse(c, sx, table_y, c.scale * 0.9, height * 0.04, alpha(c.dark, 70))


def bike(c: Canvas) -> None:
    w, h = c.width, c.height
    sx, sy = c.subject
    ground = min(h * 0.95, sy + c.scale * 1.1)
    gradient(c, mix(c.deep, c.light, 0.4), c.light, (0, 0, w, int(ground)))
    ridge(c, ground - h * 0.12, h * 0.02, mix(c.deep, c.light, 0.25), smooth=8)
    gradient(c, mix(c.dark, c.deep, 0.4), c.dark, (0, int(ground), w, h))
    r = c.scale * 0.75
    back, front = (sx - r * 1.25, ground - r), (sx + r * 1.25, ground - r)
    line = max(3, int(r * 0.08))
    for x, y in (back, front):
        ellipse(c, x, y, r, r, None, c.dark, max(3, int(r * 0.12)))
        ellipse(c, x, y, r * 0.1, r * 0.1, c.dark)
    crank = (sx - r * 0.1, ground - r)
    seat, bars = (sx - r * 0.45, ground - r * 2.05), (sx + r * 0.95, ground - r * 2.2)
    for a, b in ((back, crank), (crank, seat), (seat, back), (crank, bars), (seat, bars), (bars, front)):
        c.draw.line([a, b], fill=c.accent, width=line * 2)
    c.draw.line([(seat[0] - r * 0.25, seat[1] - r * 0.05), (seat[0] + r * 0.2, seat[1] - r * 0.05)],
                fill=c.dark, width=line * 2)
    c.draw.line([bars, (bars[0] + r * 0.3, bars[1] - r * 0.05)], fill=c.dark, width=line * 2)


PAINTERS = {
    "mountains": mountains, "sea": sea, "wall": wall, "cup": cup, "bokeh": bokeh, "street": street,
    "facade": facade, "arches": arches, "plate": plate, "table": table, "dog": dog, "road": road,
    "plant": plant, "leaves": leaves, "vase": vase, "bike": bike,
}
