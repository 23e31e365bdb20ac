"""Time, injected: the one place the engine learns what time it is.

A `Clock` is handed down from where a world is opened (`World.open`): the app uses the wall clock, tests and
benchmarks a virtual one that moves only when someone sleeps. Nothing else in the engine reads the wall clock.
"""

from __future__ import annotations

import datetime as dt
import time
from typing import Protocol
from zoneinfo import ZoneInfo

from discovery.progress import CancelToken

DAY = 86_400  # seconds


class Clock(Protocol):
    def now(self) -> float: ...

    def sleep(self, seconds: float, cancel: CancelToken | None = None) -> None: ...


def timezone(tz: str | dt.tzinfo | None = None) -> dt.tzinfo:
    """A zone name ("Europe/Paris"), a tzinfo, or None for the computer's own zone."""
    if tz is None:
        return dt.datetime.now().astimezone().tzinfo or dt.UTC
    return ZoneInfo(tz) if isinstance(tz, str) else tz


class SystemClock:
    def now(self) -> float:
        return time.time()

    def sleep(self, seconds: float, cancel: CancelToken | None = None) -> None:
        end = time.monotonic() + max(0.0, seconds)
        while True:
            if cancel is not None:
                cancel.check()
            left = end - time.monotonic()
            if left <= 0:
                return
            time.sleep(min(left, 0.25))


class VirtualClock:
    """Time that passes only when someone sleeps (or a test advances it): for tests and benchmarks."""

    def __init__(self, start: float):
        self.t = float(start)

    def now(self) -> float:
        return self.t

    def sleep(self, seconds: float, cancel: CancelToken | None = None) -> None:
        if cancel is not None:
            cancel.check()
        self.advance(seconds)

    def advance(self, seconds: float) -> None:
        self.t += max(0.0, seconds)
