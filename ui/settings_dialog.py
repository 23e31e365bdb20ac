"""Settings…: every declared setting of the sync, like prediction and insights, one page each, built from the
declarations (label, description, bounds), so a new setting appears here by being declared. The ranking's
settings live in the Ranking panel beside the lists, where moving them re-ranks at once."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QScrollArea,
    QSpinBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from discovery.settings import Setting, Settings, declared
from ui.labels import plain_label

PAGES = (("sync", "Sync"), ("predict", "Like prediction"), ("insights", "Insights"))
LARGEST = 1_000_000_000  # the bound of a spin box whose setting declares none
Editor = QCheckBox | QSpinBox | QDoubleSpinBox
UNITS = {"_seconds": " s", "_minutes": " min", "_hours": " h", "_days": " days"}  # by the key's ending


class SettingsDialog(QDialog):
    def __init__(self, settings: Settings, parent: QWidget | None = None):
        super().__init__(parent)
        self.settings = settings
        self.editors: dict[str, Editor] = {}
        self.setWindowTitle("Settings")
        self.setMinimumSize(620, 520)

        self.pages = QTabWidget()
        for group, title in PAGES:
            self.pages.addTab(self._page(declared(group)), title)
        self.message = plain_label()
        self.message.setObjectName("settingsMessage")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
                                   | QDialogButtonBox.StandardButton.RestoreDefaults)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.restore_button = buttons.button(QDialogButtonBox.StandardButton.RestoreDefaults)
        self.restore_button.setToolTip("Put this page's settings back to Tessera's defaults")
        self.restore_button.clicked.connect(self.restore_page_defaults)
        hint = plain_label("Ranking weights, recency and diversity are in the Ranking panel beside Feed and Explore.")
        hint.setObjectName("hint")
        layout = QVBoxLayout(self)
        layout.addWidget(self.pages, 1)
        layout.addWidget(hint)
        layout.addWidget(self.message)
        layout.addWidget(buttons)

    def _page(self, settings: list[Setting]) -> QWidget:
        form = QFormLayout()
        for setting in settings:
            editor = self._editor(setting)
            self.editors[setting.key] = editor
            form.addRow(setting.label, editor)
            if setting.description:
                description = plain_label(setting.description)
                description.setObjectName("hint")
                form.addRow("", description)
        content = QWidget()
        content.setLayout(form)
        scroll = QScrollArea()
        scroll.setWidget(content)
        scroll.setWidgetResizable(True)
        return scroll

    def _editor(self, setting: Setting) -> Editor:
        value = self.settings.get(setting.key)
        editor: Editor
        if setting.type is bool:
            editor = QCheckBox()
            editor.setChecked(value)
        else:
            box = QSpinBox() if setting.type is int else QDoubleSpinBox()
            if isinstance(box, QDoubleSpinBox):
                box.setDecimals(2)
            low = setting.minimum if setting.minimum is not None else 0
            high = setting.maximum if setting.maximum is not None else LARGEST
            box.setRange(setting.type(low), setting.type(high))
            box.setValue(value)
            box.setGroupSeparatorShown(True)
            box.setSuffix(next((unit for end, unit in UNITS.items() if setting.key.endswith(end)), ""))
            editor = box
        editor.setToolTip(setting.description or setting.label)
        editor.setAccessibleName(setting.label)
        return editor

    def value(self, key: str):
        editor = self.editors[key]
        return editor.isChecked() if isinstance(editor, QCheckBox) else editor.value()

    def set_value(self, key: str, value) -> None:
        editor = self.editors[key]
        if isinstance(editor, QCheckBox):
            editor.setChecked(value)
        else:
            editor.setValue(value)

    def restore_page_defaults(self) -> None:
        group = PAGES[self.pages.currentIndex()][0]
        for setting in declared(group):
            self.set_value(setting.key, setting.default)

    def problem(self) -> str | None:
        """What keeps the values from being saved, as a sentence (the spin boxes already keep each one in
        its bounds; what is left are settings that must agree with each other)."""
        if self.value("sync.delay_min_seconds") > self.value("sync.delay_max_seconds"):
            return "The shortest pause between requests cannot be longer than the longest."
        if self.value("sync.requests_per_hour") > self.value("sync.requests_per_day"):
            return "Requests per hour cannot be more than requests per day."
        return None

    def accept(self) -> None:
        problem = self.problem()
        if problem is not None:
            self.message.setText(problem)
            return
        for key in self.editors:
            self.settings.set(key, self.value(key))
        self.settings.save()
        super().accept()
