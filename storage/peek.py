"""A glance at a world's store without opening it: a few meta values read through a read-only connection,
with neither SQLAlchemy nor pandas loaded. What starts fast (a cached ranking) reads this first."""

from __future__ import annotations

import sqlite3
from pathlib import Path


def read_meta(path: Path, keys: tuple[str, ...]) -> dict[str, str] | None:
    """{key: value} of those meta keys that are set, or None when the file is missing or cannot be read."""
    if not path.is_file():
        return None
    try:
        conn = sqlite3.connect(path.resolve().as_uri() + "?mode=ro", uri=True, timeout=5)
    except sqlite3.Error:
        return None
    try:
        marks = ",".join("?" * len(keys))
        rows = conn.execute(f"SELECT key, value FROM meta WHERE key IN ({marks})", keys).fetchall()
        version = conn.execute("SELECT version_num FROM alembic_version").fetchone()
    except sqlite3.Error:
        return None
    finally:
        conn.close()
    out = dict(rows)
    if version:
        out["alembic_version"] = version[0]
    return out
