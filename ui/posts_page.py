"""A tab of ranked posts (Feed or Explore): filters, the card view, the detail view, the “why” panel and
the live ranking settings."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, QDate, QItemSelectionModel, QSize, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QTabWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from discovery import memory
from discovery.browse import Browser, PostFilter
from ui.detail import DetailView
from ui.events import WorldEvents
from ui.labels import plain_label
from ui.posts import PostListModel, PostListView
from ui.ranking_panel import RankingPanel
from ui.tasks import TaskRunner
from ui.throttle import Throttle
from ui.thumbnails import ThumbnailLoader
from ui.why_panel import WhyPanel

if TYPE_CHECKING:  # loaded after the first paint of a kept list
    import pandas as pd

    from discovery.ranking import Ranking

MEDIA_LABELS = {"all": "All media", "photo": "Photos", "video": "Videos", "carousel": "Carousels"}


class PostsPage(QWidget):
    ranked = Signal(int)  # rows shown, after every (re-)rank or filter

    def __init__(self, kind: str, browser: Browser, tasks: TaskRunner, loader: ThumbnailLoader,
                 allow_network: bool, parent: QWidget | None = None, events: WorldEvents | None = None):
        super().__init__(parent)
        self.kind = kind
        self.browser = browser
        self.tasks = tasks
        if events is None:  # a page on its own: its own hub, told of the settings' changes
            events = WorldEvents(self)
            events.follow(browser.settings)
        self.events = events
        self.allow_network = allow_network
        self.ranking: Ranking | None = None
        self.frame: pd.DataFrame | None = None  # the ranking's rows the filters let through

        self._filter_fields()
        self._filter_rows()
        self._list_stack(browser, tasks, loader, allow_network)
        self.detail.changed.connect(self.rerank)
        self.detail.changed.connect(self._announce)
        self.events.interactions_changed.connect(self._changed_elsewhere)
        self.events.settings_changed.connect(self._setting_changed)
        self.events.posts_arrived.connect(self.rerank)
        self.events.model_retrained.connect(self.rerank)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(self.stack)
        self.splitter.addWidget(self._side(browser))
        self.splitter.setStretchFactor(0, 1)
        self.splitter.setSizes([1000, 320])

        self.rows = QVBoxLayout(self)
        self.rows.setContentsMargins(8, 8, 8, 0)
        self.rows.addLayout(self.filters)
        self.rows.addWidget(self.more_filters)
        self.rows.addWidget(self.splitter, 1)
        status = QHBoxLayout()
        status.addWidget(self.count)
        status.addStretch(1)
        self.rows.addLayout(status)

        self._refilter = Throttle(self.apply_filter, 150, self)
        self._rerank = Throttle(self._follow_ranking_settings, 100, self)
        self.search.textChanged.connect(lambda _t: self._refilter())
        self.author.textChanged.connect(lambda _t: self._refilter())
        self.hashtag.currentTextChanged.connect(lambda _t: self._refilter())
        for signal in (self.media.currentIndexChanged, self.sort.currentIndexChanged, self.unseen.toggled,
                       self.dates.toggled, self.since.dateChanged, self.until.dateChanged):
            signal.connect(lambda *_: self._refilter())
        self.layout_button.toggled.connect(self.set_list_mode)

    def _filter_fields(self) -> None:
        self.search = QLineEdit(placeholderText="Search captions and names   ( / )", clearButtonEnabled=True)
        self.author = QLineEdit(placeholderText="Author", clearButtonEnabled=True)
        self.author.setMaximumWidth(160)
        self.hashtag = QComboBox(editable=True)
        if (hashtag_edit := self.hashtag.lineEdit()) is not None:  # an editable combo box always has one
            hashtag_edit.setPlaceholderText("#hashtag")
            hashtag_edit.setClearButtonEnabled(True)
        self.hashtag.setMinimumWidth(150)
        self.media = QComboBox()
        for key, label in MEDIA_LABELS.items():
            self.media.addItem(label, key)
        self.dates = QCheckBox("Between")
        self.since, self.until = QDateEdit(), QDateEdit()
        for edit in (self.since, self.until):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
            edit.setEnabled(False)
        self.dates.toggled.connect(self.since.setEnabled)
        self.dates.toggled.connect(self.until.setEnabled)
        self.unseen = QCheckBox("Unseen only")
        self.sort = QComboBox()
        self.sort.addItem("Best first", "score")
        self.sort.addItem("Newest first", "time")
        self.layout_button = QToolButton()
        self.layout_button.setText("List")
        self.layout_button.setCheckable(True)
        self.layout_button.setToolTip("Show posts as a list instead of a grid")
        self.count = QLabel()
        self.count.setObjectName("hint")

    def _filter_rows(self) -> None:
        """Search, author, hashtag and media on the first row; the rest beside them or on a row of its own."""
        self.search.setMinimumWidth(self.search.fontMetrics().horizontalAdvance(self.search.placeholderText()) + 40)
        self.filters = QHBoxLayout()
        for field in (self.search, self.author, self.hashtag, self.media):
            self.filters.addWidget(field)
        self.filters.setStretch(0, 1)
        # Dates, unseen, order and layout: on the same row when the page is wide enough, else on a second one.
        self.more_filters = _Squeezable()
        more = QHBoxLayout(self.more_filters)
        more.setContentsMargins(0, 0, 0, 0)
        for control in (self.dates, self.since, self.until, self.unseen):
            more.addWidget(control)
        more.addStretch(1)
        more.addWidget(self.sort)
        more.addWidget(self.layout_button)
        self._one_filter_row = False  # two rows until the first resize says there is room: a narrow start fits

    def _list_stack(self, browser: Browser, tasks: TaskRunner, loader: ThumbnailLoader, allow_network: bool) -> None:
        """The cards, the sentence shown instead when there are none, and the detail view, one at a time."""
        self.model = PostListModel(self)
        self.view = PostListView(loader, self._source_for, self)
        self.view.setModel(self.model)
        self.view.setAccessibleName(f"{self.kind.title()} posts")
        self.view.opened.connect(self.open_row)
        self.view.selectionModel().currentChanged.connect(lambda current, _old: self._selected(current.row()))
        self.empty = plain_label()
        self.empty.setObjectName("emptyMessage")
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.clear_button = QPushButton("Clear filters")
        self.clear_button.clicked.connect(self.clear_filters)
        self.empty_page = QWidget()
        empty_layout = QVBoxLayout(self.empty_page)
        empty_layout.addStretch(1)
        empty_layout.addWidget(self.empty)
        empty_layout.addWidget(self.clear_button, 0, Qt.AlignmentFlag.AlignHCenter)
        empty_layout.addStretch(2)
        self.detail = DetailView(browser, tasks, allow_network)
        self.detail.back.connect(self.close_detail)
        self.detail.filter_requested.connect(self.filter_by)
        self.stack = QStackedWidget()
        for widget in (self.view, self.empty_page, self.detail):
            self.stack.addWidget(widget)

    def _side(self, browser: Browser) -> QTabWidget:
        """Why this post, and the live ranking settings."""
        self.why = WhyPanel()
        self.panel = RankingPanel(browser.settings)
        self.panel.changed.connect(self._settings_moved)
        self.side = QTabWidget()
        self.side.addTab(self.why, "Why")
        self.side.addTab(self.panel, "Ranking")
        self.side.setMinimumWidth(260)
        return self.side

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        others = (self.author, self.hashtag, self.media, self.more_filters)
        wanted = self.search.minimumWidth() + sum(w.sizeHint().width() + self.filters.spacing() for w in others)
        one_row = self.width() >= wanted + 16
        if one_row != self._one_filter_row:
            self._one_filter_row = one_row
            if one_row:
                self.rows.removeWidget(self.more_filters)
                self.filters.addWidget(self.more_filters)
            else:
                self.filters.removeWidget(self.more_filters)
                self.rows.insertWidget(1, self.more_filters)

    # --- ranking and filtering -------------------------------------------------------------------------

    def show_kept(self) -> bool:
        """Paint the list as the last ranking kept it, before pandas and the ranker load (at start), when the
        filters let every post through in ranked order. Whether it did: `rerank()` then brings its Ranking (the
        explanations, the filters), with the rows, scroll position and selection left as they are."""
        if self.current_filter() != PostFilter() or self.ranking is not None:
            return False
        kept = self.browser.kept_list(self.kind)
        if kept is None or not len(kept):
            return False
        self.model.set_frame(kept.columns, lambda _row: "")
        self.stack.setCurrentWidget(self.view)
        self.count.setText(self._count_text(len(kept), len(kept)))
        return True

    def rerank(self) -> None:
        """Rank again in the background; a newer request supersedes this one's result."""
        kind, browser = self.kind, self.browser

        def rank() -> Ranking:
            # here, on a worker: the ranker's module (and pandas) may not be loaded yet
            return browser.rank(kind, browser.params())

        self.tasks.run(rank, self._show_ranking, self._failed, key=(self, "rank"))

    def _announce(self) -> None:
        """An action here: the other pages rank again too."""
        self.events.interactions_changed.emit(self)

    def _changed_elsewhere(self, source: QWidget) -> None:
        if source is not self:
            self.rerank()

    def _settings_moved(self) -> None:
        self.browser.settings.save()  # every page (this one too) hears of it through events.settings_changed

    def _setting_changed(self, key: str) -> None:
        """A ranking setting moved, on this page's panel or another's (in any window): rank again, throttled."""
        if key.startswith("ranking."):
            self._rerank()

    def _follow_ranking_settings(self) -> None:
        self.panel.load()  # show what was set elsewhere
        self.rerank()

    def _show_ranking(self, ranking: Ranking) -> None:
        self.ranking = ranking
        self.panel.set_note(self.browser.ranking_note())
        if self.hashtag.count() == 0:
            self._fill_hashtags()
        self.apply_filter()

    def _fill_hashtags(self) -> None:
        text = self.hashtag.currentText()
        self.hashtag.blockSignals(True)
        self.hashtag.clear()
        self.hashtag.addItem("")
        for tag in self.browser.interests(30):
            self.hashtag.addItem(f"#{tag}")
        self.hashtag.setCurrentText(text)
        self.hashtag.blockSignals(False)

    def current_filter(self) -> PostFilter:
        since = until = None
        if self.dates.isChecked():
            since = _epoch(self.since.date())
            until = _epoch(self.until.date()) + 86399
        return PostFilter(author=self.author.text().strip(), hashtag=self.hashtag.currentText().strip().lstrip("#"),
                          text=self.search.text().strip(), since=since, until=until,
                          media=self.media.currentData(), unseen_only=self.unseen.isChecked(),
                          sort=self.sort.currentData())

    def apply_filter(self) -> None:
        ranking = self.ranking
        if ranking is None:
            return
        current = self._current_post_id()
        self.frame = frame = self.browser.filtered(ranking, self.current_filter())
        rows = frame.index
        positions = dict(zip(ranking.frame["id"].tolist(), range(len(ranking)), strict=True))
        self._ranking_rows = [positions[i] for i in frame["id"].tolist()]
        self.model.set_frame(frame, lambda row: ranking.why(self._ranking_rows[row]))
        memory.release()  # the list shown before, and the copies this one was made from
        if self.stack.currentWidget() is not self.detail:
            self.stack.setCurrentWidget(self.view if len(rows) else self.empty_page)
        if not len(rows):
            filtered_out = len(ranking) > 0
            self.empty.setText("No post matches these filters." if filtered_out
                               else ranking.message or "Nothing to show yet.")
            self.clear_button.setVisible(filtered_out)
        self.count.setText(self._count_text(len(rows), len(ranking)))
        if current is not None and (row := self.model.row_of(current)) is not None:
            index = self.model.index(row)
            self.view.selectionModel().setCurrentIndex(index, QItemSelectionModel.SelectionFlag.ClearAndSelect)
        else:
            self.why.show_nothing()
        self.ranked.emit(len(rows))

    @staticmethod
    def _count_text(shown: int, total: int) -> str:
        noun = "post" if total == 1 else "posts"
        return f"{total:,} {noun} ranked" if shown == total else f"{shown:,} of {total:,} {noun} match the filters"

    def _failed(self, error: Exception) -> None:
        self.empty.setText(f"Ranking failed: {error}")
        self.clear_button.setVisible(False)
        self.stack.setCurrentWidget(self.empty_page)

    def filter_by(self, kind: str, value: str) -> None:
        """Show only this hashtag's or this author's posts (from a link in the detail view)."""
        self.close_detail()
        if kind == "hashtag":
            self.hashtag.setCurrentText(f"#{value}")
        else:
            self.author.setText(value)
        self._refilter.flush()

    def clear_filters(self) -> None:
        for edit in (self.search, self.author):
            edit.clear()
        self.hashtag.setCurrentText("")
        self.media.setCurrentIndex(0)
        self.dates.setChecked(False)
        self.unseen.setChecked(False)
        self._refilter.flush()

    # --- selection and detail --------------------------------------------------------------------------

    def _current_post_id(self) -> int | None:
        index = self.view.currentIndex()
        return self.model.item(index.row()).post_id if index.isValid() else None

    def _selected(self, row: int) -> None:
        if self.ranking is not None and 0 <= row < self.model.rowCount():
            self.why.show_item(self.ranking, self._ranking_rows[row])

    def open_row(self, row: int) -> None:
        if not 0 <= row < self.model.rowCount():
            return
        item = self.model.item(row)
        self.view.setCurrentIndex(self.model.index(row))
        self.detail.show_post(item.post_id)
        self.detail.set_numbers(item.likes, item.comments, item.age_s)
        self.stack.setCurrentWidget(self.detail)
        self.detail.setFocus()

    def close_detail(self) -> None:
        if self.stack.currentWidget() is self.detail:
            self.stack.setCurrentWidget(self.view if self.model.rowCount() else self.empty_page)
            self.view.setFocus()

    @property
    def in_detail(self) -> bool:
        return self.stack.currentWidget() is self.detail

    def set_list_mode(self, as_list: bool) -> None:
        self.layout_button.blockSignals(True)
        self.layout_button.setChecked(as_list)
        self.layout_button.blockSignals(False)
        self.layout_button.setText("Grid" if as_list else "List")
        self.view.set_grid(not as_list)

    def _source_for(self, pk: str):
        return lambda: self.browser.image_path(pk, self.allow_network)

    # --- state kept between runs -----------------------------------------------------------------------

    def state(self) -> dict:
        return {"search": self.search.text(), "author": self.author.text(), "hashtag": self.hashtag.currentText(),
                "media": self.media.currentData(), "unseen": self.unseen.isChecked(),
                "sort": self.sort.currentData(), "dates": self.dates.isChecked(),
                "since": self.since.date().toString(Qt.DateFormat.ISODate),
                "until": self.until.date().toString(Qt.DateFormat.ISODate),
                "list": self.layout_button.isChecked(), "side_tab": self.side.currentIndex(),
                "splitter": self.splitter.saveState().toBase64().toStdString()}

    def restore(self, state: dict) -> None:
        self.search.setText(state.get("search", ""))
        self.author.setText(state.get("author", ""))
        self.hashtag.setCurrentText(state.get("hashtag", ""))
        self.media.setCurrentIndex(max(0, self.media.findData(state.get("media", "all"))))
        self.unseen.setChecked(bool(state.get("unseen", False)))
        self.sort.setCurrentIndex(max(0, self.sort.findData(state.get("sort", "score"))))
        self.dates.setChecked(bool(state.get("dates", False)))
        for edit, key in ((self.since, "since"), (self.until, "until")):
            date = QDate.fromString(state.get(key, ""), Qt.DateFormat.ISODate)
            if date.isValid():
                edit.setDate(date)
        self.set_list_mode(bool(state.get("list", False)))
        if state.get("splitter"):
            self.splitter.restoreState(QByteArray.fromBase64(state["splitter"].encode()))
        self.side.setCurrentIndex(int(state.get("side_tab", 0)))

    def set_date_bounds(self, now: int) -> None:
        today = datetime.fromtimestamp(now, UTC).date()
        for edit in (self.since, self.until):
            edit.setMaximumDate(QDate(today.year, today.month, today.day))
        if not self.dates.isChecked():
            self.until.setDate(QDate(today.year, today.month, today.day))
            self.since.setDate(QDate(today.year, today.month, today.day).addDays(-7))


class _Squeezable(QWidget):
    """The second group of filters asks for no minimum width, so that the row it sits on never holds the
    window wider than asked: the page moves it to its own row as soon as it is squeezed."""

    def minimumSizeHint(self) -> QSize:
        return QSize(0, super().minimumSizeHint().height())


def _epoch(date: QDate) -> int:
    return int(datetime(date.year(), date.month(), date.day(), tzinfo=UTC).timestamp())

