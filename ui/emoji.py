"""Emoji in captions and names: drawn in a colour emoji font when the system has one, and otherwise left
out of the text rather than shown as empty boxes. On Linux the font is Noto Color Emoji (Debian and Ubuntu:
`fonts-noto-color-emoji`)."""

from __future__ import annotations

import re
from functools import cache

from PySide6.QtGui import QFontDatabase, QFontMetrics, QGuiApplication

KNOWN = ("Noto Color Emoji", "Apple Color Emoji", "Segoe UI Emoji", "Twemoji", "JoyPixels", "OpenMoji",
         "EmojiOne Color", "Noto Emoji", "Symbola")

# Pictographs, dingbats and symbols, flags, skin tones and tags, with the joiners and variation selectors
# that hold sequences together.
EMOJI = re.compile("[\U0001F000-\U0001FAFF\u2600-\u27BF\u2B00-\u2BFF\u2300-\u23FF\U000E0020-\U000E007F"
                   "\u200D\uFE0E\uFE0F\u20E3]")


@cache
def emoji_family() -> str | None:
    """The emoji font this system has (made Qt's first choice for emoji), or None."""
    families = QFontDatabase.families()
    found = next((f for f in KNOWN if f in families), None)
    found = found or next((f for f in families if "emoji" in f.lower()), None)
    if found is not None:
        QFontDatabase.setApplicationEmojiFontFamilies([found])
    return found


@cache
def _drawable(char: str) -> bool:
    """Whether the app's own font has this symbol (many fonts draw ♥, ☀ or ✓ themselves)."""
    return QFontMetrics(QGuiApplication.font()).inFontUcs4(ord(char))


def _replace(match: re.Match) -> str:
    char = match.group()
    return char if char not in "\u200D\uFE0E\uFE0F\u20E3" and _drawable(char) else ""


def shown(value: str) -> str:
    """The text as it can be drawn here: unchanged with an emoji font, else without the emoji no font has.
    Unchanged too before there is an application (fonts are not known then; nothing is drawn either)."""
    if not value or QGuiApplication.instance() is None or emoji_family() is not None:
        return value
    cleaned = EMOJI.sub(_replace, value)
    return cleaned if cleaned == value else re.sub(r"[ \t]{2,}", " ", cleaned).strip()
