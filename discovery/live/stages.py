"""The nine stages of a sync, and the worklists they plan. Each stage reads its cursor, asks for one page,
writes the page and the cursor past it in one transaction (`engine.page`), and goes on until done.

Remembered across runs (sync_state, JSON): `live.checked` when each account's posts were last read,
`live.listed` when its follow list was, `live.deferred` the lists and posts a stage left unread when it
stopped by value, `live.unavailable` accounts found private or gone, `live.hashtags` when each hashtag was
read. A later run asks only for what is due: an account is re-read about as often as it
posts, a follow list once a month, a hashtag once a day.

The order is by value: my account first (one request: how many accounts I follow, so the panel can say "of
the 300 you follow"), then the home timeline (many followed accounts' posts a request: a ranked Feed in
minutes), the first pages of my likes (they weigh closeness), profile reads only for the accounts the timeline
did not reach, then the two-hop crawl closest first, stopping when it barely moves the top of Explore
(`value.py`), the hashtags (many posts for Explore a request) before the accounts near me, and last the
older likes. Instagram's suggestions beside an account (discover/chaining/) are not asked: per request they name
fewer of the accounts Explore ends up showing than a follow list does (`bench_sync_requests` measures both),
and they say nothing about who follows whom, which closeness needs.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from instagrapi.extractors import extract_media_v1

from discovery.clock import DAY
from discovery.live import convert, value
from storage import Follow, Like

if TYPE_CHECKING:
    from discovery.live.sync import SyncEngine


PAGE = 33  # posts asked per profile page (instagrapi's own default)
MAX_PAGES_PER_ACCOUNT = 5
FOLLOWING_PAGE = 200
LIKED_MAX_PAGES = 100
TIMELINE_MAX_PAGES = 500
LIKED_EARLY_PAGES = 3  # pages of likes read early, for closeness; the rest come last
LIKED_REST_CURSOR = "live.stage.liked_rest"
HASHTAG_PAGE = 27
MIN_RECHECK = 12 * 3600
RATE_HISTORY = 60 * DAY  # posts this old or newer estimate how often an account posts
UNAVAILABLE_SECONDS = {"private": 30 * DAY, "gone": 30 * DAY, "error": 3 * DAY}  # before asking again


class Unavailable(Exception):
    """The account asked about is private, gone, or answers with an error of its own: skip it."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class Stage:
    key: str
    label: str
    number: int
    priority: int
    run: Callable[[SyncEngine], None]

    @property
    def cursor_key(self) -> str:
        return f"live.stage.{self.key}"


# --- 2. the home feed ------------------------------------------------------------------------------------


def stage_timeline(engine: SyncEngine) -> None:
    """The home timeline: recent posts of many followed accounts a request, so the Feed fills in minutes.
    Read down to the window (a later run: to what the last run saw); a followed account it covered is not
    asked again in `stage_recent`."""
    store, me = engine.store, engine.session.pk
    cursor = engine.cursor() or {"max_id": "", "pages": 0, "posts": 0}
    window = engine.started - engine.settings.get("sync.recent_days") * DAY
    older = window if engine.first_run else max(window, engine.run_state["previous"])
    while True:
        answer = engine.call(engine.client.get_timeline_feed, "cold_start_fetch", cursor["max_id"] or None)
        medias, following = _timeline_medias(answer)
        posts = [convert.post(m, engine.now()) for m in medias]
        keep = [p for p in posts if p.taken_at >= window]
        next_id = answer.get("next_max_id") if answer.get("more_available") else None
        done = (not next_id or not posts or all(p.taken_at < older for p in posts)
                or cursor["pages"] + 1 >= TIMELINE_MAX_PAGES)
        cursor = {"max_id": "" if done else next_id, "pages": cursor["pages"] + 1,
                  "posts": cursor["posts"] + len(keep)}
        authors = convert.authors(medias)
        checked = engine.state("checked")
        # A later run trusts the timeline for an account once it showed a post the last run saw already
        # (or the timeline ended); otherwise its profile is read if due.
        covered = engine.first_run or not next_id
        checked.update({p.author: engine.started for p in posts
                        if p.author in following and (covered or p.taken_at < older)})
        with engine.page(cursor):
            store.upsert_accounts(authors)
            store.upsert_follows([Follow(me, pk, engine.started) for pk in sorted(following)])
            store.upsert_posts(keep, like_series=True)
            engine.set_state("checked", checked)
        engine.new_posts += len(keep)
        engine.images.posts(keep)
        engine.images.avatars(authors)
        engine.emit(cursor["posts"], None, "posts from your home feed")
        if done:
            return


