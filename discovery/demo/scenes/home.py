"""Dogs, plants and ceramics: portraits, fetch and naps; pots, leaves and cuttings; vases, wheels, mugs."""

from __future__ import annotations

import math

import numpy as np

from discovery.demo.scenes.base import (
    Canvas,
    alpha,
    ellipse,
    gradient,
    leaf,
    limb,
    mix,
    pick,
    planks,
    polygon,
    shadow,
    sky,
)

FURS = ((196, 140, 84), (60, 48, 40), (236, 220, 196), (150, 96, 60), (120, 120, 124), (226, 180, 110))
GREENS = ((56, 128, 80), (40, 100, 60), (90, 150, 80), (120, 170, 70))
GLAZES = ((96, 140, 150), (204, 112, 76), (236, 230, 216), (60, 70, 90), (170, 190, 160), (120, 80, 60))


def dog(c: Canvas) -> None:
    """A dog's portrait, head and shoulders, in the park or at home."""
    w, h = c.width, c.height
    sx, sy = c.subject
    r = c.scale * 1.05
    floor = int(min(h * 0.92, max(h * 0.5, sy + r * 1.2)))
    if c.rng.random() < 0.5:
        sky(c, floor, ("day", "golden", "overcast"))
        for _ in range(5):
            ellipse(c, c.rng.uniform(0, w), floor - h * 0.04, w * 0.16, h * 0.1, mix((60, 110, 60), c.dark, 0.3))
        gradient(c, (110, 160, 80), mix((70, 120, 60), c.dark, 0.3), (0, floor, w, h))
    else:
        wall_colour = mix(pick(c, ((236, 226, 210), (150, 170, 160), (200, 150, 120), (70, 80, 96))), c.light, 0.2)
        gradient(c, wall_colour, mix(wall_colour, (0, 0, 0), 0.2), (0, 0, w, floor))
        planks(c, pick(c, ((176, 128, 86), (206, 170, 126), (120, 90, 70))), (0, floor, w, h), vertical=True)
    fur = pick(c, FURS)
    darker = mix(fur, (0, 0, 0), 0.35)
    light = mix(fur, (255, 255, 255), 0.55)
    ellipse(c, sx, sy + r * 1.5, r * 0.95, r * 1.05, fur)  # sitting: chest and haunches
    for side in (-1, 1):  # front legs and paws
        c.draw.rounded_rectangle((sx + side * r * 0.32 - r * 0.15, sy + r * 1.55, sx + side * r * 0.32 + r * 0.15,
                                  sy + r * 2.55), radius=r * 0.14, fill=mix(fur, (0, 0, 0), 0.12))
        ellipse(c, sx + side * r * 0.32, sy + r * 2.55, r * 0.2, r * 0.11, light)
    ellipse(c, sx, sy + r * 1.05, r * 0.35, r * 0.4, light)  # the bib
    ellipse(c, sx, sy, r * 0.72, r * 0.68, fur)  # head
    if c.rng.random() < 0.5:  # pricked ears
        for side in (-1, 1):
            polygon(c, [(sx + side * r * 0.2, sy - r * 0.5), (sx + side * r * 0.75, sy - r * 0.25),
                        (sx + side * r * 0.62, sy - r * 1.15)], fur)
            polygon(c, [(sx + side * r * 0.32, sy - r * 0.45), (sx + side * r * 0.62, sy - r * 0.32),
                        (sx + side * r * 0.57, sy - r * 0.9)], mix(fur, (240, 170, 160), 0.5))
    else:  # floppy ears hanging beside the face
        for side in (-1, 1):
            polygon(c, leaf(sx + side * r * 0.55, sy - r * 0.5, r * 1.05, r * 0.5, math.pi / 2 - side * 0.15), darker)
    ellipse(c, sx, sy + r * 0.32, r * 0.4, r * 0.3, light)  # muzzle
    ellipse(c, sx, sy + r * 0.18, r * 0.15, r * 0.1, (30, 24, 20))  # nose
    c.draw.line([(sx, sy + r * 0.26), (sx, sy + r * 0.42)], fill=(30, 24, 20), width=max(2, int(r * 0.04)))
    for side in (-1, 1):
        ellipse(c, sx + side * r * 0.3, sy - r * 0.15, r * 0.09, r * 0.1, (30, 24, 20))
        ellipse(c, sx + side * r * 0.27, sy - r * 0.19, r * 0.03, r * 0.03, (255, 255, 255))
    if c.rng.random() < 0.6:  # tongue
        ellipse(c, sx, sy + r * 0.55, r * 0.11, r * 0.15, (230, 110, 120))
    c.draw.rectangle((sx - r * 0.5, sy + r * 0.68, sx + r * 0.5, sy + r * 0.8), fill=c.accent)  # collar
    ellipse(c, sx, sy + r * 0.88, r * 0.08, r * 0.08, (240, 200, 80))  # its tag




