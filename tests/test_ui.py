"""The real window on a small demo world, driven as a person would: tabs, filters, the detail view,
hiding a post, moving a ranking weight, and a restart that restores the state."""

from __future__ import annotations

import gc
import weakref

import numpy as np
import pandas as pd
import pytest
from PySide6.QtCore import QCoreApplication, QEvent, Qt
from PySide6.QtWidgets import QApplication

from discovery import paths, world
from discovery.settings import Settings
from ui.main_window import MainWindow
from ui.posts import PostListModel, PostRole, score_text
from ui.tasks import SynchronousRunner


def open_window(qtbot, data_dir, keep: bool = True) -> MainWindow:
    demo = world.World.open(data_dir, world.DEMO)
    window = MainWindow(data_dir, demo, Settings(paths.settings_path(data_dir)), tasks=SynchronousRunner())
    if keep:  # closed by qtbot at the end of the test, even a failed one
        qtbot.addWidget(window)
    window.resize(1200, 800)
    window.show()
    window.start()
    # The seed formula ranks first while the learned model trains; then both lists rank again with it.
    qtbot.waitUntil(lambda: all(p.ranking.mode == "learned" for p in window.pages.values()), timeout=60_000)
    return window


def shown_pks(page) -> list[str]:
    return [page.model.item(row).pk for row in range(page.model.rowCount())]


@pytest.fixture
def window(qtbot, demo_data_dir):
    win = open_window(qtbot, demo_data_dir)
    opened = win.world
    yield win  # qtbot closes the window, which deletes it
    opened.close()


def test_post_model_passes_the_model_tester(qtmodeltester):
    model = PostListModel()
    frame = pd.DataFrame({"id": [1, 2], "pk": ["a", "b"], "username": ["x", "y"], "full_name": ["X", ""],
                          "caption": ["hello <b>", ""], "like_count": [3, 0], "comment_count": [1, 0],
                          "age_s": [60.0, 7200.0], "media_type": [1, 8], "carousel_count": [0, 3],
                          "score": [0.5, 0.25], "source": ["graph", "interest"], "tag": ["", "sea"]})
    model.set_frame(frame, lambda row: f"why {row}")
    qtmodeltester.check(model, force_py=True)
    assert model.data(model.index(1), PostRole).score == 0.5
    assert model.data(model.index(0), Qt.ItemDataRole.ToolTipRole).startswith("why 0\nScore 100: ")
    assert "Score 50: " in model.data(model.index(1), Qt.ItemDataRole.ToolTipRole)  # the score pill explained


def test_a_learned_list_shows_each_posts_chance_of_a_like(qtmodeltester):
    model = PostListModel()
    frame = pd.DataFrame({"id": [1, 2], "pk": ["a", "b"], "username": ["x", "y"], "full_name": ["X", ""],
                          "caption": ["", ""], "like_count": [3, 0], "comment_count": [1, 0],
                          "age_s": [60.0, 7200.0], "media_type": [1, 8], "carousel_count": [0, 3],
                          "score": [0.99, 0.98], "source": ["graph", "graph"], "tag": ["", ""],
                          "chance": [0.374, 0.001]})
    model.set_frame(frame, lambda row: "")
    qtmodeltester.check(model, force_py=True)
    first, second = (model.data(model.index(row), PostRole) for row in range(2))
    assert (score_text(first), score_text(second)) == ("37%", "<1%")  # not 100 and 99: the list's best
    assert model.data(model.index(0), Qt.ItemDataRole.ToolTipRole).startswith("37%: the chance you like this post")


def test_the_window_opens_on_the_demo_world_with_both_lists(window):
    assert window.windowTitle() == "Tessera — Demo world"
    assert window.banner.isVisible()
    feed, explore = window.pages["feed"], window.pages["explore"]
    assert feed.model.rowCount() > 50 and explore.model.rowCount() > 20
    assert not set(shown_pks(feed)) & set(shown_pks(explore))
    assert "posts" in window.status.text() and "accounts" in window.status.text()


