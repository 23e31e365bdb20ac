"""Post features: earlier posts only (the leakage tests), history values, datasets read from CSV."""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from discovery.clock import DAY
from discovery.predict.evaluate import evaluate_table
from discovery.predict.features import (
    HISTORY_FEATURES,
    HashtagPopularity,
    design,
    has_time_of_day,
    history_row,
    post_features,
    tag_history,
)
from discovery.predict.table import DatasetError, finish, read_csv, shortcode_time

T0 = 1_700_000_000
LIKES_CSV = Path(__file__).resolve().parent / "fixtures" / "likes" / "posts.csv"  # by fixtures/make_likes.py


def make_table(authors: int = 6, posts: int = 12, seed: int = 0) -> pd.DataFrame:
    """A post table with varied likes, captions, ages and pixel-less posts, in the standard columns."""
    rng = np.random.default_rng(seed)
    rows = []
    vocab = ["sun", "sea", "food", "cat", "city", "art"]
    for a in range(authors):
        followers = float(10 ** rng.uniform(3, 5))
        for i in range(posts):
            tags = tuple(rng.choice(vocab, 2, replace=False).tolist())
            rows.append({
                "author": f"a{a}", "post": f"a{a}-{i}",
                "taken_at": T0 + i * DAY + int(rng.integers(0, 86400)),
                "order": i, "likes": float(int(followers * 0.05 * math.exp(rng.normal(0, 0.5)))),
                "observed_at": float(T0 + (posts + 2) * DAY), "followers": followers, "following": 300.0,
                "media_count": 50.0, "caption": " ".join("#" + t for t in tags) + " hello @friend",
                "hashtags": tags, "mentions": 1, "has_location": bool(i % 2), "media_type": 1,
                "is_reel": False,
                "carousel_count": 1.0, "image": None})
    return finish(pd.DataFrame(rows))


def test_changing_a_later_post_never_changes_an_earlier_posts_features():
    table = make_table()
    popularity = HashtagPopularity.from_posts(table["hashtags"])
    before = design(table, popularity, True)
    k = 7  # change every author's 8th post in every way a post can change
    later = table.copy()
    hit = later["order"] == k
    later.loc[hit, "likes"] *= 100
    later.loc[hit, "observed_at"] = later.loc[hit, "taken_at"] + 3600
    later.loc[hit, "caption"] = "#cat #art #new a much longer caption than before @someone @else"
    later.loc[hit, "hashtags"] = pd.Series([("cat", "art", "new")] * hit.sum(), index=later.index[hit])
    later.loc[hit, "mentions"] = 2
    after = design(later, popularity, True)
    earlier = table["order"] < k
    pd.testing.assert_frame_equal(before[earlier], after[earlier])
    # The test can fail: the posts after the changed one do see it.
    assert not before[table["order"] > k].equals(after[table["order"] > k])
    following = table["order"] == k + 1
    assert not np.allclose(before.loc[following, "h_last"], after.loc[following, "h_last"])


def test_evaluation_never_trains_on_test_posts():
    """Changing the likes of each author's last post (a test post) leaves the predictions of the other
    test posts unchanged, except through that post itself: it is the last, so nothing comes after it."""
    table = make_table(authors=12, posts=10, seed=1)
    _, _, before = evaluate_table(table, seed=3)
    changed = table.copy()
    last = changed["order"] == changed.groupby("author")["order"].transform("max")
    changed.loc[last, "likes"] = changed.loc[last, "likes"] * 50 + 7
    _, _, after = evaluate_table(changed, seed=3)
    others = ~before["post"].isin(table.loc[last, "post"])
    assert others.sum() == 24
    np.testing.assert_allclose(before.loc[others, "predicted"], after.loc[others, "predicted"])
    np.testing.assert_allclose(before.loc[others, "low"], after.loc[others, "low"])
    # ...whereas changing a training post does change the model.
    trained = changed.copy()
    first = trained["order"] == 2
    trained.loc[first, "likes"] = trained.loc[first, "likes"] * 50 + 7
    _, _, moved = evaluate_table(trained, seed=3)
    assert not np.allclose(after.loc[others, "predicted"], moved.loc[others, "predicted"])


