"""Call a function at most once per interval while events keep coming, always with the latest arguments."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer


class Throttle(QObject):
    def __init__(self, function: Callable, interval_ms: int = 80, parent: QObject | None = None):
        super().__init__(parent)
        self.function = function
        self._args: tuple | None = None
        self._timer = QTimer(self, singleShot=True, interval=interval_ms)
        self._timer.timeout.connect(self._fire)
        self._cooling = False

    def __call__(self, *args) -> None:
        self._args = args
        if not self._timer.isActive():
            if self._cooling:
                self._timer.start()
            else:
                self._fire()

    def _fire(self) -> None:
        if self._args is None:
            self._cooling = False
            return
        args, self._args = self._args, None
        self._cooling = True
        self._timer.start()
        self.function(*args)

    def flush(self) -> None:
        """Run a pending call now (e.g. before a test reads the result)."""
        if self._args is not None:
            self._timer.stop()
            self._fire()
