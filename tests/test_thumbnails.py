"""The thumbnail cache: a picture asked for again while it is being decoded is decoded once, and the cache's
byte count is the size of the pictures it holds, so that it keeps as many as its budget allows."""

from __future__ import annotations

import threading

from PySide6.QtCore import QSize
from PySide6.QtGui import QColor, QImage

from ui.thumbnails import ThumbnailLoader, _pixmap_bytes


def test_a_picture_asked_for_while_it_decodes_is_decoded_once_and_counted_once(qtbot, tmp_path):
    path = tmp_path / "picture.png"
    image = QImage(64, 64, QImage.Format.Format_RGB32)
    image.fill(QColor("teal"))
    assert image.save(str(path))
    loader = ThumbnailLoader(threads=1)
    release, reads = threading.Event(), []

    def source():
        reads.append(1)
        release.wait(10)
        return path

    size = QSize(32, 32)
    for _ in range(5):  # the card is painted frame after frame while its picture decodes
        loader.next_frame()
        assert loader.pixmap("post", size, source) is None
        qtbot.wait(20)
    release.set()
    qtbot.waitUntil(lambda: loader.idle() and loader.pixmap("post", size, source) is not None, timeout=10_000)
    assert len(reads) == 1
    assert loader._bytes == sum(_pixmap_bytes(p) for p in loader._cache.values()) == 32 * 32 * 4
    loader.shutdown()