def _side_dog(c: Canvas, x: float, y: float, s: float, fur, facing: int, running: bool) -> None:
    """A dog seen from the side, its chest at (x, y)."""
    f = facing
    dark = mix(fur, (0, 0, 0), 0.4)
    legs = [(-0.7, 0.6, -0.95), (-0.5, 0.6, -0.3), (0.45, 0.6, 0.2), (0.65, 0.6, 0.9)] if running else \
        [(-0.7, 0.9, -0.7), (-0.5, 0.9, -0.5), (0.45, 0.9, 0.45), (0.65, 0.9, 0.65)]
    for hx, length, fx in legs:
        limb(c, [(x + f * hx * s, y + s * 0.1), (x + f * fx * s, y + s * length)], dark if hx < 0 else fur, s * 0.16)
    ellipse(c, x, y, s * 0.85, s * 0.38, fur)
    limb(c, [(x - f * s * 0.8, y - s * 0.1), (x - f * s * 1.15, y - s * (0.5 if running else 0.3))], fur, s * 0.12)
    head = (x + f * s * 0.95, y - s * 0.45)
    limb(c, [(x + f * s * 0.6, y - s * 0.1), head], fur, s * 0.35)
    ellipse(c, head[0], head[1], s * 0.3, s * 0.26, fur)
    ellipse(c, head[0] + f * s * 0.3, head[1] + s * 0.08, s * 0.2, s * 0.13, fur)
    ellipse(c, head[0] + f * s * 0.47, head[1] + s * 0.04, s * 0.06, s * 0.05, (30, 24, 20))
    ellipse(c, head[0] + f * s * 0.1, head[1] - s * 0.06, s * 0.04, s * 0.04, (30, 24, 20))
    polygon(c, leaf(head[0] - f * s * 0.1, head[1] - s * 0.15, s * 0.35, s * 0.18, math.pi / 2 - f * 0.5), dark)


def fetch(c: Canvas) -> None:
    """A dog running on grass or sand after a ball."""
    w, h = c.width, c.height
    sx, sy = c.subject
    ground = min(h * 0.95, max(h * 0.45, sy + c.scale * 1.0))
    sky(c, ground, ("day", "golden", "overcast"))
    if c.rng.random() < 0.5:
        grass = mix(pick(c, GREENS), c.light, 0.2)
        for _ in range(6):
            ellipse(c, c.rng.uniform(0, w), ground - h * 0.05, w * 0.15, h * 0.12, mix((60, 110, 60), c.dark, 0.3))
    else:
        grass = (232, 210, 170)
        c.draw.rectangle((0, ground - h * 0.06, w, ground), fill=(80, 160, 190))
    gradient(c, grass, mix(grass, (0, 0, 0), 0.25), (0, int(ground), w, h))
    facing = pick(c, [-1, 1])
    s = c.scale * 1.3
    shadow(c, sx, ground + s * 0.05, s, s * 0.12)
    _side_dog(c, sx, sy, s, pick(c, FURS), facing, True)
    ellipse(c, sx + facing * s * 2.0, sy - s * 0.6, s * 0.16, s * 0.16, (210, 230, 60))


