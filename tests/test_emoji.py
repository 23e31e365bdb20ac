"""Emoji in names and captions never show as empty boxes: with a colour emoji font they are drawn, without
one they are left out (and symbols the app's font draws itself stay)."""

from __future__ import annotations

import pandas as pd
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import QApplication

from ui import emoji
from ui.posts import PostListModel

SAMPLES = ["Noor 🌿", "Golden hour 🌅🔥 #sunset", "Back in stock ❤️ 👩‍🍳", "♥ 12 likes", "flag 🇵🇹 and 1️⃣", "plain"]


def drawable(value: str) -> bool:
    metrics = QFontMetrics(QApplication.font())
    return all(metrics.inFontUcs4(ord(char)) for char in value if char not in "\n")


def test_every_character_left_can_be_drawn(qapp):
    for sample in SAMPLES:
        out = emoji.shown(sample)
        if emoji.emoji_family() is None:
            assert drawable(out), (sample, out)
        else:
            assert out == sample


def test_without_an_emoji_font_the_words_stay(qapp, monkeypatch):
    monkeypatch.setattr(emoji, "emoji_family", lambda: None)
    assert emoji.shown("Noor 🌿") == "Noor"
    assert emoji.shown("Golden hour 🌅🔥 #sunset") == "Golden hour #sunset"
    assert emoji.shown("Back in stock ❤️ 👩‍🍳").startswith("Back in stock")
    assert emoji.shown("plain text") == "plain text"
    assert "♥" in emoji.shown("♥ 12 likes") or not QFontMetrics(QApplication.font()).inFontUcs4(ord("♥"))


def test_the_cards_show_names_and_captions_as_they_can_be_drawn(qapp, monkeypatch):
    monkeypatch.setattr(emoji, "emoji_family", lambda: None)
    model = PostListModel()
    frame = pd.DataFrame({"id": [1], "pk": ["a"], "username": ["noor"], "full_name": ["Noor 🌿"],
                          "caption": ["Morning 🌅 run"], "like_count": [3], "comment_count": [1], "age_s": [60.0],
                          "media_type": [1], "carousel_count": [0], "score": [0.5], "source": ["graph"], "tag": [""]})
    model.set_frame(frame, lambda row: "")
    item = model.item(0)
    assert (item.full_name, item.caption) == ("Noor", "Morning run")
