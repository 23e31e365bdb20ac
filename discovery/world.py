"""A world is one person's neighbourhood on disk: a store, an image cache and a clock.

The clock is handed in where the world is opened (the wall clock in the app, a virtual one in tests) and
everything that works on the world takes the time from it. The demo world lives at a fixed moment (its
`clock` in the store's meta table), so that it ranks the same on any day.
"""

from __future__ import annotations

import os
import threading
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING

from discovery import paths
from discovery.clock import Clock, SystemClock, VirtualClock
from discovery.pictures import CachedPictures, DownloadedPictures, DrawnPictures, PictureSource
from discovery.progress import CancelToken, Progress, no_progress
from storage import ImageCache
from storage.opening import head_revision, inspect_file
from storage.peek import read_meta

if TYPE_CHECKING:
    from storage import Store

DEMO = "demo"
KIND_KEY = "world_kind"  # the store's meta key


class WorldKind(StrEnum):
    DEMO = "demo"  # generated; lives at a fixed moment and draws its pictures
    ACCOUNT = "account"  # a connected Instagram account: syncs, downloads pictures
    EXPORT = "export"  # an imported data export: offline

    @classmethod
    def of(cls, store: Store, name: str) -> WorldKind:
        """The kind a store records; a store from before kinds were recorded is the demo world by its name."""
        return cls.named(store.meta(KIND_KEY), name)

    @classmethod
    def named(cls, recorded: str | None, name: str) -> WorldKind:
        return cls(recorded or (cls.DEMO if name == DEMO else cls.ACCOUNT))

    def record(self, store: Store) -> None:
        store.set_meta(KIND_KEY, self.value)


@dataclass
class World:
    """An open world. Its kind is read once, when it opens, and decides where its pictures come from.

    A store file at the current schema is checked when the world opens (with sqlite3 alone) and opened on
    first use of `store`: a start that shows kept lists paints before SQLAlchemy and pandas load."""

    name: str
    directory: Path
    images: ImageCache
    clock: Clock = field(default_factory=SystemClock)
    kind: WorldKind = WorldKind.ACCOUNT
    opened_store: Store | None = None  # None until first used
    pictures: PictureSource = field(init=False)
    _opening: threading.Lock = field(init=False, repr=False, compare=False, default_factory=threading.Lock)

    def __post_init__(self) -> None:
        source = {WorldKind.DEMO: DrawnPictures, WorldKind.ACCOUNT: DownloadedPictures}.get(self.kind,
                                                                                            CachedPictures)
        self.pictures = source(self)

    @classmethod
    def open(cls, root: Path, name: str, clock: Clock | None = None) -> World:
        directory = paths.world_dir(root, name)
        path = directory / "tessera.db"
        meta = read_meta(path, ("clock", KIND_KEY, "data_version")) if _current(path) else None
        store = None
        if meta is None or "data_version" not in meta:  # new, to migrate, or without a data version yet: now
            from storage import Store

            store = Store.open(path)
            meta = {key: store.meta(key) or "" for key in ("clock", KIND_KEY)}
        fixed = meta.get("clock")
        clock = VirtualClock(int(fixed)) if fixed else (clock or SystemClock())
        if store is not None:
            store.now = clock.now
        return cls(name, directory, ImageCache(directory / "images"), clock, WorldKind.named(meta.get(KIND_KEY), name),
                   store)

    @property
    def store(self) -> Store:
        """The world's store, opened on first use (from any thread)."""
        store = self.opened_store
        if store is None:
            with self._opening:
                if self.opened_store is None:
                    from storage import Store

                    opened = Store.open(self.directory / "tessera.db")
                    opened.now = self.clock.now
                    self.opened_store = opened
                store = self.opened_store
        return store

    def data_version(self) -> str | None:
        """The store's data version, read without opening the store when it is not open yet."""
        if self.opened_store is not None:
            return self.opened_store.data_version()
        return (read_meta(self.directory / "tessera.db", ("data_version",)) or {}).get("data_version")

    def reread_kind(self) -> None:
        """After an import made this open world an export's: the one change of kind while a world is open."""
        self.kind = WorldKind.of(self.store, self.name)
        self.__post_init__()

    @property
    def title(self) -> str:
        if self.kind is WorldKind.DEMO:
            return "Demo world"
        me = self.store.me()
        me_id = self.store.account_id(me) if me else None
        username = self.store.accounts_frame([me_id])["username"] if me_id is not None else None
        return f"@{username.iloc[0]}" if username is not None and len(username) else self.name

    def now(self) -> int:
        return int(self.clock.now())

    def close(self) -> None:
        if self.opened_store is not None:
            self.opened_store.close()


def _current(path: Path) -> bool:
    """Whether `path` is a Tessera store at the current schema (refused with a StoreError if it cannot be)."""
    return path.is_file() and inspect_file(path) == head_revision()


class MissingWorld(LookupError):
    """A world that is not on this computer; str() is the sentence to show."""


def open_world(root: Path, name: str | None = None, clock: Clock | None = None, *, build_demo: bool = True,
               progress: Progress = no_progress, cancel: CancelToken | None = None) -> World:
    """The world `name` (by default the current one). The demo world is generated on first use (with
    `progress` and `cancel`) unless `build_demo` is off; any other world must exist, else MissingWorld."""
    name = name or current_name(root)
    if name == DEMO and build_demo and not exists(root, DEMO):
        from discovery.demo import ensure_demo_world

        return ensure_demo_world(root, progress, cancel)
    if not exists(root, name):
        known = names(root)  # worlds being built are not listed
        hint = " yet: build it with `python -m discovery demo`, or connect an account" if name == DEMO else ""
        raise MissingWorld(f"there is no world named {name!r} in {root}{hint}"
                           + (f" (worlds: {', '.join(known)})." if known else "."))
    return World.open(root, name, clock)


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
