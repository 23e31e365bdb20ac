"""The learned ranking model kept beside the world: read back instead of training when the data has not
changed, trained again when it has, and a damaged file is trained over rather than a crash."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest

from discovery.ranker_personal import MODEL_FORMAT, load_model
from discovery.ranking import Ranker, learned_model_path
from discovery.world import DEMO, World
from storage import Interaction, InteractionKind


@pytest.fixture
def world(demo_data_dir):
    opened = World.open(demo_data_dir, DEMO)
    yield opened
    opened.close()


def ranker(world: World) -> Ranker:
    return Ranker(world.store, world.now(), model_path=learned_model_path(world.directory))


def test_a_kept_model_ranks_as_the_trained_one_without_training(world, monkeypatch):
    first = ranker(world)
    trained = first.personal
    path = learned_model_path(world.directory)
    assert path.exists() and path.stat().st_size < 20_000
    feed, explore = first.feed(), first.explore()

    def no_training(*args, **kwargs):
        raise AssertionError("trained although the kept model was trained on the same data")

    monkeypatch.setattr("discovery.ranker_personal.train", no_training)
    again = ranker(world)
    kept = again.personal
    assert kept is not trained and kept.summary() == trained.summary()
    assert again.model_version == world.store.data_version()
    for before, after in ((feed, again.feed()), (explore, again.explore())):
        assert after.mode == "learned"
        assert after.frame["pk"].tolist() == before.frame["pk"].tolist()
        assert np.allclose(after.frame["score"], before.frame["score"])


def test_reading_a_kept_model_needs_no_scikit_learn(world):
    ranker(world).personal  # noqa: B018 (trains and keeps it)
    code = ("import sys; from pathlib import Path; from discovery.ranker_personal import load_model; "
            f"model = load_model(Path({str(learned_model_path(world.directory))!r}), {world.store.data_version()!r}); "
            "assert model is not None and model.learned; assert 'sklearn' not in sys.modules, 'sklearn loaded'")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]


def test_new_data_trains_again_and_keeps_the_new_model(world):
    old_version = world.store.data_version()
    ranker(world).personal  # noqa: B018
    path = learned_model_path(world.directory)
    post = world.store.posts_frame(columns=["pk"])["pk"].iloc[0]
    world.store.add_interactions([Interaction(InteractionKind.SAVED, world.now(), post=post)])
    new_version = world.store.data_version()
    assert new_version != old_version
    retrained = ranker(world).personal
    assert retrained.saves == 1  # trained on the new data, not read from the old file
    assert load_model(path, old_version) is None
    assert load_model(path, new_version).saves == 1


@pytest.mark.parametrize("damage", ["garbage", "truncated", "other format", "wrong shapes"])
def test_a_damaged_model_file_is_trained_over(world, damage, caplog):
    path = learned_model_path(world.directory)
    ranker(world).personal  # noqa: B018
    version = world.store.data_version()
    good = path.read_bytes()
    if damage == "garbage":
        path.write_bytes(b"not a model at all")
    elif damage == "truncated":
        path.write_bytes(good[: len(good) // 2])
    else:
        with np.load(path) as saved:
            arrays = dict(saved)
        if damage == "other format":
            arrays["format"] = np.array(MODEL_FORMAT + 1)
        else:
            arrays["feed_params"] = arrays["feed_params"][:, :3]
        with open(path, "wb") as file:
            np.savez(file, **arrays)
    assert load_model(path, version) is None
    model = ranker(world).personal
    assert model.learned and ranker(world).feed().mode == "learned"
    assert load_model(path, version) is not None  # the damaged file was replaced by the retrained model
    if damage in ("garbage", "truncated", "wrong shapes"):
        assert "cannot be read" in caplog.text
