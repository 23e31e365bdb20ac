"""The personal ranker on a small demo world: it learns, it never sees the held-out days, it says what it
learned, and the evaluation command prints what the issue promised."""

from __future__ import annotations

import json
from dataclasses import replace

import numpy as np
import pytest

from discovery import cli
from discovery.clock import DAY
from discovery.evaluation import evaluate_demo_world, ranker_names
from discovery.ranker_features import FEATURES, WorldData
from discovery.ranker_personal import train
from discovery.ranking import Ranker, RankingParams
from discovery.world import DEMO, World
from storage import Interaction, InteractionKind, Like


@pytest.fixture
def world(demo_data_dir):
    opened = World.open(demo_data_dir, DEMO)
    yield opened
    opened.close()


def world_data(ranker: Ranker) -> WorldData:
    snapshot = ranker.snapshot
    return WorldData(ranker.store, len(snapshot.usernames), snapshot.me, *ranker.store.edges(), snapshot.followed,
                     snapshot.followed_by, ranker.now, ranker.cutoff)


def test_the_learned_feed_beats_random_and_the_seed_formula(world):
    result = evaluate_demo_world(world)
    feed = result["feed"]
    assert feed["tessera"]["p20"] >= feed["random"]["p20"] + 0.25
    assert feed["tessera"]["p20"] >= feed["seed_formula"]["p20"]
    assert set(feed) == set(ranker_names())
    assert result["training"]["likes"] > 500


def test_no_label_from_the_held_out_days_is_used(world):
    now = world.now()
    cutoff = now - 7 * DAY
    ranker = Ranker(world.store, now, history_until=cutoff)
    before = train(world_data(ranker), cutoff)
    # Like many more posts inside the held-out days: the model trained up to the cutoff must not move.
    recent = world.store.posts_frame(since=cutoff, columns=["pk", "taken_at"]).head(300)
    world.store.add_likes([Like(pk, max(int(at) + 60, cutoff))
                           for pk, at in zip(recent["pk"], recent["taken_at"], strict=True)])
    world.store.add_interactions([Interaction(InteractionKind.SAVED, cutoff + 60, post=pk)
                                  for pk in recent["pk"][:50]])
    after = train(world_data(Ranker(world.store, now, history_until=cutoff)), cutoff)
    for kind in ("feed", "explore"):
        assert np.array_equal(before.models[kind].coef, after.models[kind].coef)
    # ... while the same likes, dated before the cutoff, do change it (so the check above can fail).
    older = world.store.posts_frame(since=cutoff - 20 * DAY, columns=["pk", "taken_at"])
    older = older[older["taken_at"] < cutoff - 8 * DAY].head(300)
    world.store.add_likes([Like(pk, int(at) + 3600)
                           for pk, at in zip(older["pk"], older["taken_at"], strict=True)])
    moved = train(world_data(Ranker(world.store, now, history_until=cutoff)), cutoff)
    assert not np.array_equal(before.models["feed"].coef, moved.models["feed"].coef)


def test_the_ranker_says_what_it_learned_and_switches_modes(world):
    ranker = Ranker(world.store, world.now())
    assert ranker.learned_summary.startswith("Learned from your 1,")
    learned = ranker.feed()
    assert learned.mode == "learned"
    assert {f"f_{name}" for name in FEATURES} <= set(learned.frame.columns)
    seed = ranker.feed(replace(RankingParams(), mode="seed"))
    assert seed.mode == "seed" and seed.frame["pk"].tolist()[:20] != learned.frame["pk"].tolist()[:20]
    moved = ranker.feed(replace(RankingParams(), recency_power=3.0))
    assert moved.mode == "manual"
    assert ranker.feed(replace(RankingParams(), mode="manual")).mode == "manual"


def test_with_few_likes_it_leans_on_the_seed_formula_and_says_so(world):
    now = world.now()
    first_like = int(world.store.likes_frame()["liked_at"].min())
    ranker = Ranker(world.store, now, history_until=first_like + 60)  # only the very first like is known
    assert not ranker.personal.learned
    assert "seed formula" in ranker.learned_summary
    assert ranker.feed().mode == "seed"


