"""The learned ranking in the window: the first lists never wait for training, the ranking panel says what
was learned and switches between the learned model, the seed formula and manual sliders, and the Why panel
speaks in percentiles, not raw factor values."""

from __future__ import annotations

import re

import pytest

from discovery import paths, world
from discovery.browse import LEARNING_NOTE, MANUAL_NOTE, SEED_NOTE
from discovery.ranking import RETRAIN_EVERY
from discovery.settings import Settings
from storage import InteractionKind, Like
from ui.main_window import MainWindow
from ui.tasks import SynchronousRunner

TRAINED = 60_000  # ms: the small demo world trains in a second or two


def new_window(qtbot, data_dir) -> MainWindow:
    demo = world.World.open(data_dir, world.DEMO)
    window = MainWindow(data_dir, demo, Settings(paths.settings_path(data_dir)), tasks=SynchronousRunner())
    qtbot.addWidget(window)
    window.resize(1200, 800)
    window.show()
    return window


def all_learned(window) -> bool:
    return all(p.ranking is not None and p.ranking.mode == "learned" for p in window.pages.values())


def shown_pks(page) -> list[str]:
    return [page.model.item(row).pk for row in range(page.model.rowCount())]


@pytest.fixture
def window(qtbot, demo_data_dir):
    win = new_window(qtbot, demo_data_dir)
    win.start()
    qtbot.waitUntil(lambda: all_learned(win), timeout=TRAINED)
    opened = win.world
    yield win  # qtbot closes the window, which deletes it
    opened.close()


def test_the_first_lists_appear_before_training_and_rank_again_when_it_ends(qtbot, demo_data_dir):
    win = new_window(qtbot, demo_data_dir)
    ranker = win.browser.ranker
    ranker._lock.acquire()  # training waits for this lock: it cannot finish before the first lists are shown
    try:
        win.start()
        feed, explore = win.pages["feed"], win.pages["explore"]
        assert feed.model.rowCount() > 50 and explore.model.rowCount() > 20
        assert feed.ranking.mode == explore.ranking.mode == "seed"
        assert not ranker.trained
        assert feed.panel.note.text() == LEARNING_NOTE
        assert win.status.text().endswith("Ranking with the seed formula while Tessera learns from your likes…")
        seed_order = shown_pks(feed)
    finally:
        ranker._lock.release()
    qtbot.waitUntil(lambda: all_learned(win), timeout=TRAINED)
    assert ranker.trained
    assert shown_pks(feed) != seed_order
    assert feed.panel.note.text().startswith("Learned from your ")
    assert feed.panel.note.text() == ranker.learned_summary
    assert LEARNING_NOTE not in win.status.text()
    win.world.close()


def test_the_mode_switch_changes_the_ranking_and_says_what_ranks(window):
    feed, explore = window.pages["feed"], window.pages["explore"]
    learned = shown_pks(feed)[:20]
    panel = feed.panel
    assert panel.modes["learned"].text() == "Learned from your likes" and panel.modes["learned"].isChecked()
    assert not panel.sliders["ranking.likes_power"].isEnabled()  # the sliders are the manual mode's

    panel.modes["seed"].click()
    feed._rerank.flush()
    assert feed.ranking.mode == explore.ranking.mode == "seed"
    assert panel.note.text() == SEED_NOTE and explore.panel.modes["seed"].isChecked()
    seed = shown_pks(feed)[:20]
    assert seed != learned

    panel.modes["manual"].click()
    assert panel.sliders["ranking.likes_power"].isEnabled()
    panel.sliders["ranking.likes_power"].setValue(0)
    feed._rerank.flush()
    assert feed.ranking.mode == "manual" and panel.note.text() == MANUAL_NOTE
    assert shown_pks(feed)[:20] != seed

    panel.modes["learned"].click()  # the factors go back to their defaults, or they would rank manually
    feed._rerank.flush()
    assert feed.ranking.mode == "learned" and window.settings.get("ranking.likes_power") == 1.0
    assert shown_pks(feed)[:20] == learned
    assert panel.note.text().startswith("Learned from your ")


