"""A world is one person's neighbourhood on disk: a store, an image cache and a clock.

The clock is handed in where the world is opened (the wall clock in the app, a virtual one in tests) and
everything that works on the world takes the time from it. The demo world lives at a fixed moment (its
`clock` in the store's meta table), so that it ranks the same on any day.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from discovery import paths
from discovery.clock import Clock, SystemClock, VirtualClock
from storage import ImageCache, Store

DEMO = "demo"


@dataclass
class World:
    name: str
    directory: Path
    store: Store
    images: ImageCache
    clock: Clock = field(default_factory=SystemClock)

    @classmethod
    def open(cls, root: Path, name: str, clock: Clock | None = None) -> World:
        directory = paths.world_dir(root, name)
        store = Store.open(directory / "tessera.db")
        fixed = store.meta("clock")
        clock = VirtualClock(int(fixed)) if fixed else (clock or SystemClock())
        store.now = clock.now
        return cls(name, directory, store, ImageCache(directory / "images"), clock)

    @property
    def kind(self) -> str:
        """"demo", "account" (a connected Instagram account) or "export" (an imported data export)."""
        return self.store.meta("world_kind", "demo" if self.name == DEMO else "account")

    @property
    def title(self) -> str:
        if self.kind == "demo":
            return "Demo world"
        me = self.store.me()
        username = self.store.accounts_frame([self.store.account_id(me)])["username"] if me else None
        return f"@{username.iloc[0]}" if username is not None and len(username) else self.name

    def now(self) -> int:
        return int(self.clock.now())

    def close(self) -> None:
        self.store.close()


def exists(root: Path, name: str) -> bool:
    return (paths.world_dir(root, name) / "tessera.db").exists()


def current_name(root: Path) -> str:
    """The world the app opens: the last one chosen, else the demo world."""
    marker = root / "current-world"
    if marker.exists():
        name = marker.read_text(encoding="utf-8").strip()
        if name and exists(root, name):
            return name
    return DEMO


def set_current(root: Path, name: str) -> None:
    marker = root / "current-world"
    partial = marker.with_name(f".current-world-{os.getpid()}")
    partial.write_text(name, encoding="utf-8")
    os.replace(partial, marker)  # a reader sees the old name or the new one, never half of it


def names(root: Path) -> list[str]:
    """Every world on this computer, the demo world first."""
    found = sorted(p.parent.name for p in paths.worlds_dir(root).glob("*/tessera.db")
                   if not p.parent.name.startswith("."))  # worlds being built are hidden
    return sorted(found, key=lambda name: name != DEMO)
