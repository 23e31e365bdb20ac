"""The window at a small laptop size (1024×640) on the small demo world: the grid fills the width, the search
box keeps its words, every tab fits, cards have no dead band, factor labels are whole, map names do not
collide."""

from __future__ import annotations

import pandas as pd
import pytest
from PySide6.QtCore import QRect, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QImage, QPainter
from PySide6.QtWidgets import QStyleOptionViewItem

from discovery import paths, world
from discovery.settings import Settings
from ui.main_window import MainWindow
from ui.posts import GRID_WIDTH, PostListModel, card_size
from ui.predict.charts import ContributionBars
from ui.tasks import SynchronousRunner

SMALL = QSize(1024, 640)


@pytest.fixture
def small_window(qtbot, demo_data_dir):
    import discovery.insights.network  # noqa: F401 - declares insights.max_nodes

    settings = Settings(paths.settings_path(demo_data_dir))
    settings.set("insights.max_nodes", 250)
    demo = world.World.open(demo_data_dir, world.DEMO)
    window = MainWindow(demo_data_dir, demo, settings, tasks=SynchronousRunner())
    qtbot.addWidget(window)
    window.resize(SMALL)
    window.show()
    window.start()
    qtbot.waitExposed(window)
    yield window  # qtbot closes the window, which deletes it
    demo.close()


def test_the_grid_fills_the_width_with_cards_within_bounds(small_window, qtbot):
    for kind in ("feed", "explore"):
        small_window.tabs.setCurrentWidget(small_window.pages[kind])
        view = small_window.pages[kind].view
        qtbot.waitUntil(lambda v=view: v.model().rowCount() > 3, timeout=30_000)
        card = view.gridSize().width()
        assert GRID_WIDTH[0] <= card <= GRID_WIDTH[1]
        width = view.viewport().width()
        columns = width // card
        assert columns >= 2 and width - columns * card < card // 4  # no blank column beside the cards
        # the cards really sit side by side: the first row holds `columns` of them
        tops = [view.visualRect(view.model().index(row)).top() for row in range(columns + 1)]
        assert tops[:columns] == [tops[0]] * columns and tops[columns] > tops[0]


def test_the_search_box_keeps_its_placeholder_readable(small_window):
    for page in small_window.pages.values():
        words = page.search.fontMetrics().horizontalAdvance(page.search.placeholderText())
        assert page.search.width() >= words + 20


def test_every_tab_fits_a_small_laptop_screen(small_window, qtbot):
    for index in range(small_window.tabs.count()):
        small_window.tabs.setCurrentIndex(index)
        qtbot.wait(20)
    qtbot.waitUntil(lambda: small_window.insights_page.insights is not None, timeout=60_000)
    hint = small_window.minimumSizeHint()
    assert hint.width() <= SMALL.width() and hint.height() <= SMALL.height()
    assert small_window.size() == SMALL


def test_a_card_has_no_dead_band_between_caption_and_counts(qapp):
    """Paint one card and measure the widest run of blank rows below the picture."""
    model = PostListModel()
    frame = pd.DataFrame({"id": [1], "pk": ["a"], "username": ["someone"], "full_name": ["Some One"],
                          "caption": ["a caption long enough to need both of its lines " * 3], "like_count": [1200],
                          "comment_count": [30], "age_s": [7200.0], "media_type": [1], "carousel_count": [0],
                          "score": [1.0], "source": ["graph"], "tag": [""]})
    model.set_frame(frame, lambda row: "")
    from ui.posts import PostDelegate
    from ui.thumbnails import ThumbnailLoader

    loader = ThumbnailLoader()
    delegate = PostDelegate(loader, lambda pk: (lambda: None))
    option = QStyleOptionViewItem()
    size = card_size(240, option.font)
    option.rect = QRect(0, 0, size.width(), size.height())
    image = QImage(size, QImage.Format.Format_RGB32)
    background = QColor("#123456")
    image.fill(background)
    painter = QPainter(image)
    option.palette.setColor(option.palette.ColorRole.Base, background)
    option.palette.setColor(option.palette.ColorRole.Mid, background)
    delegate.paint(painter, option, model.index(0))
    painter.end()
    loader.shutdown()
    picture_bottom = 12 + size.width() - 24
    inked = [any(image.pixelColor(x, y) != background for x in range(16, size.width() - 16))
             for y in range(picture_bottom + 2, size.height() - 4)]
    blank, longest = 0, 0
    for has_ink in inked:
        blank = 0 if has_ink else blank + 1
        longest = max(longest, blank)
    assert any(inked) and longest <= 12


