"""Live ranking settings: what ranks (learned from your likes, the seed formula, or manual sliders), what the
learned model found, and the settings every mode shares. Every change is a `Settings.set`, which the pages
hear as `settings_changed` and re-rank on; `changed` tells the page to save."""

from __future__ import annotations

import math

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QGridLayout,
    QLabel,
    QPushButton,
    QRadioButton,
    QSlider,
    QVBoxLayout,
    QWidget,
)

from discovery.settings import FACTORS, REGISTRY, Setting, Settings
from ui.labels import plain_label
from ui.scroll import fill_with_scroll

FLOAT_STEPS = 100  # a float slider moves in hundredths of its range
MODE_LABELS = {"learned": "Learned from your likes", "seed": "Seed formula", "manual": "Manual"}
MODE_HINTS = {
    "learned": "A model of you, learned from what you liked, saved and opened.",
    "seed": "The seed project's formula: every factor below counts once.",
    "manual": "The seed formula's factors, switched on or off and weighted by the sliders below.",
}
FACTOR_KEYS = [f"ranking.{name}_{part}" for name in FACTORS for part in ("on", "power")]
# The settings every mode shares: (caption, hint); the value's words come from `value_text`.
SHARED = {
    "ranking.tau_hours": ("Recency half-life", "A post's recency counts half as much after this long."),
    "ranking.window_days": ("Window", "Only posts from this many recent days are ranked."),
    "ranking.diversity_cap": ("Posts per author", ""),  # one sentence under the next row says both
    "ranking.diversity_window": ("…within any", ""),
    "ranking.see_fewer_factor": ("“See fewer” keeps", "Each “see fewer” keeps this share of the author's score."),
    "ranking.top_hashtags": ("Your hashtags", "Explore follows this many of your most used hashtags."),
    "ranking.interest_every": ("Hashtag posts", "How often Explore shows a post from your hashtags (seed "
                               "formula and manual only; the learned model places them itself)."),
}


def duration(hours: float) -> str:
    """A length of time a person reads at a glance: "45 min", "19 h", "2.5 days"."""
    if hours < 1:
        return f"{hours * 60:.0f} min"
    if hours < 48:
        return f"{hours:.0f} h" if hours >= 10 else f"{hours:.1f} h".replace(".0 h", " h")
    return f"{hours / 24:.1f} days".replace(".0 days", " days")


def value_text(key: str, value) -> str:
    """A setting's value in words and units, as the panel shows it."""
    if key.endswith("_power"):
        return "off" if value == 0 else f"{value:.2f}".rstrip("0").rstrip(".") + "×"
    if key == "ranking.tau_hours":  # τ in exp(−age/τ) is an e-folding time: a post halves after τ·ln 2
        return duration(value * math.log(2))
    if key == "ranking.window_days":
        return duration(value * 24)
    if key == "ranking.diversity_cap":
        return f"{value} post" if value == 1 else f"{value} posts"
    if key == "ranking.diversity_window":
        return f"{value} in a row"
    if key == "ranking.see_fewer_factor":
        return f"{value:.0%}"
    if key == "ranking.top_hashtags":
        return "none" if value == 0 else (f"{value} hashtag" if value == 1 else f"{value} hashtags")
    if key == "ranking.interest_every":
        return "never" if value == 0 else ("every post" if value == 1 else f"1 in {value}")
    return f"{value:g}" if isinstance(value, float) else str(value)


