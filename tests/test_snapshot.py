"""Kept rankings (discovery.snapshot): `feed` and the window's first lists show a kept list only while it is
exactly what ranking afresh would give, on real SQLite worlds: new posts, new actions, other settings, a
model trained on other data, another hour of the world's clock or other code each make it rank again."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from discovery import cli, paths, snapshot, text, world
from discovery.browse import Browser
from discovery.clock import VirtualClock
from discovery.settings import Settings
from storage import Interaction, InteractionKind, Post

REPO = Path(__file__).resolve().parents[1]


def feed_json(data_dir: Path, capsys, *extra: str) -> list[dict]:
    assert cli.main(["feed", "--top", "20", "--json", "--data-dir", str(data_dir), *extra]) == 0
    return json.loads(capsys.readouterr().out)


def kept(data_dir: Path, kind: str = "feed", now: float | None = None, top: int = 20) -> dict | None:
    """The kept list as the command line would read it now, or None."""
    directory = paths.world_dir(data_dir, world.DEMO)
    opened = world.World.open(data_dir, world.DEMO)
    try:
        version, now = opened.store.data_version(), opened.now() if now is None else now
    finally:
        opened.close()
    settings = Settings(paths.settings_path(data_dir)).stored("ranking")
    return snapshot.read_records(directory, kind, version, settings, top, now)


def test_feed_prints_the_kept_list_without_loading_the_ranker_and_exactly_as_ranked(demo_data_dir, capsys):
    assert kept(demo_data_dir) is None
    ranked = feed_json(demo_data_dir, capsys)
    assert kept(demo_data_dir)["records"] == ranked
    script = ("import sys; from discovery.cli import main; code = main(sys.argv[1:]); "
              "print('LOADED', sorted(m for m in ('discovery.ranking', 'pandas', 'sklearn', 'sqlalchemy') "
              "if m in sys.modules), file=sys.stderr); sys.exit(code)")
    for args in (["--json"], []):
        done = subprocess.run([sys.executable, "-c", script, "feed", "--top", "20", "--data-dir", str(demo_data_dir),
                               *args], cwd=REPO, capture_output=True, text=True, check=True)
        assert "LOADED []" in done.stderr
        if args:
            assert json.loads(done.stdout) == ranked
        else:
            assert done.stdout.startswith("Feed of Demo world · ") and ranked[0]["why"] in done.stdout
    assert feed_json(demo_data_dir, capsys, "--explore")  # Explore is kept on its own
    assert kept(demo_data_dir, "explore") is not None
    assert kept(demo_data_dir, top=snapshot.TOP + 1) is None  # more than was kept: ranked afresh


def test_new_posts_new_actions_and_other_settings_rank_again(demo_data_dir, capsys):
    ranked = feed_json(demo_data_dir, capsys)
    ranked_count = kept(demo_data_dir)["length"]
    opened = world.World.open(demo_data_dir, world.DEMO)
    author = ranked[0]["author"]
    pk = opened.store.accounts_frame().set_index("username").loc[author, "pk"]
    opened.store.upsert_posts([Post(pk="brand-new", author=pk, taken_at=opened.now() - 60, like_count=10**6,
                                    comment_count=10**5, caption="fresh")])
    opened.close()
    assert kept(demo_data_dir) is None
    assert cli.main(["feed", "--top", "20", "--data-dir", str(demo_data_dir)]) == 0  # ranked again, and kept
    assert f"{ranked_count + 1:,} posts ranked" in capsys.readouterr().out
    assert kept(demo_data_dir)["length"] == ranked_count + 1

    opened = world.World.open(demo_data_dir, world.DEMO)
    opened.store.add_interactions([Interaction(InteractionKind.HIDDEN, opened.now(), post="brand-new")])
    opened.close()
    assert kept(demo_data_dir) is None
    feed_json(demo_data_dir, capsys)
    assert kept(demo_data_dir)["length"] == ranked_count  # the hidden post is gone

    settings = Settings(paths.settings_path(demo_data_dir))
    settings.set("ranking.mode", "seed")
    settings.save()
    assert kept(demo_data_dir) is None
    seed = feed_json(demo_data_dir, capsys)
    assert kept(demo_data_dir)["records"] == seed
    settings.set("ranking.mode", "learned")
    settings.save()
    assert kept(demo_data_dir) is None


def test_another_hour_of_the_worlds_clock_or_other_code_ranks_again(demo_data_dir, capsys, monkeypatch):
    feed_json(demo_data_dir, capsys)
    opened = world.World.open(demo_data_dir, world.DEMO)
    now = opened.now()
    opened.close()
    start = now - now % snapshot.HOUR
    moment = start + snapshot.HOUR - 1
    later = kept(demo_data_dir, now=moment)
    assert later is not None  # the same hour: kept, and every age said as of that moment
    assert [r["post"] for r in later["records"]] == [r["post"] for r in kept(demo_data_dir)["records"]]
    assert all(f" · {text.age(moment - r['taken_at'])} ago · " in r["why"] for r in later["records"])
    assert kept(demo_data_dir, now=start + snapshot.HOUR) is None
    assert kept(demo_data_dir, now=start - 1) is None
    monkeypatch.setattr(snapshot, "_code", "other code")
    assert kept(demo_data_dir) is None


def test_the_window_shows_kept_lists_before_loading_the_ranker(demo_data_dir):
    opened = world.World.open(demo_data_dir, world.DEMO)
    first = Browser(opened)
    ranked = {kind: first.rank(kind) for kind in ("feed", "explore")}  # trains the model while ranking
    assert first.ranker.model_version == first.ranker.data_version
    again = {kind: first.rank(kind) for kind in ("feed", "explore")}  # a model of this data: kept now
    for kind in ranked:
        pd.testing.assert_frame_equal(again[kind].frame, ranked[kind].frame)

    fresh = Browser(opened, background_training=True)
    for kind, ranking in ranked.items():
        shown = fresh.rank(kind)
        assert shown.mode == "learned" and not fresh.loaded and not fresh.learning
        pd.testing.assert_frame_equal(shown.frame, ranking.frame)
    assert fresh.ranking_note() == first.ranker.current_model.summary()
    assert fresh.interests(5) == list(first.ranker.interests.index[:5])
    assert not fresh.loaded

    # An action moves the data: the kept list no longer holds, and until the model is trained on the new
    # data nothing is kept (a fresh start would rank with that model).
    fresh.warm_up()
    post = ranked["feed"].frame["pk"].iloc[0]
    fresh.act(InteractionKind.HIDDEN, post_pk=post)
    assert fresh.ranker.data_version == opened.store.data_version()  # the Ranker followed its own write
    assert fresh.rank("feed").frame["pk"].iloc[0] != post
    fresh.act(InteractionKind.SAVED, post_pk=ranked["feed"].frame["pk"].iloc[1])
    assert fresh.ranker.data_version is None  # a save changes the hashtags only a reload reads: unknown
    opened.close()


def test_a_world_on_a_moving_clock_keeps_its_lists_for_the_hour(demo_data_dir):
    opened = world.World.open(demo_data_dir, world.DEMO)
    start = int(opened.now())
    opened.store.set_meta("clock", "")  # this copy of the demo world runs on the clock it is opened with
    opened.close()
    clock = VirtualClock(start - start % snapshot.HOUR + 60)
    opened = world.World.open(demo_data_dir, world.DEMO, clock)
    settings = Settings()
    settings.set("ranking.mode", "seed")  # no model to train: the formula's lists are kept at once
    first = Browser(opened, settings).rank("feed")
    clock.advance(snapshot.HOUR - 120)
    browser = Browser(opened, settings)
    pd.testing.assert_frame_equal(browser.rank("feed").frame, first.frame)
    assert not browser.loaded
    clock.advance(120)  # the next hour: ranked again
    browser = Browser(opened, settings)
    browser.rank("feed")
    assert browser.loaded
    opened.close()


@pytest.mark.parametrize("damage", [b"", b"not a pickle", b"\x80\x05N."])
def test_a_damaged_kept_file_is_ranked_again(demo_data_dir, capsys, damage):
    feed_json(demo_data_dir, capsys)
    directory = paths.world_dir(demo_data_dir, world.DEMO)
    text_file, frame_file = snapshot.files(directory, "feed")
    text_file.write_bytes(damage)
    frame_file.write_bytes(damage)
    assert kept(demo_data_dir) is None
    opened = world.World.open(demo_data_dir, world.DEMO)
    browser = Browser(opened)
    assert len(browser.rank("feed"))
    assert browser.loaded
    opened.close()
    assert feed_json(demo_data_dir, capsys)


KEPT_WITHOUT_PANDAS = """
import json, sys
from pathlib import Path
from discovery import world
from discovery.browse import Browser
opened = world.World.open(Path(sys.argv[1]), world.DEMO)
kept = Browser(opened).kept_list("feed")
print(json.dumps({"pks": kept.columns["pk"], "store": opened.opened_store is not None,
                  "loaded": [m for m in ("pandas", "sqlalchemy", "discovery.ranking") if m in sys.modules]}))
"""


def test_a_kept_list_is_read_without_pandas_or_opening_the_store(demo_data_dir):
    opened = world.World.open(demo_data_dir, world.DEMO)
    browser = Browser(opened)
    browser.rank("feed")  # trains the model while ranking
    ranking = browser.rank("feed")  # by a model of this data: kept
    opened.close()
    done = subprocess.run([sys.executable, "-c", KEPT_WITHOUT_PANDAS, str(demo_data_dir)], cwd=REPO,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    read = json.loads(done.stdout)
    assert read == {"pks": ranking.frame["pk"].tolist(), "store": False, "loaded": []}
