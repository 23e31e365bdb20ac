"""Thumbnails decoded off the GUI thread, kept in a bounded memory cache.

The delegate asks for a picture while painting; a miss queues a job and the card shows a placeholder.
Every paint of the view starts a new frame: a queued job that the latest frame did not ask for again is
no longer visible and is dropped before it is decoded.

The loader keeps its own two threads rather than the task runner's INTERACTIVE pool: its workers drain the
queue for as long as the person scrolls, so on the shared pool they would hold its threads and a re-rank
would wait behind them; and a closing window waits for its own decodes only.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, QRunnable, QSize, Qt, QThreadPool, Signal
from PySide6.QtGui import QImage, QImageReader, QPixmap

Source = Callable[[], Path | None]


class ThumbnailLoader(QObject):
    ready = Signal(str)  # key
    _decoded = Signal(object, object)  # (cache key, QImage or None), from a worker to the GUI thread

    def __init__(self, max_bytes: int = 32 * 1024**2, threads: int = 2, parent: QObject | None = None):
        super().__init__(parent)
        self.max_bytes = max_bytes
        self._cache: OrderedDict[tuple[str, int, int], QPixmap] = OrderedDict()
        self._bytes = 0
        self._missing: set[str] = set()  # keys whose source had no picture
        self._lock = threading.Lock()
        self._pending: OrderedDict[tuple[str, int, int], tuple[int, Source, float]] = OrderedDict()
        self._decoding: set[tuple[str, int, int]] = set()  # taken by a worker, not yet stored
        self._running = 0
        self._frame = 0
        self.pool = QThreadPool(self)
        self.pool.setMaxThreadCount(threads)
        self._decoded.connect(self._store)

    # --- called on the GUI thread ----------------------------------------------------------------------

    def next_frame(self) -> None:
        with self._lock:
            self._frame += 1

    def pixmap(self, key: str, size: QSize, source: Source, ratio: float = 1.0) -> QPixmap | None:
        """The cached picture, or None after queueing its decoding (the caller paints a placeholder)."""
        width, height = round(size.width() * ratio), round(size.height() * ratio)
        cache_key = (key, width, height)
        hit = self._cache.get(cache_key)
        if hit is not None:
            self._cache.move_to_end(cache_key)
            return hit
        if key in self._missing:
            return None
        with self._lock:
            if cache_key in self._decoding:  # asked again while a worker decodes it: it arrives soon
                return None
            self._pending[cache_key] = (self._frame, source, ratio)
            self._pending.move_to_end(cache_key)
            start = self._running < self.pool.maxThreadCount()
            if start:
                self._running += 1
        if start:
            self.pool.start(_Decode(self))
        return None

    def is_missing(self, key: str) -> bool:
        return key in self._missing

    def forget(self, key: str) -> None:
        self._missing.discard(key)
        for cache_key in [k for k in self._cache if k[0] == key]:
            self._bytes -= _pixmap_bytes(self._cache.pop(cache_key))

    def shutdown(self) -> None:
        """Drop queued work and wait for the pictures being decoded (the window is closing)."""
        with self._lock:
            self._pending.clear()
        self.pool.waitForDone(5000)

    def idle(self) -> bool:
        with self._lock:
            return not self._pending and self._running == 0

    def _store(self, cache_key: tuple[str, int, int], image: QImage | None) -> None:
        with self._lock:
            self._decoding.discard(cache_key)
        if image is None:
            self._missing.add(cache_key[0])
            self.ready.emit(cache_key[0])
            return
        pixmap = QPixmap.fromImage(image)
        pixmap.setDevicePixelRatio(image.devicePixelRatio())
        replaced = self._cache.pop(cache_key, None)
        if replaced is not None:  # decoded twice (forgotten meanwhile): counted once
            self._bytes -= _pixmap_bytes(replaced)
        self._cache[cache_key] = pixmap
        self._bytes += _pixmap_bytes(pixmap)
        while self._bytes > self.max_bytes and len(self._cache) > 1:
            _, old = self._cache.popitem(last=False)
            self._bytes -= _pixmap_bytes(old)
        self.ready.emit(cache_key[0])

    # --- called on worker threads ----------------------------------------------------------------------

    def _next_job(self):
        """The most recently requested job still visible in the latest frame, or None when done."""
        with self._lock:
            while self._pending:
                cache_key, (frame, source, ratio) = self._pending.popitem(last=True)
                if frame >= self._frame - 1:
                    self._decoding.add(cache_key)
                    return cache_key, source, ratio
            self._running -= 1
            return None

    def _work(self) -> None:
        while (job := self._next_job()) is not None:
            cache_key, source, ratio = job
            try:
                path = source()
                image = decode(path, QSize(cache_key[1], cache_key[2])) if path else None
            except Exception:  # an unreadable picture shows the placeholder; the app goes on
                image = None
            if image is not None:
                image.setDevicePixelRatio(ratio)
            self._decoded.emit(cache_key, image)


class _Decode(QRunnable):
    def __init__(self, loader: ThumbnailLoader):
        super().__init__()
        self.loader = loader

    def run(self) -> None:
        self.loader._work()


def decode(path: Path, size: QSize, crop: bool = True) -> QImage | None:
    """Decode an image at (about) `size` pixels: JPEGs decode straight at a reduced scale. With `crop`
    the picture fills `size` and is centre-cropped; without, it fits inside."""
    reader = QImageReader(str(path))
    reader.setAutoTransform(True)
    original = reader.size()
    if original.isValid() and original.width() > 0 and original.height() > 0:
        mode = Qt.AspectRatioMode.KeepAspectRatioByExpanding if crop else Qt.AspectRatioMode.KeepAspectRatio
        reader.setScaledSize(original.scaled(size, mode))
    image = reader.read()
    if image.isNull():
        return None
    if crop and (image.width() > size.width() or image.height() > size.height()):
        x = (image.width() - size.width()) // 2
        y = (image.height() - size.height()) // 2
        image = image.copy(x, y, min(size.width(), image.width()), min(size.height(), image.height()))
    return image


def _pixmap_bytes(pixmap: QPixmap) -> int:
    return pixmap.width() * pixmap.height() * 4