class RankingPanel(QWidget):
    changed = Signal()

    def __init__(self, settings: Settings, parent: QWidget | None = None):
        super().__init__(parent)
        self.settings = settings
        self.checks: dict[str, QCheckBox] = {}
        self.sliders: dict[str, QSlider] = {}
        self._values: dict[str, QLabel] = {}
        body = QWidget()
        layout = QVBoxLayout(body)
        title = QLabel("Ranking")
        title.setObjectName("panelTitle")
        layout.addWidget(title)

        self.modes: dict[str, QRadioButton] = {}
        self.mode_group = QButtonGroup(self)
        for mode, label in MODE_LABELS.items():
            button = QRadioButton(label)
            button.setToolTip(MODE_HINTS[mode])
            button.toggled.connect(lambda on, m=mode: self.set_mode(m) if on else None)
            self.mode_group.addButton(button)
            self.modes[mode] = button
            layout.addWidget(button)
        self.note = plain_label()
        self.note.setObjectName("rankingNote")
        self.note.setAccessibleName("What ranks the lists")
        self.note.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.note.setContentsMargins(0, 4, 0, 4)
        layout.addWidget(self.note)

        layout.addWidget(_heading("Factors (manual)"))
        layout.addLayout(self._factors())
        self.factor_hint = _hint("How much each factor counts: 1× as in the seed formula, 2× twice as strongly "
                                 "(its exponent), off not at all.")
        layout.addWidget(self.factor_hint)
        layout.addWidget(_heading("In every mode"))
        layout.addLayout(self._shared())
        reset = QPushButton("Reset to defaults")
        reset.setToolTip("Learned from your likes, with every setting at its default")
        reset.clicked.connect(self.reset)
        layout.addWidget(reset, alignment=Qt.AlignmentFlag.AlignLeft)
        layout.addStretch(1)

        fill_with_scroll(self, body)
        self.load()

    def _factors(self) -> QGridLayout:
        """The seed formula's factors: a switch and an exponent's slider each."""
        factors = QGridLayout()
        factors.setColumnStretch(1, 1)
        for row, (name, (label, formula)) in enumerate(FACTORS.items()):
            check = QCheckBox(label)
            check.setToolTip(formula)
            check.toggled.connect(lambda on, key=f"ranking.{name}_on": self._set(key, on))
            self.checks[f"ranking.{name}_on"] = check
            factors.addWidget(check, row, 0)
            self._slider(REGISTRY[f"ranking.{name}_power"], factors, row)
        return factors

    def _shared(self) -> QGridLayout:
        """The settings every mode shares: a caption, a slider and its value, a hint under some."""
        shared = QGridLayout()
        shared.setColumnStretch(1, 1)
        for i, (key, (caption, hint)) in enumerate(SHARED.items()):
            caption_label = plain_label(caption, wrap=False)
            caption_label.setToolTip(REGISTRY[key].description)
            shared.addWidget(caption_label, 2 * i, 0)
            self._slider(REGISTRY[key], shared, 2 * i)
            if hint:
                shared.addWidget(_hint(hint), 2 * i + 1, 0, 1, 3)
        self.diversity_hint = _hint("")
        row = 2 * list(SHARED).index("ranking.diversity_window") + 1
        shared.addWidget(self.diversity_hint, row, 0, 1, 3)
        return shared

    def _slider(self, setting: Setting, grid: QGridLayout, row: int) -> None:
        slider = QSlider(Qt.Orientation.Horizontal)
        slider.setAccessibleName(setting.label)
        slider.setToolTip(setting.description)
        if setting.type is int:
            low, high = _bounds(setting)
            slider.setRange(int(low), int(high))
        else:
            slider.setRange(0, FLOAT_STEPS)
        value = QLabel()
        value.setMinimumWidth(value.fontMetrics().horizontalAdvance("10 in a row"))
        value.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        slider.valueChanged.connect(lambda position, s=setting: self._set(s.key, self._from_slider(s, position)))
        grid.addWidget(slider, row, 1)
        grid.addWidget(value, row, 2)
        self.sliders[setting.key] = slider
        self._values[setting.key] = value

    @staticmethod
    def _from_slider(setting: Setting, position: int) -> float:
        if setting.type is int:
            return position
        low, high = _bounds(setting)
        return round(low + (high - low) * position / FLOAT_STEPS, 4)

    @staticmethod
    def _to_slider(setting: Setting, value: float) -> int:
        if setting.type is int:
            return int(value)
        low, high = _bounds(setting)
        return round((value - low) / (high - low) * FLOAT_STEPS)

    @property
    def mode(self) -> str:
        """The mode that ranks: "learned" shows as "manual" while a factor is moved from its default."""
        return self.settings.ranking.effective_mode()

    def load(self) -> None:
        """Show the current settings without emitting `changed`."""
        mode = self.mode
        for name, button in self.modes.items():
            button.blockSignals(True)
            button.setChecked(name == mode)
            button.blockSignals(False)
        for key, check in self.checks.items():
            check.blockSignals(True)
            check.setChecked(self.settings.get(key))
            check.blockSignals(False)
            check.setEnabled(mode == "manual")
        for key, slider in self.sliders.items():
            slider.blockSignals(True)
            slider.setValue(self._to_slider(REGISTRY[key], self.settings.get(key)))
            slider.blockSignals(False)
            if key.endswith("_power"):
                self._enable(key, mode == "manual" and self.settings.get(key.replace("_power", "_on")))
            self._show_value(key)
        self.factor_hint.setEnabled(mode == "manual")

    def set_mode(self, mode: str) -> None:
        """Rank with the learned model, the seed formula, or the manual sliders."""
        self.settings.set("ranking.mode", mode)
        if mode == "learned":  # a factor moved from its default would rank manually
            for key in FACTOR_KEYS:
                self.settings.set(key, REGISTRY[key].default)
        self.load()
        self.changed.emit()

    def set_note(self, text: str) -> None:
        """What ranks the lists now, in words (the learned summary, or which formula)."""
        self.note.setText(text)

    def _set(self, key: str, value) -> None:
        self.settings.set(key, value)
        if key in FACTOR_KEYS and self.settings.get("ranking.mode") != "manual":
            self.settings.set("ranking.mode", "manual")  # a moved factor ranks manually: say so
            self.load()
        if key in self.checks:
            self._enable(key.replace("_on", "_power"), bool(value) and self.mode == "manual")
        if key in self._values:
            self._show_value(key)
        self.changed.emit()

    def _enable(self, key: str, enabled: bool) -> None:
        """A factor's slider and the value beside it, greyed together when they cannot be moved."""
        self.sliders[key].setEnabled(bool(enabled))
        if key in self._values:
            self._values[key].setEnabled(bool(enabled))

    def _show_value(self, key: str) -> None:
        self._values[key].setText(value_text(key, self.settings.get(key)))
        if key.startswith("ranking.diversity_"):
            cap, run = self.settings.get("ranking.diversity_cap"), self.settings.get("ranking.diversity_window")
            self.diversity_hint.setText(f"At most {value_text('ranking.diversity_cap', cap)} by one author in "
                                        f"any {run} posts in a row.")

    def reset(self) -> None:
        self.settings.reset("ranking")
        self.load()
        self.changed.emit()


def _bounds(setting: Setting) -> tuple[float, float]:
    """A slider's ends: every setting the panel shows as a slider is declared with both bounds."""
    if setting.minimum is None or setting.maximum is None:
        raise ValueError(f"{setting.key} has no bounds to slide between")
    return setting.minimum, setting.maximum


def _heading(text: str) -> QLabel:
    label = plain_label(text, wrap=False)
    label.setStyleSheet("font-weight: 600; padding-top: 8px")
    return label


def _hint(text: str) -> QLabel:
    label = plain_label(text)
    label.setObjectName("hint")
    return label
