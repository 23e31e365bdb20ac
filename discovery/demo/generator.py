"""Build the demo world: a seeded, believable personal Instagram neighbourhood, written through the same
Store methods and records real data takes.

Same seed, same world: every random draw comes from one numpy SeedSequence, spawned per step, and nothing
reads the wall clock (the world lives at its fixed `clock`).
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import UTC, datetime

import numpy as np

from discovery.demo import hidden
from discovery.demo.captions import Text, write_text
from discovery.demo.hidden import HiddenWorld
from discovery.demo.network import DemoNetwork, build_graph, choose_followed
from discovery.demo.people import ME, Population, make_population
from discovery.demo.posts import (
    DAY,
    Counts,
    PostTable,
    draw_posts,
    engagement_counts,
    media_fields,
    media_ids,
    shortcodes,
)
from discovery.demo.taste import INTEREST_NOISE, REGIMES, calibrate, draw_likes, make_taste, set_popularity
from discovery.demo.vocabulary import TOPICS
from discovery.progress import CancelToken, Progress, ProgressEvent, no_progress
from discovery.world import KIND_KEY, WorldKind
from storage import Account, Like, MediaType, Post, Store

GENERATOR_VERSION = "3"  # captions follow the picture's scene
# The demo world's "now": a Friday evening in late November 2026 (UTC). Ranking uses it, not the wall clock.
DEMO_CLOCK = int(datetime(2026, 11, 20, 19, 30, tzinfo=UTC).timestamp())
STAGE = "Building the demo world"
MY_POSTS_PER_DAY = 0.12  # the person posts about once a week


@dataclass(frozen=True)
class DemoConfig:
    seed: int = 1
    accounts: int = 24_000  # every account in the world, the person included
    followed: int = 300  # accounts the person follows
    follow_edges: int = 230_000  # follow edges to aim at (a few more: every account has a follower)
    posts: int = 56_000  # posts in the last `days` days
    days: int = 60
    topics: int = 12
    like_days: int = 365  # the person's likes reach this far back
    likes_per_day: float = 8.0
    tagged: int = 40  # posts the person is tagged in, over `like_days`
    clock: int = DEMO_CLOCK  # the world's fixed "now", epoch seconds
    regime: str = "default"  # the person's hidden taste, a key of discovery.demo.taste.REGIMES

    def __post_init__(self) -> None:
        checks = (
            (self.seed >= 0, "the seed must be a whole number from 0 up"),
            (1 <= self.topics <= len(TOPICS), f"the demo world has 1 to {len(TOPICS)} topics"),
            (self.followed >= 20, "the person follows at least 20 accounts"),
            (self.accounts >= 8 * self.followed, "the world needs at least 8 accounts per followed account"),
            (self.follow_edges >= 2 * self.followed,
             "there must be at least 2 follow edges per followed account"),
            (self.posts >= 1, "the world needs at least one post"),
            (1 <= self.days <= self.like_days, "`days` must be from 1 to `like_days`"),
            (self.likes_per_day >= 0 and self.tagged >= 0, "likes and tagged posts cannot be negative"),
            (self.regime in REGIMES, f"the taste regime is one of {', '.join(REGIMES)}"),
        )
        for ok, message in checks:
            if not ok:
                raise ValueError(message[0].upper() + message[1:] + ".")

    @classmethod
    def small(cls, seed: int = 1, regime: str = "default") -> DemoConfig:
        """A few thousand accounts and posts: every part of the app can be tested on it in a second or two."""
        return cls(seed=seed, accounts=3_000, followed=150, follow_edges=24_000, posts=4_000,
                   likes_per_day=4.0, tagged=15, regime=regime)

    def to_json(self) -> str:
        values = asdict(self)
        if self.regime == "default":  # worlds built before regimes existed carry the same description
            del values["regime"]
        return json.dumps(values, sort_keys=True)


@dataclass(frozen=True)
class DemoSummary:
    seed: int
    me: str  # the person's username
    clock: int
    accounts: int
    follow_edges: int
    followed: int
    posts: int  # every stored post
    recent_posts: int  # posts in the last `days` days
    likes: int
    tagged: int
    seconds: float | None = None  # how long the build took, when it was just built

    def lines(self) -> list[str]:
        when = datetime.fromtimestamp(self.clock, UTC).strftime("%Y-%m-%d %H:%M UTC")
        out = [f"Demo world (seed {self.seed}) for @{self.me}, as of {when}",
               f"  {self.accounts:,} accounts, {self.follow_edges:,} follow edges; "
               f"you follow {self.followed:,}",
               f"  {self.posts:,} posts ({self.recent_posts:,} recent), {self.likes:,} of your likes, "
               f"tagged in {self.tagged:,}"]
        if self.seconds is not None:
            out.append(f"  built in {self.seconds:.1f} s")
        return out


def build_demo_world(store: Store, config: DemoConfig = DemoConfig(), progress: Progress = no_progress,
                     cancel: CancelToken | None = None) -> DemoSummary:
    """Generate the demo world into an empty store (one transaction: all of it or nothing), and its hidden
    model and truth files beside it. Raises ValueError for a store that already holds a world."""
    started = time.perf_counter()
    if store.counts()["accounts"]:
        raise ValueError(f"{store.path} already holds a world; the demo world is built into an empty store.")

    def step(done: int, message: str) -> None:
        if cancel is not None:
            cancel.check()
        progress(ProgressEvent(STAGE, done, 100, message))

    streams = iter(np.random.SeedSequence(config.seed).spawn(16))

    def rng() -> np.random.Generator:
        return np.random.default_rng(next(streams))

    drawn = _draw_world(config, rng, step, cancel)
    with store.transaction():
        _write_world(store, drawn, config, rng, step)
    pop, graph, stored, liked = drawn.pop, drawn.graph, drawn.stored, drawn.liked
    summary = DemoSummary(
        seed=config.seed, me=pop.username[ME], clock=config.clock, accounts=pop.size,
        follow_edges=graph.edges, followed=len(drawn.followed), posts=len(stored),
        recent_posts=int(np.sum(stored.taken_at >= config.clock - config.days * DAY)),
        likes=int(liked.sum()), tagged=int(stored.tags_me.sum()), seconds=time.perf_counter() - started)
    progress(ProgressEvent(STAGE, 100, 100, "done"))
    return summary


@dataclass(frozen=True)
class _Drawn:
    """The world as drawn, before it is written: the posts kept (oldest first) and what belongs to them."""

    pop: Population
    graph: DemoNetwork
    followed: np.ndarray
    stored: PostTable
    interest: np.ndarray
    liked: np.ndarray
    liked_at: np.ndarray
    counts: Counts
    ids: np.ndarray
    text: Text


def _draw_world(config: DemoConfig, rng: Callable[[], np.random.Generator], step: Callable[[int, str], None],
                cancel: CancelToken | None) -> _Drawn:
    """The accounts, their follows, a year of posts, the person's likes and the captions (`rng()` gives each
    draw its own stream, in a fixed order)."""
    step(0, "creating accounts")
    pop = make_population(rng(), config.accounts, config.followed, config.topics)
    step(4, "weaving the follow graph")
    followed, friends = choose_followed(rng(), pop, config.followed)
    graph = build_graph(rng(), pop, followed, friends, config.follow_edges,
                        check=cancel.check if cancel is not None else lambda: None)
    taste = make_taste(rng(), pop, graph, config.regime)
    step(14, "drawing a year of posts")
    posts, recent = _draw_year(rng(), pop, followed, friends, taste.seen, config)
    own = posts.author == ME
    posts.seen[own] = 0.0  # the person does not like their own posts
    noise = INTEREST_NOISE * rng().standard_normal(len(posts))
    set_popularity(taste, pop, posts)
    calibrate(taste, posts, noise, config.likes_per_day * config.like_days)
    interest = taste.interest(posts, noise)
    liked, liked_at = draw_likes(rng(), posts, interest, config.clock, followed)
    keep = recent | liked | posts.tags_me | own  # the person's own year of posts: Predict learns from it
    order = np.flatnonzero(keep)[np.argsort(posts.taken_at[keep], kind="stable")]  # stored oldest first
    stored = posts.take(order)
    counts = engagement_counts(rng(), pop, stored, config.clock)
    ids = media_ids(stored, pop, rng())
    step(22, "writing captions")
    text = write_text(rng(), pop, graph, stored)
    return _Drawn(pop, graph, followed, stored, interest[order], liked[order], liked_at[order], counts, ids, text)


def _write_world(store: Store, drawn: _Drawn, config: DemoConfig, rng: Callable[[], np.random.Generator],
                 step: Callable[[int, str], None]) -> None:
    """Write the drawn world into the store (inside its transaction), and its hidden model and truth beside it."""
    pop, graph, stored = drawn.pop, drawn.graph, drawn.stored
    post_pks = np.array([str(i) for i in drawn.ids.tolist()])  # as the store has them
    step(30, "writing accounts")
    store.upsert_accounts(_accounts(rng(), pop, graph, stored, config.clock))
    step(36, "writing follows")
    internal = store.account_ids(pop.pk)
    id_of = np.array([internal[pk] for pk in pop.pk], np.int64)
    store.write_follow_lists(id_of[graph.sources], graph.offsets, id_of[graph.targets], config.clock)
    records = _post_records(pop, stored, drawn.counts, drawn.text, drawn.ids, config.clock)
    for start in range(0, len(records), 5000):
        step(40 + 52 * start // len(records), f"writing posts {start:,}/{len(records):,}")
        store.upsert_posts(records[start:start + 5000])
    step(92, "writing your likes")
    liked = drawn.liked
    store.add_likes(Like(post=pk, liked_at=int(at), origin="demo")
                    for pk, at in zip(post_pks[liked].tolist(), drawn.liked_at[liked].tolist(), strict=True))
    store.add_tagged(post_pks[stored.tags_me].tolist())
    store.set_me(pop.pk[ME])
    for key, value in ((KIND_KEY, WorldKind.DEMO.value), ("clock", str(config.clock)),
                       ("demo.seed", str(config.seed)), ("demo.config", config.to_json()),
                       ("demo.generator", GENERATOR_VERSION)):
        store.set_meta(key, value)
    step(96, "saving the hidden model")
    directory = store.path.parent
    _hidden_world(pop, stored, drawn.ids).save(directory)
    hidden.save_truth(directory, drawn.ids, drawn.interest, drawn.counts.expected)


def summarize(store: Store) -> DemoSummary:
    """The summary of a demo world already built (from its store)."""
    config = json.loads(store.meta("demo.config", "{}") or "{}")
    counts = store.counts()
    me = store.me()
    me_id = store.account_id(me) if me else None
    frame = store.accounts_frame([me_id]) if me_id is not None else None
    clock = int(store.meta("clock", "0") or 0)
    since = clock - int(config.get("days", 60)) * DAY
    return DemoSummary(
        seed=int(store.meta("demo.seed", "0") or 0),
        me=str(frame["username"].iloc[0]) if frame is not None and len(frame) else "?",
        clock=clock, accounts=counts["accounts"], follow_edges=counts["follows"],
        followed=len(store.follows_frame(me_id)) if me_id is not None else 0,
        posts=counts["posts"], recent_posts=len(store.posts_frame(since=since, columns=["id"])),
        likes=counts["likes"], tagged=len(store.tagged_post_ids()))


def _draw_year(rng: np.random.Generator, pop: Population, followed: np.ndarray, friends: np.ndarray,
               seen: np.ndarray, config: DemoConfig) -> tuple[PostTable, np.ndarray]:
    """Every post of the last `days` (exactly config.posts) and, before that, the ones the person saw over
    the rest of the year (only those they like or are tagged in get stored). Returns (posts, recent?)."""
    clock, window_start = config.clock, config.clock - config.days * DAY
    year_start = config.clock - config.like_days * DAY
    is_followed = np.zeros(pop.size, bool)
    is_followed[followed] = True
    rate = np.where(pop.private & ~is_followed, 0.0, pop.post_rate)  # private accounts' posts stay unseen
    followed_posts = rate[is_followed].sum() * config.days
    others = rate[~is_followed].sum() * config.days
    rate[~is_followed] *= max(0.0, config.posts - followed_posts) / max(others, 1e-9)
    rate[ME] = MY_POSTS_PER_DAY
    recent_counts = rng.multinomial(config.posts, rate / rate.sum())
    old_days = config.like_days - config.days
    old_seen = np.where(is_followed, seen, 1.0)  # only the other posts the person came across are drawn
    old_seen[ME] = 1.0
    came_across = np.where(is_followed, 1.0, seen)
    came_across[ME] = 1.0
    old_counts = rng.poisson(rate * old_days * came_across)
    recent = draw_posts(rng, pop, recent_counts, window_start, clock, seen)
    old = draw_posts(rng, pop, old_counts, year_start, window_start, old_seen)
    posts = PostTable.concat([recent, old])
    by_friend = np.flatnonzero(np.isin(posts.author, friends))
    if len(by_friend) and config.tagged:  # friends tag the person in posts about what they share
        weight = np.exp(2 * np.log(pop.mix[ME][posts.topic[by_friend]]))
        keys = np.log(weight) + rng.gumbel(size=len(by_friend))
        tagged = by_friend[np.argsort(-keys)[:config.tagged]]
        posts.tags_me[tagged] = True
    return posts, np.arange(len(posts)) < len(recent)


def _accounts(rng: np.random.Generator, pop: Population, graph: DemoNetwork, stored: PostTable,
              clock: int) -> list[Account]:
    out_degree = graph.out_degree(pop.size)
    listed = np.zeros(pop.size, bool)
    listed[graph.sources] = True
    guess = np.rint(np.array([450, 800, 200, 150])[pop.kind] * np.exp(0.7 * rng.standard_normal(pop.size)))
    following = np.where(listed, out_degree, np.maximum(guess, 1)).astype(np.int64)
    posted = np.bincount(stored.author, minlength=pop.size)
    media = np.maximum(posted, np.rint(pop.post_rate * pop.account_days)).astype(np.int64)
    return [Account(pk=pop.pk[i], username=pop.username[i], full_name=pop.full_name[i],
                    follower_count=int(pop.audience[i]), following_count=int(following[i]),
                    media_count=int(media[i]), is_private=bool(pop.private[i]),
                    is_verified=bool(pop.verified[i]), fetched_at=clock) for i in range(pop.size)]


def _post_records(pop: Population, posts: PostTable, counts: Counts, text: Text, ids: np.ndarray,
                  clock: int) -> list[Post]:
    columns = zip(ids.tolist(), shortcodes(ids), posts.author.tolist(), posts.taken_at.tolist(),
                  posts.media.tolist(), counts.likes.tolist(), counts.comments.tolist(),
                  counts.plays.tolist(), posts.width.tolist(), posts.height.tolist(), posts.carousel.tolist(),
                  text.captions, text.locations, text.hashtags, text.mentions, strict=True)
    kinds = {m: (MediaType(media_fields(m)[0]), media_fields(m)[1]) for m in range(4)}
    return [Post(pk=str(media_id), author=pop.pk[author], taken_at=taken_at, shortcode=code,
                 media_type=kinds[media][0], product_type=kinds[media][1], caption=caption, like_count=likes,
                 comment_count=comments, play_count=plays if plays >= 0 else None, location=location,
                 width=width, height=height, carousel_count=carousel, fetched_at=clock, hashtags=tags,
                 mentions=mentions)
            for (media_id, code, author, taken_at, media, likes, comments, plays, width, height, carousel,
                 caption, location, tags, mentions) in columns]


def _hidden_world(pop: Population, posts: PostTable, ids: np.ndarray) -> HiddenWorld:
    return HiddenWorld(
        account_pk=np.array(pop.pk, np.int64), kind=pop.kind.astype(np.int8), mix=pop.mix.astype(np.float32),
        audience=pop.audience.astype(np.int64), engagement=pop.engagement.astype(np.float32),
        utc_offset=pop.utc_offset.astype(np.int8), skill=pop.skill.astype(np.float32),
        hashtag_habit=pop.hashtag_habit.astype(np.float32),
        post_pk=ids.astype(np.int64), topic=posts.topic.astype(np.int8), scene=posts.scene.astype(np.int8),
        saturation=posts.saturation, contrast=posts.contrast, centred=posts.centred,
        brightness=posts.brightness, mono=posts.mono, style_seed=posts.style_seed,
        width=posts.width.astype(np.int32), height=posts.height.astype(np.int32))