def _timeline_medias(answer: dict) -> tuple[list, set[str]]:
    """The posts of a timeline page (no ads, no suggestion units) and the authors it says I follow."""
    medias, following = [], set()
    for item in answer.get("feed_items") or []:
        raw = item.get("media_or_ad") if isinstance(item, dict) else None
        if not isinstance(raw, dict) or raw.get("product_type") == "ad" or "user" not in raw:
            continue
        media = extract_media_v1(raw)
        medias.append(media)
        if (raw["user"].get("friendship_status") or {}).get("following"):
            following.add(str(media.user.pk))
    return medias, following


# --- 1. me ----------------------------------------------------------------------------------------------


def stage_me(engine: SyncEngine) -> None:
    user = engine.call(engine.client.user_info_v1, engine.session.pk)
    me = convert.account(user, fetched_at=engine.now())
    with engine.page({"done": True}):
        engine.store.upsert_accounts([me])
        engine.store.set_me(me.pk)
    engine.images.avatars([me])
    engine.emit(1, 1, f"@{me.username}: follows {me.following_count or 0:,} accounts")


# --- 3. the accounts I follow ----------------------------------------------------------------------------


def stage_following(engine: SyncEngine) -> None:
    me = engine.session.pk
    cursor = engine.cursor() or {"max_id": "", "pages": 0, "count": 0}
    expected = _following_count(engine)
    while True:
        users, next_id = engine.call(engine.client.user_following_v1_chunk, me, FOLLOWING_PAGE, cursor["max_id"])
        accounts = [convert.account(u) for u in users]
        done = not next_id or not users
        cursor = {"max_id": next_id or "", "pages": cursor["pages"] + 1, "count": cursor["count"] + len(accounts)}
        with engine.page(cursor):
            engine.store.upsert_accounts(accounts)
            follows = [Follow(me, a.pk, engine.started) for a in accounts]
            if done and not follows:
                follows = _one_current_follow(engine, me)
            engine.store.upsert_follows(follows, complete_sources=[me] if done else ())
        engine.images.avatars(accounts)
        engine.emit(cursor["count"], expected, f"{cursor['count']:,} accounts")
        if done:
            return


def _one_current_follow(engine: SyncEngine, me: str) -> list[Follow]:
    """A follow already written in this run, so that marking the list complete dates it to this run."""
    me_id = engine.store.account_id(me)
    frame = engine.store.follows_frame(me_id)
    seen = frame[frame["last_seen"] >= engine.started]
    if seen.empty:
        return []
    pk = engine.store.accounts_frame([int(seen["target_id"].iloc[0])])["pk"].iloc[0]
    return [Follow(me, pk, engine.started)]


def _following_count(engine: SyncEngine) -> int | None:
    me_id = engine.store.account_id(engine.session.pk)
    frame = engine.store.accounts_frame([me_id]) if me_id else None
    if frame is None or frame.empty or frame["following_count"].isna().iloc[0]:
        return None
    return int(frame["following_count"].iloc[0])


# --- 4 and 9. what I liked, where I am tagged ------------------------------------------------------------


def stage_liked(engine: SyncEngine) -> None:
    """The first pages of my likes: they weigh closeness. The rest waits for `stage_liked_rest`."""
    _liked_pages(engine, engine.cursor() or {"part": "liked", "max_id": "", "pages": 0}, LIKED_EARLY_PAGES)


def stage_liked_rest(engine: SyncEngine) -> None:
    client, store = engine.client, engine.store
    cursor = _liked_pages(engine, engine.cursor() or {"part": "tagged", "max_id": "", "pages": 0})
    cutoff = engine.started - engine.settings.get("sync.liked_days") * DAY
    tag_cutoff = cutoff if engine.first_run else engine.run_state["previous"] - 7 * DAY
    while cursor["part"] == "tagged":
        medias, next_id = engine.call(client.usertag_medias_paginated_v1, engine.session.pk, 0, cursor["max_id"])
        posts = [convert.post(m, engine.now()) for m in medias]
        authors = convert.authors(medias)
        stop = not next_id or not medias or all(p.taken_at < tag_cutoff for p in posts)
        cursor = {"part": "done" if stop else "tagged", "max_id": "" if stop else next_id, "pages": 0}
        with engine.page(cursor):
            store.upsert_accounts(authors)
            store.upsert_posts(posts, like_series=True)
            store.add_tagged([p.pk for p in posts])
        engine.new_posts += len(posts)
        engine.images.posts(posts)
        engine.images.avatars(authors)
        engine.emit(len(store.tagged_post_ids()), None, "posts you are tagged in")


