"""Insights engine on small hand-built stores where the answer is known: the ego network, its communities and
layout cache, and the readings of the engagement charts."""

from __future__ import annotations

import numpy as np
import pytest

from discovery import world
from discovery.clock import DAY
from discovery.insights import compute_insights, draw_chart, draw_network, engagement_charts
from discovery.insights.drawing import ChartStyle
from discovery.insights.network import backbone, build_ego_network
from storage import Account, Follow, MediaType, Post, Store

NOW = 1_800_000_000
SUNDAY_NOON = 1_799_582_400  # 2027-01-10 12:00 UTC, a Sunday


@pytest.fixture
def store(tmp_path):
    with Store.open(tmp_path / "w.db") as s:
        yield s


def accounts(store: Store, names, followers=None) -> None:
    followers = followers or {}
    store.upsert_accounts([Account(pk=n, username=n, follower_count=followers.get(n, 1000)) for n in sorted(names)])


def follows(store: Store, edges: dict[str, list[str]]) -> None:
    names = set(edges) | {t for ts in edges.values() for t in ts} | {"me"}
    accounts(store, names)
    store.set_me("me")
    store.upsert_follows([Follow(s, t, NOW - 100) for s, ts in edges.items() for t in ts])


def post(pk, author, likes=100, comments=0, kind=MediaType.PHOTO, tags=(), when=None, product="feed"):
    return Post(pk=pk, author=author, taken_at=when or NOW - 10 * DAY, like_count=likes, comment_count=comments,
                media_type=kind, product_type=product, hashtags=list(tags), caption=f"post {pk}")


def chart(charts, key):
    return next(c for c in charts if c.key == key)


# --- the network ---------------------------------------------------------------------------------------------


def two_circles() -> dict[str, list[str]]:
    """The person follows two tight circles of four, joined by a single follow."""
    a = [f"a{i}" for i in range(4)]
    b = [f"b{i}" for i in range(4)]
    edges = {"me": a + b}
    for circle in (a, b):
        for x in circle:
            edges[x] = [y for y in circle if y != x]
    edges["a0"].append("b0")
    return edges


def test_louvain_finds_the_two_circles_and_names_them_by_their_hashtags(store, tmp_path):
    follows(store, two_circles())
    store.upsert_posts([post(f"p{x}{i}", x, tags=["alpine", "common"] if x[0] == "a" else ["beach", "common"])
                        for x in ("a0", "a1", "a2", "a3", "b0", "b1", "b2", "b3") for i in range(2)])
    network = build_ego_network(store, NOW, max_nodes=50, cache_dir=tmp_path / "cache")
    nodes = network.nodes.set_index("username")
    assert nodes.loc["me", "is_me"] and nodes.loc["me", "community"] == -1
    groups = {name[0]: {nodes.loc[f"{name[0]}{i}", "community"] for i in range(4)} for name in ("a", "b")}
    assert len(groups["a"]) == 1 and len(groups["b"]) == 1 and groups["a"] != groups["b"]
    by_index = {c.index: c for c in network.communities}
    assert by_index[groups["a"].pop()].top_hashtags[0] == "alpine"
    assert by_index[groups["b"].pop()].top_hashtags[0] == "beach"
    assert len(network.edges) == 6 + 6 + 1  # the person's own edges are not drawn
    assert network.find("@B2") == nodes.index.get_loc("b2")
    assert network.find("zzz") is None
    assert "You follow them" in network.card(network.find("a1"))


def test_the_cap_keeps_followed_accounts_then_the_closest_second_degree(store):
    follows(store, {"me": ["f1", "f2"], "f1": ["x", "y"], "f2": ["x"], "y": ["z"]})
    network = build_ego_network(store, NOW, max_nodes=4)
    assert network.nodes["username"].tolist()[:1] == ["me"]
    assert set(network.nodes["username"]) == {"me", "f1", "f2", "x"}  # x, followed by both, beats y
    assert network.nodes.set_index("username").loc[["f1", "f2"], "followed"].all()
    assert not network.nodes.set_index("username").loc["x", "followed"]
    assert "z" not in set(build_ego_network(store, NOW, max_nodes=50).nodes["username"])  # third degree


def test_no_person_or_no_follows_means_no_network(store):
    assert build_ego_network(store, NOW) is None
    accounts(store, ["me"])
    store.set_me("me")
    assert build_ego_network(store, NOW) is None


