"""The post list: a model over a ranked frame, a delegate that paints cards, and the view that shows them
as a grid or a list. One class each, used by Feed and Explore alike."""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
from PySide6.QtCore import QAbstractListModel, QModelIndex, QObject, QPersistentModelIndex, QRect, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPainterPath, QPen
from PySide6.QtWidgets import QAbstractItemView, QListView, QStyle, QStyledItemDelegate, QStyleOptionViewItem

from discovery import text
from storage import MediaType
from ui.emoji import shown
from ui.thumbnails import ThumbnailLoader

if TYPE_CHECKING:
    import pandas as pd

PostRole = Qt.ItemDataRole.UserRole + 1


@dataclass(frozen=True)
class PostItem:
    row: int
    post_id: int
    pk: str
    username: str
    full_name: str
    caption: str
    likes: int
    comments: int
    age_s: float
    media_type: int
    carousel_count: int
    score: float
    source: str
    tag: str
    chance: float = float("nan")  # the learned model's chance the person likes it (NaN: a formula ranked)


class PostListModel(QAbstractListModel):
    """Rows of a ranked (and filtered) frame. `why(row)` gives the explanation for tooltips."""

    COLUMNS = ("id", "pk", "username", "full_name", "caption", "like_count", "comment_count", "age_s",
               "media_type", "carousel_count", "score", "source", "tag", "chance")
    OPTIONAL = ("chance",)  # only a learned list has it (discovery.ranking.LIST_COLUMNS is the rest's contract)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._columns: dict[str, list | np.ndarray] = {c: [] for c in self.COLUMNS}
        self._count = 0
        self._why: Callable[[int], str] = lambda row: ""
        self._top_score = 1.0

    def set_frame(self, frame: pd.DataFrame | Mapping[str, Any], why: Callable[[int], str]) -> None:
        """Show a ranked frame's rows, or the same columns kept as plain arrays and lists (a kept list, before
        pandas is loaded)."""
        missing = [c for c in self.COLUMNS if c not in frame and c not in self.OPTIONAL]
        if missing:
            raise ValueError(f"a ranked frame without its columns {missing} (see discovery.ranking.LIST_COLUMNS)")
        count = len(frame["id"])
        # Numbers stay in arrays (item() converts the one row painted): as Python lists, 100,000 rows' numbers
        # took some 25 MiB.
        columns = {c: (_values(frame[c]) if c in frame else [""] * count) for c in self.COLUMNS}
        # The same posts in the same order (a kept list, then its Ranking; a re-rank that moved nothing): the
        # rows stay, and with them the scroll position and the selection.
        same = count == self._count and np.array_equal(columns["id"], self._columns["id"])
        if not same:
            self.beginResetModel()
        self._columns, self._count, self._why = columns, count, why
        column = self._columns["score"]
        scores = column[~np.isnan(column)] if isinstance(column, np.ndarray) else np.zeros(0)
        self._top_score = (float(scores.max()) if len(scores) else 1.0) or 1.0
        if not same:
            self.endResetModel()
        elif count:
            self.dataChanged.emit(self.index(0), self.index(count - 1))

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else self._count

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not 0 <= index.row() < self._count:
            return None
        row = index.row()
        if role == PostRole:
            return self.item(row)
        if role == Qt.ItemDataRole.DisplayRole:
            return f"@{self._columns['username'][row]}: {self._columns['caption'][row][:80]}"
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{self._why(row)}\n{score_legend(self.item(row))}".strip()
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return f"Post by {self._columns['username'][row]}. {self._why(row)}"
        return None

    def item(self, row: int) -> PostItem:
        c = self._columns
        return PostItem(
            row=row, post_id=int(c["id"][row]), pk=str(c["pk"][row]), username=str(c["username"][row]),
            full_name=shown(str(c["full_name"][row] or "")), caption=shown(str(c["caption"][row] or "")),
            likes=int(c["like_count"][row]), comments=int(c["comment_count"][row]), age_s=float(c["age_s"][row]),
            media_type=int(c["media_type"][row]), carousel_count=int(c["carousel_count"][row] or 0),
            score=float(c["score"][row]) / self._top_score, source=str(c["source"][row]), tag=str(c["tag"][row] or ""),
            chance=float(c["chance"][row]) if c["chance"][row] != "" else float("nan"),
        )

    def row_of(self, post_id: int) -> int | None:
        rows = np.flatnonzero(np.asarray(self._columns["id"]) == post_id)
        return int(rows[0]) if len(rows) else None

    def why(self, row: int) -> str:
        return self._why(row)


