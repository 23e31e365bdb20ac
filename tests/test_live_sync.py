"""The live sync end to end: instagrapi's real Client, pagers, error mapping and extractors, talking to the fake
Instagram through a transport adapter, into a real SQLite file; then incremental syncs, cancel and resume."""

from __future__ import annotations

import logging
from collections import Counter

import pytest
from fake_instagram import DAY, FakeAdapter, FakeWorld
from fake_instagram.harness import Harness, baseline, differences, snapshot
from fake_instagram.server import API_HOSTS

from discovery.live.client import new_client
from discovery.live.stages import STAGES
from discovery.live.sync import CANCELLED, COMPLETE, SyncProgress
from discovery.progress import CancelToken
from discovery.ranking import Ranker, RankingParams


def followed_now(world: FakeWorld) -> set[str]:
    """Whom the person follows, as Instagram lists it (one account was deactivated since)."""
    return set(world.accounts[world.me].follows)


def alive(world: FakeWorld, pks: set[str]) -> set[str]:
    return {pk for pk in pks if not world.accounts[pk].deleted}


def test_instagrapi_default_transport_is_what_the_fake_replaces(harness):
    client = new_client()
    default = client.private.get_adapter("https://i.instagram.com/api/v1/")
    assert type(default).__name__ == "_CurlH2Adapter"  # instagrapi's own default, untouched by Tessera
    harness.fake.install(client)
    for session in (client.private, client.public, client.graphql, client.images):
        assert isinstance(session.get_adapter("https://i.instagram.com/"), FakeAdapter)
    for name in ("instagrapi", "private_request", "public_request"):
        assert logging.getLogger(name).level == logging.WARNING


def test_a_whole_sync_lands_in_the_store_and_the_ranking_reflects_it(harness):
    session = harness.login()
    events: list[SyncProgress] = []
    result = harness.sync(session, events, **{"sync.download_images": True})
    assert result.status == COMPLETE, result.message
    world = harness.world
    started = int(world.now)
    opened = harness.open_world()
    try:
        store = opened.store
        assert store.me() == world.me and opened.kind == "account"
        accounts = store.accounts_frame()
        by_id = dict(zip(accounts["id"], accounts["pk"], strict=True))
        src, dst = store.edges()
        me_id = store.account_id(world.me)
        assert {by_id[t] for t in dst[src == me_id]} == followed_now(world)
        # every recent post of every followed account, with its picture
        posts = store.posts_frame(columns=["pk", "like_count", "image_path"])
        stored = set(posts["pk"])
        window = started - 14 * DAY
        for pk in alive(world, followed_now(world)):
            expected = {p.pk for p in world.posts_of(pk) if p.taken_at >= window}
            assert expected <= stored, world.accounts[pk].username
        assert posts["image_path"].notna().all()
        assert all((opened.images.directory / p).is_file() for p in posts["image_path"])
        counts = dict(zip(posts["pk"], posts["like_count"], strict=True))
        assert all(counts[p.pk] == p.like_count for p in world.posts.values() if p.pk in counts)
        # likes of the last year, tagged posts, second degree, hashtags
        liked = set(store.posts_frame(post_ids=store.likes_frame()["post_id"].tolist(), columns=["pk"])["pk"])
        assert {p for p, at in world.my_likes if world.posts[p].taken_at >= started - 365 * DAY} <= liked
        tagged = set(store.posts_frame(post_ids=store.tagged_post_ids().tolist(), columns=["pk"])["pk"])
        assert tagged == {p.pk for p in world.tagged_posts()}
        # every follow list of a followed account is read, or left for later once the crawl stopped by value
        states = snapshot(harness.root, world.username)["states"]
        listed = {by_id[s] for s in set(src.tolist())} - {world.me}
        deferred = set(eval_json(states.get("live.deferred", "{}")).get("lists", {}))
        assert listed <= alive(world, followed_now(world)) and not listed & deferred
        assert listed | deferred == alive(world, followed_now(world)) and len(listed) >= 10
        read_tags = states["live.hashtags"]
        for tag in eval_json(read_tags):
            top = {p.pk for p in world.hashtag_top(tag)[:27]}
            assert top & stored, tag
        me_row = accounts[accounts["pk"] == world.me].iloc[0]
        assert me_row["following_count"] == len(world.accounts[world.me].follows)
        assert isinstance(me_row["profile_pic_path"], str)
        # the ranking reflects it: the feed holds recent posts of followed accounts only
        feed = Ranker(store, started).feed()
        assert len(feed) > 0
        assert {by_id[a] for a in feed.frame["author_id"]} <= followed_now(world)
        assert len(Ranker(store, started).explore()) > 0
    finally:
        opened.close()
    assert [e.stage_number for e in events if e.message == "starting"] == list(range(1, len(STAGES) + 1))
    last = events[-1]
    assert last.requests_run == result.requests > 0 and last.budget_hour == 180 and last.eta_seconds == 0
    deleted = next(pk for pk in world.accounts[world.me].follows if world.accounts[pk].deleted)
    assert deleted in snapshot(harness.root, world.username)["states"]["live.unavailable"]


