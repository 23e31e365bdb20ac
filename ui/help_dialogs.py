"""Help ▸ Keyboard shortcuts and Help ▸ About: two small dialogs, deleted when closed."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QGridLayout, QVBoxLayout, QWidget

from ui.labels import plain_label

SHORTCUTS = [
    ("j / ↓", "next post"), ("k / ↑", "previous post"), ("Enter", "open the post"), ("Esc", "back to the list"),
    ("Space", "page down"), ("← / →", "previous / next picture of a carousel"), ("/", "search"),
    ("r", "refresh from the store"), ("Ctrl+R", "sync now (a connected account)"),
    ("Ctrl+1 … Ctrl+4", "switch tabs"), ("Ctrl+L", "grid or list"),
    ("Ctrl+,", "settings"), ("F1 or ?", "this help"), ("Ctrl+Q", "quit"),
]
ABOUT = ("Tessera — your own Instagram discovery engine.\n\nIt ranks the posts around you with personalized "
         "PageRank from your account, recency and engagement, weighted by how often you liked each author. "
         "Everything stays on this computer; nothing is sent anywhere but Instagram, and only when you sync.")


def show_shortcuts(parent: QWidget) -> None:
    grid = QGridLayout()
    for row, (keys, meaning) in enumerate(SHORTCUTS):
        key_label = plain_label(keys, wrap=False)
        key_label.setStyleSheet("font-weight: 600")
        grid.addWidget(key_label, row, 0)
        grid.addWidget(plain_label(meaning, wrap=False), row, 1)
    _show(parent, "Keyboard shortcuts", grid)


def show_about(parent: QWidget) -> None:
    text = QVBoxLayout()
    text.addWidget(plain_label(ABOUT))
    _show(parent, "About Tessera", text)


def _show(parent: QWidget, title: str, content: QGridLayout | QVBoxLayout) -> None:
    dialog = QDialog(parent)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.setWindowTitle(title)
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
    buttons.rejected.connect(dialog.reject)
    layout = QVBoxLayout(dialog)
    layout.addLayout(content)
    layout.addWidget(buttons)
    dialog.exec()
