"""The demo world: deterministic, the right shape, real signal for ranking and like prediction, lazily drawn
pictures that show the hidden qualities, and an atomic build."""

from __future__ import annotations

import io
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from PIL import Image
from scipy.stats import spearmanr

from discovery import cli, paths
from discovery.clock import DAY
from discovery.demo import (
    DemoConfig,
    avatar_image,
    build_demo_world,
    candidate_images,
    ensure_demo_world,
    hidden,
    load_expected_likes,
    load_truth,
    post_image,
    post_style,
)
from discovery.demo.pictures import initials
from discovery.demo.vocabulary import TOPICS
from discovery.progress import Cancelled, CancelToken
from discovery.world import DEMO, World
from storage import Account, Store

REPO = Path(__file__).resolve().parents[1]
SMALL = DemoConfig.small()


@pytest.fixture(scope="module")
def small_world(tmp_path_factory):
    world = ensure_demo_world(tmp_path_factory.mktemp("demo-root"), config=SMALL)
    yield world
    world.close()


def dump_tables(db: Path) -> dict[str, list[tuple]]:
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        query = "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"
        tables = [r[0] for r in conn.execute(query)]
        out = {}
        for table in tables:
            columns = len(conn.execute(f"SELECT * FROM {table} LIMIT 0").description)
            order = ", ".join(str(i + 1) for i in range(columns))
            stamp = " WHERE key != 'data_version'" if table == "meta" else ""  # a random stamp, not data
            out[table] = conn.execute(f"SELECT * FROM {table}{stamp} ORDER BY {order}").fetchall()
        return out
    finally:
        conn.close()


def recent_posts(world: World, days: int = SMALL.days) -> pd.DataFrame:
    return world.store.posts_frame(since=world.now() - days * DAY)


# --- determinism ----------------------------------------------------------------------------------------

def test_same_seed_gives_the_same_world_in_another_process(small_world, tmp_path):
    # Another interpreter with another string-hash seed: no set or dict order may leak into the world.
    script = ("import sys; from pathlib import Path; "
              "from discovery.demo import DemoConfig, ensure_demo_world; "
              "ensure_demo_world(Path(sys.argv[1]), config=DemoConfig.small()).close()")
    env = {**os.environ, "PYTHONHASHSEED": "12345"}
    subprocess.run([sys.executable, "-c", script, str(tmp_path)], check=True, env=env, cwd=REPO, timeout=120)
    again = paths.world_dir(tmp_path, DEMO)
    assert dump_tables(small_world.directory / "tessera.db") == dump_tables(again / "tessera.db")
    for name in (hidden.MODEL_FILE, hidden.TRUTH_FILE):
        with np.load(small_world.directory / name) as first, np.load(again / name) as second:
            assert sorted(first.files) == sorted(second.files)
            for key in first.files:
                np.testing.assert_array_equal(first[key], second[key])


def test_another_seed_gives_another_world(small_world, tmp_path):
    store = Store.open(tmp_path / "other.db")
    build_demo_world(store, DemoConfig.small(seed=2))
    other = store.accounts_frame()
    store.close()
    mine = small_world.store.accounts_frame()
    assert len(other) == len(mine)
    assert set(other["username"]) != set(mine["username"])


# --- shape ----------------------------------------------------------------------------------------------

def test_counts_meta_and_clock(small_world):
    store = small_world.store
    counts = store.counts()
    assert counts["accounts"] == SMALL.accounts
    assert counts["follows"] >= SMALL.follow_edges
    assert len(recent_posts(small_world)) == SMALL.posts
    assert counts["posts"] > SMALL.posts  # older posts the person liked are stored too
    assert counts["likes"] > 0 and counts["interactions"] == 0
    assert len(store.tagged_post_ids()) == SMALL.tagged
    assert small_world.kind == "demo" and store.meta("world_kind") == "demo"
    assert small_world.now() == SMALL.clock
    assert store.meta("demo.seed") == str(SMALL.seed) and store.meta("demo.config") == SMALL.to_json()
    me = store.account_id(store.me())
    assert len(store.follows_frame(me)) == SMALL.followed