def _liked_pages(engine: SyncEngine, cursor: dict, until: int | None = None) -> dict:
    """Pages of my likes, back a year (a later run: down to the likes already known). With `until`, stop
    after that many pages and hand the position over to `stage_liked_rest`, in the last page's transaction."""
    client, store = engine.client, engine.store
    cutoff = engine.started - engine.settings.get("sync.liked_days") * DAY
    known = None if engine.first_run else _liked_before(engine)
    liked_at = None if engine.first_run else engine.started  # a later run knows a like is newer than the last
    while cursor["part"] == "liked" and (until is None or cursor["pages"] < until):
        medias, next_id = engine.call(client.collection_medias_v1_chunk, "liked", cursor["max_id"])
        posts = [convert.post(m, engine.now()) for m in medias if not convert.is_ad(m)]
        authors = convert.authors([m for m in medias if not convert.is_ad(m)])
        fresh = [p for p in posts if known is None or p.pk not in known]
        stop = (not next_id or not medias or cursor["pages"] + 1 >= LIKED_MAX_PAGES
                or (known is None and all(p.taken_at < cutoff for p in posts))
                or (known is not None and len(fresh) < len(posts)))
        cursor = {"part": "tagged" if stop else "liked", "max_id": "" if stop else next_id,
                  "pages": 0 if stop else cursor["pages"] + 1}
        with engine.page(cursor):
            store.upsert_accounts(authors)
            store.upsert_posts(posts, like_series=True)
            store.add_likes([Like(p.pk, liked_at) for p in fresh])
            if until is not None and (stop or cursor["pages"] >= until):
                store.set_sync_cursor(LIKED_REST_CURSOR, json.dumps(cursor))
        engine.new_posts += len(posts)
        engine.images.posts(posts)
        engine.images.avatars(authors)
        engine.emit(store.counts()["likes"], None, "liked posts")
    return cursor


def _liked_before(engine: SyncEngine) -> set[str]:
    """Posts liked before this run: a like written by this run has liked_at equal to its start."""
    likes = engine.store.likes_frame()
    older = likes[likes["liked_at"].isna() | (likes["liked_at"] < engine.started)]
    return set(engine.store.posts_frame(post_ids=older["post_id"].tolist(), columns=["pk"])["pk"])


# --- 5 and 8. recent posts of a list of accounts ---------------------------------------------------------


def stage_recent(engine: SyncEngine) -> None:
    """Recent posts of the followed accounts the home timeline did not reach."""
    _posts_of_accounts(engine, lambda: _due(engine, _followed(engine)))


def stage_near(engine: SyncEngine) -> None:
    """Recent posts of the accounts nearest to me, nearest first, until Explore's top barely moves."""
    def plan() -> list[str]:
        near = value.near_accounts(engine, value.follow_graph(engine), engine.settings.get("sync.near_accounts"),
                                   _skipped(engine))
        return _due(engine, near, engine.state("deferred").get("posts"))

    _posts_of_accounts(engine, plan, measure=value.explore_top, size=value.TOP_POSTS, kind="posts")


