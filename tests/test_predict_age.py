"""The age curve, the age-aware baseline, the within-author content stage, the settled scores, the per-post
predictions file, the pick over fresh demo worlds, and what the like commands say before any model exists."""

from __future__ import annotations

import csv
import json
import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from conftest import REAL_DATA
from test_predict_evaluate import run  # noqa: F401 (a fixture)
from test_predict_world import build_world, picture

from discovery.clock import DAY
from discovery.predict.evaluate import (
    METRICS,
    SETTLED_DAYS,
    age_factor,
    age_factors,
    evaluate_table,
    pairwise_accuracy,
    trailing_baseline,
)
from discovery.predict.features import (
    AgeCurve,
    history_features,
    history_row,
    log_age_days,
    settled_log_likes,
    tag_history,
)
from discovery.predict.model import VERSION
from discovery.predict.table import finish, read_csv

T0 = 1_700_000_000
LIKES = Path(__file__).resolve().parent / "fixtures" / "likes"  # written by fixtures/make_likes.py


def growing_table(authors: int = 60, posts: int = 14, tau: float = 0.4, seed: int = 0) -> pd.DataFrame:
    """Posts read at ages from an hour to weeks, each count the share 1 - exp(-age / tau) of its settled
    count (author level times noise); the caption's length lowers the settled count."""
    rng = np.random.default_rng(seed)
    rows = []
    for a in range(authors):
        level = 10 ** rng.uniform(2, 4)
        observed = T0 + 30 * DAY
        ages = np.sort(rng.uniform(1 / 24, 20, posts))[::-1]
        for i, age in enumerate(ages):
            long = bool(rng.integers(2))
            settled = level * math.exp(0.1 * rng.standard_normal() - (0.4 if long else 0.0))
            rows.append({
                "author": f"a{a}", "post": f"a{a}-{i}", "taken_at": int(observed - age * DAY), "order": i,
                "likes": float(round(settled * (1 - math.exp(-age / tau)))), "observed_at": float(observed),
                "followers": level * 20, "following": 300.0, "media_count": 100.0,
                "caption": "a long caption about the day, " * 8 if long else "short", "hashtags": (),
                "mentions": 0, "has_location": False, "media_type": 1, "is_reel": False, "carousel_count": 1.0,
                "image": None})
    return finish(pd.DataFrame(rows))


def test_the_age_curve_is_learned_from_posts_read_at_different_ages():
    table = growing_table(tau=0.4)
    curve = AgeCurve.fit(table)
    assert curve.tau == pytest.approx(0.4, rel=0.2) and curve.shape == pytest.approx(1.0, rel=0.2)
    assert curve.log_share(30.0) == pytest.approx(0.0, abs=1e-6) and curve.log_share(0.1) < -1.0
    slower = AgeCurve.fit(growing_table(tau=2.0, seed=1))
    assert slower.days_to(0.95) > 3 * curve.days_to(0.95)


def test_without_young_posts_the_age_curve_stays_at_its_prior():
    table = growing_table()
    old = ((table["observed_at"] - table["taken_at"]) / DAY > 5).to_numpy()
    curve = AgeCurve.fit(table, old)
    assert curve.tau == pytest.approx(AgeCurve.tau, rel=0.1) and curve.shape == pytest.approx(1.0, rel=0.1)


def test_history_of_all_rows_at_once_matches_the_row_by_row_definition():
    table = growing_table(authors=8, posts=9, seed=2)
    rng = np.random.default_rng(3)
    table["hashtags"] = [tuple(rng.choice(["sun", "sea", "cat", "art"], int(rng.integers(0, 3)), replace=False))
                         for _ in range(len(table))]
    table.loc[5, "observed_at"] = np.nan  # an unknown age
    curve = AgeCurve(0.5, 1.2)
    fast = history_features(table, curve)
    likes = settled_log_likes(table, curve)
    ages = log_age_days(table["observed_at"], table["taken_at"])
    times = table["taken_at"].to_numpy(dtype=float)
    for i in range(len(table)):
        start = int(np.flatnonzero(table["author"].to_numpy() == table["author"].iloc[i])[0])
        row = history_row(likes[start:i], ages[start:i], times[start:i], times[i])
        lift, reuse = tag_history(list(table["hashtags"])[start:i], likes[start:i], table["hashtags"].iloc[i])
        np.testing.assert_allclose(fast.iloc[i].to_numpy(), np.r_[row, lift, reuse], rtol=1e-9, atol=1e-9,
                                   equal_nan=True, err_msg=f"row {i}")


def test_pairwise_accuracy_counts_every_pair_within_an_author():
    rng = np.random.default_rng(0)
    authors = rng.integers(0, 30, 300).astype(str)
    predicted, actual = rng.integers(0, 4, 300), rng.integers(0, 5, 300)
    right = pairs = 0.0
    for i in range(300):
        for j in range(i + 1, 300):
            if authors[i] == authors[j] and actual[i] != actual[j]:
                pairs += 1
                guess = np.sign(predicted[i] - predicted[j])
                right += 0.5 if guess == 0 else float(guess == np.sign(actual[i] - actual[j]))
    assert pairwise_accuracy(authors, predicted, actual) == pytest.approx(right / pairs)