def test_ctrl_number_switches_tabs(window, qtbot):
    qtbot.keyClick(window, Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)
    assert window.tabs.currentIndex() == 1
    qtbot.keyClick(window, Qt.Key.Key_1, Qt.KeyboardModifier.ControlModifier)
    assert window.tabs.currentIndex() == 0


def test_clicking_an_account_on_the_insights_map_filters_its_posts(window, qtbot):
    import discovery.insights  # noqa: F401 - declares the setting below (the tab itself is built when shown)

    window.settings.set("insights.max_nodes", 250)  # more than the 150 followed: strangers are on the map
    qtbot.keyClick(window, Qt.Key.Key_4, Qt.KeyboardModifier.ControlModifier)
    insights = window.insights_page
    assert window.tabs.currentWidget() is window.insights_tab and window.insights_tab.built
    qtbot.waitUntil(lambda: insights.insights is not None, timeout=60_000)
    nodes = insights.view.network.nodes
    for followed, kind in ((True, "feed"), (False, "explore")):
        row = int(np.flatnonzero((nodes["followed"].to_numpy() == followed) & ~nodes["is_me"].to_numpy())[0])
        pk = str(nodes["pk"].iat[row])
        insights.view.node_clicked.emit(row)
        page = window.pages[kind]
        assert window.tabs.currentWidget() is page
        username = window.world.store.accounts_frame([window.world.store.account_id(pk)])["username"].iloc[0]
        assert page.author.text() == username
        shown = {page.model.item(r).username for r in range(page.model.rowCount())}
        assert shown <= {username}


def test_filtering_by_hashtag_keeps_only_its_posts(window):
    feed = window.pages["feed"]
    tag = window.browser.ranker.interests.index[0]
    feed.hashtag.setCurrentText(f"#{tag}")
    feed._refilter.flush()
    rows = feed.model.rowCount()
    assert 0 < rows < len(feed.ranking)
    tagged = set(window.browser.ranker.snapshot.posts_tagged(tag))
    assert all(feed.model.item(r).post_id in tagged for r in range(rows))
    feed.clear_filters()
    assert feed.model.rowCount() == len(feed.ranking)


def test_keyboard_opens_the_detail_view_and_escape_returns(window, qtbot):
    feed = window.pages["feed"]
    feed.view.setFocus()
    feed.view.setCurrentIndex(feed.model.index(0))
    for key in (Qt.Key.Key_J, Qt.Key.Key_J, Qt.Key.Key_K):
        qtbot.keyClick(feed.view, key)
    assert feed.view.currentIndex().row() == 1
    item = feed.model.item(1)
    qtbot.keyClick(feed.view, Qt.Key.Key_Return)
    assert feed.in_detail
    assert feed.detail.author.text().startswith(f"@{item.username}")
    assert feed.why.sentence.text() == feed.ranking.why(1)
    qtbot.keyClick(window, Qt.Key.Key_Escape)
    assert not feed.in_detail


def test_a_hashtag_link_in_the_detail_view_filters_the_list(window):
    feed = window.pages["feed"]
    row = next(r for r in range(feed.model.rowCount()) if "#" in feed.model.item(r).caption)
    feed.open_row(row)
    tag = window.browser.detail(feed.model.item(row).post_id).hashtags[0]
    feed.detail.caption.linkActivated.emit(f"hashtag:{tag}")
    assert not feed.in_detail
    assert feed.hashtag.currentText() == f"#{tag}"
    assert 0 < feed.model.rowCount() < len(feed.ranking)


def test_hiding_a_post_takes_it_out_of_the_feed(window):
    feed = window.pages["feed"]
    first = feed.model.item(0)
    feed.open_row(0)
    feed.detail.hide_button.click()
    assert not feed.in_detail
    assert first.pk not in shown_pks(feed)
    hidden = window.world.store.interactions_frame()
    assert "hidden" in set(hidden["kind"])


