"""The Insights tab's map of the person's network: a QGraphicsView built to stay fluid at a few thousand
accounts. One plain item per account (no effects), every edge in one item painted as opaque hairlines (blended
lines cost ~25× more in Qt's raster engine), antialiasing only when zoomed in, and fixed-size labels for the
closest accounts only."""

from __future__ import annotations

import html

import numpy as np
from PySide6.QtCore import QEvent, QLineF, QPoint, QPointF, QRectF, Qt, QTimer, Signal
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFont,
    QFontMetricsF,
    QHelpEvent,
    QMouseEvent,
    QPainter,
    QPalette,
    QPen,
    QResizeEvent,
    QWheelEvent,
)
from PySide6.QtWidgets import (
    QFrame,
    QGraphicsEllipseItem,
    QGraphicsItem,
    QGraphicsScene,
    QGraphicsView,
    QStyleOptionGraphicsItem,
    QToolTip,
    QWidget,
)

from discovery.insights import ChartStyle, EgoNetwork

LABELS = 16  # at most this many accounts named on the map at once
LABEL_CANDIDATES = 400  # the closest accounts that may get a name, when there is room
MIN_SCALE, MAX_SCALE = 0.05, 12.0


def _mix(a: QColor, b: QColor, share: float) -> QColor:
    return QColor(round(a.red() + (b.red() - a.red()) * share), round(a.green() + (b.green() - a.green()) * share),
                  round(a.blue() + (b.blue() - a.blue()) * share))


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

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None) -> None:
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

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None) -> None:
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

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None) -> None:
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
        self._press: QPoint | None = None
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

    def resizeEvent(self, event: QResizeEvent) -> None:
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
        if self.network is None or self.marker is None:
            return
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

    def show_group(self, group: int) -> None:
        """Zoom to the accounts of one group (a community's index)."""
        if self.network is None:
            return
        communities = self.network.nodes["community"]
        members = [node for node in self.items_by_index if communities.iat[node.index] == group]
        if members:
            rect = QRectF()
            for node in members:
                rect = rect.united(node.sceneBoundingRect())
            self.fitInView(rect.adjusted(-30, -30, 30, 30), Qt.AspectRatioMode.KeepAspectRatio)
            self._auto_fit = False
            self._relabel.start()

    def node_at(self, pos: QPoint) -> int | None:
        for item in self.items(pos):
            if isinstance(item, NodeItem):
                return item.index
        return None

    def wheelEvent(self, event: QWheelEvent) -> None:
        factor = 1.0015 ** event.angleDelta().y()
        scale = self.transform().m11() * factor
        if MIN_SCALE <= scale <= MAX_SCALE:
            self._auto_fit = False
            self.scale(factor, factor)
            self._relabel.start()
        event.accept()

    def mousePressEvent(self, event: QMouseEvent) -> None:
        self._press = event.position().toPoint()
        super().mousePressEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        super().mouseReleaseEvent(event)
        pos = event.position().toPoint()
        if self._press is not None and (pos - self._press).manhattanLength() < 5:
            index = self.node_at(pos)
            if index is not None:
                self.node_clicked.emit(index)
        self._press = None

    def viewportEvent(self, event: QEvent) -> bool:
        if isinstance(event, QHelpEvent) and event.type() == QEvent.Type.ToolTip and self.network is not None:
            index = self.node_at(event.pos())
            if index is None:
                QToolTip.hideText()
            else:  # names are untrusted: escaped into rich text, so nothing in them is read as markup
                card = html.escape(self.network.card(index)).replace("\n", "<br>")
                QToolTip.showText(event.globalPos(), f"<qt>{card}</qt>", self.viewport())
            return True
        return super().viewportEvent(event)