def nap(c: Canvas) -> None:
    """A dog curled up asleep on a sofa or a blanket."""
    w, h = c.width, c.height
    sx, sy = c.subject
    wall_colour = mix(pick(c, ((236, 226, 210), (150, 170, 160), (70, 80, 96))), c.light, 0.2)
    gradient(c, wall_colour, mix(wall_colour, (0, 0, 0), 0.2))
    sofa = pick(c, ((60, 90, 120), (150, 80, 60), (200, 190, 170), (70, 100, 80)))
    c.draw.rounded_rectangle((-w * 0.1, sy - c.scale * 2.2, w * 1.1, sy + c.scale * 0.4), radius=c.scale * 0.6,
                             fill=mix(sofa, (0, 0, 0), 0.15))
    c.draw.rounded_rectangle((-w * 0.1, sy - c.scale * 0.2, w * 1.1, h * 1.1), radius=c.scale * 0.4, fill=sofa)
    blanket = c.accent
    polygon(c, [(sx - c.scale * 2.2, sy - c.scale * 0.3), (sx + c.scale * 2, sy - c.scale * 0.5),
                (sx + c.scale * 2.4, sy + c.scale * 1.6), (sx - c.scale * 1.8, sy + c.scale * 1.8)], blanket)
    for k in range(4):
        y = sy + c.scale * (0.1 + 0.4 * k)
        c.draw.line([(sx - c.scale * 2, y), (sx + c.scale * 2.2, y - c.scale * 0.1)], fill=alpha((255, 255, 255), 80),
                    width=max(2, int(c.scale * 0.08)))
    fur = pick(c, FURS)
    r = c.scale * 1.1
    ellipse(c, sx, sy + r * 0.3, r * 1.2, r * 0.7, fur)  # the curled body
    ellipse(c, sx + r * 0.9, sy + r * 0.55, r * 0.5, r * 0.2, mix(fur, (0, 0, 0), 0.2))  # the tail round the nose
    ellipse(c, sx - r * 0.55, sy + r * 0.4, r * 0.45, r * 0.38, fur)  # head resting
    polygon(c, leaf(sx - r * 0.55, sy + r * 0.1, r * 0.5, r * 0.3, math.pi * 0.8), mix(fur, (0, 0, 0), 0.35))
    for k in (-1, 1):  # closed eyes
        c.draw.arc((sx - r * 0.55 + k * r * 0.17 - r * 0.08, sy + r * 0.3, sx - r * 0.55 + k * r * 0.17 + r * 0.08,
                    sy + r * 0.42), 0, 180, fill=(30, 24, 20), width=max(2, int(r * 0.04)))
    ellipse(c, sx - r * 0.9, sy + r * 0.55, r * 0.08, r * 0.06, (30, 24, 20))


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




def monstera(c: Canvas) -> None:
    """A monstera leaf close up, split and holed, against a plain wall."""
    w, h = c.width, c.height
    sx, sy = c.subject
    wall_colour = mix(pick(c, ((240, 236, 226), (226, 200, 180), (200, 214, 220), (60, 64, 70))), c.light, 0.2)
    gradient(c, wall_colour, mix(wall_colour, (0, 0, 0), 0.12))
    green = mix(pick(c, GREENS), c.main, 0.3)
    for _ in range(2):  # other leaves, out of focus behind
        x, y = c.rng.uniform(0, w), c.rng.uniform(0, h)
        ellipse(c, x, y, c.scale * 1.5, c.scale * 1.3, alpha(mix(green, wall_colour, 0.5), 160))
    r = c.scale * 1.9
    stem_from = (sx + r * 0.2, h + 10) if sy < h * 0.7 else (sx + r * 1.5, sy + r * 1.5)
    c.draw.line([stem_from, (sx, sy + r * 0.9)], fill=mix(green, (0, 0, 0), 0.1), width=max(4, int(r * 0.06)))
    pts = []  # a heart-shaped leaf
    for k in range(40):
        t = k / 40 * 2 * math.pi
        x = 16 * math.sin(t) ** 3
        y = -(13 * math.cos(t) - 5 * math.cos(2 * t) - 2 * math.cos(3 * t) - math.cos(4 * t))
        pts.append((sx + x / 17 * r, sy - y / 17 * r))
    polygon(c, pts, green)
    c.draw.line([(sx, sy - r * 0.4), (sx, sy + r * 0.9)], fill=mix(green, (255, 255, 255), 0.25),
                width=max(2, int(r * 0.03)))
    for side in (-1, 1):
        for k in range(4):  # slits from the edge towards the midrib, and holes between them
            a = -0.9 + k * 0.55
            inner = (sx + side * r * 0.18, sy + r * (0.1 + 0.2 * k) - r * 0.3)
            outer = (sx + side * r * 1.2 * math.cos(a), sy + r * 1.1 * math.sin(a) + r * 0.2)
            c.draw.line([inner, outer], fill=wall_colour, width=max(3, int(r * 0.06)))
            ellipse(c, sx + side * r * 0.35, sy + r * (0.25 * k - 0.2), r * 0.05, r * 0.09, wall_colour)