def test_hubs_have_far_more_followers(small_world):
    store = small_world.store
    accounts = store.accounts_frame().set_index("id")
    me = store.account_id(store.me())
    followed = store.follows_frame(me)["target_id"].to_numpy()
    audience = accounts.loc[followed, "follower_count"]
    assert audience.max() >= 1_000_000  # celebrities
    assert audience.min() < 2_000  # friends
    assert accounts.loc[followed, "is_verified"].sum() >= 5
    src, dst = store.edges()
    in_degree = np.bincount(dst, minlength=accounts.index.max() + 1)[accounts.index]
    biggest = accounts["follower_count"].to_numpy() >= np.quantile(accounts["follower_count"], 0.99)
    assert in_degree[biggest].mean() > 5 * np.median(in_degree)
    assert (in_degree[accounts.index != me] > 0).all()  # every account is in the world through a follower


def test_topic_homophily_is_measurable_from_the_store(small_world):
    # Each account's topic from its posts' hashtags alone; follows join same-topic accounts far more often.
    store = small_world.store
    topic_of_tag = {tag: i for i, t in enumerate(TOPICS) for tag in t.hashtags}
    tags = store.hashtags_frame()
    tags["topic"] = tags["tag"].map(topic_of_tag)
    posts = store.posts_frame(columns=["id", "author_id"])
    tags = tags.dropna().merge(posts, left_on="post_id", right_on="id")
    dominant = tags.groupby("author_id")["topic"].agg(lambda s: s.value_counts().index[0])
    src, dst = store.edges()
    pairs = pd.DataFrame({"src": dominant.reindex(src).to_numpy(),
                          "dst": dominant.reindex(dst).to_numpy()}).dropna()
    assert len(pairs) > 1000
    same = (pairs["src"] == pairs["dst"]).mean()
    shares = dominant.value_counts(normalize=True)
    by_chance = float((shares**2).sum())
    assert same > 2 * by_chance


