"""The stages that read a list of accounts one request each: recent posts of the followed accounts the home
timeline did not reach, whom the accounts I follow follow (closest first), and recent posts of the accounts
near me; the last two stop when more requests barely move the top of Explore (`value.py`).

Remembered across runs (sync_state, JSON): `live.checked` when each account's posts were last read,
`live.listed` when its follow list was, `live.deferred` the lists and posts a stage left unread when it
stopped by value, `live.unavailable` accounts found private or gone. A later run asks only for what is due:
an account is re-read about as often as it posts, a follow list once a month.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable

from discovery.clock import DAY
from discovery.live import convert, value
from discovery.live.client import Unavailable
from discovery.live.context import StageContext
from storage import Follow

PAGE = 33  # posts asked per profile page (instagrapi's own default)
MAX_PAGES_PER_ACCOUNT = 5
MIN_RECHECK = 12 * 3600
RATE_HISTORY = 60 * DAY  # posts this old or newer estimate how often an account posts
UNAVAILABLE_SECONDS = {"private": 30 * DAY, "gone": 30 * DAY, "error": 3 * DAY}  # before asking again


# --- 5 and 8. recent posts of a list of accounts ---------------------------------------------------------


def stage_recent(ctx: StageContext) -> int:
    """Recent posts of the followed accounts the home timeline did not reach."""
    return _posts_of_accounts(ctx, lambda: _due(ctx, followed(ctx)))


def stage_near(ctx: StageContext) -> int:
    """Recent posts of the accounts nearest to me, nearest first, until Explore's top barely moves."""
    def plan() -> list[str]:
        near = value.near_accounts(ctx, value.follow_graph(ctx), ctx.settings.sync.near_accounts, _skipped(ctx))
        return _due(ctx, near, ctx.state("deferred").get("posts"))

    return _posts_of_accounts(ctx, plan, measure=value.explore_top, size=value.TOP_POSTS, kind="posts")


def _posts_of_accounts(ctx: StageContext, plan: Callable[[], list[str]],
                       measure: Callable[[StageContext], list[str]] | None = None, size: int = 0,
                       kind: str = "") -> int:
    store = ctx.store
    by_value = measure is not None and ctx.settings.sync.stop_by_value
    cursor = ctx.cursor()
    if cursor is None:
        cursor = {"accounts": plan(), "i": 0, "max_id": "", "pages": 0, "looked": 0,
                  "top": measure(ctx) if measure is not None and by_value else []}
        with ctx.page(cursor):
            pass
    window = ctx.started - ctx.settings.sync.recent_days * DAY
    checked = ctx.state("checked")
    written = 0
    while cursor["i"] < len(cursor["accounts"]):
        look = by_value and cursor["i"] - cursor["looked"] >= value.CHECK_EVERY and not cursor["max_id"]
        if measure is not None and look:
            cursor = _look(ctx, cursor, measure(ctx), size, kind)
            continue
        pk = cursor["accounts"][cursor["i"]]
        try:
            medias, next_id = ctx.call(ctx.client.user_medias_paginated_v1, pk, PAGE, cursor["max_id"],
                                       per_account=True)
        except Unavailable as gone:
            cursor = {**cursor, "i": cursor["i"] + 1, "max_id": "", "pages": 0}
            with ctx.page(cursor):
                _remember_unavailable(ctx, pk, gone.reason)
            continue
        posts = [convert.post(m, ctx.now()) for m in medias]
        keep = [p for p in posts if convert.taken_at(p) >= window]
        last = posts[-1] if posts else None
        seen_before = last is not None and pk in checked and bool(store.post_ids([last.pk]))
        more = (bool(next_id) and last is not None and convert.taken_at(last) >= window and not seen_before
                and cursor["pages"] + 1 < MAX_PAGES_PER_ACCOUNT)
        if more:
            cursor = {**cursor, "max_id": next_id, "pages": cursor["pages"] + 1}
        else:
            cursor = {**cursor, "i": cursor["i"] + 1, "max_id": "", "pages": 0}
            checked[pk] = ctx.started
        authors = convert.authors(medias)
        with ctx.page(cursor):
            store.upsert_accounts(authors)
            store.upsert_posts(keep, like_series=True)
            if not more:
                ctx.set_state("checked", checked)
        written += len(keep)
        ctx.images.posts(keep)
        ctx.images.avatars(authors)
        ctx.report(cursor["i"], len(cursor["accounts"]), f"{ctx.written_before + written:,} posts so far", written)
    return written


