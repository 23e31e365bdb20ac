"""Predict: how many likes a draft will get, and which of several pictures will do best.

Choose the account, drop or pick 1–8 pictures, write the caption, pick the date and time; the candidates
come back ranked with their 80% interval and what moved each prediction. Beside them: the best time to
post and ten suggested hashtags. The model trains in the background the first time the tab opens.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QDateTime, QSize, Qt, QTimeZone, Signal
from PySide6.QtGui import QColor, QImage, QPixmap
from PySide6.QtWidgets import (
    QComboBox,
    QDateTimeEdit,
    QFileDialog,
    QFormLayout,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from discovery import text
from discovery.predict.predictor import (
    MAX_CANDIDATES,
    CandidatePrediction,
    PredictError,
    PredictionReport,
    Predictor,
    ensure_model,
)
from discovery.predict.table import hashtags_in
from discovery.progress import ProgressEvent
from discovery.settings import Settings
from discovery.world import World, WorldKind
from ui.events import WorldEvents
from ui.labels import plain_label
from ui.predict.charts import ContributionBars, Heatmap, best_times_scope
from ui.scroll import vertical_scroll
from ui.tasks import LONG, TaskRunner
from ui.throttle import Throttle

if TYPE_CHECKING:  # loaded with the hashtag index, in the background
    from discovery.predict.hashtags import BestTimes, HashtagIndex
    from discovery.predict.model import LikeModel
    from storage import Store

THUMB = QSize(96, 96)
IMAGE_FILTER = "Pictures (*.jpg *.jpeg *.png *.webp *.gif *.tif *.tiff *.bmp);;All files (*)"


class Candidates(QListWidget):
    """The chosen pictures as thumbnails; pictures dropped from the file manager join them."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setViewMode(QListWidget.ViewMode.IconMode)
        self.setIconSize(THUMB)
        self.setGridSize(QSize(THUMB.width() + 16, THUMB.height() + 30))
        self.setResizeMode(QListWidget.ResizeMode.Adjust)
        self.setMovement(QListWidget.Movement.Static)
        self.setAcceptDrops(True)
        self.setMinimumHeight(THUMB.height() + 44)
        self.setToolTip("Drop up to 8 pictures here, or use “Add pictures…”. Delete removes the selected one.")
        self.sources: list[bytes | str] = []

    def add(self, source: bytes | str, name: str) -> bool:
        if len(self.sources) >= MAX_CANDIDATES:
            return False
        image = QImage.fromData(source) if isinstance(source, bytes) else QImage(source)
        icon = QPixmap.fromImage(image.scaled(THUMB, Qt.AspectRatioMode.KeepAspectRatioByExpanding,
                                              Qt.TransformationMode.SmoothTransformation)) if not image.isNull() \
            else QPixmap(THUMB)
        if image.isNull():
            icon.fill(QColor("#c9ccd3"))
        item = QListWidgetItem(icon, name)
        item.setToolTip(name)
        self.addItem(item)
        self.sources.append(source)
        self.changed.emit()
        return True

    def names(self) -> list[str]:
        return [self.item(i).text() for i in range(self.count())]

    def remove_selected(self) -> None:
        for item in self.selectedItems():
            row = self.row(item)
            self.takeItem(row)
            del self.sources[row]
        self.changed.emit()

    def clear_all(self) -> None:
        self.clear()
        self.sources = []
        self.changed.emit()

    def keyPressEvent(self, event) -> None:
        if event.key() in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace):
            self.remove_selected()
        else:
            super().keyPressEvent(event)

    def dragEnterEvent(self, event) -> None:
        if event.mimeData().hasUrls():
            event.acceptProposedAction()

    dragMoveEvent = dragEnterEvent

    def dropEvent(self, event) -> None:
        for url in event.mimeData().urls():
            if url.isLocalFile():
                self.add(url.toLocalFile(), Path(url.toLocalFile()).name)
        event.acceptProposedAction()


