"""Insights: the person's network as a map, and charts of what earns engagement in it.

The map is a QGraphicsView built to stay fluid at a few thousand accounts: one plain item per account (no
effects), every edge in one item painted as opaque hairlines (blended lines cost ~25× more in Qt's raster
engine), antialiasing only when zoomed in, and fixed-size labels for the closest accounts only. The charts
are matplotlib figures in its Qt canvas, coloured from the app's palette. All reading and layout happens
off the GUI thread.
"""

from __future__ import annotations

import html
from dataclasses import replace
from pathlib import Path

import numpy as np
from matplotlib.backends.backend_qtagg import FigureCanvasQTAgg
from PySide6.QtCore import QEvent, QLineF, QPointF, QRectF, QStringListModel, Qt, QTimer, Signal
from PySide6.QtGui import QBrush, QColor, QFont, QFontMetricsF, QIcon, QPainter, QPalette, QPen, QPixmap
from PySide6.QtWidgets import (
    QCompleter,
    QFileDialog,
    QFrame,
    QGraphicsEllipseItem,
    QGraphicsItem,
    QGraphicsScene,
    QGraphicsView,
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
    QStyleOptionGraphicsItem,
    QTabWidget,
    QToolTip,
    QVBoxLayout,
    QWidget,
)

from discovery.insights import Chart, ChartStyle, EgoNetwork, Insights, compute_insights, draw_chart, save_png
from discovery.insights.network import build_ego_network
from discovery.settings import REGISTRY, Settings
from discovery.world import World
from ui.events import WorldEvents
from ui.labels import plain_label
from ui.tasks import TaskRunner

LABELS = 16  # at most this many accounts named on the map at once
LABEL_CANDIDATES = 400  # the closest accounts that may get a name, when there is room
MIN_SCALE, MAX_SCALE = 0.05, 12.0
CHART_HEIGHT = 360


def chart_style(palette: QPalette) -> ChartStyle:
    """Chart colours from the app's palette: dark or light defaults, with the palette's own base and text."""
    dark = palette.color(QPalette.ColorRole.Window).lightness() < 128
    base = ChartStyle.dark() if dark else ChartStyle.light()
    return replace(base, background=palette.color(QPalette.ColorRole.Base).name(),
                   foreground=palette.color(QPalette.ColorRole.Text).name(),
                   muted=palette.color(QPalette.ColorRole.PlaceholderText).name(),
                   grid=palette.color(QPalette.ColorRole.Midlight).name())


def _mix(a: QColor, b: QColor, share: float) -> QColor:
    return QColor(round(a.red() + (b.red() - a.red()) * share), round(a.green() + (b.green() - a.green()) * share),
                  round(a.blue() + (b.blue() - a.blue()) * share))


# --- the map ---------------------------------------------------------------------------------------------------


class NodeItem(QGraphicsItem):
    """One account: a filled circle, ringed when the person follows it. No effects, no child items."""

    def __init__(self, index: int, radius: float, fill: QColor, ring: QColor | None):
        super().__init__()
        self.index = index
        self.radius = radius
        self.brush = QBrush(fill)
        self.pen = QPen(ring, 0) if ring is not None else QPen(Qt.PenStyle.NoPen)
        self.setCursor(Qt.CursorShape.PointingHandCursor)

    def boundingRect(self) -> QRectF:
        r = self.radius + 1
        return QRectF(-r, -r, 2 * r, 2 * r)

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget=None) -> None:
        lod = option.levelOfDetailFromTransform(painter.worldTransform())
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, lod * self.radius >= 3)
        painter.setPen(self.pen)
        painter.setBrush(self.brush)
        painter.drawEllipse(QPointF(0, 0), self.radius, self.radius)


class EdgesItem(QGraphicsItem):
    """Every drawn edge in one item: opaque hairlines, antialiased only when zoomed in."""

    def __init__(self, lines: list[QLineF], rect: QRectF, colour: QColor):
        super().__init__()
        self.lines = lines
        self.rect = rect
        self.pen = QPen(colour, 0)
        self.setZValue(-1)
        self.setAcceptedMouseButtons(Qt.MouseButton.NoButton)

    def boundingRect(self) -> QRectF:
        return self.rect

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget=None) -> None:
        lod = option.levelOfDetailFromTransform(painter.worldTransform())
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, lod >= 1.5)
        painter.setPen(self.pen)
        painter.drawLines(self.lines)


