"""Street photography and architecture: streets, crossings, rain and stairs; facades, arches, towers."""

from __future__ import annotations

import math

import numpy as np

from discovery.demo.scenes.base import (
    Canvas,
    alpha,
    ellipse,
    glow,
    gradient,
    mix,
    person,
    pick,
    polygon,
    sky,
)


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
    sx, sy = c.subject  # one open window with a coloured awning and flowers on the sill
    ww, wh = max(cell_w * 0.9, c.scale * 0.9), max(cell_h * 0.9, c.scale * 1.1)
    c.draw.rectangle((sx - ww / 2, sy - wh / 2, sx + ww / 2, sy + wh / 2), fill=(250, 222, 150))
    c.draw.rectangle((sx - ww * 0.3, sy - wh * 0.3, sx + ww * 0.3, sy + wh / 2), fill=mix(c.dark, c.accent, 0.2))
    awning = [(sx - ww * 0.6, sy - wh * 0.45), (sx + ww * 0.6, sy - wh * 0.45), (sx + ww * 0.7, sy - wh * 0.15),
              (sx - ww * 0.7, sy - wh * 0.15)]
    polygon(c, awning, c.accent)
    for k in range(4):
        x = sx - ww * 0.6 + k * ww * 0.34
        polygon(c, [(x, sy - wh * 0.45), (x + ww * 0.15, sy - wh * 0.45), (x + ww * 0.19, sy - wh * 0.15),
                    (x + ww * 0.02, sy - wh * 0.15)], (250, 248, 240))
    c.draw.rectangle((sx - ww * 0.6, sy + wh * 0.45, sx + ww * 0.6, sy + wh * 0.58), fill=mix(c.main, c.dark, 0.3))
    for k in range(5):
        ellipse(c, sx - ww * 0.5 + k * ww * 0.25, sy + wh * 0.42, ww * 0.12, ww * 0.1,
                pick(c, ((220, 60, 80), (250, 200, 60), (70, 140, 60))))


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



def crossing(c: Canvas) -> None:
    """A zebra crossing seen from high up: walkers with long shadows, one in a bright coat."""
    w, h = c.width, c.height
    asphalt = mix((70, 72, 76), c.deep, 0.2)
    gradient(c, asphalt, mix(asphalt, (0, 0, 0), 0.2))
    angle = c.rng.uniform(-0.5, 0.5)
    stripe, gap = w * 0.07, w * 0.06
    sx, sy = c.subject
    for k in range(-12, 13):  # the stripes, across the picture through the subject
        off = k * (stripe + gap)
        cx, cy = sx + off * math.cos(angle), sy + off * math.sin(angle)
        dx, dy = -math.sin(angle) * h * 0.25, math.cos(angle) * h * 0.25
        ox, oy = math.cos(angle) * stripe / 2, math.sin(angle) * stripe / 2
        polygon(c, [(cx - dx - ox, cy - dy - oy), (cx - dx + ox, cy - dy + oy), (cx + dx + ox, cy + dy + oy),
                    (cx + dx - ox, cy + dy - oy)], (236, 234, 226))
    light = c.rng.uniform(-0.6, 0.6) + pick(c, [0, math.pi])  # a low sun throws the shadows sideways
    coats = [(40, 44, 52), (120, 110, 100), (60, 80, 110), (200, 190, 170), (30, 30, 30)]
    walkers = [(c.rng.uniform(0, w), c.rng.uniform(0, h), pick(c, coats), 1.0) for _ in range(6)]
    walkers.append((sx, sy, c.accent, 1.3))
    for x, y, coat, size in sorted(walkers, key=lambda walker: walker[1]):
        s = c.scale * size
        feet = y + s * 0.5
        end = (x + s * 2.2 * math.cos(light), feet + s * 0.6 * abs(math.sin(light)) + s * 0.3)
        polygon(c, [(x - s * 0.1, feet), (x + s * 0.1, feet), (end[0] + s * 0.15, end[1]), (end[0] - s * 0.15, end[1])],
                alpha((10, 10, 14), 120))
        person(c, x, feet, s, (24, 24, 28), coat)


