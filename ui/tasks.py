"""Background work, one way: `tasks.run(fn, done, error, progress=, key=, pool=)` runs a plain function off
the GUI thread and delivers its result (or its error) on the GUI thread. It returns a `Task` to cancel.

- `progress=`: `fn` is called with one argument, a function it may call from its thread with progress
  events; each reaches `progress(event)` on the GUI thread. Callers write no relay of their own.
- `key=`: a newer job with the same key supersedes the older one: the older one's result and progress are
  dropped, never delivered (and it never starts if it was still queued). Callers keep no generation count.
- `pool=`: INTERACTIVE (re-rank, detail pictures, anything the person waits for), LONG (sync, training,
  import: minutes to hours), WRITER (one thread, jobs in order). Three pools, so that an hours-long sync and
  a training never make a re-rank wait behind them.
- `Task.cancel()`: the result is no longer wanted. Work that can stop early takes a `CancelToken` as well.

Workers never touch widgets. Nothing is delivered once the runner is deleted (its window closed), nor to a
callback that is a bound method of a deleted Qt object. Tests swap in `SynchronousRunner`.
"""

from __future__ import annotations

import itertools
import logging
import traceback
import weakref
from collections.abc import Callable, Hashable
from typing import Any

import shiboken6
from PySide6.QtCore import QObject, QRunnable, QThread, QThreadPool, Signal, Slot

log = logging.getLogger(__name__)

INTERACTIVE, LONG, WRITER = "interactive", "long", "writer"

_POOLS: dict[str, QThreadPool] = {}


def pool(name: str) -> QThreadPool:
    """The app's pool of that name (made on first use, shared by every window)."""
    if name not in _POOLS:
        threads = {INTERACTIVE: max(2, QThread.idealThreadCount()), LONG: 2, WRITER: 1}[name]
        _POOLS[name] = QThreadPool()
        _POOLS[name].setMaxThreadCount(threads)
    return _POOLS[name]


class Task:
    """A handle on one job. `cancel()` drops its result; `pending` is true until it is delivered or dropped."""

    def __init__(self, runner: TaskRunner, fn: Callable, done: Callable | None, error: Callable | None,
                 progress: Callable | None, key: Hashable | None):
        self.runner, self.fn, self.key = runner, fn, key
        self.done, self.error, self.progress = done, error, progress
        self.pending = True
        self.number = next(_NUMBERS)

    def cancel(self) -> None:
        self.runner._forget(self)

    def report(self, event: Any) -> None:
        """Called by the job on its own thread; the event is shown on the GUI thread (unless dropped)."""
        if self.pending:
            _hub().progressed.emit(self.number, event)


_NUMBERS = itertools.count()


class _Hub(QObject):
    """Lives on the GUI thread for the app's lifetime; workers emit on it, Qt queues the call across.

    Workers pass numbers and weak references, never the last reference to a task, a widget or a runner: a Qt
    object freed on a worker thread would be deleted outside its own thread."""

    finished = Signal(int, object, object)  # (task number, result, error)
    progressed = Signal(int, object)  # (task number, event)
    called = Signal(object, object, object)  # (runner, callback, arguments) as weak references: TaskRunner.relay

    def __init__(self) -> None:
        super().__init__()
        self.running: dict[int, Task] = {}  # read and written on the GUI thread only
        self.finished.connect(self._finished)
        self.progressed.connect(self._progressed)
        self.called.connect(self._called)

    @Slot(int, object, object)
    def _finished(self, number: int, result: Any, error: Exception | None) -> None:
        task = self.running.pop(number, None)
        if task is not None:
            task.runner._deliver(task, result, error)

    @Slot(int, object)
    def _progressed(self, number: int, event: Any) -> None:
        task = self.running.get(number)
        if task is None or not task.pending or task.progress is None:
            return
        if shiboken6.isValid(task.runner) and _alive(task.progress):
            task.progress(event)

    @Slot(object, object, object)
    def _called(self, runner_ref: Callable, callback_ref: Callable, arguments: tuple) -> None:
        runner, callback = runner_ref(), callback_ref()
        if runner is not None and callback is not None and shiboken6.isValid(runner) and _alive(callback):
            callback(*arguments)


_HUB: list[_Hub] = []


