"""Light and dark themes on Fusion, following the system unless the person picks one."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QGuiApplication, QIcon, QPalette
from PySide6.QtWidgets import QApplication

RESOURCES = Path(__file__).resolve().parent.parent / "resources"
MODES = ("system", "light", "dark")

_LIGHT = {
    "Window": "#f4f5f7", "WindowText": "#1d1f24", "Base": "#ffffff", "AlternateBase": "#eef0f4",
    "Text": "#1d1f24", "Button": "#f7f8fa", "ButtonText": "#1d1f24", "Highlight": "#3d6fd8",
    "HighlightedText": "#ffffff", "Mid": "#d0d4dc", "Midlight": "#e4e7ed", "Dark": "#9aa1ad",
    "PlaceholderText": "#5e6572", "ToolTipBase": "#ffffff", "ToolTipText": "#1d1f24", "Link": "#2f5fc4",
}
_DARK = {
    "Window": "#16181d", "WindowText": "#e6e8ec", "Base": "#1f2229", "AlternateBase": "#272b34",
    "Text": "#e6e8ec", "Button": "#262a32", "ButtonText": "#e6e8ec", "Highlight": "#3d6fd8",
    "HighlightedText": "#ffffff", "Mid": "#3a3f4a", "Midlight": "#2d313a", "Dark": "#0f1114",
    "PlaceholderText": "#9aa1ad", "ToolTipBase": "#272b34", "ToolTipText": "#e6e8ec", "Link": "#8fb1ff",
}

# Control outlines (fields, buttons, check boxes): at least 3:1 against Window, Base and Button.
_OUTLINE = {False: "#7a818e", True: "#767e8c"}
# Disabled controls: a grey between the window and the outline, so a ticked box outside its mode looks off.
_DISABLED = {False: "#b4b9c2", True: "#454a55"}


def is_dark(mode: str) -> bool:
    if mode == "system":
        return QGuiApplication.styleHints().colorScheme() == Qt.ColorScheme.Dark
    return mode == "dark"


def apply(app: QApplication, mode: str) -> None:
    colors = _DARK if is_dark(mode) else _LIGHT
    palette = QPalette()
    for name, value in colors.items():
        palette.setColor(getattr(QPalette.ColorRole, name), QColor(value))
    disabled = QColor(colors["PlaceholderText"])
    for role in (QPalette.ColorRole.Text, QPalette.ColorRole.ButtonText, QPalette.ColorRole.WindowText):
        palette.setColor(QPalette.ColorGroup.Disabled, role, disabled)
    sheet = style_sheet(is_dark(mode))
    if app.styleSheet() == sheet and app.palette() == palette:
        return  # already so (the window restores the theme set at start): restyling every widget is slow
    app.setStyle("Fusion")
    app.setPalette(palette)
    app.setStyleSheet(sheet)


def style_sheet(dark: bool) -> str:
    """resources/style.qss with this theme's outline colour and arrow pictures filled in."""
    sheet = (RESOURCES / "style.qss").read_text(encoding="utf-8")
    return (sheet.replace("@outline", _OUTLINE[dark]).replace("@disabled", _DISABLED[dark])
            .replace("@mode", "dark" if dark else "light")
            .replace("@resources", RESOURCES.as_posix()))


def app_icon() -> QIcon:
    return QIcon(str(RESOURCES / "tessera.svg"))
