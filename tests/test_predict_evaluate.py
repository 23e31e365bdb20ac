"""The honest evaluation: its metrics, its determinism, and `python -m discovery evaluate-likes` (and the
other like commands) run through the real command line."""

from __future__ import annotations

import json
import math
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from conftest import REAL_DATA
from test_predict_world import VOCABULARY, build_world, picture

from discovery import cli
from discovery import world as worlds
from discovery.predict.evaluate import (
    METRICS,
    TEST_POSTS,
    evaluate_table,
    held_out,
    pairwise_accuracy,
    sample_authors,
    scores,
    trailing_baseline,
)
from discovery.predict.features import history_features
from discovery.predict.table import COLUMNS, finish, read_csv

LIKES = Path(__file__).resolve().parent / "fixtures" / "likes"  # written by fixtures/make_likes.py


@pytest.fixture
def run(capsys):
    """Run the command line; returns (exit code, stdout, stderr)."""

    def invoke(*argv: str) -> tuple[int, str, str]:
        code = cli.main([str(a) for a in argv])
        out, err = capsys.readouterr()
        return code, out, err

    return invoke


def test_scores_of_hand_made_predictions():
    authors = np.array(["a", "a", "a", "b", "b"])
    actual = np.array([100.0, 200.0, 400.0, 10.0, 0.0])
    predicted = np.array([110.0, 150.0, 400.0, 20.0, 5.0])
    low, high = predicted * 0.5, predicted * 1.5
    got = scores(authors, predicted, low, high, actual)
    apes = [0.1, 0.25, 0.0, 1.0]  # the post with no like has no percentage error
    assert got["mape"] == pytest.approx(np.mean(apes))
    assert got["mdape"] == pytest.approx(np.median(apes))
    assert got["log_mae"] == pytest.approx(np.mean(np.abs(np.log1p(predicted) - np.log1p(actual))))
    assert got["spearman"] == pytest.approx(1.0)
    assert got["pairwise"] == 1.0  # a: 3 pairs right, b: 1 pair right
    assert got["coverage80"] == pytest.approx(4 / 5)  # all inside but the 0 likes, outside [2.5, 7.5]
    tied = pairwise_accuracy(np.array(["a", "a"]), np.array([5.0, 5.0]), np.array([1.0, 2.0]))
    assert tied == 0.5


def test_trailing_baseline_uses_only_earlier_posts():
    table = finish(pd.DataFrame({"author": ["a"] * 4, "post": list("wxyz"), "taken_at": [1, 2, 3, 4],
                                   "likes": [10.0, 30.0, 20.0, 1000.0]}).assign(
        **{c: None for c in COLUMNS if c not in ("author", "post", "taken_at", "likes")}))
    baseline = trailing_baseline(table)
    assert np.isnan(baseline.loc[0, "median"])
    assert baseline["median"].tolist()[1:] == [10.0, 20.0, 20.0]


@pytest.fixture(scope="module")
def likes_sample():
    table, _ = read_csv(LIKES / "posts.csv")
    return sample_authors(table, None, 20, seed=4)[0]


def test_evaluation_is_deterministic_for_a_fixed_seed(likes_sample):
    first, _, predictions = evaluate_table(likes_sample, seed=11)
    second, _, again = evaluate_table(likes_sample.copy(), seed=11)
    assert json.dumps(first, sort_keys=True) == json.dumps(second, sort_keys=True)
    pd.testing.assert_frame_equal(predictions, again)
    assert first["n_test"] == 60 and first["n_authors"] == 20
    assert set(first["baseline"]) == set(first["model"]) == set(METRICS)


GVSI = REAL_DATA / "gvsi-like-predictor" / "posts.csv"
TOP_HASHTAGS = REAL_DATA / "ralbertazzi-top-hashtags" / "hashtags.txt"


@pytest.mark.parametrize("csv, prior, authors", [
    pytest.param(LIKES / "posts.csv", LIKES / "hashtags.txt", 20, id="made-up"),
    pytest.param(GVSI, TOP_HASHTAGS, 40, marks=pytest.mark.realdata, id="gvsi"),
])
def test_a_sample_through_the_command_line(run, data_dir, csv, prior, authors):
    code, out, _ = run("evaluate-likes", "--data-dir", data_dir, "--dataset", csv, "--authors", authors,
                       "--seed", 4, "--hashtag-prior", prior, "--json")
    assert code == 0
    report = json.loads(out)
    assert report["n_test"] == 3 * authors and report["hashtag_popularity"] == "ranked list hashtags.txt"
    for side in ("baseline", "model"):
        assert set(report[side]) >= {"mape", "mdape", "log_mae", "spearman", "pairwise", "coverage80"}
    assert report["source"]["listed_newest_first"] is True
    assert report["model"]["log_mae"] < report["baseline"]["log_mae"]  # both datasets have something to learn
    code, out, _ = run("evaluate-likes", "--data-dir", data_dir, "--dataset", csv, "--authors", authors * 5 // 8,
                       "--seed", 4)
    assert code == 0 and "metric" in out and "log_mae" in out and "coverage80" in out


