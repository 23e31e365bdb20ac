"""Progress events and cancellation for long work, shared by the command line and the app."""

from __future__ import annotations

import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class ProgressEvent:
    stage: str  # a short human label: "Generating posts"
    done: int
    total: int | None = None  # None when unknown
    message: str = ""  # optional detail: "312 following, 290 followers"


Progress = Callable[[ProgressEvent], None]


def no_progress(_event: ProgressEvent) -> None:
    pass


class Cancelled(Exception):
    """Raised inside work whose CancelToken was cancelled; the work leaves nothing half-written."""


class CancelToken:
    def __init__(self) -> None:
        self._event = threading.Event()

    def cancel(self) -> None:
        self._event.set()

    def check(self) -> None:
        if self._event.is_set():
            raise Cancelled()


BAR = 24  # characters of the progress bar on a terminal


class TerminalProgress:
    """Prints progress to stderr, at most a few times a second, on one line when stderr is a terminal."""

    def __init__(self, stream=None, interval: float = 0.25):
        self.stream = stream or sys.stderr
        self.interval = interval
        self._last = 0.0
        self._stage: str | None = None
        self._tty = self.stream.isatty()

    def __call__(self, event: ProgressEvent) -> None:
        now = time.monotonic()
        finished = event.total is not None and event.done >= event.total
        if event.stage == self._stage and not finished and now - self._last < self.interval:
            return
        self._last = now
        if event.stage != self._stage and self._stage is not None and self._tty:
            self.stream.write("\n")
        self._stage = event.stage
        count = f"{event.done:,}" + (f"/{event.total:,}" if event.total else "")
        line = f"{event.stage}: {count}" + (f" · {event.message}" if event.message else "")
        if self._tty:
            if event.total:
                filled = round(BAR * min(event.done / event.total, 1.0))
                line = f"{event.stage} [{'#' * filled}{'-' * (BAR - filled)}] {count}" + \
                    (f" · {event.message}" if event.message else "")
            self.stream.write("\r\x1b[K" + line + ("\n" if finished else ""))
            if finished:
                self._stage = None
        else:
            self.stream.write(line + "\n")
        self.stream.flush()