def test_a_later_sync_fetches_what_is_new_refreshes_counts_and_duplicates_nothing(harness):
    session = harness.login()
    first = harness.sync(session)
    assert first.status == COMPLETE
    world = harness.world
    deleted = next(pk for pk in world.accounts[world.me].follows if world.accounts[pk].deleted)
    stored_before = {p[0]: p[7] for p in snapshot(harness.root, world.username)["posts"]}
    for post in world.posts.values():
        post.like_count += 1000  # everyone's posts got more likes
    changes = world.advance(DAY)
    harness.clock.t = world.now
    log_start = len(harness.fake.server.log)
    second = harness.sync(session)
    assert second.status == COMPLETE, second.message
    assert second.requests < first.requests / 2
    asked = [r.path for r in harness.fake.server.log[log_start:]]
    assert not any(f"/{deleted}/" in path for path in asked)  # remembered as gone, not asked again
    snap = snapshot(harness.root, world.username)
    assert snap["rows"]["posts"] == len({p[0] for p in snap["posts"]})  # none twice
    counts = {p[0]: (p[1], p[7]) for p in snap["posts"]}
    opened = harness.open_world()
    fetched = opened.store.posts_frame(columns=["pk", "fetched_at"])
    opened.close()
    refreshed = [pk for pk, at in zip(fetched["pk"], fetched["fetched_at"], strict=True)
                 if at >= world.now and pk in stored_before]  # seen again, in the timeline or a profile
    assert len(refreshed) > 20, "posts stored already were read again"
    assert all(counts[pk][1] == world.posts[pk].like_count for pk in refreshed)
    new_posts = {p.pk for pk in alive(world, followed_now(world)) for p in world.posts_of(pk)
                 if p.taken_at > world.now - DAY}
    assert changes["posts"] and new_posts & set(counts)
    opened = harness.open_world()
    try:
        likes = opened.store.likes_frame()
        assert len(likes) == len(world.my_likes)
        assert (likes["liked_at"] == world.now).sum() == changes["likes"]  # new likes dated by the sync
        src, dst = opened.store.edges()
        me_id = opened.store.account_id(world.me)
        ids = opened.store.account_ids(followed_now(world))
        assert set(dst[src == me_id].tolist()) == set(ids.values())  # unfollowed gone, new follows in
    finally:
        opened.close()


def test_cancel_then_resume_gives_the_same_store_as_one_sync(harness, tmp_path_factory):
    expected = baseline(tmp_path_factory.mktemp("baseline"))

    session = harness.login()
    cancel = CancelToken()

    def cancel_in_stage_four(event):
        if event.stage_key == "recent" and event.done >= 5:
            cancel.cancel()

    stopped = harness.sync(session, cancel=cancel, events=_Callback(cancel_in_stage_four))
    assert stopped.status == CANCELLED and stopped.stage == "recent"
    resumed = harness.sync(session)
    assert resumed.status == COMPLETE
    assert differences(snapshot(harness.root, harness.world.username), expected) == []
    assert resumed.requests_by_stage.get("following", 0) == 0  # stages already done are not asked again


def eval_json(text: str):
    import json

    return json.loads(text)


class _Callback(list):
    """A progress sink that also calls a function on each event."""

    def __init__(self, function):
        super().__init__()
        self.function = function

    def append(self, event) -> None:
        super().append(event)
        self.function(event)