class _Contribution:
    def __init__(self, label: str, percent: float):
        self.label, self.percent = label, percent


def test_factor_labels_wrap_instead_of_being_cut(qapp):
    labels = ["Your past posts with these hashtags", "Hashtags", "Days since last post"]
    bars = ContributionBars([_Contribution(label, p) for label, p in zip(labels, (12, -4, 3), strict=True)])
    metrics = bars.fontMetrics()
    for width in (300, 420, 700):
        column = bars._label_width(width) - 6
        for label, (_w, height) in zip(labels, bars._rows(width), strict=True):
            drawn = metrics.boundingRect(QRect(0, 0, column, 1000), Qt.TextFlag.TextWordWrap, label)
            assert drawn.width() <= column and drawn.height() <= height  # every word of it is painted
        assert bars.heightForWidth(width) > bars.ROW * len(labels) or width == 700
    # at 700 px the whole longest label fits on one line
    assert bars._label_width(700) - 6 >= bars.fontMetrics().horizontalAdvance(labels[0])


def test_names_on_the_map_overlap_no_other_name_or_node(small_window, qtbot):
    small_window.tabs.setCurrentIndex(3)
    page = small_window.insights_page
    qtbot.waitUntil(lambda: page.insights is not None, timeout=60_000)
    view = page.view
    view.place_labels()
    shown = [(index, label) for index, label in view.labels.items() if label.isVisible()]
    assert len(shown) >= 3
    rects = []
    for _index, label in shown:
        origin = view.mapFromScene(label.pos())
        rects.append(QRectF(label.rect).translated(origin.x(), origin.y()))
    for a in range(len(rects)):
        for b in range(a + 1, len(rects)):
            assert not rects[a].intersects(rects[b])
    scale = view.transform().m11()
    for (index, _label), rect in zip(shown, rects, strict=True):
        for other, node in enumerate(view.items_by_index):
            radius = node.radius * scale
            if other == index or radius < 2.0:
                continue
            centre = view.mapFromScene(node.pos())
            near_x = min(max(centre.x(), rect.left()), rect.right()) - centre.x()
            near_y = min(max(centre.y(), rect.top()), rect.bottom()) - centre.y()
            assert near_x ** 2 + near_y ** 2 >= (radius - 1) ** 2


def test_the_best_time_heatmap_shows_its_colour_scale(qapp):
    import numpy as np

    from ui.predict.charts import Heatmap

    class Times:
        lift = np.linspace(0.8, 1.3, 7 * 24).reshape(7, 24)

    heatmap = Heatmap()
    heatmap.resize(480, 200)
    heatmap.set_times(Times())
    image = heatmap.grab().toImage()
    strong, weak = heatmap.colour(1.0), heatmap.colour(0.0)
    legend = [image.pixelColor(x, y) for y in range(200 - Heatmap.LEGEND, 200) for x in range(480)]
    assert strong in legend and weak in legend  # both ends of the scale are drawn under the hours
    middle = heatmap.colour(0.5)
    assert any(abs(c.red() - middle.red()) + abs(c.green() - middle.green()) + abs(c.blue() - middle.blue()) <= 6
               for c in legend)  # and the way between


def test_the_filters_take_one_row_when_wide_and_two_when_narrow(small_window, qtbot):
    feed = small_window.pages["feed"]

    def rows() -> int:
        centres = [w.mapTo(feed, w.rect().center()).y() for w in (feed.search, feed.unseen)]
        return 1 if abs(centres[0] - centres[1]) < feed.search.height() // 2 else 2

    assert rows() == 2
    small_window.resize(1500, 800)
    qtbot.waitUntil(lambda: rows() == 1)
    small_window.resize(SMALL)
    qtbot.waitUntil(lambda: rows() == 2)
    assert small_window.size() == SMALL


def test_the_heatmap_says_whose_posts_it_speaks_for():
    import numpy as np

    from ui.predict.charts import best_times_scope

    class Times:
        all_posts = 56429
        own_posts = np.zeros((7, 24), int)

    assert best_times_scope("@ana", Times()) == "From everyone's 56,429 settled posts: @ana has none yet."
    Times.own_posts[4, 11] = 48
    said = best_times_scope("@ana", Times())
    assert "For @ana: its 48 settled posts" in said and "Insights shows everyone's" in said
