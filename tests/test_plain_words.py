"""What a person reads says things in words: `stats` without internals (they stay in --json), Insights
without timings, groups named by their hashtags, an empty filtered list that offers to clear the filters, a
video that says it is one."""

from __future__ import annotations

import json

import numpy as np
import pytest

from discovery import cli, paths, world
from discovery.settings import Settings
from storage import MediaType
from ui.insights.page import InsightsPage
from ui.main_window import MainWindow
from ui.tasks import SynchronousRunner


def test_stats_speaks_in_words_and_keeps_the_numbers_for_json(demo_data_dir, capsys):
    assert cli.main(["stats", "--data-dir", str(demo_data_dir), "--world", "demo"]) == 0
    words = capsys.readouterr().out
    assert "schema" not in words and "accounts" in words and "last synced" in words
    assert cli.main(["stats", "--data-dir", str(demo_data_dir), "--world", "demo", "--json"]) == 0
    numbers = json.loads(capsys.readouterr().out)
    assert numbers["schema"] and numbers["posts"] > 0


@pytest.fixture
def window(qtbot, demo_data_dir):
    demo = world.World.open(demo_data_dir, world.DEMO)
    win = MainWindow(demo_data_dir, demo, Settings(paths.settings_path(demo_data_dir)), tasks=SynchronousRunner())
    qtbot.addWidget(win)
    win.resize(1200, 800)
    win.show()
    win.start()
    yield win  # qtbot closes the window, which deletes it
    demo.close()


def test_an_empty_filtered_list_offers_to_clear_the_filters(window):
    feed = window.pages["feed"]
    feed.search.setText("no caption says this 9f3b2c")
    feed._refilter.flush()
    assert feed.model.rowCount() == 0
    assert feed.stack.currentWidget() is feed.empty_page
    assert feed.empty.text() == "No post matches these filters."
    assert feed.clear_button.isVisible() and feed.clear_button.text() == "Clear filters"
    feed.clear_button.click()
    assert feed.search.text() == "" and feed.model.rowCount() == len(feed.ranking)
    assert feed.stack.currentWidget() is feed.view


def test_a_video_says_it_is_one_and_offers_instagram(window, qtbot):
    for page in window.pages.values():
        rows = [r for r in range(page.model.rowCount()) if page.model.item(r).media_type == MediaType.VIDEO]
        if rows:
            break
    else:
        pytest.fail("the demo world has no video post")
    page.open_row(rows[0])
    detail = page.detail
    assert detail.video_note.isVisible() and detail.video_note.text().startswith("▶ A video")
    assert detail.open_button.isVisible() and detail.open_button.text() == "Open on instagram.com"
    assert detail.picture.video
    qtbot.waitUntil(lambda: detail.picture._pixmap is not None, timeout=30_000)
    image = detail.picture.grab().toImage()
    centre = image.pixelColor(image.width() // 2 + 4, image.height() // 2)
    assert centre.lightness() > 230  # the play mark is painted over the cover...
    detail.picture.video = False
    cover = detail.picture.grab().toImage().pixelColor(image.width() // 2 + 4, image.height() // 2)
    assert cover != centre  # ...and is not the cover's own colour
    photo = next(r for r in range(page.model.rowCount()) if page.model.item(r).media_type == MediaType.PHOTO)
    page.open_row(photo)
    assert not detail.video_note.isVisible() and not detail.picture.video


def test_groups_are_named_by_their_hashtags_as_in_the_exported_map(qtbot, demo_data_dir):
    import discovery.insights.network  # noqa: F401 - declares insights.max_nodes

    settings = Settings(paths.settings_path(demo_data_dir))
    opened = world.World.open(demo_data_dir, world.DEMO)
    page = InsightsPage(opened, SynchronousRunner(), settings)
    qtbot.addWidget(page)
    page.resize(1200, 800)
    page.show()
    with qtbot.waitSignal(page.ready, timeout=60_000):
        page.activate()
    communities = page.view.network.communities
    assert page.groups.count() == len(communities) >= 2
    for row, community in enumerate(communities):
        first_line = page.groups.item(row).text().splitlines()[0]
        assert first_line.startswith(community.label) and "Group" not in first_line
    assert "read in" not in page.status.text() and " s." not in page.status.text()
    assert np.all([page.groups.item(r).text().count("#") >= 1 for r in range(page.groups.count())])
    opened.close()