def _pot(c: Canvas, x: float, base: float, r: float, colour, plant: str) -> None:
    """A pot of width 2r standing at `base`, holding a 'leafy', 'trailing' or 'cactus' plant."""
    top = base - r * 1.4
    greens = [mix(g, c.main, 0.3) for g in GREENS]
    if plant == "cactus":
        c.draw.rounded_rectangle((x - r * 0.35, top - r * 1.8, x + r * 0.35, top + 2), radius=r * 0.3,
                                 fill=greens[0])
        c.draw.rounded_rectangle((x + r * 0.2, top - r * 1.2, x + r * 0.7, top - r * 0.9), radius=r * 0.15,
                                 fill=greens[0])
        c.draw.rounded_rectangle((x + r * 0.5, top - r * 1.6, x + r * 0.75, top - r * 0.95), radius=r * 0.12,
                                 fill=greens[0])
    elif plant == "trailing":
        for side in (-1, 1):
            for k in range(8):
                lx = x + side * (r * 0.6 + k * r * 0.06)
                ly = top + k * r * 0.35
                polygon(c, leaf(lx, ly, r * 0.35, r * 0.25, math.pi / 2 + side * 0.8), pick(c, greens))
    else:
        for _ in range(9):
            a = -math.pi / 2 + c.rng.normal(0, 0.7)
            length = r * c.rng.uniform(1.2, 2.2)
            polygon(c, leaf(x, top, length, length * 0.4, a), pick(c, greens))
    polygon(c, [(x - r, top), (x + r, top), (x + r * 0.75, base), (x - r * 0.75, base)], colour)
    c.draw.rectangle((x - r * 1.05, top - r * 0.08, x + r * 1.05, top + r * 0.15), fill=mix(colour, (0, 0, 0), 0.15))


def shelf(c: Canvas) -> None:
    """Plants on wall shelves; the subject's pot is the biggest."""
    w, h = c.width, c.height
    sx, sy = c.subject
    wall_colour = mix(pick(c, ((240, 236, 226), (220, 226, 214), (236, 214, 196), (70, 80, 76))), c.light, 0.2)
    gradient(c, wall_colour, mix(wall_colour, (0, 0, 0), 0.12))
    wood = pick(c, ((176, 128, 86), (220, 200, 170), (60, 56, 52)))
    gap = c.scale * 2.6
    base0 = sy + c.scale * 0.8
    for row in range(-3, 4):
        base = base0 + row * gap
        if base < 0 or base - gap > h:
            continue
        c.draw.rectangle((0, base, w, base + c.scale * 0.15), fill=wood)
        c.draw.rectangle((0, base + c.scale * 0.15, w, base + c.scale * 0.3), fill=alpha((0, 0, 0), 40))
        x = c.rng.uniform(0.05, 0.2) * w
        while x < w:
            if not (row == 0 and abs(x - sx) < c.scale * 1.4):
                r = c.scale * c.rng.uniform(0.35, 0.55)
                _pot(c, x, base, r, pick(c, GLAZES), pick(c, ("leafy", "trailing", "cactus")))
            x += c.scale * c.rng.uniform(1.4, 2.2)
    _pot(c, sx, base0, c.scale * 0.7, c.accent, pick(c, ("leafy", "trailing")))


