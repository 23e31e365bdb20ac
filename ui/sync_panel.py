"""The sync panel under a connected account's tabs: the stage, its progress, what the person has now ("Feed ready:
212 posts from 143 of the 300 accounts you follow"), the new posts, the requests used
of the budget, the next pause, a rough ETA, and Sync now / Cancel. A sync paused by the request budget or a
cool-down goes on by itself when it may (while the app is open). The sync runs on the long-jobs pool with
its own World (SQLite connections stay on the thread that made them); the task runner brings its progress
events to the GUI thread."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QTimer, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QProgressBar, QPushButton, QVBoxLayout, QWidget

from discovery.live.client import new_client
from discovery.live.login import resume_session
from discovery.live.stages import STAGES
from discovery.live.sync import (
    FAILED,
    NEEDS_CHALLENGE,
    NEEDS_LOGIN,
    PAUSED,
    RESTRICTED_STATUS,
    SyncProgress,
    SyncResult,
    SyncStatus,
    run_sync,
    sync_status,
)
from discovery.progress import CancelToken
from discovery.settings import Settings
from discovery.world import World
from storage import StoreError
from ui.labels import plain_label
from ui.tasks import LONG, TaskRunner

DATA_INTERVAL = 4.0  # seconds: the main window re-ranks at most this often while posts arrive

PAUSE_REASONS = {
    "cooldown": "Instagram asked Tessera to slow down",
    "hour": "hourly budget used",
    "day": "daily budget used",
    "restricted": "Instagram restricted the account for a while",
    "retry": "Instagram could not be reached",
}


class SyncPanel(QFrame):
    data_arrived = Signal()  # new posts are in the store (at most every DATA_INTERVAL seconds)
    progressed = Signal(object)  # a SyncProgress, after the panel has shown it
    finished = Signal(object)  # the SyncResult
    needs_login = Signal(str)  # the sentence saying why

    def __init__(self, root: Path, world: World, settings: Settings, tasks: TaskRunner,
                 parent: QWidget | None = None, client_factory: Callable = new_client, keyring_backend=None):
        super().__init__(parent)
        self.root = Path(root)
        self.world = world
        self.settings = settings
        self.tasks = tasks
        self.client_factory = client_factory
        self.keyring_backend = keyring_backend
        self.clock = world.clock
        self.result: SyncResult | None = None  # the last sync's
        self.status: SyncStatus | None = None  # the last read of the store's sync state (refresh_status)
        self._kept_headline: str | None = None
        self._token: CancelToken | None = None
        self._posts_announced = 0
        self._announced_at: float | None = None
        self.resume_timer = QTimer(self, singleShot=True)  # a paused sync goes on by itself when it may
        self.resume_timer.timeout.connect(self.start)
        self._resume_epoch: float | None = None
        self.setObjectName("syncPanel")
        if (app := QCoreApplication.instance()) is not None:
            app.aboutToQuit.connect(self._quitting)  # never keep a quitting app alive

        self.headline = self._line("syncHeadline")
        self.bar = QProgressBar()
        self.bar.setTextVisible(False)
        self.bar.setFixedHeight(8)
        self.bar.setAccessibleName("Progress of this stage")
        self.count = plain_label(wrap=False)
        self.sync_button = QPushButton("Sync now")
        self.sync_button.setToolTip("Fetch what is new from Instagram (resumes where the last sync stopped)")
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.setToolTip("Stop after the current request; the next sync resumes from there")
        self.sync_button.clicked.connect(self.start)
        self.cancel_button.clicked.connect(self.cancel)
        self.details = self._line("hint")
        self.pause = self._line("syncPause")

        top = QHBoxLayout()
        top.setSpacing(10)
        top.addWidget(self.headline, 1)
        top.addWidget(self.bar, 1)
        top.addWidget(self.count)
        top.addWidget(self.sync_button)
        top.addWidget(self.cancel_button)
        self._top = top
        bottom = QHBoxLayout()
        bottom.setSpacing(16)
        bottom.addWidget(self.details, 1)
        bottom.addWidget(self.pause)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 6, 12, 6)
        layout.setSpacing(2)
        layout.addLayout(top)
        layout.addLayout(bottom)
        self._show_idle()
        self._set_text(self.headline, "Reading the last sync…")
        self.refresh_status()

    @staticmethod
    def _line(name: str):
        """A one-line plain-text label that may be narrower than its text (the tooltip holds all of it)."""
        label = plain_label(wrap=False)
        label.setObjectName(name)
        label.setMinimumWidth(60)
        return label

    @property
    def running(self) -> bool:
        return self._token is not None

    # --- starting and stopping -----------------------------------------------------------------------

    def start(self) -> None:
        """Resume the saved session and sync in the background (needs_login when nothing is saved)."""
        if self.running:
            return
        self.resume_timer.stop()
        token = CancelToken()
        self._token = token
        self._posts_announced, self._announced_at = 0, None
        self._show_running("Connecting to Instagram…")
        root, name, settings, clock = self.root, self.world.name, self.settings, self.clock
        factory, keyring_backend = self.client_factory, self.keyring_backend

        def sync(report) -> SyncResult | None:
            session = resume_session(root, name, factory, keyring_backend)
            if session is None:
                return None
            opened = World.open(root, name, clock)  # this thread's own connection
            try:
                return run_sync(opened, session, settings, report, token)
            finally:
                opened.close()

        self.tasks.run(sync, self._done, self._crashed, progress=self._progress, key=(self, "sync"), pool=LONG)

    def cancel(self) -> None:
        """Stop the running sync after its current request (and any resume scheduled after a pause)."""
        if self.resume_timer.isActive():
            self.resume_timer.stop()
            self._set_text(self.pause, "")
        if self._token is not None:
            self._token.cancel()
            self.cancel_button.setEnabled(False)
            self._set_text(self.headline, "Stopping after the current request…")

    def _quitting(self) -> None:
        if self._token is not None:
            self._token.cancel()

    def refresh_status(self, headline: str | None = None) -> None:
        """Read the last sync, any pause and the budget from the store (no request) off the GUI thread; shown
        when idle. `headline`: what just happened, shown now and kept instead of the one the status gives."""
        if headline is not None:
            self._set_text(self.headline, headline)
        self._kept_headline = headline
        world, settings = self.world, self.settings
        self.tasks.run(lambda: sync_status(world, settings), self._show_status, key=(self, "status"))

    def _show_status(self, status: SyncStatus) -> None:
        self.status = status
        if self.running:
            return
        if self.result is None and self._kept_headline is None:
            if status.in_progress:
                headline = (f"The last sync stopped at stage {status.stage_number} of {len(STAGES)} "
                            f"({_lower_first(status.stage)}); Sync now resumes it.")
            elif status.last_sync:
                headline = f"Last synced {_when(status.last_sync, self._now())}."
            else:
                headline = "Not synced yet: Sync now fetches your world from Instagram."
            self._set_text(self.headline, headline)
        parts = [_requests(status.requests_hour, status.budget_hour, status.requests_day, status.budget_day)]
        if self.result is not None and status.last_sync:
            parts.insert(0, f"Last synced {_when(status.last_sync, self._now())}")
        self._set_text(self.details, " · ".join(parts))
        if status.blocked_until > self._now():
            pause = _pause_text(status.blocked_until, status.blocked_reason, self._now())
        elif self.resume_timer.isActive() and self._resume_epoch:
            pause = f"Goes on by itself at {_when(self._resume_epoch, self._now())}"
        else:
            pause = ""
        self._set_text(self.pause, pause)

    # --- while it runs (GUI thread) ------------------------------------------------------------------

    def _progress(self, event: SyncProgress) -> None:
        self._set_text(self.headline, stage_text(event))
        if event.total:
            self.bar.setRange(0, event.total)
            self.bar.setValue(min(event.done, event.total))
            self.count.setText(f"{event.done:,} of {event.total:,}")
        elif event.pause_until:
            self.bar.setRange(0, 1)  # a still bar: nothing moves during a pause
            self.bar.setValue(0)
            self.count.setText(_count_without_total(event))
        else:
            self.bar.setRange(0, 0)  # busy: the stage does not know its size yet
            self.count.setText(_count_without_total(event))
        parts = [event.have] if event.have else []
        parts += [f"{event.new_posts:,} new posts",
                 _requests(event.requests_hour, event.budget_hour, event.requests_day, event.budget_day)]
        if event.eta_seconds is not None:
            parts.append(rough_eta(event.eta_seconds))
        self._set_text(self.details, " · ".join(parts))
        self._set_text(self.pause, _pause_text(event.pause_until, event.pause_reason, self._now())
                       if event.pause_until else "")
        if event.new_posts > self._posts_announced:
            now = time.monotonic()
            if self._announced_at is None or now - self._announced_at >= DATA_INTERVAL:
                self._posts_announced, self._announced_at = event.new_posts, now
                self.data_arrived.emit()
        self.progressed.emit(event)

    def _done(self, result: SyncResult | None) -> None:
        self._token = None
        if result is None:
            message = f"Tessera is not logged in to @{self.world.name}: log in to sync."
            self._show_idle()
            self.refresh_status(message)
            self.needs_login.emit(message)
            return
        self.result = result
        self._show_idle()
        if result.status in (PAUSED, RESTRICTED_STATUS) and result.resume_at:
            self._resume_at(result.resume_at)
        self.refresh_status(result.message)
        if result.status in (NEEDS_LOGIN, NEEDS_CHALLENGE):
            self.needs_login.emit(result.message)
        self.finished.emit(result)

    def _crashed(self, error: Exception) -> None:
        message = str(error) if isinstance(error, StoreError) else (
            f"The sync could not start ({type(error).__name__}). Try again later.")
        self._done(SyncResult(FAILED, message))

    def _resume_at(self, epoch: float) -> None:
        self._resume_epoch = epoch
        seconds = min(max(epoch - self._now(), 1.0), 2 * 86400.0)
        self.resume_timer.start(round(seconds * 1000))
        self._set_text(self.pause, f"Goes on by itself at {_when(epoch, self._now())}")  # until the status lands

    # --- the widgets ---------------------------------------------------------------------------------

    def _show_running(self, headline: str) -> None:
        self._set_text(self.headline, headline)
        self._set_text(self.pause, "")
        self.bar.setRange(0, 0)
        self.bar.setVisible(True)
        self.count.setText("")
        self.count.setVisible(True)
        self.sync_button.setVisible(False)
        self.cancel_button.setVisible(True)
        self.cancel_button.setEnabled(True)
        self._top.setStretchFactor(self.headline, 0)

    def _show_idle(self) -> None:
        self.bar.setVisible(False)
        self.count.setVisible(False)
        self.cancel_button.setVisible(False)
        self.sync_button.setVisible(True)
        self._top.setStretchFactor(self.headline, 1)

    @staticmethod
    def _set_text(label, text: str) -> None:
        label.setText(text)
        label.setToolTip(text)

    def _now(self) -> float:
        return self.clock.now()


# --- words -----------------------------------------------------------------------------------------------


def stage_text(event: SyncProgress) -> str:
    """ "Stage 3 of 7: posts you liked and are tagged in" """
    return f"Stage {event.stage_number} of {event.stage_count}: {_lower_first(event.stage)}"


def rough_eta(seconds: float) -> str:
    if seconds < 60:
        return "less than a minute left"
    minutes = round(seconds / 60)
    if minutes < 90:
        return f"about {minutes} min left"
    hours = round(seconds / 3600)
    if hours < 36:
        return f"about {hours} h left"
    return f"about {round(seconds / 86400)} days left"


def _count_without_total(event: SyncProgress) -> str:
    """ "118 liked posts" where the stage names what it counts, else the bare number."""
    if not event.done:
        return ""
    named = event.message[:1].isalpha() and event.message not in ("starting", "done")
    return f"{event.done:,} {event.message}" if named else f"{event.done:,}"


def _requests(hour: int, hour_cap: int, day: int, day_cap: int) -> str:
    return f"{hour:,} of {hour_cap:,} requests this hour, {day:,} of {day_cap:,} today"


def _pause_text(until: float, reason: str, now: float) -> str:
    why = PAUSE_REASONS.get(reason, "")
    return f"Pausing until {_when(until, now)}" + (f": {why}" if why else "")


def _when(epoch: float, now: float) -> str:
    """14:32 today, else Tue 03 Nov, 14:32."""
    moment, today = time.localtime(epoch), time.localtime(now)
    same_day = (moment.tm_year, moment.tm_yday) == (today.tm_year, today.tm_yday)
    return time.strftime("%H:%M" if same_day else "%a %d %b, %H:%M", moment)


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]