def _values(column: Any) -> list | np.ndarray:
    """A column as the model keeps it: numbers as an array, anything else (text) as a list."""
    if isinstance(column, list):
        return column
    values = column.to_numpy() if hasattr(column, "to_numpy") else np.asarray(column)
    return values if values.dtype.kind in "iuf" else values.tolist()


def score_text(item: PostItem) -> str:
    """The number in a card's corner: the learned model's chance that you like the post, else (a formula
    ranked) the post's score against the list's best."""
    if math.isfinite(item.chance):
        return "<1%" if item.chance < 0.005 else f"{item.chance * 100:.0f}%"
    return f"{item.score * 100:.0f}"


def score_legend(item: PostItem) -> str:
    """What the number in a card's corner means."""
    if math.isfinite(item.chance):
        return (f"{score_text(item)}: the chance you like this post, as learned from your likes (most posts "
                "of accounts you do not follow have a small one).")
    return (f"Score {score_text(item)}: how well this post fits you by the formula, against the best one in "
            "this list, which scores 100.")


GRID_CARD = QSize(232, 330)  # before the fonts are known
GRID_WIDTH = (200, 300)  # a grid card's width stays within these; the columns fill the view
LIST_ROW = QSize(640, 112)
MARGIN = 8


def card_size(width: int, font: QFont) -> QSize:
    """A grid card `width` wide: the square picture, then name, two caption lines and the counts, no gap."""
    bold = QFont(font)
    bold.setBold(True)
    regular = QFontMetrics(font).height()
    side = width - MARGIN - 2 * MARGIN
    # 32 px: the card's insets, margins and the gaps PostDelegate.paint leaves; 4 more above the counts
    return QSize(width, side + QFontMetrics(bold).height() + 3 * regular + 36)


