"""Where Tessera keeps things: one data directory (platformdirs, or --data-dir) holding the worlds."""

from __future__ import annotations

from pathlib import Path

import platformdirs

APP_NAME = "Tessera"


def data_dir(override: str | Path | None = None) -> Path:
    path = Path(override) if override else Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))
    path.mkdir(parents=True, exist_ok=True)
    return path


def settings_path(root: Path) -> Path:
    return root / "settings.json"


def worlds_dir(root: Path) -> Path:
    return root / "worlds"


def world_dir(root: Path, name: str) -> Path:
    return worlds_dir(root) / name
