"""The nine stages of a sync, in order, and the stages that read my own account, my home timeline, my likes and
my hashtags (the account-list stages are in crawl.py). Each stage reads its cursor, asks for one page, writes
the page and the cursor past it in one transaction (`ctx.page`), goes on until done and returns the posts it
wrote; it sees the sync only through a StageContext (context.py).

`live.hashtags` (sync_state, JSON) remembers when each hashtag was read: a later run re-reads one once a day.

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
from typing import Any

from instagrapi.extractors import extract_media_v1

from discovery.clock import DAY
from discovery.live import convert
from discovery.live.client import Unavailable
from discovery.live.context import Stage, StageContext
from discovery.live.crawl import stage_circle, stage_near, stage_recent
from discovery.live.tally import following_count
from storage import Follow, Like

FOLLOWING_PAGE = 200
LIKED_MAX_PAGES = 100
TIMELINE_MAX_PAGES = 500
LIKED_EARLY_PAGES = 3  # pages of likes read early, for closeness; the rest come last
LIKED_REST_CURSOR = "live.stage.liked_rest"
HASHTAG_PAGE = 27


# --- 1. me ----------------------------------------------------------------------------------------------


def stage_me(ctx: StageContext) -> int:
    user = ctx.call(ctx.client.user_info_v1, ctx.me)
    me = convert.account(user, fetched_at=ctx.now())
    with ctx.page({"done": True}):
        ctx.store.upsert_accounts([me])
        ctx.store.set_me(me.pk)
    ctx.images.avatars([me])
    ctx.report(1, 1, f"@{me.username}: follows {me.following_count or 0:,} accounts")
    return 0


# --- 2. the home feed ------------------------------------------------------------------------------------


def stage_timeline(ctx: StageContext) -> int:
    """The home timeline: recent posts of many followed accounts a request, so the Feed fills in minutes.
    Read down to the window (a later run: to what the last run saw); a followed account it covered is not
    asked again in `stage_recent`."""
    store, me = ctx.store, ctx.me
    cursor = ctx.cursor() or {"max_id": "", "pages": 0, "posts": 0}
    window = ctx.started - ctx.settings.sync.recent_days * DAY
    older = window if ctx.previous is None else max(window, ctx.previous)
    written = 0
    while True:
        answer = ctx.call(ctx.client.get_timeline_feed, "cold_start_fetch", cursor["max_id"] or None)
        medias, following = _timeline_medias(answer)
        posts = [convert.post(m, ctx.now()) for m in medias]
        keep = [p for p in posts if convert.taken_at(p) >= window]
        next_id = answer.get("next_max_id") if answer.get("more_available") else None
        done = (not next_id or not posts or all(convert.taken_at(p) < older for p in posts)
                or cursor["pages"] + 1 >= TIMELINE_MAX_PAGES)
        cursor = {"max_id": "" if done else next_id, "pages": cursor["pages"] + 1,
                  "posts": cursor["posts"] + len(keep)}
        authors = convert.authors(medias)
        checked = ctx.state("checked")
        # A later run trusts the timeline for an account once it showed a post the last run saw already
        # (or the timeline ended); otherwise its profile is read if due.
        covered = ctx.first_run or not next_id
        checked.update({p.author: ctx.started for p in posts
                        if p.author in following and (covered or convert.taken_at(p) < older)})
        with ctx.page(cursor):
            store.upsert_accounts(authors)
            store.upsert_follows([Follow(me, pk, ctx.started) for pk in sorted(following)])
            store.upsert_posts(keep, like_series=True)
            ctx.set_state("checked", checked)
        written += len(keep)
        ctx.images.posts(keep)
        ctx.images.avatars(authors)
        ctx.report(cursor["posts"], None, "posts from your home feed", written)
        if done:
            return written


def _timeline_medias(answer: dict) -> tuple[list[Any], set[str]]:
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


# --- 3. the accounts I follow ----------------------------------------------------------------------------


def stage_following(ctx: StageContext) -> int:
    me = ctx.me
    cursor = ctx.cursor() or {"max_id": "", "pages": 0, "count": 0}
    expected = following_count(ctx.store, me)
    while True:
        users, next_id = ctx.call(ctx.client.user_following_v1_chunk, me, FOLLOWING_PAGE, cursor["max_id"])
        accounts = [convert.account(u) for u in users]
        done = not next_id or not users
        cursor = {"max_id": next_id or "", "pages": cursor["pages"] + 1, "count": cursor["count"] + len(accounts)}
        with ctx.page(cursor):
            ctx.store.upsert_accounts(accounts)
            follows = [Follow(me, a.pk, ctx.started) for a in accounts]
            if done and not follows:
                follows = _one_current_follow(ctx)
            ctx.store.upsert_follows(follows, complete_sources=[me] if done else ())
        ctx.images.avatars(accounts)
        ctx.report(cursor["count"], expected, f"{cursor['count']:,} accounts")
        if done:
            return 0


def _one_current_follow(ctx: StageContext) -> list[Follow]:
    """A follow already written in this run, so that marking the list complete dates it to this run."""
    me_id = ctx.store.account_id(ctx.me)
    if me_id is None:
        return []
    frame = ctx.store.follows_frame(me_id)
    seen = frame[frame["last_seen"] >= ctx.started]
    if seen.empty:
        return []
    pk = ctx.store.accounts_frame([int(seen["target_id"].iloc[0])])["pk"].iloc[0]
    return [Follow(ctx.me, pk, ctx.started)]


# --- 4 and 9. what I liked, where I am tagged ------------------------------------------------------------


def stage_liked(ctx: StageContext) -> int:
    """The first pages of my likes: they weigh closeness. The rest waits for `stage_liked_rest`."""
    cursor, written = _liked_pages(ctx, ctx.cursor() or {"part": "liked", "max_id": "", "pages": 0},
                                   LIKED_EARLY_PAGES)
    return written


def stage_liked_rest(ctx: StageContext) -> int:
    client, store = ctx.client, ctx.store
    cursor, written = _liked_pages(ctx, ctx.cursor() or {"part": "tagged", "max_id": "", "pages": 0})
    cutoff = ctx.started - ctx.settings.sync.liked_days * DAY
    tag_cutoff = cutoff if ctx.previous is None else ctx.previous - 7 * DAY
    while cursor["part"] == "tagged":
        medias, next_id = ctx.call(client.usertag_medias_paginated_v1, ctx.me, 0, cursor["max_id"])
        posts = [convert.post(m, ctx.now()) for m in medias]
        authors = convert.authors(medias)
        stop = not next_id or not medias or all(convert.taken_at(p) < tag_cutoff for p in posts)
        cursor = {"part": "done" if stop else "tagged", "max_id": "" if stop else next_id, "pages": 0}
        with ctx.page(cursor):
            store.upsert_accounts(authors)
            store.upsert_posts(posts, like_series=True)
            store.add_tagged([p.pk for p in posts])
        written += len(posts)
        ctx.images.posts(posts)
        ctx.images.avatars(authors)
        ctx.report(len(store.tagged_post_ids()), None, "posts you are tagged in", written)
    return written


def _liked_pages(ctx: StageContext, cursor: dict, until: int | None = None) -> tuple[dict, int]:
    """Pages of my likes, back a year (a later run: down to the likes already known). With `until`, stop
    after that many pages and hand the position over to `stage_liked_rest`, in the last page's transaction.
    Returns the cursor and the posts written."""
    client, store = ctx.client, ctx.store
    cutoff = ctx.started - ctx.settings.sync.liked_days * DAY
    known = None if ctx.first_run else _liked_before(ctx)
    liked_at = None if ctx.first_run else ctx.started  # a later run knows a like is newer than the last
    written = 0
    while cursor["part"] == "liked" and (until is None or cursor["pages"] < until):
        medias, next_id = ctx.call(client.collection_medias_v1_chunk, "liked", cursor["max_id"])
        posts = [convert.post(m, ctx.now()) for m in medias if not convert.is_ad(m)]
        authors = convert.authors([m for m in medias if not convert.is_ad(m)])
        fresh = [p for p in posts if known is None or p.pk not in known]
        stop = (not next_id or not medias or cursor["pages"] + 1 >= LIKED_MAX_PAGES
                or (known is None and all(convert.taken_at(p) < cutoff for p in posts))
                or (known is not None and len(fresh) < len(posts)))
        cursor = {"part": "tagged" if stop else "liked", "max_id": "" if stop else next_id,
                  "pages": 0 if stop else cursor["pages"] + 1}
        with ctx.page(cursor):
            store.upsert_accounts(authors)
            store.upsert_posts(posts, like_series=True)
            store.add_likes([Like(p.pk, liked_at) for p in fresh])
            if until is not None and (stop or cursor["pages"] >= until):
                store.set_sync_cursor(LIKED_REST_CURSOR, json.dumps(cursor))
        written += len(posts)
        ctx.images.posts(posts)
        ctx.images.avatars(authors)
        ctx.report(store.counts()["likes"], None, "liked posts", written)
    return cursor, written


def _liked_before(ctx: StageContext) -> set[str]:
    """Posts liked before this run: a like written by this run has liked_at equal to its start."""
    likes = ctx.store.likes_frame()
    older = likes[likes["liked_at"].isna() | (likes["liked_at"] < ctx.started)]
    return set(ctx.store.posts_frame(post_ids=older["post_id"].tolist(), columns=["pk"])["pk"])


# --- 7. hashtags ---------------------------------------------------------------------------------------


def stage_hashtags(ctx: StageContext) -> int:
    store = ctx.store
    cursor = ctx.cursor()
    if cursor is None:
        cursor = {"tags": _hashtags_due(ctx), "i": 0}
        with ctx.page(cursor):
            pass
    window = ctx.started - ctx.settings.sync.recent_days * DAY
    written = 0
    while cursor["i"] < len(cursor["tags"]):
        tag = cursor["tags"][cursor["i"]]
        cursor = {**cursor, "i": cursor["i"] + 1}
        read = ctx.state("hashtags")
        read[tag] = ctx.started
        try:
            medias, _ = ctx.call(ctx.client.hashtag_medias_v1_chunk, tag, HASHTAG_PAGE, "top", None,
                                 per_account=True)
        except Unavailable:  # a hidden or banned hashtag
            medias = []
        medias = [m for m in medias if not convert.is_ad(m)]
        posts = [p for p in (convert.post(m, ctx.now()) for m in medias) if convert.taken_at(p) >= window]
        authors = convert.authors([m for m in medias if str(m.pk) in {p.pk for p in posts}])
        with ctx.page(cursor):
            store.upsert_accounts(authors)
            store.upsert_posts(posts, like_series=True)
            ctx.set_state("hashtags", read)
        written += len(posts)
        ctx.images.posts(posts)
        ctx.images.avatars(authors)
        ctx.report(cursor["i"], len(cursor["tags"]), f"#{tag}", written)
    return written


def _hashtags_due(ctx: StageContext) -> list[str]:
    """My top hashtags (from the posts I liked and my own), those not read lately."""
    wanted = ctx.settings.sync.top_hashtags
    if not wanted:
        return []
    store = ctx.store
    me_id = store.account_id(ctx.me)
    post_ids = store.likes_frame()["post_id"].tolist()
    if me_id is not None:
        post_ids += store.posts_frame(author_ids=[me_id], columns=["id"])["id"].tolist()
    tags = store.hashtags_frame(post_ids)["tag"] if post_ids else []
    ranked = sorted(Counter(tags).items(), key=lambda kv: (-kv[1], kv[0]))[:wanted]
    read = ctx.state("hashtags")
    fresh = ctx.started - ctx.settings.sync.hashtag_refresh_hours * 3600
    return [tag for tag, _ in ranked if read.get(tag, 0) <= fresh]


# --- the table -------------------------------------------------------------------------------------------


STAGES = [
    Stage("me", "Your account", 1, 1, stage_me, lambda following, settings: 1),
    Stage("timeline", "Your home feed", 2, 1, stage_timeline, lambda following, settings: following // 2 + 1),
    Stage("following", "Accounts you follow", 3, 1, stage_following,
          lambda following, settings: max(1, following // FOLLOWING_PAGE + 1)),
    Stage("liked", "Posts you liked lately", 4, 1, stage_liked, lambda following, settings: LIKED_EARLY_PAGES),
    Stage("recent", "Recent posts of the accounts your feed did not show", 5, 2, stage_recent,
          lambda following, settings: following // 5),
    Stage("circle", "Whom they follow, closest first", 6, 3, stage_circle, lambda following, settings: following // 3),
    Stage("hashtags", "Top posts under your hashtags", 7, 4, stage_hashtags,
          lambda following, settings: settings.sync.top_hashtags),
    Stage("near", "Recent posts of accounts near you", 8, 4, stage_near,
          lambda following, settings: settings.sync.near_accounts // 3),
    Stage("liked_rest", "Older likes and posts you are tagged in", 9, 4, stage_liked_rest,
          lambda following, settings: 10),
]