def test_the_layout_is_cached_by_fingerprint_and_recomputed_when_the_data_changes(store, tmp_path):
    follows(store, two_circles())
    cache = tmp_path / "cache"
    first = build_ego_network(store, NOW, cache_dir=cache)
    again = build_ego_network(store, NOW, cache_dir=cache)
    assert not first.from_cache and again.from_cache
    assert again.fingerprint == first.fingerprint
    np.testing.assert_array_equal(again.nodes[["x", "y"]].to_numpy(), first.nodes[["x", "y"]].to_numpy())
    uncached = build_ego_network(store, NOW)  # seeded: the same picture without the cache
    np.testing.assert_allclose(uncached.nodes[["x", "y"]].to_numpy(), first.nodes[["x", "y"]].to_numpy())
    store.upsert_follows([Follow("b1", "a2", NOW)])
    changed = build_ego_network(store, NOW, cache_dir=cache)
    assert changed.fingerprint != first.fingerprint and not changed.from_cache


def test_a_damaged_cache_file_is_laid_out_again(store, tmp_path):
    follows(store, two_circles())
    cache = tmp_path / "cache"
    first = build_ego_network(store, NOW, cache_dir=cache)
    for path in cache.glob("layout-*.npz"):
        path.write_bytes(b"not a numpy file")
    again = build_ego_network(store, NOW, cache_dir=cache)
    assert not again.from_cache
    np.testing.assert_allclose(again.nodes[["x", "y"]].to_numpy(), first.nodes[["x", "y"]].to_numpy())


def test_the_backbone_keeps_each_nodes_strongest_edges():
    # A triangle 0-1-2 plus a pendant edge 2-3: with one edge per node, the triangle edges win for 0, 1, 2
    # and node 3 keeps its only edge.
    u, v = np.array([0, 0, 1, 2]), np.array([1, 2, 2, 3])
    kept = backbone(4, u, v, per_node=1)
    assert 3 in kept and len(kept) <= 4
    assert set(backbone(4, u, v, per_node=5)) == {0, 1, 2, 3}


# --- the readings --------------------------------------------------------------------------------------------


def media_world(store: Store) -> None:
    """Two authors; their carousels get twice the likes of their photos."""
    accounts(store, ["alice", "bob"])
    posts = []
    for author in ("alice", "bob"):
        for i in range(3):
            posts.append(post(f"{author}-photo{i}", author, likes=100))
            posts.append(post(f"{author}-carousel{i}", author, likes=200, kind=MediaType.CAROUSEL))
    store.upsert_posts(posts)


def test_media_type_reading_says_carousels_earn_twice_the_engagement_of_photos(store):
    media_world(store)
    result = chart(engagement_charts(store, tz="UTC"), "engagement_by_media_type")
    assert result.reading == "Carousels earn 2.0× the engagement of photos here."
    frame = result.frame.set_index("group")
    assert frame.loc["carousel", "posts"] == 6 and frame.loc["photo", "posts"] == 6
    assert frame.loc["carousel", "typical_lift"] == pytest.approx(201 / 151)


def test_readings_admit_when_there_is_too_little_to_compare(store):
    accounts(store, ["alice"])
    store.upsert_posts([post(f"p{i}", "alice", likes=100 + i) for i in range(4)])
    charts = engagement_charts(store, tz="UTC")
    assert chart(charts, "engagement_by_media_type").reading.startswith("Every post here is one of the photos")
    assert chart(charts, "engagement_by_weekday").reading.startswith("Too few posts yet to compare weekdays")
    assert "top_posts" not in {c.key for c in charts}  # needs 20 posts with a lift


def test_weekday_reading_finds_the_sunday_posts(store):
    accounts(store, ["alice", "bob"])
    posts = []
    for author in ("alice", "bob"):
        for week in range(4):
            sunday = SUNDAY_NOON - week * 7 * DAY
            posts.append(post(f"{author}-sun{week}", author, likes=300, when=sunday))
            posts.append(post(f"{author}-tue{week}", author, likes=100, when=sunday - 5 * DAY))
    store.upsert_posts(posts)
    weekdays = chart(engagement_charts(store, tz="UTC"), "engagement_by_weekday")
    # Likes against each author's usual, shrunk towards 1× while a weekday has few posts (8 here: halfway)
    assert weekdays.reading == "Posts on Sundays earn 1.7× the likes of posts on Tuesdays here."
    # the same numbers as Predict's heatmap and `best-time` over everyone: one computation serves both
    from discovery.predict.hashtags import best_time_heatmap

    times = best_time_heatmap(store, None, tz="UTC")
    assert weekdays.frame["typical_lift"].to_numpy() == pytest.approx(times.weekday_lift)
    assert times.best[0][0] == 6  # Sunday is the best day there too


