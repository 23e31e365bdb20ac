"""Putting the demo world on disk atomically: it is built in a temporary directory beside its final place
and renamed into place when complete, so a cancelled or crashed build leaves no half-made world."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

from discovery import paths
from discovery.clock import SystemClock
from discovery.demo.generator import DemoConfig, DemoSummary, build_demo_world
from discovery.progress import CancelToken, Progress, no_progress
from discovery.world import DEMO, World, exists
from storage import Store

BUILD_PREFIX = ".demo-build-"
OLD_PREFIX = ".demo-old-"
ABANDONED_AFTER_SECONDS = 86_400  # a build takes seconds; a day-old build directory is certainly abandoned


def ensure_demo_world(root: Path, progress: Progress = no_progress, cancel: CancelToken | None = None, *,
                      config: DemoConfig | None = None, force: bool = False) -> World:
    """The demo world under `root`, generated first if it does not exist (or, with `force`, rebuilt).

    With `force` the old world stays in place until the new one is complete. Raises
    discovery.progress.Cancelled when cancelled; nothing of the build is left behind then.
    """
    root = Path(root)
    if force or not exists(root, DEMO):
        build_demo_directory(root, config or DemoConfig(), progress, cancel, replace=force)
    return World.open(root, DEMO)


def build_demo_directory(root: Path, config: DemoConfig, progress: Progress = no_progress,
                         cancel: CancelToken | None = None, replace: bool = False) -> DemoSummary | None:
    """Build the demo world and move it into place. Returns its summary, or None when another process put a
    demo world in place first (and `replace` is off): that one is kept."""
    worlds = paths.worlds_dir(Path(root))
    worlds.mkdir(parents=True, exist_ok=True)
    _remove_abandoned(worlds)
    building = Path(tempfile.mkdtemp(prefix=f"{BUILD_PREFIX}{os.getpid()}-", dir=worlds))
    try:
        store = Store.open(building / "tessera.db")
        try:
            summary = build_demo_world(store, config, progress, cancel)
        finally:
            store.close()
        placed = _move_into_place(building, paths.world_dir(Path(root), DEMO), replace)
    finally:
        shutil.rmtree(building, ignore_errors=True)  # gone already when it was moved into place
    return summary if placed else None


def _move_into_place(building: Path, target: Path, replace: bool) -> bool:
    old = None
    if target.exists():
        if (target / "tessera.db").exists() and not replace:
            return False  # someone else finished first
        old = target.with_name(f"{OLD_PREFIX}{os.getpid()}-{building.name[-8:]}")
        try:
            os.replace(target, old)
        except OSError as exc:
            raise OSError(f"the demo world at {target} is in use and cannot be replaced ({exc.strerror}); "
                          "close Tessera and try again") from exc
    try:
        os.replace(building, target)
    except OSError:
        if old is not None:
            os.replace(old, target)  # put the old world back
        raise
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
    return True


def _remove_abandoned(worlds: Path) -> None:
    """Remove what builds of processes that no longer run left behind (a crash, a power cut)."""
    for path in worlds.glob(".demo-*"):
        parts = path.name.split("-")  # .demo, build|old, pid, random
        if len(parts) < 4 or not parts[2].isdigit() or int(parts[2]) == os.getpid():
            continue
        try:
            age = SystemClock().now() - path.stat().st_mtime  # file times are wall times
        except FileNotFoundError:
            continue
        if age > ABANDONED_AFTER_SECONDS or (os.name == "posix" and not _running(int(parts[2]))):
            shutil.rmtree(path, ignore_errors=True)


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)  # signal 0: only asks whether the process exists (POSIX)
    except ProcessLookupError:
        return False
    except OSError:
        return True
    return True
