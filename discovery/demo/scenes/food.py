"""Coffee and cooking: cups, latte art, pour-overs, beans and espresso; pasta, bread, pans, bowls and tarts."""

from __future__ import annotations

import math

from discovery.demo.scenes.base import (
    Canvas,
    alpha,
    ellipse,
    gradient,
    leaf,
    mix,
    pick,
    planks,
    polygon,
    shadow,
    turned,
)

WHITE = (250, 248, 242)
WOODS = ((176, 128, 86), (140, 96, 62), (206, 170, 126), (96, 70, 52))
CLOTHS = ((236, 232, 224), (60, 70, 80), (196, 210, 204), (120, 60, 50), (226, 212, 190))
HERB = (70, 140, 60)


def _herbs(c: Canvas, count: int, spread: float, length: float, width: float) -> None:
    """`count` herb leaves strewn around the subject, `spread` their scatter."""
    sx, sy = c.subject
    for _ in range(count):
        c.draw.polygon(leaf(sx + c.rng.normal(0, spread), sy + c.rng.normal(0, spread), length, width,
                            c.rng.uniform(0, 6.3)), fill=HERB)


def _surface(c: Canvas) -> None:
    """A table seen from above: wood, linen or stone."""
    choice = c.rng.random()
    if choice < 0.55:
        planks(c, mix(pick(c, WOODS), c.deep, 0.2), vertical=c.rng.random() < 0.5)
    elif choice < 0.8:
        cloth = pick(c, CLOTHS)
        gradient(c, mix(cloth, (255, 255, 255), 0.1), mix(cloth, (0, 0, 0), 0.1))
        for k in range(0, c.width, max(8, c.width // 40)):  # the weave
            c.draw.line([(k, 0), (k, c.height)], fill=alpha((255, 255, 255), 18), width=1)
    else:
        stone = mix(pick(c, ((200, 200, 196), (70, 72, 76), (226, 222, 214))), c.light, 0.2)
        gradient(c, stone, mix(stone, (0, 0, 0), 0.12))
        for _ in range(14):  # veins
            x, y = c.rng.uniform(0, c.width), c.rng.uniform(0, c.height)
            c.draw.line([(x, y), (x + c.rng.uniform(-200, 200), y + c.rng.uniform(-200, 200))],
                        fill=alpha(mix(stone, (0, 0, 0), 0.3), 60), width=2)


def _napkin(c: Canvas, x: float, y: float, size: float) -> None:
    cloth = pick(c, CLOTHS)
    polygon(c, turned([(x - size, y - size * 0.7), (x + size, y - size * 0.7), (x + size, y + size * 0.7),
                       (x - size, y + size * 0.7)], x, y, c.rng.uniform(-0.4, 0.4)), cloth)


def _bowl_top(c: Canvas, x: float, y: float, r: float, glaze=None) -> None:
    """A bowl or plate from above: shadow, rim, inside."""
    shadow(c, x + r * 0.08, y + r * 0.1, r, r)
    rim = glaze or pick(c, (WHITE, (226, 220, 206), (90, 110, 120), (40, 44, 48)))
    ellipse(c, x, y, r, r, rim)
    ellipse(c, x, y, r * 0.86, r * 0.86, mix(rim, (0, 0, 0), 0.08))


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




def latte(c: Canvas) -> None:
    """A latte from above: cup and saucer, a rosetta poured into the crema, a spoon."""
    _surface(c)
    sx, sy = c.subject
    r = c.scale * 1.3
    if c.rng.random() < 0.5:
        _napkin(c, sx - r * 1.1, sy + r * 0.8, r * 0.9)
    shadow(c, sx + r * 0.12, sy + r * 0.15, r * 1.4, r * 1.4)
    ellipse(c, sx, sy, r * 1.4, r * 1.4, WHITE)  # saucer
    cup_colour = pick(c, (WHITE, (60, 64, 70), (200, 110, 80), (140, 170, 180)))
    ellipse(c, sx, sy, r, r, cup_colour)
    handle = pick(c, [-1, 1])
    c.draw.rounded_rectangle((sx + handle * r * 0.95 - r * 0.18, sy - r * 0.12, sx + handle * r * 0.95 + r * 0.18,
                              sy + r * 0.12), radius=r * 0.1, fill=cup_colour)
    crema = (176, 118, 70)
    ellipse(c, sx, sy, r * 0.86, r * 0.86, crema)
    foam = (248, 240, 226)
    for k in range(6):  # the rosetta: stacked leaves narrowing to the tip
        t = k / 6
        ellipse(c, sx, sy + r * (0.45 - t * 0.75), r * 0.5 * (1 - t * 0.6), r * 0.14, foam)
        ellipse(c, sx, sy + r * (0.45 - t * 0.75) + r * 0.03, r * 0.44 * (1 - t * 0.6), r * 0.07, crema)
    c.draw.line([(sx, sy + r * 0.65), (sx, sy - r * 0.5)], fill=foam, width=max(2, int(r * 0.05)))
    spoon = [(sx - r * 0.1, sy + r * 1.05), (sx + r * 0.7, sy + r * 1.25)]
    c.draw.line(spoon, fill=(196, 196, 200), width=max(3, int(r * 0.07)))
    ellipse(c, spoon[0][0], spoon[0][1], r * 0.12, r * 0.08, (200, 200, 206))
    if c.rng.random() < 0.5:  # a croissant beside it
        cx, cy = sx + pick(c, [-1, 1]) * r * 2.2, sy - r * 0.6
        for k in range(5):
            ellipse(c, cx + (k - 2) * r * 0.28, cy + abs(k - 2) * r * 0.12, r * 0.3, r * 0.24,
                    mix((214, 150, 70), (160, 96, 40), (k % 2) * 0.4))


def pourover(c: Canvas) -> None:
    """A cone dripper on a glass server, a kettle pouring into it."""
    w, h = c.width, c.height
    sx, sy = c.subject
    counter = min(h * 0.94, sy + c.scale * 2.0)
    gradient(c, mix(c.light, (255, 255, 255), 0.2), mix(c.light, c.deep, 0.35), (0, 0, w, int(counter)))
    planks(c, mix(pick(c, WOODS), c.deep, 0.2), (0, int(counter), w, h))
    s = c.scale
    glass = (216, 226, 230)
    c.draw.rounded_rectangle((sx - s * 0.8, sy + s * 0.55, sx + s * 0.8, counter), radius=s * 0.3,
                             fill=alpha(glass, 150), outline=(240, 246, 248), width=max(2, int(s * 0.04)))
    coffee_top = sy + s * 0.55 + (counter - sy - s * 0.55) * c.rng.uniform(0.3, 0.6)
    c.draw.rounded_rectangle((sx - s * 0.76, coffee_top, sx + s * 0.76, counter - s * 0.04), radius=s * 0.26,
                             fill=(92, 52, 30))
    dripper = pick(c, (WHITE, (196, 90, 70), (60, 64, 70), (226, 200, 150)))
    polygon(c, [(sx - s * 0.95, sy - s * 0.5), (sx + s * 0.95, sy - s * 0.5), (sx + s * 0.25, sy + s * 0.45),
                (sx - s * 0.25, sy + s * 0.45)], dripper)
    c.draw.rectangle((sx - s * 0.55, sy + s * 0.42, sx + s * 0.55, sy + s * 0.58), fill=dripper)
    polygon(c, [(sx - s * 0.8, sy - s * 0.5), (sx - s * 0.6, sy - s * 0.66), (sx + s * 0.6, sy - s * 0.66),
                (sx + s * 0.8, sy - s * 0.5)], (240, 236, 226))  # the paper filter
    side = pick(c, [-1, 1])
    spout = (sx + side * s * 0.25, sy - s * 1.3)
    kettle = pick(c, ((200, 200, 204), (40, 40, 44), (220, 190, 150)))
    body = (sx + side * s * 1.8, sy - s * 1.9)
    c.draw.line([spout, (body[0] - side * s * 0.4, body[1] + s * 0.4)], fill=kettle, width=max(3, int(s * 0.1)))
    c.draw.rounded_rectangle((body[0] - s * 0.7, body[1] - s * 0.5, body[0] + s * 0.7, body[1] + s * 0.7),
                             radius=s * 0.3, fill=kettle)
    c.draw.line([spout, (sx + side * s * 0.1, sy - s * 0.55)], fill=(150, 100, 60), width=max(2, int(s * 0.04)))
    for k in (-1, 1):  # steam
        c.draw.arc((sx + k * s * 0.3 - s * 0.15, sy - s * 1.4, sx + k * s * 0.3 + s * 0.15, sy - s * 0.7), 100, 260,
                   fill=alpha((255, 255, 255), 120), width=max(2, int(s * 0.05)))


def beans(c: Canvas) -> None:
    """Roasted beans spilled from a kraft bag with a coloured label."""
    _surface(c)
    sx, sy = c.subject
    s = c.scale
    bean = (96, 58, 36)
    for _ in range(140):  # spilled beans, thickest near the bag
        x = sx + c.rng.normal(0, s * 1.8)
        y = sy + s * 1.3 + abs(c.rng.normal(0, s * 0.9))
        r = s * 0.11
        pts = turned([(x - r * 1.3, y), (x, y - r), (x + r * 1.3, y), (x, y + r)], x, y, c.rng.uniform(0, math.pi))
        polygon(c, pts, mix(bean, (0, 0, 0), c.rng.uniform(0, 0.4)))
        c.draw.line([pts[0], pts[2]], fill=(60, 34, 20), width=1)
    shadow(c, sx + s * 0.2, sy + s * 1.3, s * 1.1, s * 0.25)
    kraft = (196, 156, 108)
    c.draw.rounded_rectangle((sx - s * 0.9, sy - s * 1.2, sx + s * 0.9, sy + s * 1.3), radius=s * 0.08, fill=kraft)
    for k in range(6):  # the rolled top
        y = sy - s * 1.2 + k * s * 0.06
        c.draw.line([(sx - s * 0.9, y), (sx + s * 0.9, y)], fill=mix(kraft, (0, 0, 0), 0.15), width=2)
    label = c.accent
    c.draw.rectangle((sx - s * 0.65, sy - s * 0.3, sx + s * 0.65, sy + s * 0.7), fill=label)
    c.draw.rectangle((sx - s * 0.45, sy - s * 0.05, sx + s * 0.45, sy + s * 0.05), fill=WHITE)
    c.draw.rectangle((sx - s * 0.3, sy + s * 0.2, sx + s * 0.3, sy + s * 0.26), fill=WHITE)
    ellipse(c, sx, sy + s * 0.46, s * 0.12, s * 0.12, WHITE)


def espresso(c: Canvas) -> None:
    """An espresso pouring from a portafilter into a small glass."""
    w, h = c.width, c.height
    sx, sy = c.subject
    s = c.scale
    machine = pick(c, ((200, 200, 204), (170, 40, 40), (40, 42, 46), (226, 222, 210)))
    gradient(c, mix(machine, (255, 255, 255), 0.15), mix(machine, (0, 0, 0), 0.3))
    c.draw.rectangle((0, sy + s * 0.9, w, h), fill=(60, 60, 64))  # the drip tray
    for x in range(0, w, max(6, int(s * 0.15))):
        c.draw.line([(x, sy + s * 0.9), (x, h)], fill=(40, 40, 44), width=2)
    c.draw.rectangle((sx - s * 0.8, -s, sx + s * 0.8, max(-s, sy - s * 1.7)), fill=(180, 180, 186))  # the group head
    c.draw.rounded_rectangle((sx - s, sy - s * 1.75, sx + s, sy - s * 1.35), radius=s * 0.15, fill=(210, 210, 214))
    c.draw.line([(sx + s * 0.8, sy - s * 1.55), (sx + s * 2.6, sy - s * 1.35)], fill=(30, 30, 32),
                width=max(4, int(s * 0.25)))  # the handle
    for k in (-1, 1):  # two streams
        c.draw.line([(sx + k * s * 0.15, sy - s * 1.35), (sx + k * s * 0.12, sy)], fill=(120, 70, 30),
                    width=max(2, int(s * 0.06)))
    glass = (230, 236, 238)
    c.draw.rounded_rectangle((sx - s * 0.5, sy - s * 0.3, sx + s * 0.5, sy + s * 0.9), radius=s * 0.12,
                             fill=alpha(glass, 110), outline=(246, 248, 250), width=max(2, int(s * 0.04)))
    c.draw.rectangle((sx - s * 0.45, sy + s * 0.1, sx + s * 0.45, sy + s * 0.85), fill=(70, 36, 20))
    c.draw.rectangle((sx - s * 0.45, sy - s * 0.05, sx + s * 0.45, sy + s * 0.1), fill=(206, 146, 80))  # crema


def pasta(c: Canvas) -> None:
    """A bowl of pasta from above: a nest of noodles in sauce, basil, parmesan, a fork."""
    _surface(c)
    sx, sy = c.subject
    r = c.scale * 1.5
    _napkin(c, sx + r * 0.9, sy + r * 0.9, r * 0.8)
    _bowl_top(c, sx, sy, r)
    sauce = pick(c, ((200, 60, 40), (226, 190, 110), (90, 140, 60)))
    noodle = (240, 206, 130)
    ellipse(c, sx, sy, r * 0.62, r * 0.62, mix(sauce, noodle, 0.3))
    for _ in range(26):  # the noodles, curled into a nest
        rr = c.rng.uniform(0.15, 0.58) * r
        start = c.rng.uniform(0, 360)
        c.draw.arc((sx - rr, sy - rr, sx + rr, sy + rr), start, start + c.rng.uniform(90, 220),
                   fill=mix(noodle, (255, 255, 255), c.rng.uniform(0, 0.3)), width=max(3, int(r * 0.045)))
    for _ in range(7):
        x, y = sx + c.rng.normal(0, r * 0.25), sy + c.rng.normal(0, r * 0.25)
        ellipse(c, x, y, r * 0.07, r * 0.06, sauce)
    _herbs(c, 3, r * 0.2, r * 0.25, r * 0.14)
    for _ in range(20):  # parmesan
        x, y = sx + c.rng.normal(0, r * 0.3), sy + c.rng.normal(0, r * 0.3)
        ellipse(c, x, y, r * 0.015, r * 0.015, (252, 246, 220))
    fork = (190, 190, 196)
    c.draw.line([(sx - r * 1.25, sy - r * 0.6), (sx - r * 1.25, sy + r * 0.9)], fill=fork, width=max(3, int(r * 0.05)))
    for k in range(4):
        x = sx - r * 1.32 + k * r * 0.045
        c.draw.line([(x, sy - r * 0.85), (x, sy - r * 0.6)], fill=fork, width=max(2, int(r * 0.025)))


def bread(c: Canvas) -> None:
    """A sourdough loaf on a board: a dark crust, a flour-dusted score, a slice cut."""
    w, h = c.width, c.height
    sx, sy = c.subject
    counter = min(h * 0.85, sy + c.scale * 1.0)
    wall_colour = pick(c, ((236, 230, 220), (60, 66, 72), mix(c.light, c.deep, 0.2)))
    gradient(c, mix(wall_colour, (255, 255, 255), 0.1), mix(wall_colour, (0, 0, 0), 0.15), (0, 0, w, int(counter)))
    planks(c, pick(c, WOODS), (0, int(counter), w, h))
    s = c.scale * 1.5
    board = pick(c, WOODS)
    c.draw.rounded_rectangle((sx - s * 1.7, counter - s * 0.15, sx + s * 1.5, counter + s * 0.1), radius=s * 0.05,
                             fill=mix(board, (255, 255, 255), 0.15))
    crust = (160, 92, 40)
    ellipse(c, sx, counter - s * 0.55, s * 1.2, s * 0.6, crust)
    ellipse(c, sx - s * 0.1, counter - s * 0.7, s * 0.95, s * 0.4, mix(crust, (200, 130, 60), 0.5))
    c.draw.arc((sx - s * 0.8, counter - s * 1.25, sx + s * 0.6, counter - s * 0.45), 200, 320,
               fill=(236, 220, 190), width=max(3, int(s * 0.08)))  # the ear of the score
    for _ in range(60):  # flour
        ang, d = c.rng.uniform(math.pi, 2 * math.pi), c.rng.uniform(0, 1)
        ellipse(c, sx + s * d * math.cos(ang), counter - s * 0.5 + s * 0.55 * d * math.sin(ang), 1.5, 1.5,
                (246, 240, 228))
    if c.rng.random() < 0.6:  # a slice: crumb with holes
        x = sx + s * 1.25
        ellipse(c, x, counter - s * 0.4, s * 0.25, s * 0.4, crust)
        ellipse(c, x, counter - s * 0.4, s * 0.21, s * 0.35, (240, 222, 186))
        for _ in range(8):
            ellipse(c, x + c.rng.normal(0, s * 0.07), counter - s * 0.4 + c.rng.normal(0, s * 0.12), s * 0.03,
                    s * 0.025, (214, 190, 150))


def shakshuka(c: Canvas) -> None:
    """A cast-iron pan from above: tomato sauce, eggs, herbs, and bread on the side."""
    _surface(c)
    sx, sy = c.subject
    r = c.scale * 1.5
    angle = c.rng.uniform(0, 2 * math.pi)
    c.draw.line([(sx, sy), (sx + r * 1.8 * math.cos(angle), sy + r * 1.8 * math.sin(angle))], fill=(36, 34, 34),
                width=max(6, int(r * 0.2)))
    shadow(c, sx + r * 0.08, sy + r * 0.1, r, r)
    ellipse(c, sx, sy, r, r, (44, 42, 42))
    ellipse(c, sx, sy, r * 0.88, r * 0.88, (180, 50, 32))
    for _ in range(30):
        ellipse(c, sx + c.rng.normal(0, r * 0.35), sy + c.rng.normal(0, r * 0.35), r * 0.06, r * 0.05, (150, 36, 24))
    for k in range(int(c.rng.integers(3, 6))):
        ang = k * 2 * math.pi / 5 + c.rng.uniform(-0.3, 0.3)
        x, y = sx + r * 0.45 * math.cos(ang), sy + r * 0.45 * math.sin(ang)
        ellipse(c, x, y, r * 0.22, r * 0.19, (250, 248, 240))
        ellipse(c, x, y, r * 0.09, r * 0.09, (248, 176, 30))
    _herbs(c, 12, r * 0.4, r * 0.1, r * 0.05)


def ramen(c: Canvas) -> None:
    """A ramen bowl from above: broth, noodles, a halved egg, nori, spring onion, chopsticks."""
    _surface(c)
    sx, sy = c.subject
    r = c.scale * 1.5
    _bowl_top(c, sx, sy, r, pick(c, ((40, 40, 44), (200, 60, 50), WHITE, (40, 70, 110))))
    broth = pick(c, ((214, 160, 96), (236, 216, 180), (190, 100, 60)))
    ellipse(c, sx, sy, r * 0.82, r * 0.82, broth)
    for _ in range(14):
        rr = c.rng.uniform(0.2, 0.6) * r
        start = c.rng.uniform(0, 360)
        c.draw.arc((sx - rr, sy - rr, sx + rr, sy + rr), start, start + 60, fill=(244, 220, 140),
                   width=max(3, int(r * 0.04)))
    c.draw.rectangle((sx - r * 0.7, sy - r * 0.5, sx - r * 0.3, sy + r * 0.1), fill=(30, 44, 36))  # nori
    for k in (0, 1):  # half eggs
        x, y = sx + r * (0.25 + 0.25 * k), sy - r * (0.25 - 0.3 * k)
        ellipse(c, x, y, r * 0.2, r * 0.16, (252, 250, 244))
        ellipse(c, x, y, r * 0.1, r * 0.08, (240, 150, 30))
    ellipse(c, sx - r * 0.1, sy + r * 0.4, r * 0.25, r * 0.16, (226, 170, 150))  # chashu
    for _ in range(24):
        ellipse(c, sx + c.rng.normal(0, r * 0.3), sy + c.rng.normal(0, r * 0.3), r * 0.03, r * 0.03, (110, 180, 70))
    stick = (170, 120, 70)
    for k in (0, 1):
        c.draw.line([(sx - r * 1.4, sy + r * (0.9 + 0.12 * k)), (sx + r * 0.6, sy + r * (0.55 + 0.1 * k))],
                    fill=stick, width=max(3, int(r * 0.05)))


def dumplings(c: Canvas) -> None:
    """A bamboo steamer of dumplings from above, a dish of soy sauce beside it."""
    _surface(c)
    sx, sy = c.subject
    r = c.scale * 1.6
    shadow(c, sx + r * 0.08, sy + r * 0.1, r, r)
    bamboo = (206, 166, 100)
    ellipse(c, sx, sy, r, r, bamboo)
    ellipse(c, sx, sy, r * 0.9, r * 0.9, mix(bamboo, (0, 0, 0), 0.15))
    ellipse(c, sx, sy, r * 0.86, r * 0.86, (150, 176, 110))  # a cabbage leaf lining
    dough = (246, 240, 226)
    spots = [(0, 0)] + [(0.5 * math.cos(k * math.pi / 3), 0.5 * math.sin(k * math.pi / 3)) for k in range(6)]
    for dx, dy in spots:
        x, y = sx + dx * r, sy + dy * r
        ellipse(c, x + r * 0.02, y + r * 0.03, r * 0.2, r * 0.17, alpha((0, 0, 0), 40))
        ellipse(c, x, y, r * 0.2, r * 0.17, dough)
        for k in range(5):  # pleats
            c.draw.line([(x - r * 0.12 + k * r * 0.06, y - r * 0.08), (x - r * 0.1 + k * r * 0.05, y + r * 0.02)],
                        fill=(220, 210, 190), width=max(1, int(r * 0.02)))
    dx = sx + pick(c, [-1, 1]) * r * 1.35
    ellipse(c, dx, sy + r * 0.7, r * 0.32, r * 0.32, WHITE)
    ellipse(c, dx, sy + r * 0.7, r * 0.24, r * 0.24, (70, 36, 20))


def salad(c: Canvas) -> None:
    """A plate of sliced tomatoes with herbs, oil and salt."""
    _surface(c)
    sx, sy = c.subject
    r = c.scale * 1.4
    _bowl_top(c, sx, sy, r, pick(c, (WHITE, (230, 224, 210), (70, 110, 150))))
    tomatoes = [(214, 50, 40), (240, 150, 40), (120, 150, 60), (170, 40, 60)]
    for _ in range(int(c.rng.integers(8, 13))):
        ang, d = c.rng.uniform(0, 2 * math.pi), c.rng.uniform(0, r * 0.5)
        x, y, tr = sx + d * math.cos(ang), sy + d * math.sin(ang), c.rng.uniform(0.16, 0.24) * r
        colour = pick(c, tomatoes)
        ellipse(c, x, y, tr, tr, colour)
        ellipse(c, x, y, tr * 0.75, tr * 0.75, mix(colour, (255, 220, 180), 0.35))
        for k in range(4):  # seeds in their chambers
            a = k * math.pi / 2 + 0.4
            ellipse(c, x + tr * 0.4 * math.cos(a), y + tr * 0.4 * math.sin(a), tr * 0.1, tr * 0.1, (250, 230, 150))
    _herbs(c, 10, r * 0.35, r * 0.2, r * 0.1)


def tart(c: Canvas) -> None:
    """A fruit tart from above: a crimped golden crust, rings of fruit, a slice taken out."""
    _surface(c)
    sx, sy = c.subject
    r = c.scale * 1.6
    shadow(c, sx + r * 0.08, sy + r * 0.1, r, r)
    crust = (214, 160, 80)
    ellipse(c, sx, sy, r, r, crust)
    for k in range(28):  # the crimped edge
        a = k * 2 * math.pi / 28
        ellipse(c, sx + r * 0.93 * math.cos(a), sy + r * 0.93 * math.sin(a), r * 0.09, r * 0.09,
                mix(crust, (160, 100, 40), 0.3))
    fruit = pick(c, ((230, 60, 70), (250, 180, 60), (90, 60, 120), (240, 120, 60)))
    for ring, count in ((0.68, 16), (0.42, 10), (0.16, 5)):
        for k in range(count):
            a = k * 2 * math.pi / count + ring
            x, y = sx + r * ring * math.cos(a), sy + r * ring * math.sin(a)
            polygon(c, turned(leaf(x - r * 0.12, y, r * 0.24, r * 0.13, 0), x, y, a), fruit)
    start = c.rng.uniform(0, 360)  # a slice taken out: the table shows through
    c.draw.pieslice((sx - r * 1.02, sy - r * 1.02, sx + r * 1.02, sy + r * 1.02), start, start + 40,
                    fill=mix(c.light, c.deep, 0.3))