def test_a_ranking_setting_changed_anywhere_reranks_both_lists_and_shows_in_both_panels(window):
    feed, explore = window.pages["feed"], window.pages["explore"]
    learned = shown_pks(explore)[:20]
    ranking = feed.ranking
    window.settings.set("insights.max_nodes", 80)  # not a ranking setting: nothing ranks again
    feed._rerank.flush()
    assert feed.ranking is ranking
    window.settings.set("ranking.mode", "seed")  # as another window's panel, on the same settings, would
    for page in (feed, explore):
        page._rerank.flush()
        assert page.ranking.mode == "seed" and page.panel.modes["seed"].isChecked()
    assert shown_pks(explore)[:20] != learned


def test_moving_a_factor_switches_to_manual(window):
    feed = window.pages["feed"]
    feed.panel.sliders["ranking.recency_power"].setValue(100)
    feed._rerank.flush()
    assert feed.panel.modes["manual"].isChecked() and feed.ranking.mode == "manual"
    assert feed.panel._values["ranking.recency_power"].text() == "3×"


def test_the_panel_speaks_in_plain_words(window):
    panel = window.pages["feed"].panel
    texts = [label.text() for label in panel.findChildren(type(panel.note)) if label.isVisibleTo(panel)]
    joined = "\n".join(texts)
    assert "27.7778" not in joined and "τ" not in joined
    assert "in any run of" not in joined and "Interest share" not in joined
    assert "Recency half-life" in joined
    # τ = 100,000 s (27.8 h) in exp(−age/τ): a post's recency halves after τ·ln 2 = 19 h.
    assert panel._values["ranking.tau_hours"].text() == "19 h"
    assert panel._values["ranking.likes_power"].text() == "1×"
    assert panel._values["ranking.window_days"].text() == "7 days"
    assert panel._values["ranking.interest_every"].text() == "1 in 3"
    assert "At most 2 posts by one author in any 10 posts in a row." in joined
    assert not any(re.fullmatch(r"\d+(\.\d+)?", text) for text in texts)  # every number has its unit


def test_the_why_panel_shows_percentiles_not_raw_values(window):
    feed = window.pages["feed"]
    feed.view.setCurrentIndex(feed.model.index(0))
    why = feed.why
    texts = [why.grid.itemAt(i).widget().text() for i in range(why.grid.count())
             if hasattr(why.grid.itemAt(i).widget(), "text")]
    assert any(re.fullmatch(r"Closer to you than (\d+%|all) of today's (other )?authors", t) for t in texts)
    assert any(t.startswith("Newer than ") for t in texts)
    row = feed._ranking_rows[0]
    closeness = float(feed.ranking.frame["f_pagerank"].iloc[row])
    assert not any(f"{closeness:.3g}" in t or f"{closeness:.4g}" in t for t in texts)
    assert not any(re.search(r"\d\.\d{3,}", t) for t in texts)  # no raw factor value anywhere
    assert all(0 <= bar.value() <= 100 for bar in why.bars.values())


def test_new_actions_and_new_data_retrain_and_rank_again(window, qtbot):
    feed = window.pages["feed"]
    browser = window.browser
    first = browser.ranker.current_model
    note = feed.panel.note.text()
    pks = [feed.model.item(row).pk for row in range(RETRAIN_EVERY)]
    for pk in pks:  # opening enough posts makes the model stale
        browser.act(InteractionKind.OPENED, post_pk=pk)
    feed.rerank()  # starts training again; the stale model ranks meanwhile, no flip to the seed formula
    assert feed.ranking.mode == "learned" and feed.panel.note.text() == note
    before = feed.ranking
    qtbot.waitUntil(lambda: browser.ranker.current_model is not first and feed.ranking is not before,
                    timeout=TRAINED)
    assert feed.ranking.mode == "learned" and browser.ranker.current_model.opens > first.opens
    assert feed.panel.note.text() == browser.ranker.current_model.summary()

    old = browser.ranker
    browser.world.store.add_likes([Like(pks[0], browser.world.now())])  # as a sync would bring
    window.refresh()  # a sync or an import brought new data: a new ranker, trained again in the background
    assert browser.ranker is not old and feed.ranking.mode == "seed"
    qtbot.waitUntil(lambda: all_learned(window), timeout=TRAINED)
    assert feed.panel.note.text().startswith("Learned from your ")