class LabelItem(QGraphicsItem):
    """An account's name beside its node, on a faint plate so it reads over edges and other nodes. It keeps
    its size at any zoom (ItemIgnoresTransformations); plain text only (names are untrusted)."""

    def __init__(self, text: str, font: QFont, colour: QColor, plate: QColor):
        super().__init__()
        self.text = text
        self.font = font
        self.colour = colour
        self.plate = QColor(plate)
        self.plate.setAlpha(200)
        self.set_text(text)
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIgnoresTransformations, True)
        self.setAcceptedMouseButtons(Qt.MouseButton.NoButton)
        self.setZValue(5)

    def set_text(self, text: str) -> None:
        metrics = QFontMetricsF(self.font)
        self.text = text
        self.place(QPointF(8, -metrics.height() - 4))

    def place(self, top_left: QPointF) -> None:
        """Put the plate's top left corner this many pixels from the node."""
        self.prepareGeometryChange()
        metrics = QFontMetricsF(self.font)
        self.rect = QRectF(top_left.x(), top_left.y(), metrics.horizontalAdvance(self.text) + 8, metrics.height() + 2)

    def boundingRect(self) -> QRectF:
        return self.rect

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget=None) -> None:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(self.plate)
        painter.drawRoundedRect(self.rect, 3, 3)
        painter.setFont(self.font)
        painter.setPen(self.colour)
        painter.drawText(self.rect, Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextSingleLine, self.text)