def test_see_fewer_sinks_the_author(window):
    feed = window.pages["feed"]
    author = feed.model.item(0).username
    before = [r for r in range(feed.model.rowCount()) if feed.model.item(r).username == author]
    feed.open_row(0)
    feed.detail.fewer_button.click()
    after = [r for r in range(feed.model.rowCount()) if feed.model.item(r).username == author]
    assert after[0] > before[0]


def test_dragging_a_weight_changes_the_order(window):
    feed = window.pages["feed"]
    before = shown_pks(feed)[:20]
    slider = feed.panel.sliders["ranking.recency_power"]
    slider.setValue(slider.maximum())
    feed._rerank.flush()
    after = shown_pks(feed)[:20]
    assert after != before
    assert window.settings.get("ranking.recency_power") == 3.0
    feed.panel.reset()
    feed._rerank.flush()
    assert shown_pks(feed)[:20] == before


def test_grid_and_list_modes(window, qtbot):
    feed = window.pages["feed"]
    assert feed.view.grid
    qtbot.keyClick(window, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    assert not feed.view.grid and not window.pages["explore"].view.grid


def test_restart_restores_tab_filters_and_layout(qtbot, demo_data_dir):
    first = open_window(qtbot, demo_data_dir, keep=False)
    first.tabs.setCurrentIndex(1)
    explore = first.pages["explore"]
    explore.search.setText("morning")
    explore.set_list_mode(True)
    first.pages["feed"].panel.sliders["ranking.window_days"].setValue(30)
    window_days = first.settings.get("ranking.window_days")
    assert window_days != 7.0
    first.close()
    first.world.close()

    second = open_window(qtbot, demo_data_dir)
    assert second.tabs.currentIndex() == 1
    assert second.pages["explore"].search.text() == "morning"
    assert not second.pages["explore"].view.grid
    assert second.settings.get("ranking.window_days") == window_days
    assert second.pages["feed"].panel.sliders["ranking.window_days"].value() == 30
    second.world.close()


def test_theme_switch(window):
    window.set_theme("dark")
    dark = QApplication.instance().palette().base().color().lightness()
    window.set_theme("light")
    light = QApplication.instance().palette().base().color().lightness()
    assert dark < 80 < light


def test_a_closed_window_is_deleted_with_its_pages_ranker_and_thumbnail_cache(qtbot, demo_data_dir):
    """Every world switch closes a window: nothing of it may stay alive (its widgets, the Browser holding
    the Ranker, the thumbnail cache)."""
    def settle() -> None:
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
        gc.collect()

    settle()
    widgets_before = len(QApplication.allWidgets())
    window = open_window(qtbot, demo_data_dir, keep=False)
    window.tabs.setCurrentIndex(3)  # the lazily built Insights page too
    browser, loader = weakref.ref(window.browser), weakref.ref(window.loader)
    window.close()
    window.world.close()
    del window
    settle()
    assert [w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow)] == []
    assert len(QApplication.allWidgets()) <= widgets_before
    assert browser() is None and loader() is None


def test_the_post_list_reads_the_ranked_frames_written_columns_and_refuses_a_frame_without_them(qapp):
    from discovery.ranking import LIST_COLUMNS

    assert set(PostListModel.COLUMNS) <= set(LIST_COLUMNS) | set(PostListModel.OPTIONAL)
    frame = pd.DataFrame({c: [0] for c in LIST_COLUMNS}).assign(caption=[""], username=["x"], source=["graph"])
    model = PostListModel()
    model.set_frame(frame, lambda row: "")  # a formula's list: no chance column, and that is fine
    assert model.rowCount() == 1
    with pytest.raises(ValueError, match="score"):
        model.set_frame(frame.drop(columns=["score"]), lambda row: "")
