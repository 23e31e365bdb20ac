"""Insights: the person's network as a map (network_map.py), and charts of what earns engagement in it.

The charts are matplotlib figures in its Qt canvas, coloured from the app's palette. All reading and layout
happens off the GUI thread.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from matplotlib.backends.backend_qtagg import FigureCanvasQTAgg
from matplotlib.figure import Figure
from PySide6.QtCore import QEvent, QStringListModel, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QIcon, QPalette, QPixmap
from PySide6.QtWidgets import (
    QCompleter,
    QFileDialog,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QSpinBox,
    QSplitter,
    QStackedWidget,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from discovery.insights import Chart, ChartStyle, EgoNetwork, Insights, compute_insights, draw_chart, save_png
from discovery.insights.network import build_ego_network
from discovery.settings import REGISTRY, Settings
from discovery.world import World
from ui.events import WorldEvents
from ui.insights.network_map import NetworkView
from ui.labels import plain_label
from ui.tasks import TaskRunner

CHART_HEIGHT = 360


def chart_style(palette: QPalette) -> ChartStyle:
    """Chart colours from the app's palette: dark or light defaults, with the palette's own base and text."""
    dark = palette.color(QPalette.ColorRole.Window).lightness() < 128
    base = ChartStyle.dark() if dark else ChartStyle.light()
    return replace(base, background=palette.color(QPalette.ColorRole.Base).name(),
                   foreground=palette.color(QPalette.ColorRole.Text).name(),
                   muted=palette.color(QPalette.ColorRole.PlaceholderText).name(),
                   grid=palette.color(QPalette.ColorRole.Midlight).name())


# --- charts ----------------------------------------------------------------------------------------------------


class ChartCanvas(FigureCanvasQTAgg):
    """The figure; the wheel scrolls the page around it instead of being swallowed by matplotlib."""

    def wheelEvent(self, event) -> None:
        event.ignore()


class ChartCard(QFrame):
    def __init__(self, chart: Chart, figure: Figure, save: Callable[[Chart], object],
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.chart = chart
        self.setObjectName("chartCard")
        self.canvas = ChartCanvas(figure)
        self.canvas.setMinimumSize(360, CHART_HEIGHT)
        self.canvas.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.canvas.setAccessibleName(chart.title)
        self.reading = plain_label(chart.reading)
        self.reading.setObjectName("chartReading")
        self.reading.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.save_button = QPushButton("Save as PNG…")
        self.save_button.clicked.connect(lambda: save(chart))
        row = QHBoxLayout()
        row.addWidget(self.reading, 1)
        row.addWidget(self.save_button, 0, Qt.AlignmentFlag.AlignTop)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 10)
        layout.addWidget(self.canvas)
        layout.addLayout(row)


# --- the page --------------------------------------------------------------------------------------------------


class InsightsPage(QWidget):
    open_account = Signal(str, bool)  # account pk, whether the person follows it
    ready = Signal()  # the network and charts are on screen (or the sentence saying why not)

    def __init__(self, world: World, tasks: TaskRunner, settings: Settings, parent: QWidget | None = None,
                 events: WorldEvents | None = None):
        super().__init__(parent)
        if events is not None:
            events.posts_arrived.connect(self._posts_arrived)
            events.settings_changed.connect(self._setting_changed)
        self.world = world
        self.tasks = tasks
        self.settings = settings
        self.insights: Insights | None = None
        self.cards: list[ChartCard] = []
        self._started = False
        self._restyle_pending = False

        self.status = plain_label("Open this tab to map your network.")
        self.status.setObjectName("hint")
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self._map_side(settings))
        splitter.addWidget(self._groups_side())
        splitter.setStretchFactor(0, 1)
        splitter.setSizes([900, 320])
        self.network_stack, self.network_message = _stack(splitter)
        self.charts_stack, self.charts_message = _stack(self._charts_side())
        self.sections = QTabWidget()
        self.sections.setDocumentMode(True)
        self.sections.addTab(self.network_stack, "Network")
        self.sections.addTab(self.charts_stack, "What earns engagement")
        layout = QVBoxLayout(self)
        layout.addWidget(self.status)
        layout.addWidget(self.sections, 1)

    def _map_side(self, settings: Settings) -> QWidget:
        """The map with its toolbar (find an account, how many accounts, fit) and how to read it."""
        self.search = QLineEdit(placeholderText="Find an account on the map")
        self.search.setClearButtonEnabled(True)
        self.names = QStringListModel(self)
        self.completer = QCompleter(self.names, self)
        self.completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.completer.setFilterMode(Qt.MatchFlag.MatchContains)
        self.search.setCompleter(self.completer)
        self.search.returnPressed.connect(lambda: self.find_account(self.search.text()))
        self.completer.activated.connect(self.find_account)
        setting = REGISTRY["insights.max_nodes"]
        self.size_box = QSpinBox()
        if setting.minimum is not None and setting.maximum is not None:
            self.size_box.setRange(int(setting.minimum), int(setting.maximum))
        self.size_box.setSingleStep(50)
        self.size_box.setValue(settings.insights.max_nodes)
        self.size_box.setToolTip(setting.description)
        self.size_box.editingFinished.connect(self._size_changed)
        fit = QPushButton("Fit")
        fit.setToolTip("Show the whole map")
        toolbar = QHBoxLayout()
        toolbar.addWidget(self.search, 1)
        toolbar.addWidget(QLabel("Accounts"))
        toolbar.addWidget(self.size_box)
        toolbar.addWidget(fit)
        self.view = NetworkView()
        self.view.node_clicked.connect(self._node_clicked)
        fit.clicked.connect(self.view.fit)
        self.map_hint = plain_label("Drag to pan, wheel to zoom, hover for an account's card, click to see its "
                                    "posts. Colour: group; size: closeness by PageRank; ringed: you follow them.")
        self.map_hint.setObjectName("hint")
        map_side = QWidget()
        map_layout = QVBoxLayout(map_side)
        map_layout.setContentsMargins(0, 0, 0, 0)
        map_layout.addLayout(toolbar)
        map_layout.addWidget(self.view, 1)
        map_layout.addWidget(self.map_hint)
        return map_side

    def _groups_side(self) -> QWidget:
        self.groups = QListWidget()
        self.groups.setIconSize(QPixmap(14, 14).size())
        self.groups.setWordWrap(True)
        self.groups.setToolTip("Click a group to show it on the map")
        self.groups.itemClicked.connect(self._group_clicked)
        groups_side = QWidget()
        groups_layout = QVBoxLayout(groups_side)
        groups_layout.setContentsMargins(0, 0, 0, 0)
        groups_layout.addWidget(_title("Groups in your network"))
        groups_layout.addWidget(self.groups, 1)
        return groups_side

    def _charts_side(self) -> QWidget:
        """A grid of chart cards, two a row, filled by `_show_charts`."""
        self.charts_grid = QGridLayout()
        self.charts_grid.setSpacing(12)
        charts_widget = QWidget()
        charts_widget.setLayout(self.charts_grid)
        self.charts_scroll = QScrollArea()
        self.charts_scroll.setWidget(charts_widget)
        self.charts_scroll.setWidgetResizable(True)
        self.charts_scroll.setFrameShape(QFrame.Shape.NoFrame)
        return self.charts_scroll

    # --- loading (off the GUI thread) --------------------------------------------------------------------------

    def activate(self) -> None:
        """Called when the tab is first shown: read the world and draw everything in the background."""
        if self._started:
            return
        self._started = True
        self.reload()

    def _posts_arrived(self, finished: bool) -> None:
        if finished:  # a sync ended (or r was pressed): not at every batch of posts, this page costs seconds
            self.refresh()

    def _setting_changed(self, key: str) -> None:
        value = self.settings.insights.max_nodes
        if key == "insights.max_nodes" and self.size_box.value() != value:  # changed elsewhere: the dialog
            self.size_box.setValue(value)
            self.refresh()

    def refresh(self) -> None:
        """The world changed (a sync or an import): draw again if the tab has been shown, else wait for it."""
        if self._started:
            self.reload()

    def reload(self) -> None:
        """Read and draw everything again; supersedes a reload or re-map still running."""
        style = chart_style(self.palette())
        max_nodes = self.size_box.value()
        self.status.setText("Mapping your network and reading what earns engagement…")

        def work() -> tuple[Insights, list[Figure]]:
            insights = compute_insights(self.world, max_nodes=max_nodes)
            return insights, [draw_chart(chart, style) for chart in insights.charts]

        def done(result: tuple[Insights, list[Figure]]) -> None:
            insights, figures = result
            self._show(insights, figures, style)

        def failed(error: Exception) -> None:
            self.status.setText(f"The insights could not be computed: {error}")
            self.ready.emit()

        self.tasks.run(work, done, failed, key=(self, "insights"))

    def _show(self, insights: Insights, figures: list[Figure], style: ChartStyle) -> None:
        self.insights = insights
        self._show_network(insights.network, style)
        self._show_charts(insights.charts, figures)
        if insights.empty:
            self.status.setText("Nothing to show yet.")
        else:
            network = insights.network
            groups = len(network.communities) if network else 0
            parts = [f"{len(network):,} accounts in {groups} group{'' if groups == 1 else 's'}" if network
                     else "no map", f"{len(insights.charts)} charts"]
            self.status.setText(" · ".join(parts) + ".")
            self.status.setToolTip(f"Read and drawn in {sum(insights.seconds.values()):.1f} seconds")
        self.ready.emit()

    def _show_network(self, network: EgoNetwork | None, style: ChartStyle) -> None:
        if network is None:
            self.network_message.setText(self.insights and self.insights.network_message or "")
            self.network_stack.setCurrentIndex(0)
            self.groups.clear()
            return
        self.network_stack.setCurrentIndex(1)
        self.view.show_network(network, style, self.palette())
        self.names.setStringList(sorted(network.nodes["username"].tolist(), key=str.lower))
        self.groups.clear()
        for community in network.communities:
            swatch = QPixmap(14, 14)
            swatch.fill(QColor(style.community_colour(community.index)))
            # Named as in the exported map: by the hashtags its members use more than the rest.
            accounts = " ".join(f"@{name}" for name in community.top_accounts)
            more = " ".join(f"#{tag}" for tag in community.top_hashtags[2:])
            lines = [f"{community.label} · {community.size:,} accounts", accounts] + ([f"also {more}"] if more else [])
            item = QListWidgetItem(QIcon(swatch), "\n".join(lines))
            item.setData(Qt.ItemDataRole.UserRole, community.index)
            self.groups.addItem(item)

    def _show_charts(self, charts: list[Chart], figures: list[Figure]) -> None:
        for card in self.cards:
            self.charts_grid.removeWidget(card)
            card.deleteLater()
        self.cards = []
        if not charts:
            self.charts_message.setText(self.insights and self.insights.charts_message or "")
            self.charts_stack.setCurrentIndex(0)
            return
        for position, (chart, figure) in enumerate(zip(charts, figures, strict=True)):
            card = ChartCard(chart, figure, self.save_chart)
            self.charts_grid.addWidget(card, position // 2, position % 2)
            self.cards.append(card)
        self.charts_stack.setCurrentIndex(1)

    def _size_changed(self) -> None:
        value = self.size_box.value()
        if value == self.settings.insights.max_nodes and self.insights is not None:
            return
        self.settings.set("insights.max_nodes", value)
        if not self._started:
            return
        style = chart_style(self.palette())
        self.status.setText(f"Mapping {value:,} accounts…")

        def done(network) -> None:
            self._show_network(network, style)
            self.status.setText(f"Mapped {len(network):,} accounts." if network else "")
            self.ready.emit()

        def failed(error: Exception) -> None:
            self.status.setText(f"The map could not be drawn: {error}")

        world = self.world
        self.tasks.run(lambda: build_ego_network(world.store, world.now(), value, world.directory / "insights"),
                       done, failed, key=(self, "insights"))

    # --- actions ---------------------------------------------------------------------------------------------

    def find_account(self, query: str) -> bool:
        network = self.view.network
        index = network.find(query) if network is not None else None
        if network is None or index is None:
            self.status.setText(f"No account matching “{query.strip()}” on this map.")
            return False
        self.view.centre_on(index)
        self.status.setText(f"@{network.nodes['username'].iloc[index]} is in the middle of the map.")
        return True

    def _node_clicked(self, index: int) -> None:
        if self.view.network is None:
            return
        row = self.view.network.nodes.iloc[index]
        if not row.is_me:
            self.open_account.emit(str(row.pk), bool(row.followed))

    def _group_clicked(self, item: QListWidgetItem) -> None:
        self.view.show_group(item.data(Qt.ItemDataRole.UserRole))

    def save_chart(self, chart: Chart, path: str | None = None) -> Path | None:
        """Save one chart (with its reading) as PNG; asks where unless `path` is given."""
        if path is None:
            path, _ = QFileDialog.getSaveFileName(self, "Save chart", str(Path.home() / f"{chart.key}.png"),
                                                  "PNG pictures (*.png)")
            if not path:
                return None
        target = Path(path) if Path(path).suffix.lower() == ".png" else Path(path).with_suffix(".png")
        try:
            save_png(draw_chart(chart, chart_style(self.palette()), with_reading=True), target)
        except OSError as exc:
            self.status.setText(f"Could not save {target.name}: {exc.strerror or exc}.")
            return None
        self.status.setText(f"Saved {target}.")
        return target

    # --- theme -----------------------------------------------------------------------------------------------

    def changeEvent(self, event) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange and self.insights is not None and not self._restyle_pending:
            self._restyle_pending = True
            QTimer.singleShot(0, self._restyle)

    def _restyle(self) -> None:
        """Redraw in the new theme's colours (from the numbers already read)."""
        self._restyle_pending = False
        if self.insights is None:
            return
        style = chart_style(self.palette())
        self._show_network(self.view.network if self.view.network is not None else None, style)
        self._show_charts(self.insights.charts, [draw_chart(chart, style) for chart in self.insights.charts])


def _title(label: str) -> QLabel:
    title = QLabel(label)
    title.setObjectName("panelTitle")
    return title


def _stack(content: QWidget) -> tuple[QStackedWidget, QLabel]:
    """A stack of [a sentence saying why there is nothing, the content]."""
    message = plain_label()
    message.setObjectName("emptyMessage")
    message.setAlignment(Qt.AlignmentFlag.AlignCenter)
    stack = QStackedWidget()
    stack.addWidget(message)
    stack.addWidget(content)
    return stack, message