def _posts_of_accounts(engine: SyncEngine, plan: Callable[[], list[str]],
                       measure: Callable[[SyncEngine], list[str]] | None = None, size: int = 0,
                       kind: str = "") -> None:
    store = engine.store
    by_value = measure is not None and engine.settings.get("sync.stop_by_value")
    cursor = engine.cursor()
    if cursor is None:
        cursor = {"accounts": plan(), "i": 0, "max_id": "", "pages": 0, "looked": 0,
                  "top": measure(engine) if by_value else []}
        with engine.page(cursor):
            pass
    window = engine.started - engine.settings.get("sync.recent_days") * DAY
    checked = engine.state("checked")
    while cursor["i"] < len(cursor["accounts"]):
        if by_value and cursor["i"] - cursor["looked"] >= value.CHECK_EVERY and not cursor["max_id"]:
            cursor = _look(engine, cursor, measure(engine), size, kind)
            continue
        pk = cursor["accounts"][cursor["i"]]
        try:
            medias, next_id = engine.call(engine.client.user_medias_paginated_v1, pk, PAGE, cursor["max_id"],
                                          per_account=True)
        except Unavailable as gone:
            cursor = {**cursor, "i": cursor["i"] + 1, "max_id": "", "pages": 0}
            with engine.page(cursor):
                _remember_unavailable(engine, pk, gone.reason)
            continue
        posts = [convert.post(m, engine.now()) for m in medias]
        keep = [p for p in posts if p.taken_at >= window]
        last = posts[-1] if posts else None
        seen_before = last is not None and pk in checked and bool(store.post_ids([last.pk]))
        more = (bool(next_id) and last is not None and last.taken_at >= window and not seen_before
                and cursor["pages"] + 1 < MAX_PAGES_PER_ACCOUNT)
        if more:
            cursor = {**cursor, "max_id": next_id, "pages": cursor["pages"] + 1}
        else:
            cursor = {**cursor, "i": cursor["i"] + 1, "max_id": "", "pages": 0}
            checked[pk] = engine.started
        authors = convert.authors(medias)
        with engine.page(cursor):
            store.upsert_accounts(authors)
            store.upsert_posts(keep, like_series=True)
            if not more:
                engine.set_state("checked", checked)
        engine.new_posts += len(keep)
        engine.images.posts(keep)
        engine.images.avatars(authors)
        engine.emit(cursor["i"], len(cursor["accounts"]), f"{engine.new_posts:,} posts so far")


def _look(engine: SyncEngine, cursor: dict, top: list[str], size: int, kind: str,
          order: list[str] | None = None) -> dict:
    """Compare the top of the list with the last look; when it barely moved, end the stage's worklist and
    remember the accounts left unread as deferred (`kind`: their "lists" or their "posts"), to be weighed
    again when a read of them would be due. `order`, when given, is the new order of the accounts still to
    read. Written as its own step: the look is a function of the store, so a resumed sync takes the same."""
    i = cursor["i"]
    rest = cursor["accounts"][i:] if order is None else order
    deferred = engine.state("deferred")
    if value.steady(cursor["top"], top, size):
        deferred[kind] = {**deferred.get(kind, {}), **dict.fromkeys(rest, engine.started)}
        rest = []
    cursor = {**cursor, "accounts": cursor["accounts"][:i] + rest, "top": top, "looked": i}
    with engine.page(cursor):
        engine.set_state("deferred", deferred)
    return cursor


def _remember_unavailable(engine: SyncEngine, pk: str, reason: str) -> None:
    unavailable = engine.state("unavailable")
    unavailable[pk] = [reason, engine.started]
    engine.set_state("unavailable", unavailable)


def _skipped(engine: SyncEngine) -> set[str]:
    """Accounts found private, gone or failing, not asked again for a while."""
    return {pk for pk, (reason, at) in engine.state("unavailable").items()
            if engine.started - at < UNAVAILABLE_SECONDS.get(reason, 3 * DAY)}


def _followed(engine: SyncEngine) -> list[str]:
    """The accounts I follow now, those whose posts I like most first."""
    store = engine.store
    me_id = store.account_id(engine.session.pk)
    src, dst = store.edges()
    targets = dst[src == me_id]
    accounts = store.accounts_frame(targets.tolist())
    likes = store.likes_frame()
    liked = Counter(likes["author_id"].tolist())
    accounts["liked"] = [liked.get(i, 0) for i in accounts["id"]]
    accounts = accounts.sort_values(["liked", "pk"], ascending=[False, True])
    skipped = _skipped(engine)
    return [pk for pk in accounts["pk"] if pk not in skipped and not pk.startswith("u:")]


def _due(engine: SyncEngine, pks: list[str], deferred: dict | None = None) -> list[str]:
    """The accounts whose posts are due a re-read: never read, or read longer ago than they usually post.
    An account `deferred` (left unread when a stage stopped by value) counts as read then."""
    checked = {**(deferred or {}), **engine.state("checked")}
    if not checked:
        return pks
    store, now = engine.store, engine.started
    ids = store.account_ids(pks)
    posts = store.posts_frame(since=now - RATE_HISTORY, author_ids=list(ids.values()),
                              columns=["author_id", "taken_at"])
    first = posts.groupby("author_id")["taken_at"].agg(["min", "count"])
    longest = engine.settings.get("sync.recheck_max_days") * DAY
    due = []
    for pk in pks:
        last = checked.get(pk)
        if last is None:
            due.append(pk)
            continue
        row = first.loc[ids[pk]] if ids.get(pk) in first.index else None
        interval = longest if row is None else (now - row["min"]) / row["count"]
        if now - last >= min(max(interval, MIN_RECHECK), longest):
            due.append(pk)
    return due


