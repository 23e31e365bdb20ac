"""Background work: run a plain function on a thread pool, deliver its result (or error) on the GUI thread.

Workers never touch widgets. Tests swap in `SynchronousRunner`, which runs the function at once.
"""

from __future__ import annotations

import logging
import traceback
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal, Slot

log = logging.getLogger(__name__)


class _Relay(QObject):
    finished = Signal(object, object)  # (result, error)


class _Job(QRunnable):
    def __init__(self, function: Callable[[], Any], relay: _Relay):
        super().__init__()
        self.function = function
        self.relay = relay

    def run(self) -> None:
        try:
            result = self.function()
        except Exception as exc:  # delivered to the callback on the GUI thread, never lost
            log.debug("background task failed:\n%s", traceback.format_exc())
            result, error = None, exc
        else:
            error = None
        try:
            self.relay.finished.emit(result, error)
        except RuntimeError:  # the window that asked was closed meanwhile: nobody waits for this result
            log.debug("background task finished after its window closed")


class TaskRunner(QObject):
    """`run(function, on_done, on_error)`: `function()` runs on the pool; `on_done(result)` or
    `on_error(exception)` runs later on the GUI thread."""

    def __init__(self, pool: QThreadPool | None = None, parent: QObject | None = None):
        super().__init__(parent)
        self.pool = pool or QThreadPool.globalInstance()
        self._relays: set[_Relay] = set()

    def run(self, function: Callable[[], Any], on_done: Callable[[Any], None] | None = None,
            on_error: Callable[[Exception], None] | None = None) -> None:
        relay = _Relay()
        self._relays.add(relay)

        @Slot(object, object)
        def deliver(result: Any, error: Exception | None) -> None:
            self._relays.discard(relay)
            if error is not None:
                (on_error or _log_error)(error)
            elif on_done is not None:
                on_done(result)

        relay.finished.connect(deliver)
        self.pool.start(_Job(function, relay))

    def wait(self, msecs: int = 30_000) -> bool:
        return self.pool.waitForDone(msecs)

    @property
    def busy(self) -> bool:
        return bool(self._relays)


class SynchronousRunner(TaskRunner):
    """Runs every task immediately on the calling thread: deterministic tests."""

    def run(self, function, on_done=None, on_error=None) -> None:
        try:
            result = function()
        except Exception as exc:
            (on_error or _log_error)(exc)
            return
        if on_done is not None:
            on_done(result)


def _log_error(error: Exception) -> None:
    log.error("background task failed: %s", error)