def rain(c: Canvas) -> None:
    """A street at night in the rain: lamps, reflections in the wet road, a walker under an umbrella."""
    w, h = c.width, c.height
    sx, sy = c.subject
    ground = int(min(h * 0.85, max(h * 0.5, sy + c.scale * 0.9)))
    gradient(c, mix((20, 24, 40), c.dark, 0.3), mix((60, 56, 80), c.deep, 0.3), (0, 0, w, ground))
    x = -w * 0.05
    while x < w:
        bw = c.rng.uniform(0.15, 0.28) * w
        top = c.rng.uniform(0.05, 0.35) * h
        colour = mix((24, 26, 36), c.dark, c.rng.uniform(0, 0.5))
        c.draw.rectangle((x, top, x + bw, ground), fill=colour)
        for wy in np.arange(top + h * 0.04, ground - h * 0.06, h * 0.06):
            for wx in np.arange(x + bw * 0.12, x + bw * 0.85, bw * 0.24):
                if c.rng.random() < 0.4:
                    c.draw.rectangle((wx, wy, wx + bw * 0.1, wy + h * 0.03), fill=(240, 196, 110))
        x += bw
    gradient(c, (30, 32, 40), (14, 16, 22), (0, ground, w, h))
    for k in range(3):
        lx = w * (0.15 + 0.35 * k) + c.rng.uniform(-20, 20)
        c.draw.line([(lx, ground), (lx, ground - h * 0.4)], fill=(20, 20, 24), width=max(3, int(w / 120)))
        glow(c, (lx, ground - h * 0.4), w * 0.12, (255, 210, 130), 0.9)
        for _ in range(14):  # the lamp's light broken up in the wet road
            x, y = lx + c.rng.normal(0, w * 0.015), c.rng.uniform(ground + 4, h)
            c.draw.line([(x - w * 0.02, y), (x + w * 0.02, y)], fill=alpha((255, 200, 120), 110), width=2)
    for _ in range(160):  # rain
        x, y = c.rng.uniform(0, w), c.rng.uniform(0, h)
        c.draw.line([(x, y), (x - w * 0.01, y + h * 0.04)], fill=alpha((200, 210, 230), 70), width=1)
    feet = ground + h * 0.02
    person(c, sx, feet, c.scale * 1.6, (16, 16, 20), (30, 30, 36))
    r = c.scale * 0.95
    top = feet - c.scale * 1.6 - r * 0.1
    c.draw.pieslice((sx - r, top - r * 0.5, sx + r, top + r * 0.5), 180, 360, fill=c.accent)
    c.draw.line([(sx, top), (sx, top + r * 0.8)], fill=(16, 16, 20), width=2)


def stairs(c: Canvas) -> None:
    """Stone steps cut by a hard diagonal shadow; a lone figure on them."""
    w, h = c.width, c.height
    stone = mix(pick(c, ((226, 214, 196), (200, 200, 204), (236, 200, 170))), c.light, 0.3)
    gradient(c, stone, mix(stone, (0, 0, 0), 0.15))
    steps = int(c.rng.integers(9, 16))
    for k in range(steps):
        y = h * k / steps
        c.draw.rectangle((0, y, w, y + h / steps * 0.28), fill=mix(stone, (255, 255, 255), 0.35))
        c.draw.line([(0, y + h / steps * 0.28), (w, y + h / steps * 0.28)], fill=mix(stone, (0, 0, 0), 0.25), width=2)
    slope = c.rng.uniform(-1.5, 1.5)
    x0 = c.rng.uniform(0.2, 0.8) * w
    polygon(c, [(x0, 0), (w * 2, 0), (w * 2, h), (x0 + slope * h, h)], alpha((20, 22, 30), 150))
    if c.rng.random() < 0.5:  # a railing
        c.draw.line([(0, h * 0.2), (w, h * 0.8)], fill=(40, 40, 44), width=max(3, int(w / 100)))
    sx, sy = c.subject
    feet = sy + c.scale * 0.9
    polygon(c, [(sx - c.scale * 0.2, feet), (sx + c.scale * 0.2, feet), (sx + c.scale * 1.8, feet + c.scale * 0.9),
                (sx + c.scale * 1.4, feet + c.scale)], alpha((10, 10, 14), 130))
    person(c, sx, feet, c.scale * 1.8, (20, 20, 24), c.accent)