def test_a_post_synced_without_its_picture_downloads_it_when_browsed_online_only(harness, monkeypatch):
    from discovery.browse import Browser
    from discovery.live import images

    result = harness.sync(harness.login(), **{"sync.download_images": False})
    assert result.status == COMPLETE, result.message

    class FakeSession(images.requests.Session):
        def __init__(self):
            super().__init__()
            self.mount("https://", harness.fake.adapter)  # block_network refuses anything else

    monkeypatch.setattr(images.requests, "Session", FakeSession)
    opened = harness.open_world()
    try:
        pk = opened.store.posts_frame(columns=["pk"])["pk"].iloc[0]
        browser = Browser(opened)
        assert browser.image_path(pk, allow_network=False) is None  # offline: nothing is fetched
        path = browser.image_path(pk, allow_network=True)
        assert path is not None and path.is_file() and path.read_bytes()[:3] == b"\xff\xd8\xff"
        stored = opened.store.posts_frame(columns=["pk", "image_path"]).set_index("pk")["image_path"]
        assert opened.images.directory / stored[pk] == path
    finally:
        opened.close()


def test_an_imported_export_becomes_the_account_world_when_the_same_person_logs_in(harness, tmp_path):
    from export_helpers import render

    from discovery import world as worlds
    from discovery.export import import_into_data_dir

    fake = harness.world
    followed = [fake.accounts[pk].username for pk in fake.accounts[fake.me].follows][:5]
    person = dict(owner=fake.username, full_name="Tess Era", following={name: 1_700_000_000 for name in followed},
                  followers={}, liked=[], saved=[])
    summary = import_into_data_dir(render(person, "2023", tmp_path / "export"), harness.root)
    assert summary.world == fake.username
    with worlds.World.open(harness.root, fake.username).store as store:
        placeholder_me = store.me()
        my_id = store.account_id(placeholder_me)
        assert placeholder_me.startswith("u:") and store.meta("world_kind") == "export"

    result = harness.sync(harness.login())
    assert result.status == COMPLETE, result.message
    opened = harness.open_world()
    try:
        store = opened.store
        assert opened.kind == "account" and store.me() == fake.me
        assert store.account_id(fake.me) == my_id  # the export's person, now with the real pk
        assert not store.accounts_frame()["pk"].str.startswith("u:").any()  # every placeholder adopted
        src, dst = store.edges()
        names = dict(zip(store.accounts_frame()["id"], store.accounts_frame()["username"], strict=True))
        mine = {names[d] for s, d in zip(src, dst, strict=True) if s == my_id}
        assert mine == {fake.accounts[pk].username for pk in followed_now(fake)}  # the export's five among them
    finally:
        opened.close()


# --- a first sync ordered by value ------------------------------------------------------------------------


def api_paths(harness, start: int = 0) -> list[str]:
    return [r.path for r in harness.fake.server.log[start:] if r.host in API_HOSTS]