def cuttings(c: Canvas) -> None:
    """Glass jars of cuttings rooting in water on a sunny windowsill."""
    w, h = c.width, c.height
    sx, sy = c.subject
    sill = min(h * 0.95, sy + c.scale * 1.1)
    sky(c, sill, ("day", "golden"))
    frame = pick(c, ((246, 244, 238), (40, 44, 48), (170, 130, 90)))
    for x in (w * 0.33, w * 0.66):
        c.draw.rectangle((x - w * 0.015, 0, x + w * 0.015, sill), fill=frame)
    c.draw.rectangle((0, sill - h * 0.4, w, sill - h * 0.4 + w * 0.03), fill=frame)
    c.draw.rectangle((0, sill, w, h), fill=mix(frame, (0, 0, 0), 0.1))
    spots = [sx] + [x for x in np.arange(sx % (c.scale * 1.6), w, c.scale * 1.6) if abs(x - sx) > c.scale * 1.2]
    for k, x in enumerate(spots):
        r = c.scale * (0.55 if k == 0 else 0.4)
        jar_top = sill - r * 2.4
        green = mix(pick(c, GREENS), c.main, 0.3)
        for _ in range(3):  # stems and leaves above the water
            a = -math.pi / 2 + c.rng.normal(0, 0.4)
            tip = (x + math.cos(a) * r * 2.5, jar_top + math.sin(a) * r * 2.5)
            c.draw.line([(x, sill - r * 0.8), tip], fill=green, width=max(2, int(r * 0.08)))
            polygon(c, leaf(tip[0], tip[1], r * 1.1, r * 0.7, a + c.rng.normal(0, 0.6)), green)
        c.draw.rounded_rectangle((x - r, jar_top, x + r, sill), radius=r * 0.25,
                                 fill=alpha((210, 232, 236), 120), outline=(240, 248, 250), width=2)
        c.draw.rectangle((x - r * 0.9, jar_top + r * 0.6, x + r * 0.9, sill - 3), fill=alpha((170, 210, 220), 90))
        for _ in range(6):  # roots
            rx = x + c.rng.normal(0, r * 0.3)
            c.draw.line([(x, sill - r * 0.8), (rx, sill - r * 0.15)], fill=(236, 226, 200), width=2)
        if k == 0:
            c.draw.rectangle((x - r * 1.02, jar_top - r * 0.1, x + r * 1.02, jar_top + r * 0.15), fill=c.accent)


def wheel(c: Canvas) -> None:
    """A pot being thrown on the wheel: wet clay, two hands, the splash pan."""
    sx, sy = c.subject
    s = c.scale
    gradient(c, mix((90, 84, 78), c.dark, 0.3), mix((60, 56, 52), c.dark, 0.3))
    splash = (200, 200, 204) if c.rng.random() < 0.5 else (60, 64, 70)
    ellipse(c, sx, sy + s * 0.9, s * 2.6, s * 0.9, splash)
    ellipse(c, sx, sy + s * 0.85, s * 2.2, s * 0.7, mix(splash, (0, 0, 0), 0.3))
    clay = pick(c, ((176, 126, 96), (196, 170, 140), (150, 96, 70), (214, 200, 180)))
    ellipse(c, sx, sy + s * 0.85, s * 1.6, s * 0.45, mix(clay, (0, 0, 0), 0.2))  # the wheel head, slurried
    body = [(sx - s * 0.7, sy + s * 0.8), (sx - s * 0.8, sy + s * 0.2), (sx - s * 0.55, sy - s * 0.6),
            (sx + s * 0.55, sy - s * 0.6), (sx + s * 0.8, sy + s * 0.2), (sx + s * 0.7, sy + s * 0.8)]
    polygon(c, body, clay)
    ellipse(c, sx, sy - s * 0.6, s * 0.55, s * 0.15, mix(clay, (0, 0, 0), 0.35))
    for k in range(6):  # throwing lines
        y = sy - s * 0.4 + k * s * 0.2
        c.draw.line([(sx - s * 0.72, y), (sx + s * 0.72, y)], fill=alpha(mix(clay, (255, 255, 255), 0.3), 120),
                    width=2)
    skin = pick(c, ((236, 196, 160), (198, 146, 108), (140, 96, 66)))
    skin = mix(skin, clay, 0.3)
    for side in (-1, 1):  # arms from below the frame, hands cupping the clay
        hand = (sx + side * s * 0.85, sy + s * 0.05)
        limb(c, [(sx + side * s * 3.2, sy + s * 3.5), (sx + side * s * 2.0, sy + s * 0.9), hand], skin, s * 0.45)
        ellipse(c, hand[0], hand[1], s * 0.28, s * 0.4, skin)
        for k in range(3):  # fingers curling round the pot
            c.draw.line([(hand[0], hand[1] - s * 0.25 + k * s * 0.17), (hand[0] - side * s * 0.3,
                                                                        hand[1] - s * 0.2 + k * s * 0.17)],
                        fill=skin, width=max(3, int(s * 0.13)))
    c.draw.rectangle((sx - s * 0.1, sy - s * 0.62, sx + s * 0.1, sy - s * 0.55), fill=c.accent)