def test_evaluate_likes_errors_are_sentences(run, data_dir, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("user,likes\nann,3\n", encoding="utf-8")
    code, out, err = run("evaluate-likes", "--data-dir", data_dir, "--dataset", bad)
    assert code == 1 and out == ""
    assert err.strip() == ("tessera: " + str(bad) + " lacks the columns alias, date, numberLikes that like "
                           "evaluation needs (alias, date, numberLikes are required).")
    code, _, err = run("evaluate-likes", "--data-dir", data_dir)
    assert code == 1 and "no world named 'demo'" in err
    tiny = tmp_path / "tiny.csv"
    tiny.write_text("alias,date,numberLikes\nann,2017-04-01,3\nann,2017-04-02,4\n", encoding="utf-8")
    code, _, err = run("evaluate-likes", "--data-dir", data_dir, "--dataset", tiny)
    assert code == 1 and "No author has a post before their 3 newest" in err
    tiny.write_text("alias,date,numberLikes\n" + "".join(f"ann,2017-04-0{d},{d}\n" for d in range(1, 6)),
                    encoding="utf-8")
    code, _, err = run("evaluate-likes", "--data-dir", data_dir, "--dataset", tiny)
    assert code == 1 and "needs at least 30" in err


def check_best_time_table(out: str) -> None:
    """`best-time` in words: a week of 3-hour blocks under an aligned header, then the best hours."""
    lines = out.splitlines()
    header = lines.index("       00-03  03-06  06-09  09-12  12-15  15-18  18-21  21-24")
    rows = lines[header + 1:header + 8]
    assert [row[:3] for row in rows] == ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
    # Aligned under the header: one cell of 7 characters per block of hours.
    assert all(len(row) == len(lines[header]) == 5 + 8 * 7 for row in rows)
    assert all(re.fullmatch(r" +[-+]\d+%", row[i:i + 7]) for row in rows for i in range(5, len(row), 7))
    best = lines[lines.index("Best hours to post:") + 1:][:3]
    assert all(re.fullmatch(r"  \w+day +\d\d:00  (\d+% (more|fewer) likes than usual|as many likes as usual)",
                            line) for line in best)


def test_the_like_commands_on_a_world(run, data_dir, tmp_path):
    world = build_world(data_dir, name="mine", authors=8, posts=14)
    world.close()
    worlds.set_current(data_dir, "mine")
    code, out, err = run("evaluate-likes", "--data-dir", data_dir, "--json")
    assert code == 0, err
    report = json.loads(out)
    assert report["source"] == {"world": "mine", "kind": "account"} and "pick" not in report
    assert report["model"]["log_mae"] < report["baseline"]["log_mae"]

    code, out, err = run("train-likes", "--data-dir", data_dir)
    assert code == 0, err
    assert out.startswith("Trained on 114 posts of 9 accounts")
    # In words; the metric names only behind --json.
    assert re.search(r"typical error: \d+% of the likes", out)
    assert re.search(r"own posts in the right order \d+% of the time", out)
    assert re.search(r"\d+% of actual counts fall within the predicted range", out)
    assert not re.search(r"mape|mdape|pairwise|coverage80", out)
    code, out, err = run("train-likes", "--data-dir", data_dir, "--json")
    assert code == 0, err
    assert {"mape", "mdape", "pairwise", "coverage80"} <= set(json.loads(out)["evaluation"]["model"])

    images = []
    for i, level in enumerate((0.1, 0.9)):
        path = tmp_path / f"candidate{i}.jpg"
        path.write_bytes(picture(np.random.default_rng(i), level))
        images.append(path)
    code, out, err = run("predict-likes", "--data-dir", data_dir, *images, "--account", "@user1",
                         "--caption", "#sun hello", "--when", "2026-09-21T19:00:00+00:00", "--json")
    assert code == 0, err
    result = json.loads(out)
    assert [c["name"] for c in result["candidates"]] == ["candidate1.jpg", "candidate0.jpg"]
    assert {h["tag"] for h in result["hashtags"]} == set(VOCABULARY) - {"sun"}  # all the store's others
    code, out, _ = run("predict-likes", "--data-dir", data_dir, images[0])
    assert code == 0 and out.splitlines()[1].startswith("  1. candidate0.jpg:")
    lines = out.splitlines()
    tags = lines[lines.index("Hashtags to try, with how many posts in this world carry each and their usual "
                             "likes:") + 1:]
    assert len(tags) == len(VOCABULARY)
    assert all(re.fullmatch(r"  #\w+ +on +\d+ posts?, usually [\d.]+k? likes", line) for line in tags)

    code, out, _ = run("best-time", "--data-dir", data_dir, "--account", "user2", "--timezone", "UTC",
                       "--json")
    assert code == 0 and len(json.loads(out)["lift"]) == 7
    code, out, _ = run("best-time", "--data-dir", data_dir, "--account", "user2", "--timezone", "UTC")
    assert code == 0
    check_best_time_table(out)
    code, _, err = run("best-time", "--data-dir", data_dir, "--timezone", "Mars/Olympus")
    assert code == 1 and "not a time zone name" in err
    code, _, err = run("predict-likes", "--data-dir", data_dir, images[0], "--account", "nobody")
    assert code == 1 and "no account 'nobody'" in err
    code, _, err = run("predict-likes", "--data-dir", data_dir, images[0], "--when", "yesterday")
    assert code == 1 and "is not a date and time" in err


def test_no_test_posts_likes_reach_another_test_posts_prediction(likes_sample):
    """Each test post is predicted from its author's training posts only: changing the likes of every
    author's oldest test post changes neither the model's nor the baselines' prediction of the others."""
    _, _, before = evaluate_table(likes_sample, seed=3)
    changed = likes_sample.copy()
    size = changed.groupby("author")["order"].transform("size")
    oldest_test = (changed["order"] == size - TEST_POSTS).to_numpy()
    changed.loc[oldest_test, "likes"] = changed.loc[oldest_test, "likes"] * 50 + 7
    _, _, after = evaluate_table(changed, seed=3)
    others = ~before["post"].isin(set(changed.loc[oldest_test, "post"])).to_numpy()
    assert others.sum() == 2 * 20
    columns = ["baseline", "baseline_low", "baseline_high", "age_baseline", "predicted", "low", "high"]
    pd.testing.assert_frame_equal(before.loc[others, columns], after.loc[others, columns])
    assert not np.allclose(before.loc[~others, "likes"], after.loc[~others, "likes"])


def test_a_read_time_that_may_have_been_sooner_lowers_the_low_end_of_young_counts_only(likes_sample):
    _, _, exact = evaluate_table(likes_sample, seed=3)
    _, _, sooner = evaluate_table(likes_sample, seed=3, read_up_to_days_earlier=1.0)
    same = ["baseline", "age_baseline", "predicted", "high"]
    pd.testing.assert_frame_equal(exact[same], sooner[same])
    young = (exact["age_days"] < 3).to_numpy()
    assert young.any() and (sooner["low"][young] < exact["low"][young]).all()
    settled = (exact["age_days"] >= 8).to_numpy()  # a day sooner, they had (nearly) all their likes
    assert settled.any() and np.allclose(sooner["low"][settled], exact["low"][settled], rtol=1e-3)


def test_held_out_features_of_a_test_post_read_training_posts_and_itself_only():
    table = finish(pd.DataFrame({"author": ["a"] * 5, "post": list("vwxyz"), "taken_at": [1, 2, 3, 4, 5],
                                   "likes": [10.0, 30.0, 20.0, 1000.0, 5.0]}).assign(
        **{c: None for c in COLUMNS if c not in ("author", "post", "taken_at", "likes")}))
    test = np.array([False, False, True, True, True])
    baseline = held_out(table, test, trailing_baseline)
    assert np.isnan(baseline.loc[0, "median"])
    assert baseline["median"].tolist()[1:] == [10.0, 20.0, 20.0, 20.0]  # the median of v and w, three times
    history = held_out(table, test, history_features, known=("h_gap",))
    full = history_features(table)
    assert history["h_median"].tolist()[2:] == [(math.log1p(10.0) + math.log1p(30.0)) / 2] * 3  # v and w only
    np.testing.assert_array_equal(history["h_gap"], full["h_gap"])  # when x and y went up is no label
