"""Contrast in both themes, measured from grabbed pixels: text at least 4.5:1 against what is behind it,
the outlines of fields, buttons and check boxes at least 3:1 against the window (WCAG 2.1, 1.4.3 and 1.4.11)."""

from __future__ import annotations

from collections import Counter

import pytest
from PySide6.QtCore import QDate, QPoint
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QFrame,
    QGridLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QToolButton,
    QWidget,
)

from ui import theme


def luminance(colour: QColor) -> float:
    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    return 0.2126 * channel(colour.red()) + 0.7152 * channel(colour.green()) + 0.0722 * channel(colour.blue())


def contrast(a: QColor, b: QColor) -> float:
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def pixels(image: QImage, left: int, top: int, width: int, height: int) -> list[QColor]:
    return [image.pixelColor(x, y) for y in range(top, top + height) for x in range(left, left + width)]


def strongest(colours: list[QColor], against: QColor) -> float:
    return max(contrast(c, against) for c in colours)


def text_contrast(image: QImage, widget: QWidget, root: QWidget) -> float:
    """The inkiest pixel of a widget's text against the colour most of its inside has."""
    origin = widget.mapTo(root, widget.rect().topLeft())
    inside = pixels(image, origin.x() + 3, origin.y() + 3, widget.width() - 6, widget.height() - 6)
    background = Counter(c.rgb() for c in inside).most_common(1)[0][0]
    return strongest(inside, QColor.fromRgb(background))


def outline_contrast(image: QImage, widget: QWidget, root: QWidget, window: QColor) -> float:
    """Across the widget's left edge, halfway down: the pixel that stands out most from the window."""
    origin = widget.mapTo(root, widget.rect().topLeft())
    return strongest(pixels(image, origin.x(), origin.y() + widget.height() // 2, 3, 1), window)


@pytest.fixture(params=["light", "dark"])
def gallery(request, qtbot):
    app = QApplication.instance()
    theme.apply(app, request.param)
    root = QWidget()
    grid = QGridLayout(root)
    widgets = {
        "field": QLineEdit("typed text"), "placeholder": QLineEdit(placeholderText="Search captions"),
        "combo": QComboBox(), "date": QDateEdit(QDate(2026, 11, 20)), "spin": QSpinBox(),
        "button": QPushButton("Import data export…"), "tool": QToolButton(text="List"),
        "check": QCheckBox("Unseen only"), "label": QLabel("Why you see this"), "hint": QLabel("Bars show"),
    }
    widgets["combo"].addItems(["All media", "Photos"])
    widgets["spin"].setValue(300)
    widgets["hint"].setObjectName("hint")
    banner = QFrame()
    banner.setObjectName("banner")
    widgets["banner_button"] = QPushButton("Connect Instagram account…", banner)
    QGridLayout(banner).addWidget(widgets["banner_button"])
    for row, widget in enumerate(w for key, w in widgets.items() if key != "banner_button"):
        grid.addWidget(widget, row, 0)
    grid.addWidget(banner, len(widgets), 0)
    qtbot.addWidget(root)
    root.resize(360, 560)
    root.show()
    qtbot.waitExposed(root)
    yield root, widgets, root.grab().toImage(), request.param
    theme.apply(app, "light")


def test_text_stands_out_at_least_4_5_to_1(gallery):
    root, widgets, image, mode = gallery
    for key in ("field", "placeholder", "combo", "date", "spin", "button", "tool", "label", "hint", "banner_button"):
        measured = text_contrast(image, widgets[key], root)
        assert measured >= 4.5, f"{mode}: the text of {key} at {measured:.2f}:1"


def test_control_outlines_stand_out_at_least_3_to_1(gallery):
    root, widgets, image, mode = gallery
    window = root.palette().color(root.backgroundRole())
    for key in ("field", "placeholder", "combo", "date", "spin", "button", "tool"):
        measured = outline_contrast(image, widgets[key], root, window)
        assert measured >= 3.0, f"{mode}: the outline of {key} at {measured:.2f}:1"
    banner = widgets["banner_button"].parentWidget()
    behind = image.pixelColor(banner.mapTo(root, QPoint(2, banner.height() // 2)))
    measured = outline_contrast(image, widgets["banner_button"], root, behind)
    assert measured >= 3.0, f"{mode}: the outline of a button on the banner at {measured:.2f}:1"
    box = widgets["check"]
    corner = box.mapTo(root, QPoint(0, 0))
    indicator = pixels(image, corner.x(), corner.y(), 18, box.height())
    measured = strongest(indicator, window)
    assert measured >= 3.0, f"{mode}: the check box at {measured:.2f}:1"


def test_the_window_colours_meet_the_targets_too():
    """The palette itself: text roles on the backgrounds they are drawn on."""
    for colours in (theme._LIGHT, theme._DARK):
        for text in ("WindowText", "Text", "PlaceholderText", "Link"):
            for background in ("Window", "Base", "AlternateBase"):
                assert contrast(QColor(colours[text]), QColor(colours[background])) >= 4.5, (text, background)
        assert contrast(QColor(colours["HighlightedText"]), QColor(colours["Highlight"])) >= 4.5
    for dark, outline in theme._OUTLINE.items():
        colours = theme._DARK if dark else theme._LIGHT
        for background in ("Window", "Base", "AlternateBase", "Button"):
            assert contrast(QColor(outline), QColor(colours[background])) >= 3.0, (dark, background)


def test_the_arrow_pictures_exist():
    sheet = theme.style_sheet(True) + theme.style_sheet(False)
    assert not any(token in sheet for token in ("@outline", "@mode", "@resources"))
    for name in ("down-dark.svg", "down-light.svg", "up-dark.svg", "up-light.svg", "check.svg"):
        assert (theme.RESOURCES / name).is_file()


@pytest.mark.parametrize("mode", ["light", "dark"])
def test_a_disabled_ticked_box_does_not_look_active(qtbot, mode):
    """A factor outside Manual mode: ticked but greyed, not in the highlight colour of one that can change."""
    app = QApplication.instance()
    theme.apply(app, mode)
    try:
        boxes = [QCheckBox("Likes"), QCheckBox("Likes")]
        root = QWidget()
        grid = QGridLayout(root)
        for row, box in enumerate(boxes):
            box.setChecked(True)
            grid.addWidget(box, row, 0)
        boxes[1].setEnabled(False)
        qtbot.addWidget(root)
        root.show()
        qtbot.waitExposed(root)
        image = root.grab().toImage()
        highlight = root.palette().color(root.palette().ColorRole.Highlight)

        def blue(box: QCheckBox) -> int:
            corner = box.mapTo(root, QPoint(0, 0))
            target = (highlight.red(), highlight.green(), highlight.blue())
            return sum(sum(abs(a - b) for a, b in zip((c.red(), c.green(), c.blue()), target, strict=True)) < 40
                       for c in pixels(image, corner.x(), corner.y(), 18, box.height()))

        assert blue(boxes[0]) > 20
        assert blue(boxes[1]) == 0
    finally:
        theme.apply(app, "light")