def _hub() -> _Hub:
    if not _HUB:
        _HUB.append(_Hub())
    return _HUB[0]


class _Job(QRunnable):
    def __init__(self, task: Task):
        super().__init__()
        self.task: Task | None = task

    def run(self) -> None:
        task, self.task = self.task, None
        if task is None:
            return  # run once only
        number, result, error = task.number, None, None
        try:
            if task.pending:  # else cancelled or superseded while queued: it never starts
                result = task.fn(task.report) if task.progress is not None else task.fn()
        except Exception as exc:  # delivered to the callback on the GUI thread, never lost
            log.debug("background task failed:\n%s", traceback.format_exc())
            error = exc.with_traceback(None)  # no traceback crosses: it would keep the job's frames alive
        del task  # the GUI thread holds the task until delivery, and lets go of it there
        _hub().finished.emit(number, result, error)


class TaskRunner(QObject):
    """One window's background work (see the module's docstring). Usually a child of the window."""

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        _hub()  # made now, on the GUI thread
        self._pending: set[Task] = set()
        self._latest: dict[Hashable, Task] = {}

    def run(self, fn: Callable, done: Callable[[Any], None] | None = None,
            error: Callable[[Exception], None] | None = None, *, progress: Callable[[Any], None] | None = None,
            key: Hashable | None = None, pool: str = INTERACTIVE) -> Task:
        task = self._add(fn, done, error, progress, key)
        self._start(task, pool)
        return task

    def _add(self, fn, done, error, progress, key) -> Task:
        task = Task(self, fn, done, error, progress, key)
        if key is not None:
            if (older := self._latest.get(key)) is not None:
                self._forget(older)
            self._latest[key] = task
        self._pending.add(task)
        return task

    def _start(self, task: Task, name: str) -> None:
        _hub().running[task.number] = task
        pool(name).start(_Job(task))

    def _forget(self, task: Task) -> None:
        task.pending = False
        self._pending.discard(task)
        if task.key is not None and self._latest.get(task.key) is task:
            del self._latest[task.key]

    def _deliver(self, task: Task, result: Any, error: Exception | None) -> None:
        if not task.pending:
            return  # cancelled, or superseded by a newer job with its key
        self._forget(task)
        if not shiboken6.isValid(self):
            return  # the window that asked was closed meanwhile: nobody waits for this result
        if error is not None:
            callback = task.error or _log_error
            if _alive(callback):
                callback(error)
        elif task.done is not None and _alive(task.done):
            task.done(result)

    def relay(self, callback: Callable) -> Callable:
        """A function any thread may call (e.g. the engine's own training thread): each call becomes
        `callback(*arguments)` on the GUI thread, unless the runner or the callback's Qt object is gone by then
        (both are held weakly: a relay kept by the engine keeps no window alive)."""
        runner_ref = weakref.ref(self)
        callback_ref = weakref.WeakMethod(callback) if hasattr(callback, "__self__") else (lambda: callback)

        def call(*arguments: Any) -> None:
            _hub().called.emit(runner_ref, callback_ref, arguments)

        return call

    def cancel_all(self) -> None:
        """Drop every result still to come (the window that asked is closing)."""
        for task in list(self._pending):
            self._forget(task)

    def wait(self, msecs: int = 30_000) -> bool:
        """Wait for every pool to finish its jobs (tests; the results are delivered by the event loop)."""
        return all(pool(name).waitForDone(msecs) for name in (INTERACTIVE, LONG, WRITER))

    @property
    def busy(self) -> bool:
        """Whether a result is still to be delivered (superseded and cancelled jobs do not count)."""
        return bool(self._pending)


class SynchronousRunner(TaskRunner):
    """Runs every task at once on the calling thread: deterministic tests."""

    def _start(self, task: Task, name: str) -> None:
        try:
            result, error = (task.fn(task.progress) if task.progress is not None else task.fn()), None
        except Exception as exc:
            result, error = None, exc
        self._deliver(task, result, error)


def _alive(callback: Callable) -> bool:
    """False for a bound method of a Qt object already deleted (a page or dialog closed meanwhile)."""
    owner = getattr(callback, "__self__", None)
    return not isinstance(owner, QObject) or shiboken6.isValid(owner)


def _log_error(error: Exception) -> None:
    log.error("background task failed: %s", error)
