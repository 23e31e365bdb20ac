"""“Why you see this”: the explanation sentence and one bar per ranking factor."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QGridLayout, QLabel, QProgressBar, QVBoxLayout, QWidget

from discovery.ranking import Ranking


def plain_label(text: str = "", parent: QWidget | None = None, wrap: bool = True) -> QLabel:
    """A label that never interprets its text as HTML (captions and names are untrusted)."""
    label = QLabel(parent)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setText(text)
    label.setWordWrap(wrap)
    return label


class WhyPanel(QFrame):
    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("whyPanel")
        self.setFrameShape(QFrame.Shape.NoFrame)
        layout = QVBoxLayout(self)
        title = QLabel("Why you see this")
        title.setObjectName("panelTitle")
        layout.addWidget(title)
        self.sentence = plain_label()
        self.sentence.setObjectName("whySentence")
        self.sentence.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.sentence)
        self.grid = QGridLayout()
        self.grid.setColumnStretch(1, 1)
        layout.addLayout(self.grid)
        self.hint = plain_label("Bars show where each factor puts this post among the others in the list.")
        self.hint.setObjectName("hint")
        layout.addWidget(self.hint)
        layout.addStretch(1)
        self.bars: dict[str, QProgressBar] = {}
        self.show_nothing()

    def show_nothing(self) -> None:
        self.sentence.setText("Select a post to see why it is here.")
        self._clear()

    def show_item(self, ranking: Ranking, row: int) -> None:
        self.sentence.setText(ranking.why(row))
        self._clear()
        for i, (name, label, value, share) in enumerate(ranking.factor_bars(row)):
            caption = plain_label(label, wrap=False)
            bar = QProgressBar()
            bar.setRange(0, 100)
            bar.setValue(round(share * 100))
            bar.setTextVisible(False)
            bar.setFixedHeight(10)
            bar.setToolTip(f"{label}: {value:.4g} — higher than {share:.0%} of this list")
            bar.setAccessibleName(f"{label} factor")
            number = plain_label(f"{value:.3g}", wrap=False)
            number.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            self.grid.addWidget(caption, i, 0)
            self.grid.addWidget(bar, i, 1)
            self.grid.addWidget(number, i, 2)
            self.bars[name] = bar

    def _clear(self) -> None:
        while self.grid.count():
            widget = self.grid.takeAt(0).widget()
            if widget is not None:
                widget.deleteLater()
        self.bars = {}
