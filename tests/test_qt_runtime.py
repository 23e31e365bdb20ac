"""The Qt binding itself: signals must not leak or drop references (PySide6 6.12.0 did, and crashed)."""

from __future__ import annotations

import sys

from PySide6.QtCore import QObject, Signal


class Emitter(QObject):
    fired = Signal(object)


def test_emitting_signals_keeps_reference_counts_intact(qapp):
    emitter = Emitter()
    received = []
    emitter.fired.connect(lambda payload: received.append(len(payload)))
    before = sys.getrefcount(True), sys.getrefcount(None)
    for i in range(20_000):  # 6.12.0 aborts the interpreter here
        emitter.fired.emit((i, None))
    after = sys.getrefcount(True), sys.getrefcount(None)
    assert len(received) == 20_000
    assert abs(after[0] - before[0]) < 100 and abs(after[1] - before[1]) < 100
