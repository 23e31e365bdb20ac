"""Requests per followed account: a full first sync, then a second one a day later (targets < 1.5 and < 0.5).

The sync runs against the fake Instagram of the tests (instagrapi's real client, the transport replaced), on
a virtual clock, with the default settings (300 accounts near you, 10 hashtags, 2-5 s between requests, 180
an hour, 1,500 a day), so "hours" is how long the sync would take for real at that pace. Requests are
counted at the transport (login excluded; pictures are CDN downloads, counted apart). The peer is the
same second sync with nothing remembered between runs, i.e. every account read again.

    python -m bench.bench_sync_requests [--sizes 150 300 600] [--images] [--json]
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

from bench.common import arguments, report

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from fake_instagram import DAY, FakeWorld  # noqa: E402
from fake_instagram.harness import Harness  # noqa: E402

from discovery.clock import VirtualClock  # noqa: E402

REMEMBERED = ("live.checked", "live.listed", "live.hashtags")


def api_requests(harness: Harness, start: int) -> int:
    return sum(1 for r in harness.fake.server.log[start:] if r.host != "scontent.fake-cdn.test")


def one_sync(harness: Harness, label: str, followed: int, images: bool, forget: bool = False) -> dict:
    session = harness.session()
    if forget:
        opened = harness.open_world()
        with opened.store.transaction():
            for key in REMEMBERED:
                opened.store.set_sync_cursor(key, None)
        opened.close()
    start, wall, clock_start = len(harness.fake.server.log), time.perf_counter(), harness.clock.now()
    result = harness.sync(session, **{"sync.near_accounts": 300, "sync.top_hashtags": 10,
                                      "sync.max_wait_minutes": 24 * 60.0, "sync.download_images": images,
                                      "sync.image_gap_seconds": 0.3})
    if result.status != "complete":
        raise SystemExit(f"{label}: the sync did not complete: {result.message}")
    requests = api_requests(harness, start)
    stages = ", ".join(f"{k} {v}" for k, v in result.requests_by_stage.items())
    return {"followed": followed, "sync": label, "requests": requests, "per followed": requests / followed,
            "target": "< 1.5" if label == "first" else "< 0.5", "hours at pace": (harness.clock.now() - clock_start)
            / 3600, "pictures": result.images, "bench s": time.perf_counter() - wall, "by stage": stages}


def main() -> None:
    parser = arguments(__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[150, 300, 600], help="accounts followed")
    parser.add_argument("--images", action="store_true", help="download pictures too (slower)")
    args = parser.parse_args()
    rows = []
    for following in args.sizes:
        with tempfile.TemporaryDirectory() as tmp:
            world = FakeWorld.generate(seed=3, following=following, others=following * 5, likes=400)
            harness = Harness(Path(tmp) / "data", world, Path(tmp) / "keyring.cfg")
            harness.login()
            followed = len(world.accounts[world.me].follows)
            rows.append(one_sync(harness, "first", followed, args.images))
            world.advance(DAY)
            harness.clock = VirtualClock(max(world.now, harness.clock.now()))
            rows.append(one_sync(harness, "next day", len(world.accounts[world.me].follows), args.images))
            # The peer: the same next-day sync on a copy that remembers nothing between runs.
            peer = Harness(Path(tmp) / "peer-data", FakeWorld.generate(seed=3, following=following,
                                                                       others=following * 5, likes=400),
                           Path(tmp) / "peer-keyring.cfg")
            peer.login()
            one_sync(peer, "first", followed, False)
            peer.world.advance(DAY)
            peer.clock = VirtualClock(max(peer.world.now, peer.clock.now()))
            rows.append(one_sync(peer, "next day, nothing remembered (peer)",
                                 len(peer.world.accounts[peer.world.me].follows), False, forget=True))
            assert not harness.fake.problems() and not peer.fake.problems()
    report("Sync requests per followed account (fake Instagram, default settings)", rows, args.json)


if __name__ == "__main__":
    main()