def test_percentiles_explain_a_post_among_todays_candidates(world):
    ranking = Ranker(world.store, world.now()).feed()
    closest = int(ranking.frame["f_pagerank"].to_numpy().argmax())
    parts = {p["name"]: p for p in ranking.percentiles(closest)}
    assert set(parts) == set(FEATURES)
    assert parts["pagerank"]["percentile"] >= 99
    assert parts["pagerank"]["text"] == f"closer to you than {parts['pagerank']['percentile']}% of today's authors"
    assert all(0 <= p["percentile"] <= 100 for p in parts.values())


def test_explore_scores_graph_and_hashtag_posts_on_one_scale(world):
    ranking = Ranker(world.store, world.now()).explore()
    frame = ranking.frame.head(200)
    assert set(frame["source"]) <= {"graph", "interest"}
    badges = np.round(100 * frame["score"] / frame["score"].max())
    assert (badges == 0).mean() < 0.2  # the cards' score badge: hardly any "0"


def test_cards_show_a_chance_of_a_like_that_differs_among_the_top_posts(world):
    ranker = Ranker(world.store, world.now())
    for ranking in (ranker.feed(), ranker.explore()):
        chance = ranking.frame["chance"].to_numpy()[:20]
        assert ((chance > 0) & (chance < 1)).all()
        assert len(set(np.round(100 * chance))) >= 5  # not "100" for every top post
        assert ranking.records(1)[0]["chance"] == chance[0]
    assert "chance" not in ranker.feed(RankingParams(mode="seed")).frame  # a formula has no chance to show


def test_evaluate_ranking_json_has_the_promised_shape(demo_data_dir, capsys):
    code = cli.main(["evaluate-ranking", "--seeds", "1", "--regimes", "default", "--size", "small", "--json",
                     "--data-dir", str(demo_data_dir)])
    assert code == 0
    result = json.loads(capsys.readouterr().out)
    rankers = result["regimes"]["default"]["rankers"]
    assert set(rankers) == set(ranker_names())
    for scores in rankers.values():
        for kind in ("feed", "explore"):
            assert set(scores[kind]) == {"p20", "ndcg20"}
            assert set(scores[kind]["p20"]) == {"mean", "sd"}
    assert cli.main(["evaluate-ranking", "--regimes", "grumpy", "--data-dir", str(demo_data_dir)]) == 1
    assert "unknown regime" in capsys.readouterr().err


def test_evaluate_ranking_on_a_world_holds_out_the_last_30_days(demo_data_dir, capsys):
    assert cli.main(["evaluate-ranking", "--world", DEMO, "--json", "--data-dir", str(demo_data_dir)]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["held_out_days"] == 30 and result["held_out_likes"] > 0
    posts = {name: r["posts"]["mean_percentile"] for name, r in result["rankers"].items()}
    assert posts["tessera"] > posts["random"] + 20


def test_actions_after_the_ranker_was_built_still_count(world):
    ranker = Ranker(world.store, world.now())
    first = ranker.feed().frame.iloc[0]
    later = world.now() + 3600  # a live world's clock moves on after the ranker was built
    world.store.add_interactions([Interaction(InteractionKind.HIDDEN, later, post=first.pk),
                                  Interaction(InteractionKind.SAVED, later, post=ranker.feed().frame.iloc[1].pk)])
    ranker.reload_interactions()
    assert first.pk not in set(ranker.feed().frame["pk"])
    assert ranker.cutoff > later and ranker.retrain().saves == 1


def test_background_training_ranks_by_the_seed_formula_until_the_model_is_ready(world):
    ranker = Ranker(world.store, world.now(), background_training=True)
    ready = []
    ranker.on_trained = ready.append
    first = ranker.feed()
    assert first.mode == "seed"  # asked before the model was ready: the seed formula ranked
    ranker._training.join(timeout=60)
    assert ranker.trained and ready and ready[0].learned
    assert ranker.feed().mode == "learned"
