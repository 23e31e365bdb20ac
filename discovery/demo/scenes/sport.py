"""Running and cycling: roads, trails, tracks and shoes; bikes, riders and mountain passes."""

from __future__ import annotations

import math

from discovery.demo.scenes.base import (
    Canvas,
    ellipse,
    glow,
    gradient,
    limb,
    mix,
    person,
    pick,
    polygon,
    ridge,
    runner,
    shadow,
    sky,
)

KIT = ((220, 60, 60), (40, 110, 200), (250, 200, 40), (30, 30, 34), (240, 240, 236), (60, 170, 120))


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



def trail(c: Canvas) -> None:
    """A runner on a path winding over open hills."""
    w, h = c.width, c.height
    sx, sy = c.subject
    horizon = h * c.rng.uniform(0.3, 0.45)
    sky(c, horizon + h * 0.1)
    for i in range(3):
        t = i / 2
        ridge(c, horizon + h * 0.12 * i, h * 0.03, mix(mix((120, 150, 90), c.deep, 0.3), c.dark, 0.2 + 0.3 * t),
              smooth=6 + 2 * i)
    feet = sy + c.scale * 0.9
    path = (226, 206, 170)
    polygon(c, [(sx - c.scale * 0.3, feet), (sx + c.scale * 0.3, feet), (w * 0.7, h), (w * 0.3, h)], path)
    polygon(c, [(sx - c.scale * 0.1, feet), (sx + c.scale * 0.1, feet), (sx + w * 0.1, horizon + h * 0.1),
                (sx + w * 0.08, horizon + h * 0.1)], mix(path, (0, 0, 0), 0.1))
    runner(c, sx, feet, c.scale * 1.8, pick(c, ((60, 40, 30), (30, 30, 34))), c.accent, pick(c, [-1, 1]))


def track(c: Canvas) -> None:
    """The curve of an athletics track, white lanes on red, a runner in a lane."""
    w, h = c.width, c.height
    sx, sy = c.subject
    c.draw.rectangle((0, 0, w, h), fill=mix((70, 140, 70), c.deep, 0.2))
    red = pick(c, ((196, 70, 50), (40, 90, 160), (190, 80, 60)))
    centre = (sx + pick(c, [-1, 1]) * w * 0.9, sy - h * 0.4)
    outer = math.hypot(sx - centre[0], sy - centre[1]) + c.scale * 2.4
    ellipse(c, centre[0], centre[1], outer, outer, red)
    lanes = 7
    for k in range(lanes + 1):
        r = outer - k * c.scale * 0.7
        ellipse(c, centre[0], centre[1], r, r, None, (246, 244, 240), max(2, int(w / 200)))
    ellipse(c, centre[0], centre[1], outer - (lanes + 0.05) * c.scale * 0.7, outer - (lanes + 0.05) * c.scale * 0.7,
            mix((70, 140, 70), c.deep, 0.2))
    shadow(c, sx + c.scale * 0.4, sy + c.scale * 0.9, c.scale * 0.7, c.scale * 0.15)
    runner(c, sx, sy + c.scale * 0.9, c.scale * 1.8, pick(c, ((60, 40, 30), (30, 30, 34), (200, 150, 110))),
           c.accent, pick(c, [-1, 1]))


def _shoe(c: Canvas, x: float, y: float, s: float, colour, facing: int) -> None:
    """A running shoe from the side, its toe towards `facing`."""
    f = facing
    sole = [(x - f * s, y), (x + f * s * 1.1, y), (x + f * s * 1.2, y - s * 0.2), (x - f * s, y - s * 0.25)]
    polygon(c, sole, (246, 244, 240))
    upper = [(x - f * s * 0.95, y - s * 0.25), (x + f * s * 1.15, y - s * 0.2), (x + f * s * 0.9, y - s * 0.55),
             (x + f * s * 0.1, y - s * 0.75), (x - f * s * 0.5, y - s * 0.95), (x - f * s * 1.0, y - s * 0.8)]
    polygon(c, upper, colour)
    c.draw.line([(x - f * s * 0.6, y - s * 0.3), (x + f * s * 0.5, y - s * 0.6)], fill=(250, 250, 246),
                width=max(3, int(s * 0.12)))
    for k in range(4):  # laces
        lx = x + f * s * (0.1 - k * 0.12)
        c.draw.line([(lx, y - s * 0.72 + k * s * 0.03), (lx + f * s * 0.1, y - s * 0.62 + k * s * 0.03)],
                    fill=(250, 250, 246), width=max(2, int(s * 0.05)))