def test_the_first_sync_reads_my_account_then_the_home_timeline_and_the_feed_has_posts_after_three_requests(
        harness):
    from fake_instagram.server import TIMELINE_PAGE

    session = harness.login()
    events: list = []
    start = len(harness.fake.server.log)
    world = harness.world
    feeds: dict[int, tuple[int, int]] = {}

    def look(entry) -> None:  # before each request: the Feed as the requests before it left it
        asked = len(api_paths(harness, start)) - 1
        if entry.host in API_HOSTS and asked in (3, 5):
            opened = harness.open_world()
            try:
                feed = Ranker(opened.store, world.now).feed(RankingParams(mode="seed")).frame
                feeds[asked] = (len(feed), feed["author_id"].nunique())
            finally:
                opened.close()

    harness.fake.server.on_request = look
    result = harness.sync(session, events=events)
    assert result.status == COMPLETE, result.message
    pages = -(-len(world.timeline()) // TIMELINE_PAGE)
    asked = api_paths(harness, start)
    assert asked[0] == f"/api/v1/users/{world.me}/info/"  # how many I follow, for "of the 30 you follow"
    assert asked[1:pages + 1] == ["/api/v1/feed/timeline/"] * pages  # then the whole home timeline
    assert "/api/v1/feed/timeline/" not in asked[pages + 1:]
    assert feeds[3][0] >= 20 and feeds[3][1] >= 12  # a first screen of the Feed, from many accounts
    assert feeds[5][1] > feeds[3][1]
    # the panel's sentence says what the person has, of how many followed, as the Feed fills
    following = len(world.accounts[world.me].follows)
    haves = [e.have for e in events if e.stage_key == "timeline" and e.have]
    assert haves and all(h.startswith("Feed ready: ") and f" of the {following} accounts you follow" in h
                         for h in haves)
    counts = [int(h.split(" posts from ")[1].split(" of ")[0]) for h in haves]
    assert counts == sorted(counts) and counts[-1] > counts[0]
    # profiles are read only for the followed accounts the timeline did not show
    shown = {p.author for p in world.timeline()}
    profiles = {path.split("/")[5] for path in asked if path.startswith("/api/v1/feed/user/")}
    followed = set(world.accounts[world.me].follows)
    assert profiles & followed == followed - shown


def test_follow_lists_are_read_closest_first(harness):
    from fake_instagram.server import LIKED_PAGE

    from discovery.live.stages import LIKED_EARLY_PAGES

    start = len(harness.fake.server.log)
    assert harness.sync(harness.login()).status == COMPLETE
    world = harness.world
    listed = [path.split("/")[4] for path in api_paths(harness, start)
              if path.startswith("/api/v1/friendships/") and f"/{world.me}/" not in path]
    # the likes known when the crawl starts: the first pages of the liked feed
    liked = Counter(p.author for p in world.liked_posts()[:LIKED_EARLY_PAGES * LIKED_PAGE])
    counts = [liked[pk] for pk in listed]
    assert len(listed) >= 10 and counts == sorted(counts, reverse=True) and counts[0] > counts[-1]
    assert counts[0] == max(liked[pk] for pk in world.accounts[world.me].follows)


def test_a_first_sync_takes_at_most_one_and_a_half_requests_per_followed_account(tmp_path):
    """On a world of 120 followed accounts, where the fixed costs (the person's own likes and tags, the
    hashtags) weigh what they do for a real person, and the full crawl takes more than twice as many."""
    counts = {}
    for stop_by_value in (True, False):
        world = FakeWorld.generate(seed=5, following=120, others=600, likes=300)
        harness = Harness(tmp_path / str(stop_by_value), world, tmp_path / f"{stop_by_value}.cfg")
        harness.login()
        start = len(harness.fake.server.log)
        result = harness.sync(**{"sync.stop_by_value": stop_by_value, "sync.near_accounts": 120})
        assert result.status == COMPLETE, result.message
        assert harness.fake.problems() == []
        counts[stop_by_value] = len(api_paths(harness, start)) / len(world.accounts[world.me].follows)
    assert counts[True] <= 1.5 and counts[False] > 2 * counts[True]


def test_a_sync_stopped_in_the_timeline_and_in_the_crawl_resumes_to_the_same_store(harness, tmp_path_factory):
    expected = baseline(tmp_path_factory.mktemp("baseline"))
    session = harness.login()
    for stage, done in (("timeline", 24), ("circle", 10)):  # the circle's 10th list: where it looks
        cancel = CancelToken()

        def stop(event, stage=stage, done=done, cancel=cancel):
            if event.stage_key == stage and (event.done or 0) >= done:
                cancel.cancel()

        stopped = harness.sync(session, cancel=cancel, events=_Callback(stop))
        assert stopped.status == CANCELLED and stopped.stage == stage
    assert harness.sync(session).status == COMPLETE
    assert differences(snapshot(harness.root, harness.world.username), expected) == []


def test_the_fake_answers_instagrams_suggestions_beside_a_profile_as_instagrapi_reads_them(harness):
    from instagrapi.exceptions import InvalidTargetUser
    from instagrapi.extractors import extract_user_short

    session = harness.login()
    world = harness.world
    public = next(pk for pk in world.accounts[world.me].follows
                  if not world.accounts[pk].is_private and not world.accounts[pk].deleted)
    users = [extract_user_short(u) for u in session.client.chaining(public)["users"]]
    assert [u.pk for u in users] == world.similar_to(public, 30) and len(users) == 30
    assert all(u.username == world.accounts[u.pk].username for u in users)
    private = next(pk for pk in world.accounts[world.me].follows
                   if world.accounts[pk].is_private and not world.accounts[pk].deleted)
    with pytest.raises(InvalidTargetUser):
        session.client.chaining(private)
