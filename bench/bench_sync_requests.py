"""Requests per followed account of a first sync ordered by value, and what the person has along the way.

The sync runs against the fake Instagram of the tests (instagrapi's real client, the transport replaced), on
a virtual clock, with the default settings (300 accounts near you, 10 hashtags, 2-5 s between requests, 180
an hour, 1,500 a day), so "minutes" and "hours" are how long the sync would take for real at that pace.
Requests are counted at the transport (login excluded; pictures are CDN downloads, counted apart).

Per size: the first sync (target <= 1.5 requests per followed account) and the next day's (<= 0.3); when the
Feed has its first ranked page (FEED_PAGE posts); the share of followed accounts that posted in the Feed's
window with posts in the Feed after 30 requests; the overlap of Explore's top 20 after 300 requests (and at
the end of the sync) with the top 20 of the full crawl; and how many of the full crawl's top 20 authors one
request finds, by a follow list or by Instagram's suggestions beside that account (discover/chaining/). The
peer is that full crawl: the same first sync without stopping by value (every follow list, all 300 accounts
near you). Explore ranks as the app would show it at the sync's start (the default ranking: the model learned
from the person's likes, or the seed formula while too few of them are recent; the row says which); the fake
person likes by a hidden taste (tests/fake_instagram/taste.py). The Feed's coverage does not depend on the order.

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
from discovery.ranking import Ranker, RankingParams  # noqa: E402

FEED_PAGE = 20  # posts on the Feed's first screen
COVERAGE_AT = 30
OVERLAP_AT = 300
TOP = 20
SETTINGS = {"sync.near_accounts": 300, "sync.top_hashtags": 10, "sync.max_wait_minutes": 24 * 60.0,
            "sync.image_gap_seconds": 0.3}
SEED = RankingParams(mode="seed")
APP = RankingParams()  # the app's default: the learned ranker (the seed formula while too few likes)


class Probe:
    """Looks at the person's lists while a sync runs: at each API request, what the earlier ones brought."""

    def __init__(self, harness: Harness, ranked_at: int):
        self.harness, self.ranked_at = harness, ranked_at
        self.start_clock = harness.clock.now()
        self.requests = 0
        self.feed_page: tuple[int, float] | None = None
        self.coverage: float | None = None
        self.explore: list[str] | None = None
        self.explore_end: list[str] = []
        harness.fake.server.on_request = self

    def __call__(self, entry) -> None:
        if entry.host == "scontent.fake-cdn.test":
            return
        done, self.requests = self.requests, self.requests + 1
        if self.feed_page is None and done:
            if self._look(lambda ranker: len(ranker.feed(SEED))) >= FEED_PAGE:
                self.feed_page = (done, (self.harness.clock.now() - self.start_clock) / 60)
        if done == COVERAGE_AT:
            self.coverage = self._look(lambda ranker: feed_coverage(self.harness.world, ranker))
        if done == OVERLAP_AT:
            self.explore = self._look(explore_top)

    def _look(self, function):
        return look(self.harness, self.ranked_at, function)

    def finish(self) -> None:
        self.harness.fake.server.on_request = None
        if self.coverage is None:
            self.coverage = self._look(lambda ranker: feed_coverage(self.harness.world, ranker))
        self.explore_end = self._look(explore_top)
        if self.explore is None:
            self.explore = self.explore_end


def look(harness: Harness, now: int, function):
    """`function(ranker)` on the world as the store holds it now (a reader beside the sync's writer)."""
    opened = harness.open_world()
    try:
        return function(Ranker(opened.store, now))
    finally:
        opened.close()


def feed_coverage(world: FakeWorld, ranker: Ranker) -> float:
    """Of the followed accounts that posted in the Feed's window, the share with posts in the Feed."""
    since = ranker.now - SEED.window_days * DAY
    posted = {a for a in world.accounts[world.me].follows if not world.accounts[a].deleted
              and any(since <= p.taken_at <= ranker.now for p in world.posts_of(a))}
    feed = ranker.feed(SEED).frame
    shown = {str(pk) for pk in ranker.store.accounts_frame(sorted(set(feed["author_id"].tolist())))["pk"]}
    return len(posted & shown) / max(1, len(posted))


def explore_top(ranker: Ranker) -> list[str]:
    return [str(pk) for pk in ranker.explore(APP).frame["pk"].head(TOP)]