def test_the_age_aware_baseline_scales_the_median_by_the_day_of_age():
    table = growing_table(authors=80, tau=1.0, seed=4)
    median = trailing_baseline(table)["median"].to_numpy()
    factors = age_factors(table, median, np.ones(len(table), bool), minimum=10)
    assert factors.loc[0] < 0.8 < factors.loc[10]  # young counts are lower than the author's usual
    assert age_factor(factors, np.array([0.5, 400.0])).tolist() == [factors.loc[0], factors.iloc[-1]]


def test_the_evaluation_reports_both_baselines_and_the_settled_posts():
    table = growing_table(authors=80, seed=5)
    report, model, predictions = evaluate_table(table, seed=1)
    for part in (report, report["settled"]):
        assert set(part["baseline"]) == set(part["age_baseline"]) == set(part["model"]) == set(METRICS)
    assert report["settled"]["n"] == int((predictions["age_days"] >= SETTLED_DAYS).sum()) > 0
    # The test posts are the youngest: the model, with its age curve, knows their counts are still low.
    assert report["model"]["log_mae"] < min(report["baseline"]["log_mae"], report["age_baseline"]["log_mae"])
    # The caption lowers the settled count within an author: the content stage learns its sign.
    assert model.content is not None
    assert model.content.coef[model.content.names.index("caption_length")] < 0


def test_predictions_file_from_the_command_line(run, data_dir, tmp_path):  # noqa: F811
    out = tmp_path / "predictions.csv"
    code, stdout, _ = run("evaluate-likes", "--data-dir", data_dir, "--dataset", LIKES / "posts.csv",
                          "--predictions", out, "--json")
    assert code == 0
    report = json.loads(stdout)
    assert {"baseline", "age_baseline", "model", "settled"} <= set(report)
    assert set(report["settled"]) >= {"n", "baseline", "age_baseline", "model"}
    with out.open(newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == report["n_test"]
    assert list(rows[0]) == ["author", "date", "age_days", "likes", "baseline", "age_baseline", "model",
                             "model_p10", "model_p90"]
    assert all(float(r["model_p10"]) <= float(r["model"]) <= float(r["model_p90"]) for r in rows)
    code, _, err = run("evaluate-likes", "--data-dir", data_dir, "--dataset", LIKES / "posts.csv",
                       "--predictions", tmp_path / "missing" / "p.csv")
    assert code == 1 and "cannot be written" in err


def test_predict_likes_without_a_model_says_so_and_exits_non_zero(run, data_dir):  # noqa: F811
    world = build_world(data_dir, name="demo", authors=6, posts=10)
    world.close()
    image = data_dir / "candidate.jpg"
    image.write_bytes(picture(np.random.default_rng(1), 0.7))
    code, out, _ = run("predict-likes", "--data-dir", data_dir, "--account", "1001", image, image)
    assert code == 3 and out.startswith("No like model yet")
    assert "usually get about" in out and "80% between" in out
    code, out, _ = run("predict-likes", "--data-dir", data_dir, "--account", "1001", image, "--json")
    report = json.loads(out)
    assert code == 3 and report["model"] is None and report["candidates"][0]["likes"] is None
    assert report["usual"]["low"] < report["usual"]["likes"] < report["usual"]["high"]
    assert run("train-likes", "--data-dir", data_dir)[0] == 0
    code, out, _ = run("predict-likes", "--data-dir", data_dir, "--account", "1001", image, "--json")
    assert code == 0 and json.loads(out)["candidates"][0]["likes"] > 0


def test_demo_pick_builds_fresh_worlds_and_reports_the_gain(run, data_dir):  # noqa: F811
    code, out, _ = run("evaluate-likes", "--data-dir", data_dir, "--demo-pick", "--small", "--seeds", 1,
                       "--pick-trials", 12, "--json")
    assert code == 0
    pick = json.loads(out)["pick"]
    assert set(pick) >= {"gain", "best_rate", "ceiling", "seeds", "candidates"}
    assert pick["seeds"] == 1 and pick["candidates"] == 4 and pick["trials"] == 12
    assert pick["gain"]["low"] <= pick["gain"]["mean"] <= pick["gain"]["high"]
    assert pick["gain"]["mean"] <= pick["ceiling"] + 1e-9  # no pick beats always picking the best
    assert not (data_dir / "worlds").exists()  # the worlds were temporary


@pytest.mark.realdata
def test_gvsi_model_beats_the_age_aware_baseline():
    table, note = read_csv(REAL_DATA / "gvsi-like-predictor" / "posts.csv")
    report, _, _ = evaluate_table(table, seed=0, read_up_to_days_earlier=note["read_up_to_days_earlier"])
    assert report["model"]["mape"] < report["age_baseline"]["mape"]
    assert report["model"]["log_mae"] < report["age_baseline"]["log_mae"]
    assert 0.78 <= report["model"]["coverage80"] <= 0.82
    assert VERSION >= 2
