"""Film photography: cameras, contact sheets, the darkroom, and frames with light leaks."""

from __future__ import annotations

from discovery.demo.scenes import outdoors
from discovery.demo.scenes.base import Canvas, alpha, ellipse, glow, gradient, grain, mix, pick, planks, shadow

LEATHERETTE = ((30, 30, 32), (120, 70, 50), (60, 80, 70), (150, 130, 100))


def camera(c: Canvas) -> None:
    """A 35 mm rangefinder from the front on a table: chrome top, leatherette, lens, windows."""
    sx, sy = c.subject
    planks(c, mix(pick(c, ((176, 128, 86), (96, 70, 52), (206, 170, 126))), c.deep, 0.2))
    s = c.scale * 1.2
    body = (sx - s * 2.0, sy - s * 0.9, sx + s * 2.0, sy + s * 0.9)
    shadow(c, sx + s * 0.2, sy + s * 1.0, s * 2.1, s * 0.3)
    chrome = (206, 206, 210)
    c.draw.rounded_rectangle(body, radius=s * 0.25, fill=chrome)
    c.draw.rectangle((body[0], sy - s * 0.45, body[2], body[3] - s * 0.15), fill=pick(c, LEATHERETTE))
    c.draw.rectangle((sx - s * 1.7, sy - s * 0.8, sx - s * 1.1, sy - s * 0.55), fill=(60, 70, 80))  # windows
    c.draw.rectangle((sx + s * 1.1, sy - s * 0.8, sx + s * 1.7, sy - s * 0.55), fill=(60, 70, 80))
    c.draw.rectangle((sx + s * 1.2, body[1] - s * 0.2, sx + s * 1.5, body[1]), fill=chrome)  # shutter button
    c.draw.rectangle((sx - s * 1.5, body[1] - s * 0.25, sx - s * 1.0, body[1]), fill=chrome)  # rewind knob
    for r, colour in ((0.85, (40, 40, 42)), (0.75, chrome), (0.62, (30, 30, 32)), (0.45, (20, 22, 30))):
        ellipse(c, sx, sy + s * 0.1, s * r, s * r, colour)
    ellipse(c, sx - s * 0.12, sy - s * 0.02, s * 0.14, s * 0.1, alpha(c.accent, 200))  # the lens coating's glint
    ellipse(c, sx + s * 0.1, sy + s * 0.2, s * 0.06, s * 0.06, alpha((255, 255, 255), 120))
    if c.rng.random() < 0.6:  # a roll beside it
        x, y = sx + pick(c, [-1, 1]) * s * 2.8, sy + s * 0.5
        c.draw.rounded_rectangle((x - s * 0.3, y - s * 0.5, x + s * 0.3, y + s * 0.5), radius=s * 0.1, fill=c.accent)
        c.draw.rectangle((x - s * 0.3, y - s * 0.15, x + s * 0.3, y + s * 0.15), fill=(250, 240, 210))


def contact(c: Canvas) -> None:
    """A contact sheet on a light box: strips of frames, one circled in red grease pencil."""
    w, h = c.width, c.height
    sx, sy = c.subject
    gradient(c, (246, 244, 236), (226, 224, 214))
    frame_w = c.scale * 1.5
    frame_h = frame_w * 0.68
    strip_h = frame_h * 1.45
    row0 = sy - strip_h * round(sy / strip_h)
    col0 = sx - frame_w * 1.1 * round(sx / (frame_w * 1.1))
    tones = [mix(c.main, c.light, 0.3), mix(c.deep, c.dark, 0.3), c.accent, mix(c.main, c.dark, 0.5)]
    y = row0 - strip_h
    while y < h + strip_h:
        c.draw.rectangle((0, y - strip_h / 2 + 3, w, y + strip_h / 2 - 3), fill=(28, 24, 22))
        for x_hole in range(0, w, max(6, int(frame_w * 0.12))):  # sprocket holes
            for edge in (-1, 1):
                hy = y + edge * strip_h * 0.4
                c.draw.rectangle((x_hole, hy - 2, x_hole + frame_w * 0.05, hy + 2), fill=(200, 196, 186))
        x = col0 - frame_w * 1.1
        while x < w + frame_w:
            box = (x - frame_w / 2, y - frame_h / 2, x + frame_w / 2, y + frame_h / 2)
            gradient(c, pick(c, tones), pick(c, tones), box)
            ellipse(c, x + c.rng.uniform(-0.2, 0.2) * frame_w, y, frame_h * 0.2, frame_h * 0.2,
                    alpha((250, 240, 220), 160))
            x += frame_w * 1.1
        y += strip_h
    c.draw.ellipse((sx - frame_w * 0.7, sy - frame_h * 0.75, sx + frame_w * 0.7, sy + frame_h * 0.75),
                   outline=(220, 40, 40), width=max(3, int(w / 120)))
    loupe = (sx + frame_w * 0.9, sy + frame_h * 0.9)
    ellipse(c, loupe[0], loupe[1], frame_w * 0.4, frame_w * 0.4, alpha((240, 240, 240), 90), (40, 40, 44),
            max(3, int(w / 150)))


