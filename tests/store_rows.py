"""Every row of a store, for tests that check a failed or repeated write left the store exactly as it was."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

# meta.data_version is a random stamp of the last write, not data: two equal stores differ in it
STAMP = {"meta": " WHERE key != 'data_version'"}


def dump(path: Path) -> dict[str, list[tuple]]:
    """Every row of every table, sorted."""
    with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as conn:
        tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        return {t: sorted(conn.execute(f'SELECT * FROM "{t}"' + STAMP.get(t, "")).fetchall(), key=repr)
                for t in tables}