class NetworkView(QGraphicsView):
    """Pan by dragging, zoom with the wheel (about the pointer), a card on hover, a signal on click."""

    node_clicked = Signal(int)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setScene(QGraphicsScene(self))
        self.setDragMode(QGraphicsView.DragMode.ScrollHandDrag)
        self.setTransformationAnchor(QGraphicsView.ViewportAnchor.AnchorUnderMouse)
        self.setViewportUpdateMode(QGraphicsView.ViewportUpdateMode.SmartViewportUpdate)
        self.setOptimizationFlag(QGraphicsView.OptimizationFlag.DontSavePainterState, True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.network: EgoNetwork | None = None
        self.items_by_index: list[NodeItem] = []
        self.marker: QGraphicsEllipseItem | None = None
        self._press = None
        self._auto_fit = True  # keep the whole map in view until the person zooms or pans
        self.labels: dict[int, LabelItem] = {}
        self._relabel = QTimer(self, singleShot=True, interval=30)
        self._relabel.timeout.connect(self.place_labels)

    def show_network(self, network: EgoNetwork, style: ChartStyle, palette: QPalette) -> None:
        scene = self.scene()
        scene.clear()
        self.network = network
        self.items_by_index = []
        nodes = network.nodes
        extent = 36.0 * np.sqrt(max(len(nodes), 1))
        xy = nodes[["x", "y"]].to_numpy() * extent
        background = palette.color(QPalette.ColorRole.Base)
        text = palette.color(QPalette.ColorRole.Text)
        rect = QRectF(-extent - 40, -extent - 40, 2 * extent + 80, 2 * extent + 80)
        # Room around the map, so that any account (even one on the rim) can be brought to the centre.
        scene.setSceneRect(rect.adjusted(-3 * extent, -3 * extent, 3 * extent, 3 * extent))
        scene.setBackgroundBrush(background)
        drawn = network.edges[network.backbone]
        lines = [QLineF(*xy[a], *xy[b]) for a, b in drawn.tolist()]
        scene.addItem(EdgesItem(lines, rect, _mix(background, QColor(style.edge), 0.35)))
        colours = [QColor(c) for c in style.palette]
        other = QColor(style.muted)
        for index, row in enumerate(nodes.itertuples(index=False)):
            if row.is_me:
                item = NodeItem(index, 18.0, text, background)
            else:
                fill = colours[row.community] if 0 <= row.community < len(colours) else other
                item = NodeItem(index, 4.0 + 14.0 * float(row.size), fill, text if row.followed else None)
            item.setPos(*xy[index])
            item.setZValue(1 + float(row.size))
            scene.addItem(item)
            self.items_by_index.append(item)
        self.labels = {}
        self._xy = xy
        self._radius = np.array([item.radius for item in self.items_by_index])
        self._label_order = np.argsort(nodes["position"].to_numpy(), kind="stable")[:LABEL_CANDIDATES]
        self._label_colours = (text, background)
        # The found account: a dark ring inside a light one reads on any node colour; its name on a plate.
        self.marker = scene.addEllipse(QRectF(-15, -15, 30, 30), QPen(background, 6))
        inner = QGraphicsEllipseItem(QRectF(-15, -15, 30, 30), self.marker)
        inner.setPen(QPen(text, 2.5))
        self.marker.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIgnoresTransformations, True)
        self.marker.setZValue(10)
        self.marker.setVisible(False)
        self.marker_label = LabelItem("", self.font(), text, background)
        self.marker_label.setZValue(11)
        self.marker_label.setVisible(False)
        scene.addItem(self.marker_label)
        self.fit()

    def fit(self) -> None:
        """The whole map in view (and kept so while the view is resized, until the person zooms or pans)."""
        self._auto_fit = True
        bounds = QRectF()
        for item in self.items_by_index:
            bounds = bounds.united(item.sceneBoundingRect())
        if not bounds.isEmpty():
            self.fitInView(bounds.adjusted(-20, -20, 20, 20), Qt.AspectRatioMode.KeepAspectRatio)
        self._relabel.start()

    def place_labels(self) -> None:
        """Name the closest accounts where a name has room: beside its node (right, left, above or below),
        inside the view, over no other name and no other node. Placed in view pixels, so again after every
        zoom, pan or resize."""
        if self.network is None:
            return
        t = self.viewportTransform()
        x = t.m11() * self._xy[:, 0] + t.m21() * self._xy[:, 1] + t.dx()
        y = t.m12() * self._xy[:, 0] + t.m22() * self._xy[:, 1] + t.dy()
        r = self._radius * t.m11()
        solid = r >= 2.0  # nodes smaller than this are dots a name may cover
        width, height = self.viewport().width(), self.viewport().height()
        metrics = QFontMetricsF(self.font())
        placed: list[QRectF] = []
        shown: set[int] = set()
        for index in self._label_order.tolist():
            if len(shown) >= LABELS:
                break
            if not (0 <= x[index] < width and 0 <= y[index] < height):
                continue
            row = self.network.nodes.iloc[index]
            name = "you" if row.is_me else f"@{row.username}"
            w, h = metrics.horizontalAdvance(name) + 8, metrics.height() + 2
            gap = r[index] + 3
            for dx, dy in ((gap, -h / 2), (-gap - w, -h / 2), (-w / 2, -gap - h), (-w / 2, gap)):
                rect = QRectF(x[index] + dx, y[index] + dy, w, h)
                if rect.left() < 0 or rect.top() < 0 or rect.right() > width or rect.bottom() > height:
                    continue
                if any(rect.intersects(other) for other in placed):
                    continue
                near_x = np.clip(x, rect.left(), rect.right()) - x  # nearest point of the plate to each node
                near_y = np.clip(y, rect.top(), rect.bottom()) - y
                hits = solid & (near_x * near_x + near_y * near_y < r * r)
                hits[index] = False
                if hits.any():
                    continue
                label = self.labels.get(index)
                if label is None:
                    label = LabelItem(name, self.font(), *self._label_colours)
                    label.setPos(self.items_by_index[index].pos())
                    self.scene().addItem(label)
                    self.labels[index] = label
                label.place(QPointF(dx, dy))
                placed.append(rect)
                shown.add(index)
                break
        for index, label in self.labels.items():
            label.setVisible(index in shown)

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        if self._auto_fit and self.items_by_index:
            self.fit()
        self._relabel.start()

    def scrollContentsBy(self, dx: int, dy: int) -> None:
        super().scrollContentsBy(dx, dy)
        if self._press is not None:
            self._auto_fit = False
        self._relabel.start()

    def centre_on(self, index: int) -> None:
        self._auto_fit = False
        item = self.items_by_index[index]
        if self.transform().m11() < 1.0:
            self.setTransform(self.transform().fromScale(1.0, 1.0))
        self.centerOn(item)
        self.marker.setPos(item.pos())
        self.marker.setVisible(True)
        self.marker_label.set_text(f"@{self.network.nodes['username'].iat[index]}")
        self.marker_label.setPos(item.pos())
        self.marker_label.setVisible(True)

    def node_at(self, pos) -> int | None:
        for item in self.items(pos):
            if isinstance(item, NodeItem):
                return item.index
        return None

    def wheelEvent(self, event) -> None:
        factor = 1.0015 ** event.angleDelta().y()
        scale = self.transform().m11() * factor
        if MIN_SCALE <= scale <= MAX_SCALE:
            self._auto_fit = False
            self.scale(factor, factor)
            self._relabel.start()
        event.accept()

    def mousePressEvent(self, event) -> None:
        self._press = event.position().toPoint()
        super().mousePressEvent(event)

    def mouseReleaseEvent(self, event) -> None:
        super().mouseReleaseEvent(event)
        pos = event.position().toPoint()
        if self._press is not None and (pos - self._press).manhattanLength() < 5:
            index = self.node_at(pos)
            if index is not None:
                self.node_clicked.emit(index)
        self._press = None

    def viewportEvent(self, event) -> bool:
        if event.type() == QEvent.Type.ToolTip and self.network is not None:
            index = self.node_at(event.pos())
            if index is None:
                QToolTip.hideText()
            else:  # names are untrusted: escaped into rich text, so nothing in them is read as markup
                card = html.escape(self.network.card(index)).replace("\n", "<br>")
                QToolTip.showText(event.globalPos(), f"<qt>{card}</qt>", self.viewport())
            return True
        return super().viewportEvent(event)