def test_history_features_of_a_known_sequence():
    likes = np.log1p([10.0, 100.0, 1000.0, 10000.0])
    ages = np.log([30.0, 20.0, 10.0, 2.0])
    times = np.array([0, 10, 20, 28], dtype=float) * DAY
    row = dict(zip(HISTORY_FEATURES, history_row(likes, ages, times, 30 * DAY), strict=True))
    assert row["h_count"] == 4
    assert row["h_median"] == pytest.approx(np.median(likes))
    assert row["h_last"] == pytest.approx(likes[-1] - np.median(likes))
    assert row["h_trend"] == pytest.approx(np.polyfit(np.arange(4), likes, 1)[0])  # about tenfold per post
    assert row["h_last_age"] == pytest.approx(np.log(2.0))
    assert row["h_gap"] == pytest.approx(np.log1p(2.0))
    assert row["h_rate"] == pytest.approx(np.log(3 / 28))
    empty = history_row(np.array([]), np.array([]), np.array([]), 0.0)
    assert empty[0] == 0 and np.isnan(empty[1:]).all()


def test_tag_history_compares_with_earlier_posts_sharing_a_tag():
    past_tags = [("sun",), ("rain",), ("sun", "sea"), ()]
    past = np.log1p([1000.0, 10.0, 1000.0, 100.0])
    lift, reuse = tag_history(past_tags, past, ("sun", "new"))
    assert lift == pytest.approx(np.log1p(1000.0) - np.median(past))
    assert reuse == 0.5
    assert np.isnan(tag_history(past_tags, past, ("never",))[0])


def test_hashtag_popularity_scores_by_rank(tmp_path):
    ranked = tmp_path / "top.txt"
    ranked.write_text("love #instagood photooftheday\nfood", encoding="utf-8")
    popularity = HashtagPopularity.from_ranked_file(ranked)
    assert popularity.score("love") == 1.0
    assert popularity.score("#Food") == pytest.approx(1 - math.log(4) / math.log(5))
    assert popularity.score("unknown") == 0.0
    assert popularity.features(["love", "unknown"]) == (0.5, 1.0)
    counted = HashtagPopularity.from_posts([("a", "b"), ("b",), ("b", "c")])
    assert counted.ranks["b"] == 1 and counted.score("b") == 1.0


def test_time_of_day_is_detected():
    assert not has_time_of_day([T0 - T0 % DAY + 5 * 3600 + d * DAY for d in range(50)])
    assert has_time_of_day([T0 + 3600 * h + 60 * h for h in range(10)])


def test_features_at_a_horizon_use_that_age():
    table = make_table(authors=1, posts=3)
    frame = post_features(table, HashtagPopularity({}, "none"), True, horizon_days=7)
    assert np.allclose(frame["log_age"], math.log(7))
    assert frame["n_hashtags"].tolist() == [2.0, 2.0, 2.0]
    assert frame["n_mentions"].tolist() == [1.0, 1.0, 1.0]


# --- CSV datasets -------------------------------------------------------------------------------------------


def write_csv(path, rows: list[dict]) -> None:
    pd.DataFrame(rows).to_csv(path, index=False)


def test_csv_with_only_the_required_columns(tmp_path):
    path = tmp_path / "posts.csv"
    write_csv(path, [{"alias": "Ann", "date": "2017-04-02T05:00:00.000Z", "numberLikes": 10},
                     {"alias": "ann", "date": "2017-04-01T05:00:00.000Z", "numberLikes": 20},
                     {"alias": "bob", "date": "1970-01-01T00:00:00.000Z", "numberLikes": 5},
                     {"alias": "bob", "date": "2017-04-03T05:00:00.000Z", "numberLikes": "many"}])
    table, note = read_csv(path)
    assert table["author"].tolist() == ["ann", "ann"]
    assert table["likes"].tolist() == [20.0, 10.0]  # by time
    assert note["dropped_bad_date"] == 1 and note["dropped_bad_likes"] == 1
    assert table["observed_at"].iloc[0] == table["taken_at"].max() + DAY
    assert table["hashtags"].tolist() == [(), ()] and np.isnan(table["followers"]).all()


def test_csv_same_day_posts_follow_a_newest_first_file(tmp_path):
    path = tmp_path / "posts.csv"
    rows = [{"alias": "ann", "date": "2017-04-03", "numberLikes": 3, "shortcode": "c",
             "tags": json.dumps(["#Sun", "#sea"]), "mentions": json.dumps(["@x"]), "localization": "Rome",
             "multipleImage": "True", "description": "x"},
            {"alias": "ann", "date": "2017-04-03", "numberLikes": 2, "shortcode": "b"},
            {"alias": "ann", "date": "2017-04-01", "numberLikes": 1, "shortcode": "a"}]
    write_csv(path, rows)
    table, note = read_csv(path)
    assert note["listed_newest_first"]
    assert table["post"].tolist() == ["a", "b", "c"]
    newest = table.iloc[-1]
    assert newest["hashtags"] == ("sun", "sea") and newest["mentions"] == 1 and newest["has_location"]
    assert newest["media_type"] == 8 and np.isnan(newest["carousel_count"])


