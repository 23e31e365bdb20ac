"""Climbing and travel: gym walls, crags and boulders, coasts, harbours, beaches and ranges."""

from __future__ import annotations

import math

from discovery.demo.scenes.base import (
    SUN,
    Canvas,
    alpha,
    climber,
    ellipse,
    glow,
    gradient,
    leaf,
    mix,
    pick,
    polygon,
    ridge,
    shadow,
    sky,
    sun_colour,
)

SKIN = ((236, 196, 160), (198, 146, 108), (140, 96, 66), (96, 64, 44))


def mountains(c: Canvas) -> None:
    h = c.height
    kind = sky(c, h, ("day", "golden", "dusk"))
    sx, sy = c.subject  # the sun; low in the frame it sets behind the ridges
    sun = mix(sun_colour(kind), SUN, 0.4)
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
    """A bouldering gym: angled plywood panels, bright holds, a climber reaching for the subject hold."""
    w, h = c.width, c.height
    panel = pick(c, [(214, 206, 196), (96, 104, 116), (226, 232, 236), mix(c.light, c.deep, 0.3)])
    gradient(c, mix(panel, (255, 255, 255), 0.1), mix(panel, (0, 0, 0), 0.15))
    for _ in range(4):  # the panels' folds
        x0 = c.rng.uniform(-0.2, 1.2) * w
        x1 = x0 + c.rng.uniform(-0.4, 0.4) * w
        polygon(c, [(x0, 0), (x0 + w * 0.3, 0), (x1 + w * 0.3, h), (x1, h)],
                alpha(pick(c, [(0, 0, 0), (255, 255, 255)]), 22))
        c.draw.line([(x0, 0), (x1, h)], fill=alpha((0, 0, 0), 50), width=max(2, int(w / 200)))
    colours = [c.accent, (240, 210, 60), (60, 170, 90), (220, 70, 140), (70, 110, 220), (240, 120, 40)]
    for _ in range(34):
        x, y = c.rng.uniform(0, w), c.rng.uniform(0, h)
        r = c.rng.uniform(0.01, 0.035) * w
        colour = pick(c, colours)
        ellipse(c, x + r * 0.2, y + r * 0.3, r * 1.3, r, alpha((0, 0, 0), 50))
        ellipse(c, x, y, r * 1.3, r, colour)
    sx, sy = c.subject
    s = c.scale * 1.7
    ellipse(c, sx - s * 0.22, sy - s * 1.0, s * 0.09, s * 0.07, c.accent)
    ellipse(c, sx + s * 0.44, sy - s * 0.58, s * 0.08, s * 0.06, c.accent)
    climber(c, sx, sy, s, pick(c, SKIN), c.accent, pick(c, [c.dark, (40, 60, 90), (70, 70, 60)]))
    if c.rng.random() < 0.5:  # a crash mat along the floor
        polygon(c, [(0, h * 0.93), (w, h * 0.9), (w, h), (0, h)], mix(c.dark, (40, 60, 110), 0.5))


def crag(c: Canvas) -> None:
    """A rock face against the sky, a rope from the top to the climber on it, trees at its foot."""
    w, h = c.width, c.height
    sx, sy = c.subject
    kind = sky(c, h)
    side = pick(c, [-1, 1])
    rock = mix(c.main, (150, 140, 130), 0.4)
    edge = sx - side * w * c.rng.uniform(0.18, 0.3)
    top = [(edge + side * w * 0.05 * math.sin(k), h * k / 8 - h * 0.05) for k in range(10)]
    far = w * 1.2 if side > 0 else -w * 0.2
    polygon(c, [(edge - side * w * 0.04, h)] + top + [(far, -h * 0.05), (far, h)], rock)
    for _ in range(14):  # cracks and ledges
        x, y = c.rng.uniform(min(edge, far), max(edge, far)), c.rng.uniform(0, h)
        c.draw.line([(x, y), (x + c.rng.uniform(-0.05, 0.05) * w, y + c.rng.uniform(0.05, 0.2) * h)],
                    fill=mix(rock, c.dark, 0.5), width=max(2, int(w / 160)))
        c.draw.line([(x, y), (x + side * w * 0.12, y + h * 0.01)], fill=alpha((255, 255, 255), 60),
                    width=max(2, int(w / 200)))
    polygon(c, [(edge, 0), (edge + side * w * 0.12, 0), (edge + side * w * 0.02, h)],
            alpha((255, 255, 255) if kind != "dusk" else c.accent, 40))
    c.draw.line([(sx, 0), (sx, sy)], fill=(250, 230, 90), width=max(2, int(w / 220)))
    climber(c, sx, sy, c.scale * 1.4, pick(c, SKIN), c.accent, c.dark)
    for _ in range(12):  # treetops along the bottom
        x = c.rng.uniform(-0.1, 1.1) * w
        r = c.rng.uniform(0.06, 0.12) * w
        ellipse(c, x, h - r * 0.3, r, r * 1.3, mix((50, 100, 60), c.dark, c.rng.uniform(0, 0.4)))