# --- charts ----------------------------------------------------------------------------------------------------


class ChartCanvas(FigureCanvasQTAgg):
    """The figure; the wheel scrolls the page around it instead of being swallowed by matplotlib."""

    def wheelEvent(self, event) -> None:
        event.ignore()


class ChartCard(QFrame):
    def __init__(self, chart: Chart, figure, save, parent: QWidget | None = None):
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
        self.size_box.setRange(int(setting.minimum), int(setting.maximum))
        self.size_box.setSingleStep(50)
        self.size_box.setValue(settings.get("insights.max_nodes"))
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
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(map_side)
        splitter.addWidget(groups_side)
        splitter.setStretchFactor(0, 1)
        splitter.setSizes([900, 320])
        self.network_stack, self.network_message = _stack(splitter)

        self.charts_grid = QGridLayout()
        self.charts_grid.setSpacing(12)
        charts_widget = QWidget()
        charts_widget.setLayout(self.charts_grid)
        self.charts_scroll = QScrollArea()
        self.charts_scroll.setWidget(charts_widget)
        self.charts_scroll.setWidgetResizable(True)
        self.charts_scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.charts_stack, self.charts_message = _stack(self.charts_scroll)

        self.sections = QTabWidget()
        self.sections.setDocumentMode(True)
        self.sections.addTab(self.network_stack, "Network")
        self.sections.addTab(self.charts_stack, "What earns engagement")
        layout = QVBoxLayout(self)
        layout.addWidget(self.status)
        layout.addWidget(self.sections, 1)

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
        value = self.settings.get("insights.max_nodes")
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

        def work():
            insights = compute_insights(self.world, max_nodes=max_nodes)
            return insights, [draw_chart(chart, style) for chart in insights.charts]

        def done(result) -> None:
            self._show(*result, style)

        def failed(error: Exception) -> None:
            self.status.setText(f"The insights could not be computed: {error}")
            self.ready.emit()

        self.tasks.run(work, done, failed, key=(self, "insights"))

    def _show(self, insights: Insights, figures: list, style: ChartStyle) -> None:
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
            self.network_message.setText(self.insights.network_message if self.insights else "")
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

    def _show_charts(self, charts: list[Chart], figures: list) -> None:
        for card in self.cards:
            self.charts_grid.removeWidget(card)
            card.deleteLater()
        self.cards = []
        if not charts:
            self.charts_message.setText(self.insights.charts_message if self.insights else "")
            self.charts_stack.setCurrentIndex(0)
            return
        for position, (chart, figure) in enumerate(zip(charts, figures, strict=True)):
            card = ChartCard(chart, figure, self.save_chart)
            self.charts_grid.addWidget(card, position // 2, position % 2)
            self.cards.append(card)
        self.charts_stack.setCurrentIndex(1)

    def _size_changed(self) -> None:
        value = self.size_box.value()
        if value == self.settings.get("insights.max_nodes") and self.insights is not None:
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
        if index is None:
            self.status.setText(f"No account matching “{query.strip()}” on this map.")
            return False
        self.view.centre_on(index)
        self.status.setText(f"@{network.nodes['username'].iloc[index]} is in the middle of the map.")
        return True

    def _node_clicked(self, index: int) -> None:
        row = self.view.network.nodes.iloc[index]
        if not row.is_me:
            self.open_account.emit(str(row.pk), bool(row.followed))

    def _group_clicked(self, item: QListWidgetItem) -> None:
        group = item.data(Qt.ItemDataRole.UserRole)
        members = [node for node in self.view.items_by_index
                   if self.view.network.nodes["community"].iat[node.index] == group]
        if members:
            rect = QRectF()
            for node in members:
                rect = rect.united(node.sceneBoundingRect())
            self.view.fitInView(rect.adjusted(-30, -30, 30, 30), Qt.AspectRatioMode.KeepAspectRatio)
            self.view._auto_fit = False
            self.view._relabel.start()

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