def darkroom(c: Canvas) -> None:
    """Prints hung to dry under a red safelight."""
    w, h = c.width, c.height
    sx, sy = c.subject
    c.draw.rectangle((0, 0, w, h), fill=(34, 8, 8))
    glow(c, (w * c.rng.uniform(0.1, 0.9), h * 0.08), w * 0.6, (220, 40, 30), 0.9)
    line_y = sy - c.scale * 1.2
    c.draw.line([(0, line_y - c.scale * 0.2), (w, line_y + c.scale * 0.2)], fill=(120, 40, 30), width=2)
    s = c.scale
    x = sx % (s * 2.4) - s * 2.4
    while x < w + s * 2.4:
        centre = abs(x - sx) < 1
        pw, ph = s * (1.1 if centre else 0.9), s * (1.5 if centre else 1.2)
        top = line_y + (x / w - 0.5) * s * 0.4
        paper = (250, 236, 226) if centre else (170, 60, 50)
        c.draw.rectangle((x - pw / 2, top, x + pw / 2, top + ph * 2 * 0.5 + ph * 0.5), fill=paper)
        img = (x - pw * 0.4, top + ph * 0.1, x + pw * 0.4, top + ph * 1.3)
        gradient(c, mix(paper, (0, 0, 0), 0.3), mix(paper, (0, 0, 0), 0.8), img)
        ellipse(c, x, top + ph * 0.6, pw * 0.2, pw * 0.2, mix(paper, (255, 255, 255), 0.3))
        c.draw.rectangle((x - s * 0.08, top - s * 0.15, x + s * 0.08, top + s * 0.1), fill=(200, 180, 160))  # a peg
        x += s * 2.4
    tray_y = h * 0.9
    c.draw.rectangle((-10, tray_y, w + 10, h), fill=(60, 20, 18))
    c.draw.rectangle((w * 0.1, tray_y - h * 0.03, w * 0.9, tray_y + h * 0.02), fill=(200, 200, 196))


def leak(c: Canvas) -> None:
    """A frame from an old roll: a landscape with an orange light leak burning in from the edge, and grain."""
    pick(c, (outdoors.sea, outdoors.mountains, outdoors.beach, outdoors.harbour))(c)
    w, h = c.width, c.height
    edge = pick(c, ["left", "right", "top"])
    centre = {"left": (0, h * c.rng.uniform(0.2, 0.8)), "right": (w, h * c.rng.uniform(0.2, 0.8)),
              "top": (w * c.rng.uniform(0.2, 0.8), 0)}[edge]
    glow(c, centre, max(w, h) * 0.7, pick(c, ((255, 120, 40), (255, 70, 60), (255, 180, 80))), 0.9)
    grain(c, 14)
    border = max(2, int(min(w, h) * 0.02))  # the rounded black frame edge of a scanned negative
    c.draw.rectangle((0, 0, w - 1, h - 1), outline=(16, 14, 14), width=border)