# --- 6. whom they follow ----------------------------------------------------------------------------------


def stage_circle(engine: SyncEngine) -> None:
    """Whom the accounts I follow follow: the closest first (my likes of them, then PageRank over what is
    known so far, re-ordered as lists arrive), until the accounts near me barely move."""
    store = engine.store
    by_value = engine.settings.get("sync.stop_by_value")
    cursor = engine.cursor()
    if cursor is None:
        listed = {**engine.state("deferred").get("lists", {}), **engine.state("listed")}
        stale = engine.started - engine.settings.get("sync.follows_refresh_days") * DAY
        graph = value.follow_graph(engine)
        due = [pk for pk in _followed(engine) if listed.get(pk, 0) < stale]
        cursor = {"accounts": value.closest_first(engine, due, graph), "i": 0, "looked": 0,
                  "top": value.near_accounts(engine, graph, value.TOP_ACCOUNTS, set())}
        with engine.page(cursor):
            pass
    cap = engine.settings.get("sync.following_cap")
    while cursor["i"] < len(cursor["accounts"]):
        if cursor["i"] - cursor["looked"] >= value.CHECK_EVERY:
            graph = value.follow_graph(engine)
            top = value.near_accounts(engine, graph, value.TOP_ACCOUNTS, set())
            order = value.closest_first(engine, cursor["accounts"][cursor["i"]:], graph)
            cursor = _look(engine, cursor, top if by_value else [], value.TOP_ACCOUNTS, "lists", order)
            continue
        pk = cursor["accounts"][cursor["i"]]
        cursor = {**cursor, "i": cursor["i"] + 1}
        try:
            users, next_id = engine.call(engine.client.user_following_v1_chunk, pk, cap, "", per_account=True)
        except Unavailable as gone:
            with engine.page(cursor):
                _remember_unavailable(engine, pk, gone.reason)
            continue
        targets = [convert.account(u) for u in users][:cap]
        listed = engine.state("listed")
        listed[pk] = engine.started
        with engine.page(cursor):
            store.upsert_accounts(targets)
            store.upsert_follows([Follow(pk, t.pk, engine.started) for t in targets],
                                 complete_sources=[pk] if not next_id else ())
            engine.set_state("listed", listed)
        engine.emit(cursor["i"], len(cursor["accounts"]), f"{store.counts()['follows']:,} follows known")


# --- 7. hashtags ---------------------------------------------------------------------------------------


def stage_hashtags(engine: SyncEngine) -> None:
    store = engine.store
    cursor = engine.cursor()
    if cursor is None:
        cursor = {"tags": _hashtags_due(engine), "i": 0}
        with engine.page(cursor):
            pass
    window = engine.started - engine.settings.get("sync.recent_days") * DAY
    while cursor["i"] < len(cursor["tags"]):
        tag = cursor["tags"][cursor["i"]]
        cursor = {**cursor, "i": cursor["i"] + 1}
        read = engine.state("hashtags")
        read[tag] = engine.started
        try:
            medias, _ = engine.call(engine.client.hashtag_medias_v1_chunk, tag, HASHTAG_PAGE, "top", None,
                                    per_account=True)
        except Unavailable:  # a hidden or banned hashtag
            medias = []
        medias = [m for m in medias if not convert.is_ad(m)]
        posts = [p for p in (convert.post(m, engine.now()) for m in medias) if p.taken_at >= window]
        authors = convert.authors([m for m in medias if str(m.pk) in {p.pk for p in posts}])
        with engine.page(cursor):
            store.upsert_accounts(authors)
            store.upsert_posts(posts, like_series=True)
            engine.set_state("hashtags", read)
        engine.new_posts += len(posts)
        engine.images.posts(posts)
        engine.images.avatars(authors)
        engine.emit(cursor["i"], len(cursor["tags"]), f"#{tag}")