def tower(c: Canvas) -> None:
    """Looking up a glass tower: its edges run to the sky, the sun caught at the subject."""
    w, h = c.width, c.height
    sx, sy = c.subject
    kind = sky(c, h, ("day", "golden", "overcast"))
    glass = mix(pick(c, ((90, 130, 170), (70, 80, 90), (160, 190, 200))), c.deep, 0.3)
    for side in (-1, 1):  # two facades rising to the top of the tower
        base_out, base_in = (w * 0.5 + side * w * 0.9, h), (w * 0.5 + side * w * 0.02, h)
        top_out, top_in = (sx + side * c.scale * 1.5, sy + c.scale * 0.1), (sx, sy + c.scale * 0.5)
        face = mix(glass, (255, 255, 255) if side < 0 else (0, 0, 0), 0.2)
        polygon(c, [base_out, base_in, top_in, top_out], face)
        for k in range(1, 14):  # floors
            t = (k / 14) ** 1.6
            a = (base_out[0] + (top_out[0] - base_out[0]) * t, base_out[1] + (top_out[1] - base_out[1]) * t)
            b = (base_in[0] + (top_in[0] - base_in[0]) * t, base_in[1] + (top_in[1] - base_in[1]) * t)
            c.draw.line([a, b], fill=mix(face, (255, 255, 255), 0.3), width=max(1, int(4 * (1 - t))))
    polygon(c, [(w * 0.5 - w * 0.02, h), (w * 0.5 + w * 0.02, h), (sx, sy + c.scale * 0.5)], (230, 236, 240))
    glow(c, (sx, sy), c.scale * 1.8, (255, 244, 210) if kind != "overcast" else (240, 240, 240), 1.0)
    ellipse(c, sx, sy, c.scale * 0.3, c.scale * 0.3, (255, 250, 230))


def stairwell(c: Canvas) -> None:
    """A spiral staircase from above: rings of steps winding down to the light at the subject."""
    w, h = c.width, c.height
    sx, sy = c.subject
    wall_colour = mix(pick(c, ((236, 232, 224), (214, 120, 90), (90, 110, 130), (240, 210, 160))), c.light, 0.2)
    c.draw.rectangle((0, 0, w, h), fill=mix(wall_colour, (0, 0, 0), 0.5))
    turns = 7
    for k in range(turns, 0, -1):  # from the outermost ring in: each a floor further down, darker
        r = c.scale * 0.6 * k ** 1.35
        colour = mix(wall_colour, (0, 0, 0), 0.55 * (1 - k / turns))
        ellipse(c, sx, sy, r, r, colour)
        steps = 22
        for j in range(steps):
            a = j * 2 * math.pi / steps + k * 0.4
            inner = r * 0.72
            c.draw.line([(sx + inner * math.cos(a), sy + inner * math.sin(a)), (sx + r * math.cos(a),
                                                                                  sy + r * math.sin(a))],
                        fill=mix(colour, (0, 0, 0), 0.25), width=max(1, int(r / 60)))
        ellipse(c, sx, sy, r * 0.72, r * 0.72, None, outline=c.accent if k == turns else mix(colour, c.accent, 0.4),
                width=max(2, int(r / 40)))
    ellipse(c, sx, sy, c.scale * 0.45, c.scale * 0.45, (250, 244, 226))


def brutalist(c: Canvas) -> None:
    """A concrete housing block of deep-set windows in hard sun; one window has a coloured blind."""
    w, h = c.width, c.height
    sx, sy = c.subject
    sky(c, h, ("day", "overcast", "golden"))
    concrete = mix((180, 176, 168), c.light, 0.15)
    left, top = -w * 0.05, h * c.rng.uniform(-0.05, 0.15)
    c.draw.rectangle((left, top, w * 1.05, h), fill=concrete)
    cell = c.scale * c.rng.uniform(0.8, 1.1)
    ox, oy = sx % cell, sy % cell
    for i in range(-1, int(w / cell) + 2):
        for j in range(-1, int(h / cell) + 2):
            x, y = ox + i * cell, oy + j * cell
            if y - cell * 0.45 < top:
                continue
            c.draw.rectangle((x - cell * 0.45, y - cell * 0.45, x + cell * 0.45, y + cell * 0.45),
                             fill=mix(concrete, (0, 0, 0), 0.15))
            polygon(c, [(x - cell * 0.45, y - cell * 0.45), (x + cell * 0.45, y - cell * 0.45),
                        (x + cell * 0.2, y - cell * 0.2), (x - cell * 0.2, y - cell * 0.2)],
                    mix(concrete, (0, 0, 0), 0.4))
            c.draw.rectangle((x - cell * 0.2, y - cell * 0.2, x + cell * 0.2, y + cell * 0.2), fill=(40, 44, 52))
    c.draw.rectangle((sx - cell * 0.45, sy - cell * 0.45, sx + cell * 0.45, sy + cell * 0.45), fill=c.accent)
    c.draw.rectangle((sx - cell * 0.2, sy - cell * 0.2, sx + cell * 0.2, sy + cell * 0.2), fill=(250, 226, 160))
    ellipse(c, sx, sy + cell * 0.3, cell * 0.3, cell * 0.12, (70, 140, 60))  # plants on the sill