class PredictPage(QWidget):
    predicted = Signal()  # a prediction is on screen

    def __init__(self, world: World, tasks: TaskRunner, settings: Settings, parent: QWidget | None = None,
                 events: WorldEvents | None = None):
        super().__init__(parent)
        if events is not None:
            events.posts_arrived.connect(self._posts_arrived)
        self.world = world
        self.settings = settings
        self.tasks = tasks
        self.predictor: Predictor | None = None
        self.index: HashtagIndex | None = None
        self.report: PredictionReport | None = None
        self._started = False

        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self._inputs(self._form(world)))
        splitter.addWidget(self._results_side())
        splitter.setSizes([520, 700])
        layout = QVBoxLayout(self)
        layout.addWidget(splitter)

        self._predict_later = Throttle(self.predict, 400, self)
        self.candidates.changed.connect(lambda: self._predict_later())
        self.caption.textChanged.connect(self._caption_changed)
        self.when.dateTimeChanged.connect(lambda _t: self._predict_later())
        self.account.currentIndexChanged.connect(lambda _i: self._account_changed())
        self._caption_changed()

    def _form(self, world: World) -> QFormLayout:
        """The draft: account, pictures, caption, posting time."""
        self.account = QComboBox(editable=True)
        self.account.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.account.setMinimumWidth(220)
        self.candidates = Candidates()
        add = QPushButton("Add pictures…")
        add.clicked.connect(self.choose_pictures)
        self.demo_button = QPushButton("Try 4 demo pictures")
        self.demo_button.setToolTip("Draw four candidate pictures for this account from the demo world")
        self.demo_button.clicked.connect(self.add_demo_candidates)
        self.demo_button.setVisible(world.kind is WorldKind.DEMO)
        clear = QPushButton("Clear")
        clear.clicked.connect(self.candidates.clear_all)
        buttons = QHBoxLayout()
        for button in (add, self.demo_button, clear):
            buttons.addWidget(button)
        buttons.addStretch(1)
        self.caption = QPlainTextEdit(placeholderText="Caption, with #hashtags and @mentions")
        self.caption.setMaximumHeight(110)
        self.hashtag_count = QLabel()
        self.hashtag_count.setObjectName("hint")
        self.when = QDateTimeEdit(calendarPopup=True)
        self.when.setDisplayFormat("yyyy-MM-dd HH:mm")
        self.when.setTimeZone(QTimeZone.systemTimeZone())
        now = QDateTime.fromSecsSinceEpoch(world.now() + 3600)
        self.when.setDateTime(now)
        form = QFormLayout()
        form.addRow("Account", self.account)
        form.addRow("Pictures", self.candidates)
        form.addRow("", buttons)
        form.addRow("Caption", self.caption)
        form.addRow("", self.hashtag_count)
        form.addRow("Posting time", self.when)
        return form

    def _inputs(self, form: QFormLayout) -> QWidget:
        """The left side: the draft, the model's state, the best times and the suggested hashtags."""
        self.status = plain_label()
        self.status.setObjectName("hint")
        self.heatmap = Heatmap()
        self.suggestions = QListWidget()
        self.suggestions.setToolTip("Click a hashtag to add it to the caption")
        self.suggestions.itemActivated.connect(self._add_hashtag)
        self.suggestions.itemClicked.connect(self._add_hashtag)
        inputs = QVBoxLayout()
        inputs.addLayout(form)
        inputs.addWidget(self.status)
        self.training = QProgressBar()
        self.training.hide()
        inputs.addWidget(self.training)
        inputs.addWidget(_title("Best time to post"))
        inputs.addWidget(self.heatmap)
        self.heatmap_note = QLabel()
        self.heatmap_note.setWordWrap(True)
        self.heatmap_note.setObjectName("hint")
        inputs.addWidget(self.heatmap_note)
        inputs.addWidget(_title("Suggested hashtags"))
        inputs.addWidget(self.suggestions, 1)
        self.suggestions.setMinimumHeight(140)
        inputs_widget = QWidget()
        inputs_widget.setLayout(inputs)
        left = vertical_scroll(inputs_widget)  # rather than make the window taller than a laptop screen
        left.setMinimumWidth(inputs_widget.minimumSizeHint().width() + 16)
        return left

    def _results_side(self) -> QWidget:
        """The right side: the candidates, best first (filled by `_show_results`)."""
        self.results = QVBoxLayout()
        self.results.addStretch(1)
        results_widget = QWidget()
        results_widget.setLayout(self.results)
        scroll = QScrollArea()
        scroll.setWidget(results_widget)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.addWidget(_title("Candidates, best first"))
        self.warnings = plain_label()
        self.warnings.setObjectName("hint")
        right_layout.addWidget(self.warnings)
        right_layout.addWidget(scroll, 1)
        return right

    # --- start-up: accounts, model, hashtags, best times (all off the GUI thread) ------------------------

    def activate(self) -> None:
        """Called when the tab is first shown: fill the accounts and start the background work."""
        if self._started:
            return
        self._started = True
        world, limits = self.world, self.settings.predict  # its store is opened on first use: off this thread
        if not self.account.count():
            self.account.setPlaceholderText("Reading the accounts…")
        self.tasks.run(lambda: _account_choices(world.store), self._fill_accounts, self._accounts_failed,
                       key=(self, "accounts"))
        self.status.setText("Preparing the like model for this world…")
        self.tasks.run(lambda report: ensure_model(world, progress=report, min_new_posts=limits.retrain_min_new_posts,
                                                   max_pictures=limits.max_pictures),
                       self._model_ready, self._model_failed, progress=self._training_progress, key=(self, "model"),
                       pool=LONG)

    def _posts_arrived(self, finished: bool) -> None:
        if finished:  # a sync ended (or r was pressed): not at every batch of posts, this page costs seconds
            self.refresh()

    def refresh(self) -> None:
        """New posts arrived (a sync finished): read the accounts again and retrain the model if enough is new."""
        if self._started:
            self._started = False
            self.activate()

    def _fill_accounts(self, choices: list[tuple[str, str]]) -> None:
        self.account.blockSignals(True)
        self.account.clear()
        for label, pk in choices:
            self.account.addItem(label, pk)
        self.account.setCurrentIndex(0)
        self.account.blockSignals(False)
        self._refresh_best_times()
        self._predict_later()

    def _accounts_failed(self, error: Exception) -> None:
        self.status.setText(f"The accounts could not be read: {error}")

    def _training_progress(self, event: ProgressEvent) -> None:
        self.status.setText("Training the like model. Until it is ready no picture gets a prediction of its "
                            "own; the account's usual likes are shown instead.")
        self.training.setRange(0, event.total or 0)  # no total: a busy bar
        self.training.setValue(min(event.done, event.total or 0))
        self.training.setFormat(f"{event.stage}: %v of %m" if event.total else event.stage)
        self.training.show()

    def _model_ready(self, model: LikeModel | None) -> None:
        self.training.hide()
        self.predictor = Predictor.for_world(self.world, model)
        trained = datetime.fromtimestamp(model.trained_at, UTC).strftime("%Y-%m-%d") if model else "never"
        self.status.setText(f"Like model trained on {model.n_posts:,} posts ({trained})." if model
                            else "Not enough posts to train a like model yet.")
        self._build_hashtag_index()

    def _model_failed(self, error: Exception) -> None:
        self.training.hide()
        self.predictor = Predictor.for_world(self.world)
        self.status.setText(f"The like model could not be trained: {error}")
        self._build_hashtag_index()

    def _build_hashtag_index(self) -> None:
        from discovery.predict.hashtags import HashtagIndex

        world = self.world
        pixel_cache = self.predictor.pixel_cache if self.predictor is not None else None
        self.tasks.run(lambda: HashtagIndex.build(world.store, world.images, pixel_cache),
                       self._index_ready, _ignore, key=(self, "hashtags"), pool=LONG)
        self._predict_later()

    def _index_ready(self, index: HashtagIndex) -> None:
        self.index = index
        self._suggest()

    def _refresh_best_times(self) -> None:
        from discovery.predict.hashtags import best_time_heatmap

        account = self.account.currentData()
        world = self.world
        self.tasks.run(lambda: best_time_heatmap(world.store, account), self._times_ready, _ignore,
                       key=(self, "best times"))

    def _times_ready(self, times: BestTimes) -> None:
        self.heatmap.set_times(times)
        self.heatmap_note.setText(best_times_scope(self.account.currentText().removesuffix(" (you)"), times))

    # --- inputs ------------------------------------------------------------------------------------------

    def choose_pictures(self) -> None:
        names, _ = QFileDialog.getOpenFileNames(self, "Candidate pictures", str(Path.home()), IMAGE_FILTER)
        for name in names:
            self.candidates.add(name, Path(name).name)

    def add_demo_candidates(self) -> None:
        from discovery.demo import candidate_images

        account = self.account.currentData()
        start = self.candidates.count()
        for i, candidate in enumerate(candidate_images(self.world, account, n=4, seed=start)):
            self.candidates.add(candidate.jpeg, f"demo picture {start + i + 1}")

    def _caption_changed(self) -> None:
        tags = hashtags_in(self.caption.toPlainText())
        self.hashtag_count.setText(f"{len(tags)} hashtag{'' if len(tags) == 1 else 's'}"
                                   + (" — Instagram allows 30" if len(tags) > 30 else ""))
        self._suggest()
        self._predict_later()

    def _account_changed(self) -> None:
        self._refresh_best_times()
        self._predict_later()

    def _add_hashtag(self, item: QListWidgetItem) -> None:
        tag = item.data(Qt.ItemDataRole.UserRole)
        caption = self.caption.toPlainText().rstrip()
        if tag not in hashtags_in(caption):
            self.caption.setPlainText(f"{caption} #{tag}".strip())

    def _suggest(self) -> None:
        if self.index is None:
            return
        pixels = [c.pixels for c in (self.report.candidates if self.report else ()) if c.pixels is not None]
        self.suggestions.clear()
        for s in self.index.suggest(self.caption.toPlainText(), pixels, n=10):
            likes = "–" if s.typical_likes != s.typical_likes else text.compact(s.typical_likes)
            item = QListWidgetItem(f"#{s.tag}    {s.posts:,} posts · typically {likes} likes · {s.source}")
            item.setData(Qt.ItemDataRole.UserRole, s.tag)
            self.suggestions.addItem(item)

    # --- prediction --------------------------------------------------------------------------------------

    def predict(self) -> None:
        if not self.candidates.sources or self.account.currentData() is None:
            self._show_results(None)
            return
        predictor = self.predictor or Predictor.for_world(self.world)
        self.predictor = predictor
        account, sources, names = self.account.currentData(), list(self.candidates.sources), self.candidates.names()
        caption, when = self.caption.toPlainText(), self.when.dateTime().toSecsSinceEpoch()
        horizon = self.settings.predict.horizon_days

        def failed(error: Exception) -> None:
            self.warnings.setText(str(error) if isinstance(error, PredictError) else f"The prediction failed: {error}")

        self.tasks.run(lambda: predictor.predict(account, sources, caption, when, horizon_days=horizon, names=names),
                       self._show_results, failed, key=(self, "predict"))

    def _show_results(self, report: PredictionReport | None) -> None:
        self.report = report
        while self.results.count() > 1 and (item := self.results.takeAt(0)) is not None:
            widget = item.widget()
            if widget is not None:
                widget.deleteLater()
        if report is None:
            self.warnings.setText("Add 1 to 8 pictures to see how many likes each would get.")
            return
        self.warnings.setText(" ".join(report.warnings) or
                              f"Usual likes for this account: about {text.compact(report.baseline_likes)} "
                              f"({report.history_posts} earlier posts). Predicted {report.horizon_days:g} "
                              f"day{'' if report.horizon_days == 1 else 's'} after posting.")
        for position, candidate in enumerate(report.ranked()):
            self.results.insertWidget(position, self._result_card(candidate))
        self._suggest()
        self.predicted.emit()

    def _result_card(self, candidate: CandidatePrediction) -> QFrame:
        card = QFrame()
        card.setObjectName("resultCard")
        card.setFrameShape(QFrame.Shape.StyledPanel)
        grid = QGridLayout(card)
        source = self.candidates.sources[candidate.index] if candidate.index < len(self.candidates.sources) else None
        picture = QLabel()
        image = QImage.fromData(source) if isinstance(source, bytes) else QImage(str(source or ""))
        if not image.isNull():
            picture.setPixmap(QPixmap.fromImage(image.scaled(THUMB, Qt.AspectRatioMode.KeepAspectRatio,
                                                             Qt.TransformationMode.SmoothTransformation)))
        grid.addWidget(picture, 0, 0, 3, 1, alignment=Qt.AlignmentFlag.AlignTop)
        if candidate.error:
            grid.addWidget(plain_label(f"{candidate.name}: {candidate.error}"), 0, 1)
            return card
        report = self.report
        if report is not None and not report.has_model:  # no model yet: no number of its own
            usual = report.usual
            grid.addWidget(plain_label("No prediction yet", wrap=False), 0, 1)
            grid.addWidget(plain_label(
                f"{candidate.name} · waiting for the like model. This account's posts usually get about "
                f"{usual[0]:,.0f} likes (80% between {usual[1]:,.0f} and {usual[2]:,.0f})." if usual else
                f"{candidate.name} · waiting for the like model."), 1, 1)
            grid.setColumnStretch(1, 1)
            return card
        headline = plain_label(f"#{candidate.rank}  ≈ {candidate.likes:,.0f} likes", wrap=False)
        headline.setObjectName("detailAuthor")
        grid.addWidget(headline, 0, 1)
        share = report.settled_share if report is not None else 1.0
        when = "once settled" if share >= 0.95 else f"{share:.0%} of its settled count"
        interval = plain_label(f"{candidate.name} · likes {when} · 80% between {candidate.low:,.0f} and "
                               f"{candidate.high:,.0f}")
        interval.setObjectName("hint")
        grid.addWidget(interval, 1, 1)
        if candidate.contributions:
            grid.addWidget(ContributionBars(candidate.contributions), 2, 1)
        grid.setColumnStretch(1, 1)
        return card


def _account_choices(store: Store) -> list[tuple[str, str]]:
    """(label, pk) of the accounts to predict for, the person first, then by followers (read off the GUI
    thread)."""
    accounts = store.accounts_frame().sort_values("follower_count", ascending=False, na_position="last")
    me = store.me()
    choices = []
    if me is not None:
        mine = accounts[accounts["pk"] == me]
        if len(mine):
            choices.append((f"@{mine.iloc[0].username} (you)", me))
    for row in accounts.head(2000).itertuples():
        if row.pk != me:
            choices.append((f"@{row.username}", row.pk))
    return choices


def _ignore(_error: Exception) -> None:
    """Best times and hashtag suggestions are extras: without them the page still predicts."""


def _title(label: str) -> QLabel:
    title = QLabel(label)
    title.setObjectName("panelTitle")
    return title
