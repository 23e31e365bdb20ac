"""Live ranking settings: a switch and a slider per factor, τ, the window and diversity, from the
declarations in `discovery.ranking`; every change re-ranks (the caller throttles)."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSlider,
    QVBoxLayout,
    QWidget,
)

from discovery.ranking import FACTORS
from discovery.settings import REGISTRY, Setting, Settings

FLOAT_STEPS = 100  # a float slider moves in hundredths of its range


class RankingPanel(QWidget):
    changed = Signal()

    def __init__(self, settings: Settings, parent: QWidget | None = None):
        super().__init__(parent)
        self.settings = settings
        self.checks: dict[str, QCheckBox] = {}
        self.sliders: dict[str, QSlider] = {}
        self._values: dict[str, QLabel] = {}
        layout = QVBoxLayout(self)
        title = QLabel("Ranking")
        title.setObjectName("panelTitle")
        layout.addWidget(title)
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        for name, (label, formula) in FACTORS.items():
            check = QCheckBox(label)
            check.setToolTip(formula)
            check.toggled.connect(lambda on, key=f"ranking.{name}_on": self._set(key, on))
            self.checks[f"ranking.{name}_on"] = check
            form.addRow(check, self._slider(REGISTRY[f"ranking.{name}_power"]))
        for key in ("ranking.tau_hours", "ranking.window_days", "ranking.diversity_cap", "ranking.diversity_window",
                    "ranking.see_fewer_factor", "ranking.top_hashtags", "ranking.interest_every"):
            setting = REGISTRY[key]
            caption = QLabel(setting.label)
            caption.setToolTip(setting.description)
            form.addRow(caption, self._slider(setting))
        layout.addLayout(form)
        reset = QPushButton("Reset to defaults")
        reset.clicked.connect(self.reset)
        layout.addWidget(reset, alignment=Qt.AlignmentFlag.AlignLeft)
        layout.addStretch(1)
        self.load()

    def _slider(self, setting: Setting) -> QWidget:
        box = QWidget()
        row = QHBoxLayout(box)
        row.setContentsMargins(0, 0, 0, 0)
        slider = QSlider(Qt.Orientation.Horizontal)
        slider.setAccessibleName(setting.label)
        slider.setToolTip(setting.description)
        if setting.type is int:
            slider.setRange(int(setting.minimum), int(setting.maximum))
        else:
            slider.setRange(0, FLOAT_STEPS)
        value = QLabel()
        value.setMinimumWidth(44)
        value.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        slider.valueChanged.connect(lambda position, s=setting: self._set(s.key, self._from_slider(s, position)))
        row.addWidget(slider, 1)
        row.addWidget(value)
        self.sliders[setting.key] = slider
        self._values[setting.key] = value
        return box

    @staticmethod
    def _from_slider(setting: Setting, position: int):
        if setting.type is int:
            return position
        low, high = setting.minimum, setting.maximum
        return round(low + (high - low) * position / FLOAT_STEPS, 4)

    @staticmethod
    def _to_slider(setting: Setting, value) -> int:
        if setting.type is int:
            return int(value)
        low, high = setting.minimum, setting.maximum
        return round((value - low) / (high - low) * FLOAT_STEPS)

    def load(self) -> None:
        """Show the current settings without emitting `changed`."""
        for key, check in self.checks.items():
            check.blockSignals(True)
            check.setChecked(self.settings.get(key))
            check.blockSignals(False)
            self.sliders[key.replace("_on", "_power")].setEnabled(check.isChecked())
        for key, slider in self.sliders.items():
            slider.blockSignals(True)
            slider.setValue(self._to_slider(REGISTRY[key], self.settings.get(key)))
            slider.blockSignals(False)
            self._show_value(key)

    def _set(self, key: str, value) -> None:
        self.settings.set(key, value)
        if key in self.checks:
            self.sliders[key.replace("_on", "_power")].setEnabled(bool(value))
        if key in self._values:
            self._show_value(key)
        self.changed.emit()

    def _show_value(self, key: str) -> None:
        value = self.settings.get(key)
        self._values[key].setText(f"{value:g}" if isinstance(value, float) else str(value))

    def reset(self) -> None:
        self.settings.reset("ranking")
        self.load()
        self.changed.emit()
