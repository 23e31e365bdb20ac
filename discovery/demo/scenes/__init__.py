"""Flat illustrations for the demo world's pictures, one painter per scene kind.

A painter draws in full colour on a canvas, with its subject (the salient thing: a sun, a cup, a dog, a
climber) at `canvas.subject`; discovery.demo.pictures then applies the picture's brightness, colour and
contrast. Everything random comes from `canvas.rng`, so a picture is a pure function of its style.
"""

from __future__ import annotations

from discovery.demo.scenes import city, film, food, home, outdoors, sport
from discovery.demo.scenes.base import Canvas, Draw, glow

PAINTERS = {name: getattr(module, name)
            for module in (outdoors, food, city, home, sport, film)
            for name in dir(module)
            if not name.startswith("_") and getattr(getattr(module, name), "__module__", "") == module.__name__
            and callable(getattr(module, name)) and name[0].islower()}

__all__ = ["PAINTERS", "Canvas", "Draw", "glow"]
