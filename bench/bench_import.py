"""Importing a data export: a generated person with 2,000 following, 1,500 followers, 20,000 liked and 500
saved posts, written as Instagram does in the 2022–2024 and 2025 layouts and zipped; imported into a fresh
store, then again (nothing changes the second time). The peer: only reading and parsing every JSON file of
the same zip with the standard library, the floor under any importer.

    python -m bench.bench_import [--json]
"""

from __future__ import annotations

import json
import sys
import tempfile
import time
import zipfile
from pathlib import Path

from bench.common import arguments, report

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from export_helpers import render  # noqa: E402  (the tests' writer of each layout)

from discovery.export import import_export  # noqa: E402
from storage import Store  # noqa: E402

START = 1_600_000_000


def person(following: int = 2_000, followers: int = 1_500, liked: int = 20_000, saved: int = 500) -> dict:
    names = [f"account{i:05d}" for i in range(max(following, followers) * 2)]
    return dict(
        owner="bench.owner", full_name="Bench Owner",
        following={names[i]: START + i * 600 for i in range(following)},
        followers={names[-1 - i]: START + i * 700 for i in range(followers)},
        liked=[(names[i % following], f"CB{i:09d}", START + i * 300, f"Account {i % following}")
               for i in range(liked)],
        saved=[(names[i % following], f"CS{i:09d}", START + i * 900, f"Account {i % following}")
               for i in range(saved)],
    )


def zipped(folder: Path, target: Path) -> Path:
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(folder.rglob("*.json")):
            archive.write(path, path.relative_to(folder).as_posix())
    return target


def parse_only(path: Path) -> float:
    started = time.perf_counter()
    with zipfile.ZipFile(path) as archive:
        for name in archive.namelist():
            json.loads(archive.read(name))
    return time.perf_counter() - started


def timed_import(path: Path, store: Store):
    started = time.perf_counter()
    summary = import_export(path, store)
    return time.perf_counter() - started, summary


def main() -> None:
    args = arguments(__doc__).parse_args()
    rows = []
    data = person()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        for layout, label in (("2023", "2022–2024"), ("2025", "2025")):
            archive = zipped(render(data, layout, root / layout), root / f"{layout}.zip")
            store = Store.open(root / f"{layout}.db")
            first, summary = timed_import(archive, store)
            again, _ = timed_import(archive, store)
            counts = store.counts()
            store.close()
            rows.append({"layout": label, "zip": f"{archive.stat().st_size / 2**20:.1f} MiB",
                         "first import": f"{first:.2f} s", "same export again": f"{again:.2f} s",
                         "peer: parse the JSON only": f"{parse_only(archive):.2f} s",
                         "result": f"{summary.following:,} following, {summary.followers:,} followers, "
                                   f"{summary.liked:,} liked, {summary.saved:,} saved; "
                                   f"{counts['accounts']:,} accounts"})
    report("Importing a data export", rows, args.json)


if __name__ == "__main__":
    main()