def shoes(c: Canvas) -> None:
    """A pair of running shoes on the ground, ready to go."""
    w, h = c.width, c.height
    sx, sy = c.subject
    ground = sy - c.scale * 0.3
    sky(c, max(1, ground), ("day", "golden", "overcast"))
    surface = pick(c, ((90, 92, 96), (196, 170, 130), (180, 70, 60), (110, 140, 80)))
    gradient(c, mix(surface, (255, 255, 255), 0.1), mix(surface, (0, 0, 0), 0.3), (0, int(max(0, ground)), w, h))
    s = c.scale * 1.1
    colour = c.accent
    facing = pick(c, [-1, 1])
    shadow(c, sx, sy + s * 0.05, s * 2.2, s * 0.2)
    _shoe(c, sx - s * 0.5, sy - s * 0.25, s * 0.95, mix(colour, (0, 0, 0), 0.2), facing)
    _shoe(c, sx + s * 0.3, sy, s, colour, facing)


def _cyclist(c: Canvas, x: float, ground: float, s: float, frame, kit, facing: int) -> None:
    """A rider on a road bike, seen from the side, the bottom bracket at x."""
    f = facing
    r = s * 0.36
    back, front = (x - f * s * 0.5, ground - r), (x + f * s * 0.5, ground - r)
    for cx, cy in (back, front):
        ellipse(c, cx, cy, r, r, None, (30, 30, 32), max(3, int(r * 0.15)))
    crank = (x, ground - r)
    seat, bars = (x - f * s * 0.18, ground - s * 0.95), (x + f * s * 0.38, ground - s * 0.98)
    for a, b in ((back, crank), (crank, seat), (seat, back), (crank, bars), (seat, bars), (bars, front)):
        c.draw.line([a, b], fill=frame, width=max(3, int(s * 0.05)))
    hip = (seat[0], seat[1] - s * 0.08)
    shoulder = (x + f * s * 0.22, ground - s * 1.35)
    limb(c, [hip, (x + f * s * 0.12, ground - s * 0.6), (crank[0] + f * s * 0.1, crank[1] + s * 0.08)], (30, 30, 34),
         s * 0.09)
    limb(c, [hip, shoulder], kit, s * 0.16)
    limb(c, [shoulder, (bars[0] - f * s * 0.02, bars[1] - s * 0.05)], (200, 150, 110), s * 0.06)
    ellipse(c, shoulder[0] + f * s * 0.1, shoulder[1] - s * 0.1, s * 0.1, s * 0.09, kit)  # the helmet


def rider(c: Canvas) -> None:
    """A rider on a coast road or between fields, side on."""
    w, h = c.width, c.height
    sx, sy = c.subject
    ground = min(h * 0.96, sy + c.scale * 1.2)
    sky(c, ground)
    if c.rng.random() < 0.5:
        c.draw.rectangle((0, ground - h * 0.12, w, ground), fill=mix((50, 120, 170), c.deep, 0.2))
    else:
        ridge(c, ground - h * 0.08, h * 0.02, mix((110, 150, 80), c.deep, 0.2), smooth=8)
    c.draw.rectangle((0, ground, w, h), fill=(70, 72, 76))
    c.draw.line([(0, ground + (h - ground) * 0.5), (w, ground + (h - ground) * 0.5)], fill=(236, 236, 230), width=2)
    shadow(c, sx, ground, c.scale * 1.2, c.scale * 0.1)
    _cyclist(c, sx, ground, c.scale * 2.2, pick(c, KIT), c.accent, pick(c, [-1, 1]))


def hairpins(c: Canvas) -> None:
    """Switchbacks up a mountainside, a rider on the bend nearest the camera."""
    w, h = c.width, c.height
    sx, sy = c.subject
    kind = sky(c, h * 0.35, ("day", "golden", "dusk"))
    ridge(c, h * 0.28, h * 0.04, mix((200, 210, 220), c.light, 0.3), smooth=4)
    gradient(c, mix((120, 150, 90), c.deep, 0.2), mix((70, 100, 60), c.dark, 0.2), (0, int(h * 0.3), w, h))
    road = (90, 92, 96)
    width = max(4, int(w / 40))
    y, k = h * 0.32, 0
    while y < h:  # the road zig-zagging down towards the camera
        x0, x1 = (w * 0.15, w * 0.85) if k % 2 == 0 else (w * 0.85, w * 0.15)
        c.draw.line([(x0, y), (x1, y + h * 0.12)], fill=road, width=int(width * (1 + k * 0.4)))
        ellipse(c, x1, y + h * 0.12, width * (1 + k * 0.4) / 2, width * (1 + k * 0.4) / 2, road)
        y += h * 0.12
        k += 1
    _cyclist(c, sx, sy + c.scale * 0.9, c.scale * 1.8, pick(c, KIT), c.accent, pick(c, [-1, 1]))
    if kind == "golden":
        glow(c, (w * 0.8, h * 0.15), w * 0.2, (255, 220, 160), 0.7)