def _hashtags_due(engine: SyncEngine) -> list[str]:
    """My top hashtags (from the posts I liked and my own), those not read lately."""
    wanted = engine.settings.get("sync.top_hashtags")
    if not wanted:
        return []
    store = engine.store
    me_id = store.account_id(engine.session.pk)
    post_ids = store.likes_frame()["post_id"].tolist()
    if me_id is not None:
        post_ids += store.posts_frame(author_ids=[me_id], columns=["id"])["id"].tolist()
    tags = store.hashtags_frame(post_ids)["tag"] if post_ids else []
    ranked = sorted(Counter(tags).items(), key=lambda kv: (-kv[1], kv[0]))[:wanted]
    read = engine.state("hashtags")
    fresh = engine.started - engine.settings.get("sync.hashtag_refresh_hours") * 3600
    return [tag for tag, _ in ranked if read.get(tag, 0) <= fresh]


# --- the end of a run ----------------------------------------------------------------------------------


def avatar_sweep(engine: SyncEngine) -> None:
    """Profile pictures still missing for me, the accounts I follow and the authors of posts just fetched."""
    store = engine.store
    me_id = store.account_id(engine.session.pk)
    src, dst = store.edges()
    ids = set(dst[src == me_id].tolist()) | ({me_id} if me_id else set())
    posts = store.posts_frame(columns=["author_id", "fetched_at"])
    ids |= set(posts.loc[posts["fetched_at"] >= engine.started, "author_id"].tolist())
    frame = store.accounts_frame(sorted(ids))
    frame = frame[frame["profile_pic_path"].isna() & frame["profile_pic_url"].notna()]
    engine.images.avatars([convert_row(row) for row in frame.itertuples()])


def convert_row(row):
    from storage import Account

    return Account(row.pk, row.username, row.full_name or "", is_private=bool(row.is_private),
                   is_verified=bool(row.is_verified), profile_pic_url=row.profile_pic_url)


def have(engine: SyncEngine) -> str:
    """What the person has now: "Feed ready: 212 posts from 143 of the 300 accounts you follow" (without "of
    the 300" until my account's following count is known), "" before the Feed has a post."""
    store = engine.store
    me_id = store.account_id(engine.session.pk)
    if me_id is None:
        return ""
    src, dst = store.edges()
    followed = dst[src == me_id].tolist()
    since = engine.started - engine.settings.get("ranking.window_days") * DAY
    authors = store.posts_frame(since=since, author_ids=followed, columns=["author_id"])["author_id"]
    if authors.empty:
        return ""
    following = _following_count(engine)
    of = f" of the {following:,}" if following else ""
    return f"Feed ready: {len(authors):,} posts from {authors.nunique():,}{of} accounts you follow"


def remaining_requests(engine: SyncEngine) -> int:
    """A rough count of the requests this run still needs, for the ETA."""
    number = engine.run_state.get("stage", 0)
    cursor = engine.current or {}
    if engine.following_estimate is None:
        engine.following_estimate = _following_count(engine) or 0
    following = engine.following_estimate
    near = engine.settings.get("sync.near_accounts")
    estimates = {
        "timeline": following // 2 + 1, "me": 1, "following": max(1, following // FOLLOWING_PAGE + 1),
        "liked": LIKED_EARLY_PAGES, "recent": following // 5, "circle": following // 3, "near": near // 3,
        "liked_rest": 10, "hashtags": engine.settings.get("sync.top_hashtags"),
    }
    total = 0
    for stage in STAGES[number:]:
        if stage.key == engine.stage.key and "accounts" in cursor:
            total += len(cursor["accounts"]) - cursor["i"]
        elif stage.key == engine.stage.key and "tags" in cursor:
            total += len(cursor["tags"]) - cursor["i"]
        else:
            total += estimates[stage.key]
    return total


STAGES = [
    Stage("me", "Your account", 1, 1, stage_me),
    Stage("timeline", "Your home feed", 2, 1, stage_timeline),
    Stage("following", "Accounts you follow", 3, 1, stage_following),
    Stage("liked", "Posts you liked lately", 4, 1, stage_liked),
    Stage("recent", "Recent posts of the accounts your feed did not show", 5, 2, stage_recent),
    Stage("circle", "Whom they follow, closest first", 6, 3, stage_circle),
    Stage("hashtags", "Top posts under your hashtags", 7, 4, stage_hashtags),
    Stage("near", "Recent posts of accounts near you", 8, 4, stage_near),
    Stage("liked_rest", "Older likes and posts you are tagged in", 9, 4, stage_liked_rest),
]