def boulder(c: Canvas) -> None:
    """A boulder in a clearing, crash pads under it, the climber on its face."""
    w, h = c.width, c.height
    sx, sy = c.subject
    ground = min(h * 0.92, max(h * 0.55, sy + c.scale * 1.6))
    sky(c, ground, ("day", "golden", "overcast"))
    for _ in range(10):
        x = c.rng.uniform(-0.1, 1.1) * w
        ellipse(c, x, ground - h * 0.1, w * 0.12, h * 0.2, mix((60, 110, 70), c.deep, c.rng.uniform(0, 0.3)))
    gradient(c, mix((120, 150, 80), c.light, 0.3), mix((80, 110, 60), c.dark, 0.3), (0, int(ground), w, h))
    r = c.scale * 2.4
    rock = mix(c.main, (170, 160, 150), 0.5)
    angles = [math.pi + k * math.pi / 12 for k in range(13)]
    pts = [(sx + r * 1.3 * math.cos(a) * (1 + 0.1 * math.sin(3 * a)), min(ground, sy + r * 0.2 + r * 0.9 * math.sin(a)))
           for a in angles]
    polygon(c, pts + [(sx + r * 1.3, ground), (sx - r * 1.3, ground)], rock)
    polygon(c, [(sx - r * 1.3, ground), (sx - r * 0.4, sy - r * 0.6), (sx - r * 0.1, ground)],
            alpha((255, 255, 255), 35))
    polygon(c, [(sx + r * 0.5, ground), (sx + r * 1.0, sy - r * 0.3), (sx + r * 1.3, ground)], alpha(c.dark, 60))
    pad = pick(c, [(60, 110, 200), (220, 80, 60), (40, 40, 44)])
    c.draw.rectangle((sx - r * 0.9, ground - h * 0.02, sx + r * 0.3, ground + h * 0.03), fill=pad)
    climber(c, sx, sy, c.scale * 1.4, pick(c, SKIN), c.accent, c.dark)


def lighthouse(c: Canvas) -> None:
    """A striped lighthouse on a headland above the sea."""
    w, h = c.width, c.height
    sx, sy = c.subject
    horizon = h * c.rng.uniform(0.55, 0.7)
    kind = sky(c, horizon)
    gradient(c, mix(c.deep, c.light, 0.3), mix(c.main, c.dark, 0.3), (0, int(horizon), w, h))
    tower_h = c.scale * 2.6
    base = min(h * 0.95, sy + tower_h * 0.55)
    cliff = mix((110, 140, 80), c.dark, 0.25)
    polygon(c, [(sx - w * 0.6, h), (sx - w * 0.3, base - h * 0.02), (sx + w * 0.25, base),
                (sx + w * 0.45, h)], cliff)
    polygon(c, [(sx + w * 0.25, base), (sx + w * 0.45, h), (sx + w * 0.3, h)], mix((140, 120, 100), c.dark, 0.3))
    top, half = base - tower_h, c.scale * 0.32
    stripe = pick(c, [(210, 50, 50), c.accent, (30, 40, 60)])
    bands = 5
    for k in range(bands):
        y0, y1 = top + tower_h * k / bands, top + tower_h * (k + 1) / bands
        t0, t1 = 0.6 + 0.4 * k / bands, 0.6 + 0.4 * (k + 1) / bands
        polygon(c, [(sx - half * t0, y0), (sx + half * t0, y0), (sx + half * t1, y1), (sx - half * t1, y1)],
                stripe if k % 2 == 0 else (246, 244, 238))
    c.draw.rectangle((sx - half * 0.55, top - c.scale * 0.45, sx + half * 0.55, top), fill=(250, 236, 160))
    polygon(c, [(sx - half * 0.75, top - c.scale * 0.45), (sx + half * 0.75, top - c.scale * 0.45),
                (sx, top - c.scale * 0.8)], c.dark)
    if kind == "dusk":
        glow(c, (sx, top - c.scale * 0.25), c.scale * 1.6, (255, 236, 150), 0.9)
    for _ in range(3):  # birds
        x, y = c.rng.uniform(0, w), c.rng.uniform(0.05, 0.35) * horizon
        s = w * 0.015
        c.draw.line([(x - s, y - s * 0.5), (x, y), (x + s, y - s * 0.5)], fill=c.dark, width=2)


