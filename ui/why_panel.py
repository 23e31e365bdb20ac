"""“Why you see this”: the explanation sentence, then each factor's part in words: where the post stands among
today's candidates of its list ("closer to you than 98% of today's authors"), with a small bar."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QGridLayout, QLabel, QProgressBar, QVBoxLayout, QWidget

from ui.labels import plain_label
from ui.scroll import fill_with_scroll

if TYPE_CHECKING:  # a post is explained once its Ranking is loaded; the first paint needs neither
    from discovery.ranking import Ranking

MAX_EXTRA = 6  # learned mode: besides the seed's five factors, the few other features that stand out
NEGATIVE = {"author_hides", "author_fewer"}  # said whenever they apply: they push a post down


class WhyPanel(QFrame):
    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("whyPanel")
        self.setFrameShape(QFrame.Shape.NoFrame)
        body = QWidget()  # scrolls when the window is too short for every factor, instead of squeezing them
        layout = QVBoxLayout(body)
        title = QLabel("Why you see this")
        title.setObjectName("panelTitle")
        layout.addWidget(title)
        self.sentence = plain_label()
        self.sentence.setObjectName("whySentence")
        self.sentence.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.sentence)
        self.grid = QGridLayout()
        self.grid.setColumnStretch(0, 1)
        self.grid.setVerticalSpacing(6)
        layout.addLayout(self.grid)
        self.hint = plain_label("Each bar shows where this post stands among today's candidates of this list: "
                                "full means above all of them.")
        self.hint.setObjectName("hint")
        layout.addWidget(self.hint)
        layout.addStretch(1)
        fill_with_scroll(self, body)
        self.bars: dict[str, QProgressBar] = {}
        self.show_nothing()

    def show_nothing(self) -> None:
        self.sentence.setText("Select a post to see why it is here.")
        self._clear()

    def show_item(self, ranking: Ranking, row: int) -> None:
        from discovery.ranker_features import FEATURES

        self.sentence.setText(ranking.why(row))
        self._clear()
        for i, part in enumerate(shown_parts(ranking.percentiles(row))):
            words = plain_label(in_words(part))
            words.setToolTip(f"{part['label']}: {FEATURES[part['name']][1]}" if part["name"] in FEATURES
                             else part["label"])
            bar = QProgressBar()
            bar.setRange(0, 100)
            bar.setValue(part["percentile"])
            bar.setTextVisible(False)
            bar.setFixedSize(56, 8)
            bar.setAccessibleName(f"{part['label']}: {part['text']}")
            self.grid.addWidget(words, i, 0)
            self.grid.addWidget(bar, i, 1, Qt.AlignmentFlag.AlignVCenter)
            self.bars[part["name"]] = bar

    def _clear(self) -> None:
        while (item := self.grid.takeAt(0)) is not None:
            widget = item.widget()
            if widget is not None:
                widget.deleteLater()
        self.bars = {}

# The author's history with the person, said among today's authors (the engine's generic wording says posts).
AUTHOR_TEXT = {
    "author_saves": "you saved this author's posts more than {p}% of today's authors",
    "author_opens": "you opened this author's posts more than {p}% of today's authors",
    "author_hides": "you hid posts by this author",
    "author_fewer": "you asked to see fewer of this author",
}


def in_words(part: dict) -> str:
    """One factor's sentence, capitalised; "100% of today's authors" reads "all of today's other authors"."""
    text = AUTHOR_TEXT.get(part["name"], part["text"]).format(p=part["percentile"])
    text = text.replace("100% of today's", "all of today's other")
    return text[:1].upper() + text[1:]


def shown_parts(parts: list[dict]) -> list[dict]:
    """The seed's five factors, then the other features that stand out for this post (high among today's
    candidates, or a hide or "see fewer" that holds it back), most notable first."""
    from discovery.ranker_features import SEED_FACTORS

    seed = [p for p in parts if p["name"] in SEED_FACTORS]
    extra = [p for p in parts if p["name"] not in SEED_FACTORS and p["value"] > 0
             and (p["percentile"] >= 60 or p["name"] in NEGATIVE or p["name"] == "tags_you")]
    extra.sort(key=lambda p: (p["name"] not in NEGATIVE, -p["percentile"]))
    return seed + extra[:MAX_EXTRA]
