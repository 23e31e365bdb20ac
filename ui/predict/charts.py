"""The Predict tab's two painted figures: the bars of what moved a prediction, and the best-time heatmap
(with the sentence saying whose posts it speaks for)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from PySide6.QtCore import QRect, QSize, Qt
from PySide6.QtGui import QColor, QPainter, QPaintEvent
from PySide6.QtWidgets import QSizePolicy, QWidget

if TYPE_CHECKING:
    import numpy as np

    from discovery.predict.hashtags import BestTimes
    from discovery.predict.predictor import Contribution

WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


class ContributionBars(QWidget):
    """Diverging bars: how much each feature lifts (right) or lowers (left) this prediction. A label too long
    for its column wraps onto a second line rather than being cut."""

    ROW = 18

    def __init__(self, contributions: Iterable[Contribution], parent: QWidget | None = None):
        super().__init__(parent)
        self.contributions = list(contributions)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.setMinimumWidth(260)
        self.setToolTip("Change in predicted likes when this feature is set to the account's usual value")

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        return sum(height for _label, height in self._rows(width)) or self.ROW

    def sizeHint(self) -> QSize:
        return QSize(420, self.heightForWidth(420))

    def _label_width(self, width: int) -> int:
        widest = max((self.fontMetrics().horizontalAdvance(c.label) for c in self.contributions), default=0)
        return min(widest + 8, max(120, int(width * 0.45)))

    def _rows(self, width: int) -> list[tuple[int, int]]:
        """(label width, row height) per contribution."""
        label_width = self._label_width(width)
        metrics = self.fontMetrics()
        rows = []
        for c in self.contributions:
            lines = metrics.boundingRect(QRect(0, 0, label_width - 6, 1000), Qt.TextFlag.TextWordWrap, c.label)
            rows.append((label_width, max(self.ROW, lines.height() + 2)))
        return rows

    def paintEvent(self, _event: QPaintEvent) -> None:
        painter = QPainter(self)
        palette = self.palette()
        label_width = self._label_width(self.width())
        centre = label_width + (self.width() - label_width - 60) // 2
        half = (self.width() - label_width - 60) // 2
        scale = max([abs(c.percent) for c in self.contributions] + [10.0])
        y = 0
        for c, (_w, height) in zip(self.contributions, self._rows(self.width()), strict=True):
            painter.setPen(palette.text().color())
            painter.drawText(QRect(0, y, label_width - 6, height),
                             Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter | Qt.TextFlag.TextWordWrap,
                             c.label)
            width = int(half * abs(c.percent) / scale)
            colour = QColor("#4c9f70") if c.percent >= 0 else QColor("#d1603d")
            bar_top = y + (height - 11) // 2
            rect = QRect(centre, bar_top, width, 11) if c.percent >= 0 else QRect(centre - width, bar_top, width, 11)
            painter.fillRect(rect, colour)
            painter.drawText(QRect(centre + half + 4, y, 56, height),
                             Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, f"{c.percent:+.0f}%")
            y += height
        painter.setPen(palette.mid().color())
        painter.drawLine(centre, 0, centre, self.height())


class Heatmap(QWidget):
    """Weekday × hour: how posting then compares with the account's usual likes, with its colour scale."""

    LEGEND = 22  # pixels under the hour labels for the colour scale

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.lift: np.ndarray | None = None
        self.setMinimumSize(420, 150 + self.LEGEND)
        self.setToolTip("Expected likes when posting at that weekday and hour, against the account's usual")

    def set_times(self, best_times: BestTimes) -> None:
        self.lift = best_times.lift
        self.update()

    def colour(self, share: float) -> QColor:
        base, strong = self.palette().base().color(), QColor("#3d6fd8")
        return QColor(round(base.red() + (strong.red() - base.red()) * share),
                      round(base.green() + (strong.green() - base.green()) * share),
                      round(base.blue() + (strong.blue() - base.blue()) * share))

    def paintEvent(self, _event: QPaintEvent) -> None:
        painter = QPainter(self)
        palette = self.palette()
        if self.lift is None:
            painter.setPen(palette.placeholderText().color())
            painter.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter, "Working out the best times…")
            return
        left, top = 34, 4
        cell_w = (self.width() - left - 4) / 24
        cell_h = (self.height() - top - 18 - self.LEGEND) / 7
        low, high = float(self.lift.min()), float(self.lift.max())
        span = high - low or 1.0
        for day in range(7):
            painter.setPen(palette.text().color())
            painter.drawText(QRect(0, int(top + day * cell_h), left - 4, int(cell_h)),
                             Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, WEEKDAYS[day])
            for hour in range(24):
                share = (float(self.lift[day, hour]) - low) / span
                painter.fillRect(QRect(int(left + hour * cell_w), int(top + day * cell_h), int(cell_w) - 1,
                                       int(cell_h) - 1), self.colour(share))
        painter.setPen(palette.placeholderText().color())
        for hour in range(0, 24, 3):
            painter.drawText(QRect(int(left + hour * cell_w), int(top + 7 * cell_h), 30, 16),
                             Qt.AlignmentFlag.AlignLeft, f"{hour:02d}")
        # The scale: the lightest and the strongest colour, in likes against the account's usual.
        y = int(top + 7 * cell_h) + 20
        metrics = painter.fontMetrics()
        low_text, high_text = f"×{low:.2f} usual likes", f"×{high:.2f}"
        bar_left = left + metrics.horizontalAdvance(low_text) + 6
        bar_width = max(40, min(160, self.width() - bar_left - metrics.horizontalAdvance(high_text) - 10))
        painter.setPen(palette.text().color())
        painter.drawText(QRect(left, y, bar_left - left - 6, 16), Qt.AlignmentFlag.AlignRight, low_text)
        for x in range(bar_width):
            painter.fillRect(QRect(bar_left + x, y + 3, 1, 10), self.colour(x / max(1, bar_width - 1)))
        painter.drawText(QRect(bar_left + bar_width + 6, y, 80, 16), Qt.AlignmentFlag.AlignLeft, high_text)


def best_times_scope(account: str, times: BestTimes) -> str:
    """Whose posts the heatmap speaks for, so it is not read as Insights' weekday chart (everyone's)."""
    own = int(times.own_posts.sum())
    if own == 0:
        return f"From everyone's {times.all_posts:,} settled posts: {account} has none yet."
    return (f"For {account}: its {own:,} settled posts, leaning on everyone's {times.all_posts:,} where it has "
            "few. Insights shows everyone's.")
