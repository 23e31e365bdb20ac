"""Handing freed memory back to the system.

A ranking builds and drops frames of several times its result's size, on worker threads too; glibc keeps
the freed pages in its heaps (one per thread that allocated), so the process stays as large as its peak.
`release()` returns them. Elsewhere than glibc it does nothing."""

from __future__ import annotations

import ctypes
import ctypes.util
import threading

_lock = threading.Lock()
_trim = None


def _malloc_trim():
    global _trim
    if _trim is None:
        try:
            _trim = ctypes.CDLL(ctypes.util.find_library("c") or None).malloc_trim
            _trim.argtypes, _trim.restype = [ctypes.c_size_t], ctypes.c_int
        except (OSError, AttributeError):  # not glibc
            _trim = False
    return _trim


def release() -> None:
    """Return free heap pages to the system (a few milliseconds; call it after dropping large frames)."""
    trim = _malloc_trim()
    if trim:
        with _lock:  # one at a time: each walks every heap
            trim(0)
