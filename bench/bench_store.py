"""Loading 10M follow edges from SQLite into numpy: the store's packed follow lists (one row per account,
its targets as an int64 blob) beside one row per edge through the raw driver and through SQLAlchemy Core.
For the store, `into_walk_s` goes on to the graph PageRank runs on (FollowGraph.build and its Walk). The
graph is bench_pagerank's ego graph (1.5% of the accounts have known follow lists).

    python -m bench.bench_store [--json] [--edges N]
"""

from __future__ import annotations

import sqlite3
import tempfile
import time
from pathlib import Path

import numpy as np
import sqlalchemy as sa

from bench.bench_pagerank import ego_graph
from bench.common import arguments, report, timed
from discovery.graph import FollowGraph
from storage import Store


def build_store(path: Path, src: np.ndarray, dst: np.ndarray, nodes: int) -> Store:
    store = Store.open(path)
    with store.engine.begin() as conn:
        conn.exec_driver_sql("PRAGMA foreign_keys=OFF")
        raw = conn.connection.driver_connection
        raw.executemany("INSERT INTO accounts (id, pk, username, full_name, is_private, is_verified) "
                        "VALUES (?, ?, ?, '', 0, 0)", ((i, str(i), f"u{i}") for i in range(nodes)))
    sources, starts = np.unique(src, return_index=True)
    offsets = np.append(starts, len(src))
    store.write_follow_lists(sources, offsets, dst, seen_at=int(time.time()))
    return store


def build_edge_rows(path: Path, src: np.ndarray, dst: np.ndarray) -> None:
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE follows (source INTEGER, target INTEGER, first_seen INTEGER, last_seen INTEGER, "
                 "PRIMARY KEY (source, target)) WITHOUT ROWID")
    now = int(time.time())
    with conn:
        conn.executemany("INSERT INTO follows VALUES (?, ?, ?, ?)",
                         ((s, t, now, now) for s, t in zip(src.tolist(), dst.tolist(), strict=True)))
    conn.close()


def read_rows_raw(path: Path) -> tuple[np.ndarray, np.ndarray]:
    conn = sqlite3.connect(path)
    rows = np.array(conn.execute("SELECT source, target FROM follows").fetchall(), dtype=np.int64)
    conn.close()
    return rows[:, 0], rows[:, 1]


def read_rows_core(path: Path) -> tuple[np.ndarray, np.ndarray]:
    engine = sa.create_engine(f"sqlite:///{path}")
    follows = sa.table("follows", sa.column("source"), sa.column("target"))
    with engine.connect() as conn:
        rows = np.array(conn.execute(sa.select(follows.c.source, follows.c.target)).all(), dtype=np.int64)
    engine.dispose()
    return rows[:, 0], rows[:, 1]


def main() -> None:
    parser = arguments(__doc__)
    parser.add_argument("--edges", type=int, default=10_000_000)
    args = parser.parse_args()
    src, dst, nodes, me = ego_graph(args.edges)
    with tempfile.TemporaryDirectory() as tmp:
        store = build_store(Path(tmp) / "tessera.db", src, dst, nodes)
        rows_path = Path(tmp) / "rows.db"
        build_edge_rows(rows_path, src, dst)
        results = []
        for label, read in (("Tessera store: packed follow lists", store.edges),
                            ("one row per edge, sqlite3 driver", lambda: read_rows_raw(rows_path)),
                            ("one row per edge, SQLAlchemy Core", lambda: read_rows_core(rows_path))):
            seconds, (got_src, got_dst) = timed(read, repeat=2)
            assert len(got_src) == len(src), label
            results.append({"schema": label, "edges": len(got_src), "seconds": seconds, "into_walk_s": None,
                            "file_mib": None})

        def into_walk():
            got_src, got_dst = store.edges()
            graph = FollowGraph.build(got_src, got_dst, me, nodes, np.zeros(nodes))
            return graph.walk

        results[0]["into_walk_s"] = timed(into_walk, repeat=3)[0]
        results[0]["file_mib"] = (Path(tmp) / "tessera.db").stat().st_size / 1024**2
        results[1]["file_mib"] = results[2]["file_mib"] = rows_path.stat().st_size / 1024**2
        store.close()
    report("Loading follow edges from SQLite into numpy", results, args.json)


if __name__ == "__main__":
    main()