def explore_mode(ranker: Ranker) -> str:
    return ranker.explore(APP).mode


def explore_authors(ranker: Ranker) -> set[str]:
    frame = ranker.explore(APP).frame.head(TOP)
    return set(ranker.store.accounts_frame(sorted(set(frame["author_id"].tolist())))["pk"])


def found_per_request(world: FakeWorld, wanted: set[str], lists: int = 50) -> tuple[float, float]:
    """Authors of the full crawl's Explore top found per request, reading the follow lists of the first
    `lists` public accounts followed, against asking Instagram's suggestions beside each (discover/chaining/)."""
    from fake_instagram.server import CHAINED

    followed = [pk for pk in world.accounts[world.me].follows
                if not world.accounts[pk].deleted and not world.accounts[pk].is_private][:lists]
    by_list = set().union(*(world.following_of(pk) for pk in followed)) & wanted
    by_chaining = set().union(*(world.similar_to(pk, CHAINED) for pk in followed)) & wanted
    return len(by_list) / len(followed), len(by_chaining) / len(followed)


def api_requests(harness: Harness, start: int) -> int:
    return sum(1 for r in harness.fake.server.log[start:] if r.host != "scontent.fake-cdn.test")


def one_sync(harness: Harness, images: bool, **overrides):
    start = len(harness.fake.server.log)
    result = harness.sync(harness.session(), **{**SETTINGS, "sync.download_images": images, **overrides})
    if result.status != "complete":
        raise SystemExit(f"the sync did not complete: {result.message}")
    return api_requests(harness, start), result


def one_size(following: int, images: bool, directory: Path) -> dict:
    def harness(name: str) -> Harness:
        world = FakeWorld.generate(seed=3, following=following, others=following * 5, likes=400)
        made = Harness(directory / name, world, directory / f"{name}-keyring.cfg")
        made.login()
        return made

    wall = time.perf_counter()
    peer = harness("full")
    full_requests, _ = one_sync(peer, False, **{"sync.stop_by_value": False})
    full_top = look(peer, peer.world.now, explore_top)
    mode = look(peer, peer.world.now, explore_mode)
    per_list, per_chaining = found_per_request(peer.world, look(peer, peer.world.now, explore_authors))

    first = harness("data")
    followed = len(first.world.accounts[first.world.me].follows)
    probe = Probe(first, first.world.now)
    clock_start = first.clock.now()
    requests, result = one_sync(first, images)
    probe.finish()
    hours = (first.clock.now() - clock_start) / 3600

    first.world.advance(DAY)
    first.clock = VirtualClock(max(first.world.now, first.clock.now()))
    next_requests, next_result = one_sync(first, images)
    page_requests, page_minutes = probe.feed_page or (None, None)
    assert not first.fake.problems() and not peer.fake.problems()
    return {
        "followed": followed, "first requests": requests, "first_per_followed": requests / followed,
        "next_day_per_followed": next_requests / len(first.world.accounts[first.world.me].follows),
        "first_feed_page_requests": page_requests, "first_feed_page_minutes": page_minutes,
        "feed_coverage_at_30": probe.coverage,
        "explore_overlap_at_300": len(set(probe.explore) & set(full_top)) / max(1, len(full_top)),
        "explore overlap at the end": len(set(probe.explore_end) & set(full_top)) / max(1, len(full_top)),
        "explore ranked by": mode,
        "top-20 authors found per request: follow list": per_list, "chaining": per_chaining,
        "first hours at pace": hours, "full crawl per followed (peer)": full_requests / followed,
        "pictures": result.images, "bench s": time.perf_counter() - wall,
        "first by stage": by_stage(result), "next day by stage": by_stage(next_result),
    }


def by_stage(result) -> str:
    return ", ".join(f"{k} {v}" for k, v in result.requests_by_stage.items())


def main() -> None:
    parser = arguments(__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[150, 300, 600], help="accounts followed")
    parser.add_argument("--images", action="store_true", help="download pictures too (slower)")
    args = parser.parse_args()
    rows = []
    for following in args.sizes:
        with tempfile.TemporaryDirectory() as tmp:
            rows.append(one_size(following, args.images, Path(tmp)))
    report("First sync by value: requests per followed account (fake Instagram, default settings)", rows,
           args.json)


if __name__ == "__main__":
    main()