def _look(ctx: StageContext, cursor: dict, top: list[str], size: int, kind: str,
          order: list[str] | None = None) -> dict:
    """Compare the top of the list with the last look; when it barely moved, end the stage's worklist and
    remember the accounts left unread as deferred (`kind`: their "lists" or their "posts"), to be weighed
    again when a read of them would be due. `order`, when given, is the new order of the accounts still to
    read. Written as its own step: the look is a function of the store, so a resumed sync takes the same."""
    i = cursor["i"]
    rest = cursor["accounts"][i:] if order is None else order
    deferred = ctx.state("deferred")
    if value.steady(cursor["top"], top, size):
        deferred[kind] = {**deferred.get(kind, {}), **dict.fromkeys(rest, ctx.started)}
        rest = []
    cursor = {**cursor, "accounts": cursor["accounts"][:i] + rest, "top": top, "looked": i}
    with ctx.page(cursor):
        ctx.set_state("deferred", deferred)
    return cursor


def _remember_unavailable(ctx: StageContext, pk: str, reason: str) -> None:
    unavailable = ctx.state("unavailable")
    unavailable[pk] = [reason, ctx.started]
    ctx.set_state("unavailable", unavailable)


def _skipped(ctx: StageContext) -> set[str]:
    """Accounts found private, gone or failing, not asked again for a while."""
    return {pk for pk, (reason, at) in ctx.state("unavailable").items()
            if ctx.started - at < UNAVAILABLE_SECONDS.get(reason, 3 * DAY)}


def followed(ctx: StageContext) -> list[str]:
    """The accounts I follow now, those whose posts I like most first."""
    store = ctx.store
    me_id = store.account_id(ctx.me)
    src, dst = store.edges()
    targets = dst[src == me_id]
    accounts = store.accounts_frame(targets.tolist())
    likes = store.likes_frame()
    liked = Counter(likes["author_id"].tolist())
    accounts["liked"] = [liked.get(i, 0) for i in accounts["id"]]
    accounts = accounts.sort_values(["liked", "pk"], ascending=[False, True])
    skipped = _skipped(ctx)
    return [pk for pk in accounts["pk"] if pk not in skipped and not pk.startswith("u:")]


def _due(ctx: StageContext, pks: list[str], deferred: dict | None = None) -> list[str]:
    """The accounts whose posts are due a re-read: never read, or read longer ago than they usually post.
    An account `deferred` (left unread when a stage stopped by value) counts as read then."""
    checked = {**(deferred or {}), **ctx.state("checked")}
    if not checked:
        return pks
    store, now = ctx.store, ctx.started
    ids = store.account_ids(pks)
    posts = store.posts_frame(since=now - RATE_HISTORY, author_ids=list(ids.values()),
                              columns=["author_id", "taken_at"])
    first = posts.groupby("author_id")["taken_at"].agg(["min", "count"])
    longest = ctx.settings.sync.recheck_max_days * DAY
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


def stage_circle(ctx: StageContext) -> int:
    """Whom the accounts I follow follow: the closest first (my likes of them, then PageRank over what is
    known so far, re-ordered as lists arrive), until the accounts near me barely move."""
    store = ctx.store
    by_value = ctx.settings.sync.stop_by_value
    cursor = ctx.cursor()
    if cursor is None:
        listed = {**ctx.state("deferred").get("lists", {}), **ctx.state("listed")}
        stale = ctx.started - ctx.settings.sync.follows_refresh_days * DAY
        graph = value.follow_graph(ctx)
        due = [pk for pk in followed(ctx) if listed.get(pk, 0) < stale]
        cursor = {"accounts": value.closest_first(ctx, due, graph), "i": 0, "looked": 0,
                  "top": value.near_accounts(ctx, graph, value.TOP_ACCOUNTS, set())}
        with ctx.page(cursor):
            pass
    cap = ctx.settings.sync.following_cap
    while cursor["i"] < len(cursor["accounts"]):
        if cursor["i"] - cursor["looked"] >= value.CHECK_EVERY:
            graph = value.follow_graph(ctx)
            top = value.near_accounts(ctx, graph, value.TOP_ACCOUNTS, set())
            order = value.closest_first(ctx, cursor["accounts"][cursor["i"]:], graph)
            cursor = _look(ctx, cursor, top if by_value else [], value.TOP_ACCOUNTS, "lists", order)
            continue
        pk = cursor["accounts"][cursor["i"]]
        cursor = {**cursor, "i": cursor["i"] + 1}
        try:
            users, next_id = ctx.call(ctx.client.user_following_v1_chunk, pk, cap, "", per_account=True)
        except Unavailable as gone:
            with ctx.page(cursor):
                _remember_unavailable(ctx, pk, gone.reason)
            continue
        targets = [convert.account(u) for u in users][:cap]
        listed = ctx.state("listed")
        listed[pk] = ctx.started
        with ctx.page(cursor):
            store.upsert_accounts(targets)
            store.upsert_follows([Follow(pk, t.pk, ctx.started) for t in targets],
                                 complete_sources=[pk] if not next_id else ())
            ctx.set_state("listed", listed)
        ctx.report(cursor["i"], len(cursor["accounts"]), f"{store.counts()['follows']:,} follows known")
    return 0
