"""Where Tessera keeps things: one data directory (platformdirs, or --data-dir) holding the worlds.

A new world is built in a private folder beside the others and renamed into place only when complete, so
that a failed or killed first write leaves no world behind and two processes never share a half-made one.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import platformdirs

from storage import StoreError

APP_NAME = "Tessera"
BUILD_PREFIX = ".building-"


def data_dir(override: str | Path | None = None) -> Path:
    path = Path(override) if override else Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))
    if path.exists() and not path.is_dir():
        raise StoreError(f"{path} is a file, not a folder; choose a folder for Tessera's data (--data-dir).")
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StoreError(f"Tessera cannot create its data folder {path} ({exc.strerror}); choose another "
                         "data folder (--data-dir).") from None
    return path


def settings_path(root: Path) -> Path:
    return root / "settings.json"


def worlds_dir(root: Path) -> Path:
    return root / "worlds"


def world_dir(root: Path, name: str) -> Path:
    return worlds_dir(root) / name


def new_world_folder(root: Path) -> Path:
    """A private folder to build a new world in, before `place_world` moves it into place."""
    worlds = worlds_dir(root)
    worlds.mkdir(parents=True, exist_ok=True)
    _remove_abandoned(worlds)
    return Path(tempfile.mkdtemp(prefix=f"{BUILD_PREFIX}{os.getpid()}-", dir=worlds))


def place_world(building: Path, target: Path) -> bool:
    """Rename a built world into place in one step. False, with nothing moved, when a world is there already
    (another process placed it first)."""
    try:
        os.rename(building, target)  # atomic; replaces at most an empty folder
    except OSError:
        if (target / "tessera.db").exists():
            return False
        raise
    return True


def _remove_abandoned(worlds: Path) -> None:
    """Remove the build folders of processes that no longer run (killed, or the power went)."""
    for path in worlds.glob(BUILD_PREFIX + "*"):
        pid = path.name[len(BUILD_PREFIX):].partition("-")[0]
        if pid.isdigit() and int(pid) != os.getpid() and os.name == "posix" and not _running(int(pid)):
            shutil.rmtree(path, ignore_errors=True)


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)  # signal 0 only asks whether the process exists
    except ProcessLookupError:
        return False
    except OSError:
        return True
    return True
