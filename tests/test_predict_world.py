"""Like prediction on a store: training a world's model, saving it, retraining when due, and the Predict
tab's calls (candidates ranked with intervals and contributions). The world is small and synthetic: its
likes grow with followers and with the brightness of the picture, peak in the evening and settle in hours."""

from __future__ import annotations

import copy
import io
import math

import joblib
import numpy as np
import pandas as pd
import pytest
from PIL import Image, ImageDraw

from discovery.predict.features import history_features
from discovery.predict.model import VERSION, LikeModel, ModelError, load, retrain_due
from discovery.predict.pixels import PixelCache
from discovery.predict.predictor import PredictError, Predictor, demo_pick_gain, ensure_model, model_file, train_world
from discovery.progress import Cancelled, CancelToken
from discovery.world import World
from storage.records import Account, MediaType, Post

NOW = 1_790_000_000
VOCABULARY = ["sun", "sea", "beach", "summer", "light", "night", "city", "rain", "mood", "dark"]


def picture(rng: np.random.Generator, brightness: float, size: int = 96) -> bytes:
    level = int(30 + 200 * brightness)
    image = Image.new("RGB", (size, size), (level, int(level * 0.9), int(level * 0.8)))
    colour = tuple(int(v) for v in rng.integers(0, 255, 3))
    ImageDraw.Draw(image).ellipse((size // 3, size // 3, 2 * size // 3, 2 * size // 3), fill=colour)
    out = io.BytesIO()
    image.save(out, "JPEG", quality=85)
    return out.getvalue()


def expected_likes(followers: float, brightness: float, hour: int) -> float:
    evening = math.cos((hour - 19) / 24 * 2 * math.pi)
    return 0.05 * followers * math.exp(1.5 * (brightness - 0.5) + 0.3 * evening)


def build_world(root, name: str = "synthetic", authors: int = 10, posts: int = 16, seed: int = 0,
                newcomer_posts: int = 2) -> World:
    """`authors` accounts with `posts` pictured posts each, and a newcomer (pk "999") with a few posts."""
    rng = np.random.default_rng(seed)
    world = World.open(root, name)
    accounts = [Account(pk=str(1000 + a), username=f"user{a}", following_count=300, media_count=posts,
                        follower_count=int(10 ** rng.uniform(2.5, 4.5))) for a in range(authors)]
    accounts.append(Account(pk="999", username="newcomer", follower_count=2000, following_count=50,
                            media_count=2))
    world.store.upsert_accounts(accounts)
    world.store.set_me(accounts[0].pk)
    records = []
    for account in accounts:
        count = newcomer_posts if account.pk == "999" else posts
        times = np.sort(NOW - rng.uniform(0.2, 60, count) * 86400).astype(int)
        for i, taken in enumerate(times):
            brightness = float(rng.uniform())
            age_days = (NOW - taken) / 86400
            mean = expected_likes(account.follower_count, brightness, int(taken // 3600) % 24)
            likes = int(mean * (1 - math.exp(-age_days / 0.25)) * math.exp(0.15 * rng.standard_normal()))
            pk = f"{account.pk}_{i}"
            world.images.put(pk, picture(rng, brightness))
            tags = list(rng.choice(VOCABULARY[:5] if brightness > 0.5 else VOCABULARY[5:], 2, replace=False))
            records.append(Post(pk=pk, author=account.pk, taken_at=int(taken),
                                caption=" ".join("#" + t for t in tags), like_count=likes, fetched_at=NOW,
                                hashtags=tags, media_type=MediaType.PHOTO))
    world.store.upsert_posts(records)
    world.store.set_meta("clock", str(NOW))
    return world


@pytest.fixture(scope="module")
def trained(tmp_path_factory):
    world = build_world(tmp_path_factory.mktemp("predict-world"))
    model = train_world(world, seed=0)
    yield world, model
    world.close()


def test_training_saves_the_model_with_features_date_and_evaluation(trained):
    world, model = trained
    saved = load(model_file(world))
    assert saved is not None and saved.features == model.features and saved.trained_at == model.trained_at
    assert {"px_brightness", "log_age", "hour", "h_median"} <= set(model.features)
    evaluation = saved.evaluation
    # the newcomer has no post before its test posts: not scored
    assert evaluation["n_test"] == 10 * 3 and set(evaluation["model"]) == set(evaluation["baseline"])
    # Likes follow the pictures and the clock here: the model must beat the author's median by far.
    assert evaluation["model"]["log_mae"] < 0.7 * evaluation["baseline"]["log_mae"]
    assert evaluation["model"]["mape"] < evaluation["baseline"]["mape"]
    assert (model_file(world).parent / "pixels.json").exists()


def test_retraining_is_due_after_enough_new_posts(trained, tmp_path):
    world, model = trained
    assert not retrain_due(model, world.store)
    assert retrain_due(None, world.store)
    copy = build_world(tmp_path, authors=10, posts=16)
    try:
        assert not retrain_due(model, copy.store, min_new_posts=5)
        copy.store.upsert_posts(Post(pk=f"new{i}", author="1000", taken_at=NOW - 3600 * i, like_count=5,
                                     fetched_at=NOW) for i in range(1, 21))
        assert not retrain_due(model, copy.store, min_new_posts=50)
        assert retrain_due(model, copy.store, min_new_posts=5)
    finally:
        copy.close()


def test_a_broken_model_file_is_a_sentence(tmp_path):
    path = tmp_path / "likes.joblib"
    path.write_bytes(b"not a pickle")
    with pytest.raises(ModelError, match=r"cannot be read .* it will be retrained\.$"):
        load(path)
    assert load(tmp_path / "absent.joblib") is None


def older_files(model: LikeModel) -> dict[str, object]:
    """What older Tessera wrote: the bare model object without a format, with one calibration margin and
    without the level's own feature list; a file of the previous format; and the current format holding a
    model whose calibration is shaped as older code shaped it (the crash once seen in the Predict tab)."""
    bare = copy.copy(model)
    vars(bare).update(calibration=0.2, version=2)
    del vars(bare)["level_features"]
    reshaped = copy.copy(model)
    reshaped.calibration = 0.2
    return {"bare object": bare, "previous format": {"format": VERSION - 1, "model": copy.copy(model)},
            "older shape": {"format": VERSION, "model": reshaped}}


def test_a_model_saved_by_older_code_is_set_aside_with_a_sentence_and_retrained(trained, tmp_path):
    _, model = trained
    world = build_world(tmp_path)
    try:
        path = model_file(world)
        path.parent.mkdir(parents=True)
        for kind, saved in older_files(model).items():
            joblib.dump(saved, path)
            with pytest.raises(ModelError, match=r"^The saved like model .* it will be retrained\.$"):
                load(path)
            report = Predictor.for_world(world).predict("1000", [picture(np.random.default_rng(5), 0.5)],
                                                           when=NOW)
            assert not report.has_model, kind
            assert report.warnings[0].endswith("it will be retrained.")
            assert report.warnings[1].startswith("No like model yet")
        said = []
        retrained = ensure_model(world, progress=said.append)
        assert said[0].stage.startswith("The saved like model") and said[0].stage.endswith("retrained.")
        assert retrained is not None and load(path).trained_at == retrained.trained_at
        report = Predictor.for_world(world).predict("1000", [picture(np.random.default_rng(5), 0.5)],
                                                       when=NOW)
        assert report.has_model and report.candidates[0].likes > 0
    finally:
        world.close()


def test_eight_candidates_are_ranked_with_intervals_and_contributions(trained):
    world, model = trained
    rng = np.random.default_rng(7)
    levels = [0.05, 0.95, 0.5, 0.3, 0.8, 0.2, 0.65, 0.4]
    images = [picture(rng, level) for level in levels]
    predictor = Predictor.for_world(world)
    report = predictor.predict("1001", images, "#sun #beach golden hour", when=NOW + 3600)
    assert report.history_posts == 16 and not report.warnings
    assert report.hashtags == ("sun", "beach") and report.horizon_days == 7
    ranked = report.ranked()
    assert [c.rank for c in ranked] == list(range(1, 9))
    assert all(c.low <= c.likes <= c.high for c in ranked)
    assert levels[ranked[0].index] >= 0.8 and levels[ranked[-1].index] <= 0.2  # brightest first, darkest last
    assert np.corrcoef(levels, [c.likes for c in report.candidates])[0, 1] > 0.8
    brightest = report.candidates[1]
    strengths = [abs(math.log(c.effect)) for c in brightest.contributions]
    assert strengths == sorted(strengths, reverse=True)  # strongest first
    effects = {c.feature: c for c in brightest.contributions}
    # Brightness moves with warmth and colourfulness in these pictures, so any of them may carry its effect.
    lifts = [c for c in effects.values() if c.feature.startswith("px_")]
    assert lifts and max(c.effect for c in lifts) > 1.0
    dark = [c for c in report.candidates[0].contributions if c.feature.startswith("px_")]
    assert dark and min(c.effect for c in dark) < 1.0
    assert brightest.pixels.brightness > report.candidates[0].pixels.brightness


def test_prediction_follows_the_horizon(trained):
    world, _ = trained
    predictor = Predictor.for_world(world)
    image = [picture(np.random.default_rng(1), 0.6)]
    hour = predictor.predict("1002", image, "", when=NOW + 3600, horizon_days=1 / 24).candidates[0]
    week = predictor.predict("1002", image, "", when=NOW + 3600, horizon_days=7).candidates[0]
    assert hour.likes < week.likes


def test_little_history_gives_a_warning_and_a_wider_interval(trained):
    world, _ = trained
    predictor = Predictor.for_world(world)
    image = [picture(np.random.default_rng(2), 0.6)]
    newcomer = predictor.predict("999", image, when=NOW + 3600)
    regular = predictor.predict("1003", image, when=NOW + 3600)
    assert newcomer.history_posts == 2 and newcomer.warnings[0].startswith("Little history")
    width = [math.log(c.high + 1) - math.log(c.low + 1)
             for c in (newcomer.candidates[0], regular.candidates[0])]
    assert width[0] > width[1]


def test_a_bad_picture_among_candidates_is_reported_and_the_rest_predicted(trained, tmp_path):
    world, _ = trained
    notes = tmp_path / "notes.txt"
    notes.write_text("hello", encoding="utf-8")
    good = tmp_path / "good.jpg"
    good.write_bytes(picture(np.random.default_rng(3), 0.7))
    report = Predictor.for_world(world).predict("1000", [notes, good], when=NOW)
    bad, fine = report.candidates
    assert bad.rank == 0 and math.isnan(bad.likes) and bad.error.startswith("notes.txt is not an image")
    assert fine.rank == 1 and fine.name == "good.jpg" and fine.likes > 0
    assert report.ranked()[0] is fine


def test_requests_a_person_can_get_wrong(trained):
    world, _ = trained
    predictor = Predictor.for_world(world)
    image = picture(np.random.default_rng(4), 0.5)
    with pytest.raises(PredictError, match="between 1 and 8 pictures"):
        predictor.predict("1000", [image] * 9)
    with pytest.raises(PredictError, match="between 1 and 8 pictures"):
        predictor.predict("1000", [])
    with pytest.raises(PredictError, match=r"^There is no account nobody in this world\.$"):
        predictor.predict("nobody", [image])


def test_without_a_model_there_is_no_prediction_only_the_usual_likes(trained):
    world, _ = trained
    report = Predictor(world.store, None, world.now, world.images).predict(
        "1000", [picture(np.random.default_rng(5), 0.9), picture(np.random.default_rng(6), 0.1)], when=NOW)
    assert not report.has_model and any(w.startswith("No like model yet") for w in report.warnings)
    assert all(math.isnan(c.likes) and c.rank == 0 and not c.contributions for c in report.candidates)
    usual, low, high = report.usual
    assert usual == pytest.approx(report.baseline_likes) and low < usual < high
    frame = world.store.posts_frame(author_ids=[world.store.account_id("1000")], columns=["like_count"])
    past = frame["like_count"].to_numpy(dtype=float)
    assert np.mean((past >= low) & (past <= high)) >= 0.7  # it covers most of the account's posts
    newcomer = Predictor(world.store, None, world.now, world.images).predict(
        "999", [picture(np.random.default_rng(5), 0.9)], when=NOW)
    assert newcomer.usual is not None and newcomer.history_posts == 2


def test_ensure_model_trains_only_when_due(trained, tmp_path):
    world, model = trained
    assert ensure_model(world).trained_at == model.trained_at  # not due: the saved one
    empty = World.open(tmp_path, "empty")
    try:
        assert ensure_model(empty) is None  # nothing to learn from
    finally:
        empty.close()


def test_pick_gain_is_only_for_the_demo_world(trained):
    world, model = trained
    assert demo_pick_gain(world, model, trials=3) == {}


def test_a_candidates_features_match_those_of_the_same_post_in_the_store(trained):
    """What the model sees for a candidate is what training saw for a stored post: appending the candidate
    to the account's posts and computing the batch features gives the same values."""
    world, model = trained
    predictor = Predictor.for_world(world)
    past = predictor.account_posts("1004")
    when, tags = NOW + 7200, ("sun", "mood")
    single = predictor._history(past, when, tags, 1)
    appended = pd.concat([past, past.tail(1).assign(post="candidate", taken_at=when, order=len(past),
                                                       hashtags=[tags])], ignore_index=True)
    batch = history_features(appended).tail(1).reset_index(drop=True)
    pd.testing.assert_frame_equal(single, batch[single.columns], check_dtype=False)


def test_cancelled_training_keeps_the_saved_model(trained):
    world, model = trained
    before = model_file(world).read_bytes()
    token = CancelToken()
    token.cancel()
    with pytest.raises(Cancelled):
        train_world(world, cancel=token)
    assert model_file(world).read_bytes() == before


def test_pixel_cache_measures_again_when_the_file_changes(tmp_path):
    image = tmp_path / "p.jpg"
    image.write_bytes(picture(np.random.default_rng(0), 0.1))
    cache = PixelCache(tmp_path / "pixels.json")
    dark = cache.vector(image)
    cache.save()
    image.write_bytes(picture(np.random.default_rng(0), 0.9, size=100))
    reopened = PixelCache(tmp_path / "pixels.json")
    assert str(image) in reopened.entries
    assert reopened.vector(image)[0] > dark[0] + 0.3  # brightness, measured afresh
    assert reopened.vector(tmp_path / "absent.jpg") is None and reopened.vector(None) is None