def harbour(c: Canvas) -> None:
    """Coloured houses along a quay, boats on the water, their reflections."""
    w, h = c.width, c.height
    sx, sy = c.subject
    water = int(min(h * 0.8, max(h * 0.45, sy + c.scale * 0.3)))
    sky(c, water, ("day", "golden", "dusk"))
    colours = [(232, 180, 80), (210, 90, 70), (120, 170, 190), (240, 226, 200), (170, 110, 140), c.accent]
    x = -w * 0.05
    while x < w:
        bw = c.rng.uniform(0.1, 0.18) * w
        roof = water - c.rng.uniform(0.18, 0.32) * h
        colour = pick(c, colours)
        c.draw.rectangle((x, roof, x + bw, water), fill=colour)
        polygon(c, [(x - 2, roof), (x + bw / 2, roof - h * 0.05), (x + bw + 2, roof)], mix(colour, c.dark, 0.5))
        for wy in (roof + h * 0.04, roof + h * 0.11):
            for wx in (x + bw * 0.2, x + bw * 0.6):
                if wy + h * 0.04 < water:
                    c.draw.rectangle((wx, wy, wx + bw * 0.2, wy + h * 0.04), fill=mix(colour, c.dark, 0.55))
        x += bw
    gradient(c, mix(c.main, c.light, 0.2), mix(c.main, c.dark, 0.4), (0, water, w, h))
    for _ in range(40):  # ripples
        y = c.rng.uniform(water + 3, h)
        x = c.rng.uniform(0, w)
        c.draw.line([(x, y), (x + c.rng.uniform(10, 50), y)], fill=alpha((255, 255, 255), 60), width=2)
    for k in range(int(c.rng.integers(2, 4))):  # boats; the subject's is nearest
        bx = sx if k == 0 else c.rng.uniform(0, w)
        by = max(water + h * 0.03, sy + c.scale * 0.3) if k == 0 else water + c.rng.uniform(0.02, 0.08) * h
        s = c.scale * (1.2 if k == 0 else 0.6)
        hull = c.accent if k == 0 else pick(c, colours)
        polygon(c, [(bx - s, by - s * 0.3), (bx + s, by - s * 0.3), (bx + s * 0.7, by + s * 0.1),
                    (bx - s * 0.7, by + s * 0.1)], hull)
        c.draw.rectangle((bx - s * 0.3, by - s * 0.6, bx + s * 0.2, by - s * 0.3), fill=(246, 244, 238))
        c.draw.line([(bx, by - s * 0.3), (bx, by - s * 1.6)], fill=c.dark, width=max(2, int(s * 0.05)))
        polygon(c, [(bx - s * 0.7, by + s * 0.15), (bx + s * 0.7, by + s * 0.15), (bx + s * 0.5, by + s * 0.5),
                    (bx - s * 0.5, by + s * 0.5)], alpha(hull, 90))


def beach(c: Canvas) -> None:
    """Sand, a turquoise sea, a palm and a parasol (the subject)."""
    w, h = c.width, c.height
    sx, sy = c.subject
    horizon = h * c.rng.uniform(0.3, 0.45)
    shore = max(horizon + h * 0.1, min(h * 0.75, sy - c.scale * 0.2))
    sky(c, horizon, ("day", "day", "golden"))
    gradient(c, (60, 180, 200), (120, 220, 210), (0, int(horizon), w, int(shore)))
    gradient(c, (244, 224, 180), (226, 196, 150), (0, int(shore), w, h))
    polygon(c, [(0, shore), (w * 0.3, shore - h * 0.02), (w * 0.7, shore + h * 0.01), (w, shore - h * 0.01),
                (w, shore + h * 0.02), (0, shore + h * 0.025)], (250, 250, 246))
    px = pick(c, [w * 0.12, w * 0.88])
    lean = (0.5 - px / w) * 0.6
    top = (px + lean * h * 0.5, horizon - h * 0.1)
    c.draw.line([(px, h), top], fill=(130, 96, 60), width=max(4, int(w / 50)))
    for k in range(7):
        c.draw.polygon(leaf(top[0], top[1], w * 0.22, w * 0.06, -math.pi + k * math.pi / 6 + 0.1),
                       fill=mix((40, 130, 70), c.dark, 0.2 * (k % 2)))
    r = c.scale * 1.3
    pole = (sx, sy + r * 1.1)
    shadow(c, sx + r * 0.4, pole[1] + r * 0.1, r * 1.1, r * 0.25)
    c.draw.line([(sx, sy), pole], fill=(240, 240, 236), width=max(2, int(r * 0.06)))
    c.draw.pieslice((sx - r, sy - r * 0.5, sx + r, sy + r * 0.5), 180, 360, fill=c.accent)
    for k in (-2, 0, 2):
        c.draw.pieslice((sx - r, sy - r * 0.5, sx + r, sy + r * 0.5), 180 + 30 * (k + 2), 210 + 30 * (k + 2),
                        fill=(250, 250, 246))
    c.draw.rounded_rectangle((sx + r * 0.3, pole[1] - r * 0.1, sx + r * 1.2, pole[1] + r * 0.1),
                             radius=r * 0.05, fill=pick(c, [(240, 200, 60), (80, 160, 220), (240, 120, 140)]))
    if c.rng.random() < 0.5:
        glow(c, (w * c.rng.uniform(0.2, 0.8), horizon * 0.4), w * 0.12, sun_colour("day"), 0.8)