def test_csv_errors_are_sentences_naming_the_file(tmp_path):
    path = tmp_path / "other.csv"
    write_csv(path, [{"user": "ann", "date": "2017-04-03", "likes": 3}])
    with pytest.raises(DatasetError, match=r"other\.csv lacks the columns alias, numberLikes"):
        read_csv(path)
    with pytest.raises(DatasetError, match=r"missing\.csv does not exist\."):
        read_csv(tmp_path / "missing.csv")
    binary = tmp_path / "binary.csv"
    binary.write_bytes(b"\xff\xfe\x00\x81" * 100)
    with pytest.raises(DatasetError, match=r"binary\.csv"):
        read_csv(binary)


def test_a_dataset_in_the_gvsi_columns_reads_in_full():
    table, note = read_csv(LIKES_CSV)
    assert len(table) == 385 and note["rows"] == 387 and note["dropped_bad_date"] == 2
    assert table["author"].nunique() == 24
    assert note["listed_newest_first"] and note["observed_at"] == "one day after the latest post (2017-05-01)"
    assert not has_time_of_day(table["taken_at"])
    assert (table.groupby("author")["taken_at"].diff().dropna() >= 0).all()
    assert (table["likes"] == 0).sum() == 1 and table["has_location"].any() and (table["media_type"] == 8).any()
    assert {"sourdough", "bouldering"} <= set().union(*table["hashtags"])


def shortcode(milliseconds: int, shard: int = 1234) -> str:
    """The shortcode of a media id made at `milliseconds` (UTC epoch) the way Instagram makes them: the time
    since 2011-08-24 above 23 bits of shard and sequence, written in base 64."""
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
    media_id = ((milliseconds - 1_314_220_021_721) << 23) | shard
    code = ""
    while media_id:
        media_id, digit = divmod(media_id, 64)
        code = alphabet[digit] + code
    return code


def test_a_shortcode_holds_its_posts_time():
    for moment in (1_380_000_000_123, 1_493_612_345_678, 1_700_000_000_000):  # 2013 (a 10-letter code) to 2023
        assert shortcode_time(shortcode(moment)) == moment / 1000
    assert len(shortcode(1_380_000_000_123)) == 10 and len(shortcode(1_493_612_345_678)) == 11
    assert all(math.isnan(shortcode_time(code)) for code in ("", None, "not a code!", "B" * 40))


def test_csv_post_times_come_from_shortcodes_on_the_rows_date(tmp_path):
    day = 1_491_022_800  # 2017-04-01T05:00Z: local midnight, as gvsi's dates are
    hour = 3600
    path = tmp_path / "posts.csv"
    write_csv(path, [
        {"alias": "ann", "date": "2017-04-03T05:00:00.000Z", "numberLikes": 30,
         "shortcode": shortcode((day + 2 * DAY + 20 * hour) * 1000 + 250)},
        {"alias": "ann", "date": "2017-04-02T05:00:00.000Z", "numberLikes": 20,
         "shortcode": shortcode((day + DAY + 3 * hour) * 1000)},
        {"alias": "ann", "date": "2017-04-01T05:00:00.000Z", "numberLikes": 10,
         "shortcode": shortcode((day + 5 * DAY) * 1000)},  # a time on another day: not this post's id
        {"alias": "bob", "date": "2017-04-02T05:00:00.000Z", "numberLikes": 5, "shortcode": "not a code!"},
        {"alias": "bob", "date": "2017-04-01T05:00:00.000Z", "numberLikes": 4, "shortcode": "B" * 40}])
    table, note = read_csv(path)
    assert table["taken_at"].tolist() == [day, day + DAY + 3 * hour, day + 2 * DAY + 20 * hour, day, day + DAY]
    assert note["time_from_shortcode"] == 2
    # The read is still assumed one day after the latest date; it may have come as soon as the latest post.
    assert (table["observed_at"] == day + 3 * DAY).all()
    assert note["read_up_to_days_earlier"] == pytest.approx(4 / 24, abs=1e-4)


@pytest.mark.realdata
def test_the_gvsi_dataset_reads_in_full(real_data):
    table, note = read_csv(real_data / "gvsi-like-predictor" / "posts.csv")
    assert len(table) == 16_536 and note["dropped_bad_date"] == 3
    assert table["author"].nunique() == 973
    # Every post's shortcode dates it within its day, to the millisecond.
    assert note["time_from_shortcode"] == 16_536 and has_time_of_day(table["taken_at"])
    assert 0.5 < note["read_up_to_days_earlier"] < 1
    assert (table.groupby("author")["taken_at"].diff().dropna() >= 0).all()
