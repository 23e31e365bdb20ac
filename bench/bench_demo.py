"""Generating the demo world (small preset and default), store writes included, and drawing its pictures.

    python -m bench.bench_demo [--json] [--small-only]

Each world is built twice into a fresh temporary directory: once timed (with the split between generating in
memory and writing the store, read off the progress events), once under tracemalloc for peak memory (tracing
slows Python, so that run is not timed). The pictures are drawn from the default world, cache misses only.
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

import numpy as np

from bench.common import arguments, peak_memory_mib, report, timed
from discovery.demo import (
    DemoConfig,
    avatar_image,
    build_demo_world,
    candidate_images,
    ensure_demo_world,
    post_image,
)
from storage import Store

WRITING_STARTS_AT = 30  # progress percentage of the generator's first store write
PICTURES = 60


def build_once(config: DemoConfig):
    """(summary, seconds until the first store write) of one build into a fresh directory."""
    marks: dict[str, float] = {}
    start = time.perf_counter()

    def progress(event) -> None:
        if event.done >= WRITING_STARTS_AT and "writing" not in marks:
            marks["writing"] = time.perf_counter() - start

    with tempfile.TemporaryDirectory() as directory:
        store = Store.open(Path(directory) / "tessera.db")
        try:
            summary = build_demo_world(store, config, progress)
        finally:
            store.close()
    return summary, marks["writing"]


def world_row(name: str, config: DemoConfig) -> dict:
    seconds, (summary, generating) = timed(lambda: build_once(config))
    peak, _ = peak_memory_mib(lambda: build_once(config))
    return {"config": name, "accounts": summary.accounts, "edges": summary.follow_edges,
            "posts": summary.posts, "recent posts": summary.recent_posts, "likes": summary.likes,
            "generate s": round(generating, 2), "write s": round(seconds - generating, 2),
            "seconds": round(seconds, 2), "peak MiB": round(peak, 1)}


def picture_rows(world) -> list[dict]:
    posts = world.store.posts_frame(columns=["pk"])["pk"].sample(PICTURES, random_state=0).tolist()
    accounts = world.store.accounts_frame()["pk"].sample(PICTURES, random_state=0).tolist()
    rows = []
    for name, draw in (("post picture", lambda pk: post_image(world, pk)),
                       ("avatar", lambda pk: avatar_image(world, pk))):
        keys = posts if name == "post picture" else accounts
        times = []
        for key in keys:
            start = time.perf_counter()
            draw(key)
            times.append(time.perf_counter() - start)
        rows.append(_timing_row(name, times))
    author = world.store.accounts_frame().sort_values("follower_count")["pk"].iloc[-100]
    times = []
    for seed in range(10):
        start = time.perf_counter()
        candidate_images(world, author, n=4, seed=seed)
        times.append(time.perf_counter() - start)
    rows.append(_timing_row("4 candidate pictures", times))
    return rows


def _timing_row(name: str, seconds: list[float]) -> dict:
    ms = np.array(seconds) * 1000
    return {"drawing": name, "count": len(ms), "median ms": round(float(np.median(ms)), 1),
            "p95 ms": round(float(np.percentile(ms, 95)), 1), "max ms": round(float(ms.max()), 1)}


def main() -> None:
    parser = arguments(__doc__.splitlines()[0])
    parser.add_argument("--small-only", action="store_true", help="only the small preset (a few seconds)")
    args = parser.parse_args()
    rows = [world_row("small", DemoConfig.small())]
    if not args.small_only:
        rows.append(world_row("default", DemoConfig()))
    report("Generating the demo world (store writes included)", rows, args.json)
    with tempfile.TemporaryDirectory() as root:
        world = ensure_demo_world(Path(root), config=DemoConfig.small() if args.small_only else DemoConfig())
        try:
            report("Drawing demo pictures (cache misses, JPEG encoding and cache write included)",
                   picture_rows(world), args.json)
        finally:
            world.close()


if __name__ == "__main__":
    main()