class PostDelegate(QStyledItemDelegate):
    """Paints a post card: picture, author, caption, numbers, badges and the score."""

    def __init__(self, loader: ThumbnailLoader, image_source: Callable[[str], Callable], parent=None):
        super().__init__(parent)
        self.loader = loader
        self.image_source = image_source
        self.grid = True

    def sizeHint(self, option: QStyleOptionViewItem, index) -> QSize:
        if self.grid:
            view = self.parent()
            return view.gridSize() if isinstance(view, QListView) and view.gridSize().isValid() else GRID_CARD
        return QSize(max(option.rect.width(), 320), LIST_ROW.height())

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index) -> None:
        item: PostItem | None = index.data(PostRole)
        if item is None:
            return
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        palette = option.palette
        card = option.rect.adjusted(MARGIN // 2, MARGIN // 2, -MARGIN // 2, -MARGIN // 2)
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        hovered = bool(option.state & QStyle.StateFlag.State_MouseOver)
        background = palette.base().color()
        if hovered:
            background = palette.alternateBase().color()
        path = QPainterPath()
        path.addRoundedRect(card, 10, 10)
        painter.fillPath(path, background)
        border = palette.highlight().color() if selected else palette.mid().color()
        painter.setPen(QPen(border, 2.5 if selected else 1))
        painter.drawPath(path)

        if self.grid:
            side = card.width() - 2 * MARGIN
            picture = QRect(card.left() + MARGIN, card.top() + MARGIN, side, side)
            body = QRect(card.left() + MARGIN, picture.bottom() + 6, side, card.bottom() - picture.bottom() - 10)
        else:
            side = card.height() - 2 * MARGIN
            picture = QRect(card.left() + MARGIN, card.top() + MARGIN, side, side)
            body = QRect(picture.right() + 12, card.top() + MARGIN, card.right() - picture.right() - 24,
                         card.height() - 2 * MARGIN)
        self._paint_picture(painter, option, item, picture)
        self._paint_body(painter, palette, item, body)
        painter.restore()

    def _paint_picture(self, painter: QPainter, option, item: PostItem, rect: QRect) -> None:
        ratio = painter.device().devicePixelRatioF() if painter.device() else 1.0
        pixmap = self.loader.pixmap(item.pk, rect.size(), self.image_source(item.pk), ratio)
        clip = QPainterPath()
        clip.addRoundedRect(rect, 6, 6)
        painter.save()
        painter.setClipPath(clip)
        if pixmap is not None:
            painter.drawPixmap(rect, pixmap)
        else:
            placeholder = option.palette.midlight().color()
            painter.fillRect(rect, placeholder)
            painter.setPen(option.palette.mid().color())
            painter.drawText(rect, Qt.AlignmentFlag.AlignCenter,
                             "no picture offline" if self.loader.is_missing(item.pk) else "")
        painter.restore()
        badge = _badge(item)
        if badge:
            _pill(painter, QRect(rect.right() - 8, rect.top() + 8, 0, 0), badge, QColor(0, 0, 0, 150),
                  QColor("white"), align_right=True)
        _pill(painter, QRect(rect.left() + 8, rect.top() + 8, 0, 0), score_text(item),
              QColor(255, 255, 255, 215), QColor(20, 20, 20))
        if item.source == "interest" and item.tag:
            _pill(painter, QRect(rect.left() + 8, rect.bottom() - 30, 0, 0), f"#{item.tag}",
                  QColor(0, 0, 0, 150), QColor("white"))

    def _paint_body(self, painter: QPainter, palette, item: PostItem, rect: QRect) -> None:
        bold = QFont(painter.font())
        bold.setBold(True)
        painter.setFont(bold)
        metrics = QFontMetrics(bold)
        text_color = palette.text().color()
        muted = palette.placeholderText().color()
        y = rect.top()
        name = metrics.elidedText(item.username, Qt.TextElideMode.ElideRight, rect.width())
        painter.setPen(text_color)
        painter.drawText(QRect(rect.left(), y, rect.width(), metrics.height()), Qt.AlignmentFlag.AlignLeft, name)
        regular_font = QFont(bold)
        regular_font.setBold(False)
        painter.setFont(regular_font)
        regular = QFontMetrics(regular_font)
        name_width = metrics.horizontalAdvance(name) + 6
        if item.full_name and name_width < rect.width() - 20:
            painter.setPen(muted)
            full = regular.elidedText(item.full_name, Qt.TextElideMode.ElideRight, rect.width() - name_width)
            painter.drawText(QRect(rect.left() + name_width, y, rect.width() - name_width, metrics.height()),
                             Qt.AlignmentFlag.AlignLeft, full)
        y += metrics.height() + 2
        painter.setPen(text_color)
        caption_lines = 2
        for line in elide_lines(" ".join(item.caption.split()), regular, rect.width(), caption_lines):
            painter.drawText(QRect(rect.left(), y, rect.width(), regular.height()), Qt.AlignmentFlag.AlignLeft, line)
            y += regular.height()
        painter.setPen(muted)
        stats = f"♥ {text.compact(item.likes)} · {text.compact(item.comments)} comments · {text.age(item.age_s)}"
        bottom = rect.bottom() - regular.height() + 1
        painter.drawText(QRect(rect.left(), bottom, rect.width(), regular.height()), Qt.AlignmentFlag.AlignLeft,
                         regular.elidedText(stats, Qt.TextElideMode.ElideRight, rect.width()))


def elide_lines(value: str, metrics: QFontMetrics, width: int, lines: int) -> list[str]:
    """Break plain text into at most `lines` lines of `width` pixels, eliding the last one."""
    out: list[str] = []
    words = value.split(" ")
    current = ""
    while words and len(out) < lines - 1:
        candidate = f"{current} {words[0]}".strip()
        if metrics.horizontalAdvance(candidate) <= width or not current:
            current = candidate
            words.pop(0)
            if metrics.horizontalAdvance(current) > width:
                out.append(metrics.elidedText(current, Qt.TextElideMode.ElideRight, width))
                current = ""
        else:
            out.append(current)
            current = ""
    rest = " ".join([current, *words]).strip()
    if rest:
        out.append(metrics.elidedText(rest, Qt.TextElideMode.ElideRight, width))
    return out


def _badge(item: PostItem) -> str:
    if item.media_type == MediaType.CAROUSEL:
        return f"❐ {item.carousel_count}" if item.carousel_count else "❐"
    if item.media_type == MediaType.VIDEO:
        return "▶"
    return ""


def _pill(painter: QPainter, anchor: QRect, label: str, fill: QColor, ink: QColor, align_right: bool = False) -> None:
    metrics = QFontMetrics(painter.font())
    width, height = metrics.horizontalAdvance(label) + 14, metrics.height() + 4
    left = anchor.left() - width if align_right else anchor.left()
    rect = QRect(left, anchor.top(), width, height)
    path = QPainterPath()
    path.addRoundedRect(rect, height / 2, height / 2)
    painter.fillPath(path, fill)
    painter.setPen(ink)
    painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, label)