def test_distribution_and_likes_comments_readings(store):
    accounts(store, [f"u{i:03d}" for i in range(101)], followers={f"u{i:03d}": 100 * (i + 1) for i in range(101)})
    store.upsert_posts([post(f"p{i}", f"u{i:03d}", likes=50 * (i + 1), comments=i + 1) for i in range(101)])
    charts = engagement_charts(store, tz="UTC")
    assert chart(charts, "followers_distribution").reading.startswith(
        "Half the 101 accounts here have fewer than 5.1k followers; the biggest 1% have more than 10k")
    assert chart(charts, "likes_distribution").reading.startswith("The typical post here gets 2.5k likes")
    assert chart(charts, "likes_vs_comments").reading == (
        "About one comment for every 50 likes here; likes and comments rise together closely "
        "(rank correlation 1.00).")
    rate = chart(charts, "engagement_rate_vs_followers")
    assert rate.frame["engagement_rate"].round(6).eq(0.51).all()  # (50 n + n) / (100 n)
    assert "51%" in rate.reading


def test_hashtag_groups_come_from_co_occurrence_and_the_better_group_is_named(store):
    accounts(store, ["alice", "bob"])
    posts = []
    for author in ("alice", "bob"):
        for i in range(6):
            posts.append(post(f"{author}-m{i}", author, likes=100, tags=["hills", "trail", "summit"]))
            posts.append(post(f"{author}-s{i}", author, likes=400, tags=["waves", "surf", "sand"]))
    store.upsert_posts(posts)
    result = chart(engagement_charts(store, tz="UTC"), "hashtag_communities")
    groups = [set(tags.split()) for tags in result.frame["hashtags"]]
    assert sorted(groups, key=sorted) == [{"#hills", "#summit", "#trail"}, {"#sand", "#surf", "#waves"}]
    assert result.reading.startswith("Posts tagged like #")
    assert result.reading.split(" earn ")[0].split("like ")[1].split()[0] in {"#waves", "#surf", "#sand"}
    assert "4.0× the engagement" in result.reading


def test_top_posts_reading_names_what_sets_them_apart(store):
    accounts(store, ["alice", "bob"])
    posts = []
    for author in ("alice", "bob"):
        posts += [post(f"{author}-p{i}", author, likes=100 + i) for i in range(18)]
        posts += [post(f"{author}-r{i}", author, likes=1000, kind=MediaType.VIDEO, product="clips") for i in range(2)]
    store.upsert_posts(posts)
    result = chart(engagement_charts(store, tz="UTC"), "top_posts")
    assert result.reading == ("The top 10% of posts (more than 1.9× their author's usual): 100% are reels, "
                              "against none of the rest.")
    assert set(result.tables["posts"]["kind"]) == {"reel"}
    assert len(result.tables["posts"]) == 4


def test_counts_read_before_they_settled_are_left_out(store):
    accounts(store, ["alice"])
    fresh = post("fresh", "alice", likes=5)
    fresh.taken_at, fresh.fetched_at = NOW - 3600, NOW
    settled = post("settled", "alice", likes=500)
    settled.fetched_at = NOW
    store.upsert_posts([fresh, settled, post("unknown", "alice", likes=300)])
    likes = chart(engagement_charts(store, tz="UTC"), "likes_distribution").frame
    assert set(likes["pk"]) == {"settled", "unknown"}


def test_an_empty_world_has_no_charts_and_says_why(tmp_path):
    empty = world.World.open(tmp_path, "empty")
    try:
        insights = compute_insights(empty)
        assert insights.empty and insights.network is None and insights.charts == []
        assert insights.network_message.startswith("Nobody is followed in this world yet")
        assert insights.charts_message.startswith("This world has no posts")
    finally:
        empty.close()


def test_every_chart_draws_in_light_and_dark(store, tmp_path):
    follows(store, two_circles())
    media_world(store)
    store.upsert_posts([post(f"extra{i}", "alice", likes=10 * i, comments=i, tags=["a", "b"]) for i in range(20)])
    charts = engagement_charts(store, tz="UTC")
    assert len(charts) == 10
    for style in (ChartStyle.light(), ChartStyle.dark()):
        for item in charts:
            figure = draw_chart(item, style, with_reading=True)
            assert figure.get_facecolor()[:3] == pytest.approx(tuple(int(style.background[i:i + 2], 16) / 255
                                                                     for i in (1, 3, 5)))
            figure.savefig(tmp_path / f"{item.key}.png")
            assert (tmp_path / f"{item.key}.png").stat().st_size > 5000
        draw_network(build_ego_network(store, NOW), style).savefig(tmp_path / "network.png")