def _mug(c: Canvas, x: float, base: float, r: float, glaze, dip: float) -> None:
    body = (x - r, base - r * 2.1, x + r, base)
    c.draw.arc((x + r * 0.7, base - r * 1.7, x + r * 1.5, base - r * 0.6), -90, 90, fill=glaze,
               width=max(3, int(r * 0.22)))
    c.draw.rounded_rectangle(body, radius=r * 0.2, fill=mix(glaze, (230, 214, 190), 0.5))
    c.draw.rounded_rectangle((x - r, base - r * 2.1, x + r, base - r * 2.1 * (1 - dip)), radius=r * 0.2, fill=glaze)
    for _ in range(10):
        ellipse(c, x + c.rng.uniform(-r, r) * 0.9, base - c.rng.uniform(0.1, 2.0) * r, 1.5, 1.5, (60, 50, 44))
    ellipse(c, x, base - r * 2.1, r, r * 0.18, mix(glaze, (0, 0, 0), 0.3))


def mugs(c: Canvas) -> None:
    """A row of glazed mugs on a shelf, fresh from the kiln; the subject's is the brightest."""
    w, h = c.width, c.height
    sx, sy = c.subject
    base = min(h * 0.95, sy + c.scale * 1.0)
    wall_colour = mix(pick(c, ((236, 230, 220), (200, 196, 190), (60, 64, 70))), c.light, 0.2)
    gradient(c, wall_colour, mix(wall_colour, (0, 0, 0), 0.15), (0, 0, w, int(base)))
    planks(c, pick(c, ((176, 128, 86), (206, 170, 126), (120, 90, 70))), (0, int(base), w, h))
    r = c.scale * 0.65
    step = r * 3.2
    for x in np.arange(sx % step - step, w + step, step):
        if abs(x - sx) < 1:
            continue
        _mug(c, x, base, r * 0.85, mix(pick(c, GLAZES), c.main, 0.2), c.rng.uniform(0.3, 0.7))
    _mug(c, sx, base, r, c.accent, c.rng.uniform(0.4, 0.7))


def bowls(c: Canvas) -> None:
    """A stack of handmade bowls, glaze dripping over raw clay feet."""
    w, h = c.width, c.height
    sx, sy = c.subject
    base = min(h * 0.95, sy + c.scale * 1.4)
    wall_colour = mix(pick(c, ((240, 236, 228), (214, 220, 214), (226, 206, 190))), c.light, 0.2)
    gradient(c, wall_colour, mix(wall_colour, (0, 0, 0), 0.12), (0, 0, w, int(base)))
    gradient(c, mix(wall_colour, (0, 0, 0), 0.2), mix(wall_colour, (0, 0, 0), 0.35), (0, int(base), w, h))
    shadow(c, sx + c.scale * 0.3, base, c.scale * 1.8, c.scale * 0.2)
    glaze, clay = c.accent, (200, 170, 140)
    y = base
    for k in range(int(c.rng.integers(3, 6))):
        r = c.scale * (1.4 - 0.06 * k)
        height = r * 0.45
        c.draw.chord((sx - r, y - height * 2, sx + r, y), 0, 180, fill=clay)
        c.draw.chord((sx - r, y - height * 2, sx + r, y - height * 0.5), 0, 180, fill=glaze if k % 2 == 0 else
                     mix(glaze, pick(c, GLAZES), 0.6))
        for _ in range(5):  # drips
            dx = c.rng.uniform(-0.7, 0.7) * r
            c.draw.line([(sx + dx, y - height), (sx + dx, y - height * c.rng.uniform(0.4, 0.7))], fill=glaze,
                        width=max(3, int(r * 0.06)))
        ellipse(c, sx, y - height, r, height * 0.25, mix(glaze, (0, 0, 0), 0.25))
        y -= height * 0.6
