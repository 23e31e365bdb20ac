"""Like counts kept as a time series: one row per post per sync read, in a real SQLite store, written by the
sync against the fake Instagram; the age curve learned from how each post's own count grew."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from fake_instagram import DAY

from discovery.live.sync import COMPLETE
from discovery.predict.evaluate import test_mask as held_out_mask
from discovery.predict.features import AgeCurve
from discovery.predict.table import finish, from_store, like_series
from storage import Account, Post, Store

T0 = 1_700_000_000


def test_each_read_of_a_post_is_kept_once_and_only_when_asked(tmp_path):
    with Store.open(tmp_path / "tessera.db") as store:
        store.upsert_accounts([Account(pk="1", username="one")])
        read = [Post(pk="p", author="1", taken_at=T0, like_count=5, fetched_at=T0 + 3600),
                Post(pk="q", author="1", taken_at=T0, like_count=7, fetched_at=T0 + 3600)]
        store.upsert_posts(read, like_series=True)
        store.upsert_posts(read, like_series=True)  # the same read twice: one row
        store.upsert_posts([Post(pk="p", author="1", taken_at=T0, like_count=9, fetched_at=T0 + DAY)],
                           like_series=True)
        store.upsert_posts([Post(pk="p", author="1", taken_at=T0, like_count=11, fetched_at=T0 + 2 * DAY)])
        store.upsert_posts([Post(pk="p", author="1", taken_at=None, like_count=1, fetched_at=T0 + 3 * DAY)],
                           like_series=True)  # a stub is no read of the post
        reads = store.like_counts_frame()
        ids = store.post_ids(["p", "q"])
        assert reads.values.tolist() == [[ids["p"], T0 + 3600, 5], [ids["p"], T0 + DAY, 9],
                                         [ids["q"], T0 + 3600, 7]]
        assert store.posts_frame(columns=["like_count"])["like_count"].tolist() == [11, 7]
        table = from_store(store)
        series = like_series(store, table)
        assert sorted(map(tuple, series.values.tolist())) == [("p", T0 + 3600, 5), ("p", T0 + DAY, 9),
                                                               ("q", T0 + 3600, 7)]


def test_every_sync_read_of_a_post_lands_in_its_like_series(harness):
    session = harness.login()
    assert harness.sync(session).status == COMPLETE
    world = harness.world
    first = int(world.now)
    for post in world.posts.values():
        post.like_count += 1000
    world.advance(DAY)
    harness.clock.t = world.now
    second = int(world.now)
    assert harness.sync(session).status == COMPLETE
    opened = harness.open_world()
    try:
        store = opened.store
        posts = store.posts_frame(columns=["id", "pk", "like_count", "fetched_at"]).set_index("id")
        reads = store.like_counts_frame()
    finally:
        opened.close()
    assert not reads.duplicated(["post_id", "observed_at"]).any()
    assert set(reads["post_id"]) == set(posts.index)  # every stored post was read at least once
    latest = reads.groupby("post_id").last()
    assert (latest["observed_at"] == posts.loc[latest.index, "fetched_at"]).all()
    assert (latest["like_count"] == posts.loc[latest.index, "like_count"]).all()
    assert (reads["observed_at"] >= first).all()
    before = reads[reads["observed_at"] < second].groupby("post_id").last()
    again = reads[reads["observed_at"] >= second].groupby("post_id").last()
    both = before.index.intersection(again.index)
    assert len(both) > 20, "posts read by both syncs keep both reads"
    assert (again.loc[both, "like_count"] - before.loc[both, "like_count"] == 1000).all()


def series_world(authors: int = 40, posts: int = 8, tau: float = 1.5, shape: float = 0.8, seed: int = 0):
    """A snapshot read when every post was a week or more old (it says nothing about growth), and syncs that
    read each post at several young ages, its count following 1 - exp(-(age / tau) ** shape)."""
    rng = np.random.default_rng(seed)
    rows, reads = [], []
    for a in range(authors):
        level = 10 ** rng.uniform(2, 4)
        for i in range(posts):
            taken = T0 + i * 3 * DAY
            settled = level * math.exp(0.2 * rng.standard_normal())
            for age in (0.1, 0.3, 1.0, 2.0, 4.0):
                share = 1 - math.exp(-((age / tau) ** shape))
                reads.append({"post": f"{a}-{i}", "observed_at": taken + age * DAY, "likes": settled * share})
            rows.append({"author": f"a{a}", "post": f"{a}-{i}", "taken_at": taken, "likes": settled,
                         "observed_at": T0 + (posts * 3 + 7) * DAY, "followers": np.nan, "following": np.nan,
                         "media_count": np.nan, "caption": "", "hashtags": (), "mentions": 0,
                         "has_location": False, "media_type": 1, "is_reel": False, "carousel_count": 1.0,
                         "image": None})
    return finish(pd.DataFrame(rows)), pd.DataFrame(reads)


def test_the_age_curve_is_learned_from_each_posts_own_reads():
    table, series = series_world()
    curve = AgeCurve.fit(table, series=series)
    assert curve.tau == pytest.approx(1.5, rel=0.05) and curve.shape == pytest.approx(0.8, rel=0.05)
    assert AgeCurve.fit(table) == AgeCurve()  # the snapshot alone: the prior
    few = series[series["post"].isin(["0-0", "0-1"])]
    assert AgeCurve.fit(table, series=few) == AgeCurve()  # too few reads: the snapshot decides


def test_the_evaluation_never_reads_a_test_posts_series():
    table, series = series_world()
    test = held_out_mask(table)
    held_out = set(table.loc[test, "post"])
    changed = series.copy()
    future = changed["post"].isin(held_out)
    changed.loc[future, "likes"] = changed.loc[future, "likes"][::-1].to_numpy()  # nonsense growth
    assert AgeCurve.fit(table, ~test, series=changed) == AgeCurve.fit(table, ~test, series=series)
    assert AgeCurve.fit(table, series=changed) != AgeCurve.fit(table, series=series)  # it would matter
