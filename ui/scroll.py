"""The one way a panel scrolls: up and down only, without a frame, its body as wide as the panel."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QScrollArea, QVBoxLayout, QWidget


def vertical_scroll(body: QWidget) -> QScrollArea:
    scroll = QScrollArea()
    scroll.setWidget(body)
    scroll.setWidgetResizable(True)
    scroll.setFrameShape(QFrame.Shape.NoFrame)
    scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    return scroll


def fill_with_scroll(panel: QWidget, body: QWidget) -> None:
    """Give `panel` no content but `body`, scrolling up and down when the panel is short."""
    outer = QVBoxLayout(panel)
    outer.setContentsMargins(0, 0, 0, 0)
    outer.addWidget(vertical_scroll(body))