class PostListView(QListView):
    """The cards, as a wrapping grid or a single-column list; Enter or a double click opens a post."""

    opened = Signal(int)  # row
    cards_painted = Signal()  # once, when the view first painted cards

    def __init__(self, loader: ThumbnailLoader, image_source, parent=None):
        super().__init__(parent)
        self.loader = loader
        self.painted_cards = False
        self.delegate = PostDelegate(loader, image_source, self)
        self.setItemDelegate(self.delegate)
        self.setUniformItemSizes(True)
        self.setMouseTracking(True)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.verticalScrollBar().setSingleStep(24)
        self.setLayoutMode(QListView.LayoutMode.Batched)
        self.setBatchSize(2000)
        self.doubleClicked.connect(lambda index: self.opened.emit(index.row()))
        loader.ready.connect(lambda _key: self.viewport().update())
        self.set_grid(True)

    def set_grid(self, grid: bool) -> None:
        self.delegate.grid = grid
        if grid:
            self.setViewMode(QListView.ViewMode.IconMode)
            self.setFlow(QListView.Flow.LeftToRight)
            self.setWrapping(True)
            self.setResizeMode(QListView.ResizeMode.Adjust)
            self.setMovement(QListView.Movement.Static)
            self.setGridSize(GRID_CARD)
            self.setSpacing(0)
            self._fit_columns()
        else:
            self.setViewMode(QListView.ViewMode.ListMode)
            self.setFlow(QListView.Flow.TopToBottom)
            self.setWrapping(False)
            self.setGridSize(QSize())
            self.setSpacing(0)
        self.scheduleDelayedItemsLayout()

    @property
    def grid(self) -> bool:
        return self.delegate.grid

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        if self.grid:
            self._fit_columns()

    def _fit_columns(self) -> None:
        """As many columns as fill the view with cards within GRID_WIDTH. QListView wraps a row at the width
        it would have beside a vertical scroll bar, and one exactly that wide already wraps: hence the
        width asked for here."""
        bar = self.verticalScrollBar().sizeHint().width()
        spacing = self.style().pixelMetric(QStyle.PixelMetric.PM_ScrollView_ScrollBarSpacing, None, self)
        width = self.maximumViewportSize().width() - bar - max(spacing, 0) - 1
        low, high = GRID_WIDTH
        columns = max(1, -(-width // high))
        if columns > 1 and width // columns < low:
            columns -= 1
        size = card_size(max(120, min(high, width // columns)), self.font())
        if size != self.gridSize():
            self.setGridSize(size)

    def paintEvent(self, event) -> None:
        self.loader.next_frame()
        super().paintEvent(event)
        if not self.painted_cards and self.model() is not None and self.model().rowCount():
            self.painted_cards = True
            self.cards_painted.emit()

    def keyPressEvent(self, event) -> None:
        key = event.key()
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.currentIndex().isValid():
            self.opened.emit(self.currentIndex().row())
            return
        plain = not event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
        if key in (Qt.Key.Key_J, Qt.Key.Key_K) and plain and self.model() is not None:
            current = self.currentIndex().row() if self.currentIndex().isValid() else -1
            row = current + 1 if key == Qt.Key.Key_J else max(0, current - 1)
            if 0 <= row < self.model().rowCount():
                self.setCurrentIndex(self.model().index(row, 0))
            return
        if key == Qt.Key.Key_Space and plain:
            index = self.moveCursor(QAbstractItemView.CursorAction.MovePageDown, event.modifiers())
            if index.isValid():
                self.setCurrentIndex(index)
            return
        super().keyPressEvent(event)