def test_likes_span_the_year_and_concentrate_on_some_authors(small_world):
    store = small_world.store
    likes = store.likes_frame()
    clock = small_world.now()
    assert (likes["origin"] == "demo").all()
    assert likes["liked_at"].max() <= clock and likes["liked_at"].min() < clock - 300 * DAY
    per_author = likes["author_id"].value_counts()
    top = per_author.head(max(1, len(per_author) // 10)).sum()
    assert top / len(likes) > 0.35
    me = store.account_id(store.me())
    followed = store.follows_frame(me)["target_id"]
    assert 0.8 < likes["author_id"].isin(followed).mean() < 1.0  # mostly the feed, a few found browsing
    liked = store.posts_frame(post_ids=likes["post_id"].tolist(), columns=["id", "taken_at"])
    assert len(liked) == len(likes)  # liked posts are full posts, even the old ones


def test_past_likes_and_the_graph_predict_the_hidden_interest(small_world):
    store = small_world.store
    truth = load_truth(small_world)
    posts = store.posts_frame(columns=["id", "pk", "author_id"])
    assert set(truth.index) == set(posts["pk"])
    assert truth.between(0, 1).all()
    posts["interest"] = truth.reindex(posts["pk"]).to_numpy()
    me = store.account_id(store.me())
    followed = store.follows_frame(me)["target_id"]
    mine = posts[posts["author_id"].isin(followed)]
    past = store.likes_frame()["author_id"].value_counts()
    by_author = mine.groupby("author_id")["interest"].mean()
    assert spearmanr(by_author, past.reindex(by_author.index).fillna(0))[0] > 0.4
    assert mine["interest"].mean() > 3 * posts.loc[~posts["author_id"].isin(followed), "interest"].mean()


def test_posts_are_well_formed(small_world):
    store = small_world.store
    posts = store.posts_frame()
    accounts = store.accounts_frame()
    assert posts["author_id"].isin(accounts["id"]).all()
    assert posts["pk"].is_unique and posts["shortcode"].is_unique
    clock = small_world.now()
    assert posts["taken_at"].between(clock - SMALL.like_days * DAY, clock).all()
    tags = store.hashtags_frame()
    assert tags["post_id"].nunique() > 0.6 * len(posts)
    mentions = store.mentions_frame(posts["id"].tolist())
    assert len(mentions) > 0.05 * len(posts)
    assert mentions["username"].isin(accounts["username"].str.lower()).all()
    captions = posts["caption"]
    assert captions.str.contains("#").mean() > 0.5
    assert captions.map(lambda c: any(ord(ch) > 0x2000 for ch in c)).mean() > 0.1  # emoji
    assert accounts["full_name"].map(lambda n: any(ch.isalpha() and ord(ch) > 127 for ch in n)).any()
    assert set(posts["media_type"]) == {1, 2, 8}
    reels = posts[posts["product_type"] == "clips"]
    assert len(reels) and (reels["media_type"] == 2).all() and reels["play_count"].notna().all()
    assert (reels["height"] > reels["width"]).all()
    carousels = posts[posts["media_type"] == 8]
    assert carousels["carousel_count"].between(2, 10).all()
    assert posts["width"].notna().all() and posts["height"].notna().all()
    assert posts["location"].notna().any() and posts["location"].isna().any()
    usernames = accounts["username"]
    assert usernames.is_unique and usernames.str.fullmatch(r"[a-z0-9._]{1,30}").all()


def test_posting_follows_a_daily_rhythm(small_world):
    posts = recent_posts(small_world)
    local_hour = ((posts["taken_at"] + 3600) // 3600) % 24  # most of the world lives at UTC+1
    per_hour = np.bincount(local_hour, minlength=24)
    assert per_hour[18:22].mean() > 3 * per_hour[2:6].mean()


def test_like_counts_carry_the_hidden_signal(small_world):
    store = small_world.store
    posts = store.posts_frame()
    audience = store.accounts_frame().set_index("id")["follower_count"]
    assert spearmanr(posts["like_count"], audience.loc[posts["author_id"]].to_numpy())[0] > 0.7
    settled = posts[posts["taken_at"] < small_world.now() - 2 * DAY].copy()
    model = hidden.hidden_world(small_world.directory)
    index = [model.post_index(pk) for pk in settled["pk"]]
    quality = hidden.picture_quality(model.saturation[index], model.contrast[index], model.centred[index],
                                     model.brightness[index], model.mono[index])
    author_mean = settled.groupby("author_id")["like_count"].transform("mean")
    relative = np.log1p(settled["like_count"]) - np.log1p(author_mean)
    assert spearmanr(relative, quality)[0] > 0.2
    expected = load_expected_likes(small_world).reindex(settled["pk"]).to_numpy()
    assert spearmanr(settled["like_count"], expected)[0] > 0.9


# --- pictures -------------------------------------------------------------------------------------------

def test_pictures_are_drawn_lazily_deterministic_and_distinct(small_world):
    posts = recent_posts(small_world).head(4)
    pk = posts["pk"].iloc[0]
    assert small_world.images.get(pk) is None  # nothing was drawn at build time
    path = post_image(small_world, pk)
    first = path.read_bytes()
    assert post_image(small_world, pk) == path
    path.unlink()
    assert post_image(small_world, pk).read_bytes() == first
    pictures = {post_image(small_world, p).read_bytes() for p in posts["pk"]}
    assert len(pictures) == 4
    for _, post in posts.iterrows():
        with Image.open(post_image(small_world, post["pk"])) as image:
            assert image.format == "JPEG" and image.width == 640
            assert abs(image.height / image.width - post["height"] / post["width"]) < 0.01
    carousel = recent_posts(small_world).query("media_type == 8")["pk"].iloc[0]
    second_slide = post_image(small_world, carousel, slide=1).read_bytes()
    assert second_slide != post_image(small_world, carousel).read_bytes()
    with pytest.raises(LookupError):
        post_image(small_world, "123")


def centre_weight(image: Image.Image) -> float:
    """How much of the picture's salient part (colours far from its mean colour) sits near the centre."""
    rgb = np.asarray(image.convert("RGB").resize((64, 64)), dtype=float)
    salience = np.linalg.norm(rgb - rgb.reshape(-1, 3).mean(axis=0), axis=2)
    y, x = np.mgrid[0:64, 0:64]
    weight = np.exp(-((np.hypot(x - 31.5, y - 31.5) / 16) ** 2))
    return float((salience * weight).sum() / weight.sum() / max(salience.mean(), 1e-9))


def test_pixels_show_the_hidden_qualities(small_world):
    posts = recent_posts(small_world).query("media_type != 2").head(150)
    rows = []
    for pk in posts["pk"]:
        style, _ = post_style(small_world, pk)
        with Image.open(post_image(small_world, pk)) as image:
            small = image.convert("RGB").resize((128, 128))
        hsv = np.asarray(small.convert("HSV"), dtype=float) / 255
        luma = np.asarray(small.convert("L"), dtype=float) / 255
        rows.append((0.0 if style.mono else style.saturation, hsv[..., 1].mean(), style.contrast, luma.std(),
                     style.brightness, luma.mean(), style.centred, centre_weight(small)))
    rows = np.array(rows)
    assert spearmanr(rows[:, 0], rows[:, 1])[0] > 0.6  # saturation
    assert spearmanr(rows[:, 2], rows[:, 3])[0] > 0.3  # contrast
    assert spearmanr(rows[:, 4], rows[:, 5])[0] > 0.6  # brightness
    assert spearmanr(rows[:, 6], rows[:, 7])[0] > 0.2  # composition: a centred subject


def test_avatars_show_initials_on_a_disc(small_world):
    store = small_world.store
    pk = store.me()
    path = avatar_image(small_world, pk)
    first = path.read_bytes()
    path.unlink()
    assert avatar_image(small_world, pk).read_bytes() == first
    with Image.open(path) as image:
        assert image.size == (160, 160)
        corner, centre = image.getpixel((2, 2)), image.getpixel((80, 40))
    assert corner != centre
    assert initials("Zoë Valenberg", "zoe") == "ZV"
    assert initials("Łucja 🌿", "lucja") == "Ł"
    assert initials("", "_mira.k") == "MI"
    with pytest.raises(LookupError):
        avatar_image(small_world, "not-an-account")


def test_candidate_pictures_rank_by_their_quality(small_world):
    store = small_world.store
    author = store.accounts_frame().sort_values("follower_count").iloc[-50]["pk"]
    candidates = candidate_images(small_world, author, n=4, seed=7)
    assert len(candidates) == 4
    assert len({c.jpeg for c in candidates}) == 4
    assert all(c.expected_likes > 0 for c in candidates)
    # Same author, time and media: the expected likes order the candidates exactly as their picture quality.
    by_likes = np.argsort([c.expected_likes for c in candidates])
    by_quality = np.argsort([c.style.quality() for c in candidates])
    np.testing.assert_array_equal(by_likes, by_quality)
    again = candidate_images(small_world, author, n=4, seed=7)
    assert [c.jpeg for c in again] == [c.jpeg for c in candidates]
    with Image.open(io.BytesIO(candidates[0].jpeg)) as image:
        assert image.format == "JPEG"
    with pytest.raises(LookupError):
        candidate_images(small_world, "999", n=2)


# --- building safely ------------------------------------------------------------------------------------

def cancel_when_writing_posts(token: CancelToken):
    def progress(event):
        if "writing posts" in event.message:
            token.cancel()
    return progress


def leftovers(root: Path) -> list[str]:
    worlds = paths.worlds_dir(root)
    return sorted(p.name for p in worlds.iterdir()) if worlds.exists() else []


def test_a_cancelled_build_leaves_nothing(data_dir):
    token = CancelToken()
    with pytest.raises(Cancelled):
        ensure_demo_world(data_dir, cancel_when_writing_posts(token), token, config=SMALL)
    assert leftovers(data_dir) == []


def test_a_crashed_build_leaves_nothing(data_dir):
    def crash(event):
        if event.done >= 50:
            raise RuntimeError("disk on fire")
    with pytest.raises(RuntimeError):
        ensure_demo_world(data_dir, crash, config=SMALL)
    assert leftovers(data_dir) == []


def test_a_cancelled_rebuild_keeps_the_old_world(data_dir):
    ensure_demo_world(data_dir, config=SMALL).close()
    before = dump_tables(paths.world_dir(data_dir, DEMO) / "tessera.db")
    token = CancelToken()
    with pytest.raises(Cancelled):
        ensure_demo_world(data_dir, cancel_when_writing_posts(token), token, config=DemoConfig.small(seed=3),
                          force=True)
    assert leftovers(data_dir) == [DEMO]
    assert dump_tables(paths.world_dir(data_dir, DEMO) / "tessera.db") == before


def test_an_existing_world_is_opened_not_rebuilt(data_dir):
    ensure_demo_world(data_dir, config=SMALL).close()
    calls = []
    world = ensure_demo_world(data_dir, calls.append, config=DemoConfig.small(seed=5))
    try:
        assert calls == [] and world.store.meta("demo.seed") == str(SMALL.seed)
    finally:
        world.close()


def test_abandoned_build_directories_are_cleaned_up(data_dir):
    finished = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True,
                              text=True, check=True)
    stale = paths.worlds_dir(data_dir) / f".demo-build-{finished.stdout.strip()}-abcd1234"
    stale.mkdir(parents=True)
    (stale / "tessera.db").write_bytes(b"half")
    ensure_demo_world(data_dir, config=SMALL).close()
    assert leftovers(data_dir) == [DEMO]


def test_the_generator_refuses_a_store_that_holds_a_world(tmp_path):
    store = Store.open(tmp_path / "taken.db")
    store.upsert_accounts([Account(pk="1", username="someone")])
    with pytest.raises(ValueError, match="already holds a world"):
        build_demo_world(store, SMALL)
    assert store.counts()["accounts"] == 1 and store.counts()["posts"] == 0
    store.close()


def test_bad_configs_are_refused_with_a_sentence():
    with pytest.raises(ValueError, match="at least 8 accounts"):
        DemoConfig(accounts=100)
    with pytest.raises(ValueError, match="seed"):
        DemoConfig(seed=-1)


def test_truth_is_only_for_demo_worlds(data_dir):
    world = World.open(data_dir, "someone")
    try:
        with pytest.raises(LookupError, match="not a demo world"):
            load_truth(world)
    finally:
        world.close()


# --- command line ---------------------------------------------------------------------------------------

@pytest.fixture
def demo_cli():
    return cli.main


def test_cli_builds_and_describes_the_demo_world(demo_cli, data_dir, capsys):
    assert demo_cli(["demo", "--small", "--data-dir", str(data_dir)]) == 0
    out = capsys.readouterr()
    assert "3,000 accounts" in out.out and "Building the demo world" in out.err
    assert demo_cli(["demo", "--small", "--data-dir", str(data_dir)]) == 0
    assert "Already built" in capsys.readouterr().out
    assert demo_cli(["demo", "--small", "--seed", "4", "--data-dir", str(data_dir)]) == 1
    assert "--force" in capsys.readouterr().err
    assert demo_cli(["demo", "--seed", "-1", "--data-dir", str(data_dir)]) == 1
    assert "--seed" in capsys.readouterr().err
    assert demo_cli(["demo", "--small", "--seed", "4", "--force", "--data-dir", str(data_dir)]) == 0
    assert "(seed 4)" in capsys.readouterr().out


# --- the full-size world --------------------------------------------------------------------------------

def test_the_default_world_meets_the_minimums(tmp_path):
    store = Store.open(tmp_path / "tessera.db")
    summary = build_demo_world(store)
    counts = store.counts()
    store.close()
    assert counts["accounts"] >= 20_000 and summary.accounts == counts["accounts"]
    assert counts["follows"] >= 200_000 and summary.follow_edges == counts["follows"]
    assert summary.recent_posts >= 50_000
    assert summary.followed == 300


# --- taste regimes --------------------------------------------------------------------------------------

def _interest_drivers(config: DemoConfig, directory: Path) -> dict[str, float]:
    """How much of the hidden interest of recent posts goes with audience and with the person's topics."""
    store = Store.open(directory / "tessera.db")
    try:
        build_demo_world(store, config)
        posts = store.posts_frame(since=config.clock - config.days * DAY, columns=["pk", "author_id"])
        followers = store.accounts_frame().set_index("id")["follower_count"]
    finally:
        store.close()
    truth = hidden.load_interest(directory).reindex(posts["pk"]).to_numpy()
    model = hidden.hidden_world(directory)
    index = np.array([model.post_index(pk) for pk in posts["pk"]])
    my_mix = model.mix[0][model.topic[index]]
    audience = np.log10(followers.reindex(posts["author_id"]).to_numpy(np.float64) + 1)
    return {"audience": spearmanr(truth, audience)[0], "topic": spearmanr(truth, my_mix)[0],
            "mean": float(truth.mean())}


def test_taste_regimes_make_different_people(tmp_path):
    drivers = {}
    for regime in ("default", "popular", "topical"):
        directory = tmp_path / regime
        directory.mkdir()
        drivers[regime] = _interest_drivers(DemoConfig.small(regime=regime), directory)
    assert drivers["popular"]["audience"] > 0.4 > drivers["default"]["audience"] + 0.3  # big vs small audiences
    assert drivers["topical"]["topic"] > drivers["default"]["topic"] + 0.15
    assert drivers["topical"]["topic"] > drivers["popular"]["topic"] + 0.15
    with pytest.raises(ValueError, match="regime"):
        DemoConfig(regime="contrarian")
    assert "regime" not in DemoConfig().to_json()  # default worlds keep the description they always had
    assert '"regime": "popular"' in DemoConfig(regime="popular").to_json()
