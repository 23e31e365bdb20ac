"""The sync: nine stages in order (stages.py, crawl.py), each checkpointing its cursor in the store after every
page, so that a cancel, a crash or a cool-down resumes exactly where it stopped.

    result = run_sync(world, session, settings, progress, cancel)

A run has a fixed start time (its windows, e.g. "the last 14 days", are measured from it) and goes on, over
as many invocations as it takes, until all the stages are done; only then does the next run begin. Every
page's records and the cursor that points past it are written in one transaction. One request at a time,
paced by `budget.Budget`; errors become a status and a sentence (SyncResult), never a traceback.
"""

from __future__ import annotations

import contextlib
import json
import logging
import random
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from discovery.clock import DAY, Clock
from discovery.live import stages
from discovery.live.budget import Budget, Limits
from discovery.live.client import (
    CHALLENGE,
    GONE,
    LOGGED_OUT,
    PRIVATE,
    RESTRICTED,
    SUSPENDED,
    THROTTLED,
    TRANSIENT,
    Unavailable,
    classify,
    describe_error,
)
from discovery.live.context import Stage
from discovery.live.images import ImageFetcher
from discovery.live.login import LiveSession, NeedsLogin
from discovery.live.tally import following_count, have, missing_avatars
from discovery.progress import Cancelled, CancelToken, Progress, ProgressEvent, no_progress
from discovery.settings import Settings
from discovery.world import World

log = logging.getLogger(__name__)

RUN_KEY = "live.run"
LAST_SYNC_META = "last_sync"
TRANSIENT_TRIES = 4  # attempts of one request through network trouble before the sync stops
TRANSIENT_BACKOFF = 30.0  # seconds, doubling

# SyncResult.status values
COMPLETE = "complete"
CANCELLED = "cancelled"
PAUSED = "paused"  # cool-down or request budget: resume_at says when
RESTRICTED_STATUS = "restricted"  # FeedbackRequired: a day's pause
NEEDS_LOGIN = "needs_login"
NEEDS_CHALLENGE = "needs_challenge"
SUSPENDED_STATUS = "suspended"
OFFLINE = "offline"
BUSY = "busy"
FAILED = "failed"


@dataclass(frozen=True)
class SyncProgress(ProgressEvent):
    """A ProgressEvent with what the sync panel shows. `stage` is the human label; `done`/`total` count the
    stage's pages or accounts."""

    stage_key: str = ""
    stage_number: int = 0  # 1..len(STAGES)
    stage_count: int = len(stages.STAGES)
    requests_hour: int = 0
    budget_hour: int = 0
    requests_day: int = 0
    budget_day: int = 0
    requests_run: int = 0  # requests this sync run made (all its invocations)
    pause_until: float | None = None  # epoch seconds: a pause (cool-down, budget) runs until then
    pause_reason: str = ""  # "cooldown", "hour", "day", "restricted", "retry"
    eta_seconds: float | None = None  # rough time left for the whole run
    new_posts: int = 0  # posts written by this invocation
    have: str = ""  # what the person has now: "Feed ready: 212 posts from 143 of the 300 accounts you follow"


@dataclass
class SyncResult:
    status: str
    message: str
    resume_at: float | None = None
    requests: int = 0  # requests made by this invocation
    images: int = 0  # pictures downloaded
    stage: str = ""  # the stage it ended in (its key), "" when complete
    counts: dict[str, int] = field(default_factory=dict)  # the store's counts at the end
    requests_by_stage: dict[str, int] = field(default_factory=dict)  # this invocation's requests per stage

    @property
    def ok(self) -> bool:
        return self.status == COMPLETE


class Stop(Exception):
    def __init__(self, status: str, message: str, resume_at: float | None = None):
        super().__init__(message)
        self.status, self.message, self.resume_at = status, message, resume_at


def run_sync(world: World, session: LiveSession, settings: Settings | None = None,
             progress: Progress = no_progress, cancel: CancelToken | None = None,
             rng: random.Random | None = None) -> SyncResult:
    """Sync (or resume syncing) the account's world on the world's clock. Blocking: run it off the GUI thread."""
    return SyncEngine(world, session, settings or Settings(), progress, cancel or CancelToken(),
                      world.clock, rng or random.Random()).run()


class SyncEngine:
    """Runs the stages and is their StageContext (context.py): the requests, the pacing, the cursors."""

    def __init__(self, world: World, session: LiveSession, settings: Settings, progress: Progress,
                 cancel: CancelToken, clock: Clock, rng: random.Random):
        self.world, self.store, self.session = world, world.store, session
        self.client = session.client
        self.settings, self.progress, self.cancel, self.clock = settings, progress, cancel, clock
        self.limits = Limits.from_settings(settings)
        self.budget = Budget(self.store, self.limits, clock, rng)
        self.max_wait = settings.sync.max_wait_minutes * 60
        self.images = ImageFetcher(world, self.client.images, clock, cancel, settings.sync.image_gap_seconds,
                                   settings.sync.download_images)
        self.run_state: dict = {}
        self.stage: Stage = stages.STAGES[0]
        self.new_posts = 0  # posts written by the stages done in this invocation
        self._stage_posts = 0  # and by the current one so far
        self.requests = 0  # requests made by this invocation
        self.by_stage: dict[str, int] = {}
        self._relogged = False
        self._last_done: int = 0
        self._last_total: int | None = None
        self.current: dict | None = None  # the current stage's cursor, as last read or written
        self.following_estimate: int | None = None  # how many accounts I follow, for the ETA
        self._have: tuple[tuple, str] = ((), "")  # the last "have" sentence and what it was counted at

    # --- the run -------------------------------------------------------------------------------------

    def run(self) -> SyncResult:
        with _lock(self.world) as locked:
            if not locked:
                return SyncResult(BUSY, "Another sync of this account is running.")
            try:
                self._pace(priority=1)
                self._ensure_login()
                self._run_stages()
                return self._result(COMPLETE, self._summary())
            except Stop as stop:
                return self._result(stop.status, stop.message, stop.resume_at)
            except Cancelled:
                return self._result(CANCELLED, "The sync was stopped; the next one resumes where this one stopped.")
            except Exception as exc:
                log.error("sync failed in stage %s: %s", self.stage.key, type(exc).__name__, exc_info=True)
                return self._result(FAILED, f"The sync stopped on an unexpected error ({type(exc).__name__}). "
                                    "The next sync resumes where this one stopped.")

    def _run_stages(self) -> None:
        self.run_state = self._load_run()
        for number in range(self.run_state["stage"], len(stages.STAGES)):
            self.stage = stages.STAGES[number]
            self.current = None
            self.following_estimate = None
            self.emit(0, None, "starting")
            self.new_posts += self.stage.run(self)
            self._stage_posts = 0
            self.images.sweep(self.run_state["started_at"])
            with self.store.transaction():
                self.store.set_sync_cursor(self.stage.cursor_key, None)
                self.run_state["stage"] = number + 1
                self._save_run()
        self.images.avatars(missing_avatars(self.store, self.session.pk, self.started))
        finished = int(self.clock.now())
        with self.store.transaction():
            self.run_state.update(done=True, finished_at=finished)
            self._save_run()
            self.store.set_meta(LAST_SYNC_META, str(finished))
            self.store.set_meta("last_run_started", str(self.run_state["started_at"]))
        self.emit(1, 1, "done")

    def _load_run(self) -> dict:
        state = json.loads(self.store.sync_cursor(RUN_KEY) or "null")
        if state and not state.get("done"):
            return state
        previous = self.store.meta("last_run_started")
        state = {"started_at": int(self.clock.now()), "stage": 0, "done": False, "requests": 0,
                 "previous": int(previous) if previous else None}
        with self.store.transaction():
            for stage in stages.STAGES:
                self.store.set_sync_cursor(stage.cursor_key, None)
            self.store.set_sync_cursor(RUN_KEY, json.dumps(state))
        return state

    def _save_run(self) -> None:
        self.store.set_sync_cursor(RUN_KEY, json.dumps(self.run_state))

    @property
    def started(self) -> int:
        return self.run_state["started_at"]

    @property
    def first_run(self) -> bool:
        return self.run_state.get("previous") is None

    @property
    def previous(self) -> int | None:
        return self.run_state.get("previous")

    @property
    def me(self) -> str:
        if not self.session.pk:
            raise RuntimeError("the stages run only once logged in")
        return self.session.pk

    @property
    def written_before(self) -> int:
        return self.new_posts

    def _ensure_login(self) -> None:
        """Log in with the remembered password when there is no session yet (nothing to do otherwise)."""
        try:
            self.call(self.session.ensure_logged_in)
        except NeedsLogin as exc:
            raise Stop(NEEDS_LOGIN, str(exc)) from None
        except (Stop, Cancelled):
            raise
        except Exception as exc:
            status = NEEDS_CHALLENGE if classify(exc) == CHALLENGE else NEEDS_LOGIN
            raise Stop(status, describe_error(exc, self.session.username)) from None
        pk = self.session.pk
        if pk and self.store.me() != pk:
            self.store.set_me(pk)

    def _summary(self) -> str:
        return (f"Sync complete: {self.requests:,} requests, {self.new_posts:,} posts written, "
                f"{self.images.downloaded:,} pictures downloaded.")

    def _result(self, status: str, message: str, resume_at: float | None = None) -> SyncResult:
        if self.run_state:
            with contextlib.suppress(Exception):
                self.run_state["requests"] = self.run_state.get("requests", 0) + self.requests
                self._save_run()
        return SyncResult(status, message, resume_at, self.requests, self.images.downloaded,
                          "" if status == COMPLETE else self.stage.key, self.store.counts(), dict(self.by_stage))

    # --- one request ---------------------------------------------------------------------------------

    def call(self, function: Callable, *args, per_account: bool = False):
        """One paced request through instagrapi. Throttling cools down and retries; network trouble retries
        with a backoff; a logout re-logs in once; a challenge, a restriction or persistent trouble stops
        the run (Stop). With `per_account`, a private or gone account, or an error of its own, raises
        Unavailable for the stage to skip it."""
        tries = 0
        while True:
            self._pace(self.stage.priority)
            before = self.client.private_requests_count
            self.client.last_error = None
            try:
                result = function(*args)
                self.client.raise_swallowed()
                return result
            except (Cancelled, Stop, Unavailable, NeedsLogin):
                raise
            except Exception as exc:
                kind = classify(exc)
                if kind == THROTTLED:
                    self.budget.throttled()
                    continue
                if kind == RESTRICTED:
                    until = self.budget.restricted()
                    raise Stop(RESTRICTED_STATUS, describe_error(exc, self.session.username) +
                               f" Nothing will be asked before {_when(until)}.", until) from None
                if kind == LOGGED_OUT:
                    self._relogin(exc)
                    continue
                if kind == CHALLENGE:
                    raise Stop(NEEDS_CHALLENGE, describe_error(exc, self.session.username)) from None
                if kind == SUSPENDED:
                    raise Stop(SUSPENDED_STATUS, describe_error(exc, self.session.username)) from None
                if per_account and kind in (PRIVATE, GONE):
                    raise Unavailable(kind) from None
                if kind == TRANSIENT:
                    tries += 1
                    if tries >= TRANSIENT_TRIES:
                        raise Stop(OFFLINE, describe_error(exc) + " The next sync resumes where this one stopped.",
                                   ) from None
                    self._pause(TRANSIENT_BACKOFF * 2 ** (tries - 1), "retry")
                    continue
                if per_account:
                    log.warning("skipping an account after %s", type(exc).__name__)
                    raise Unavailable("error") from None
                raise
            finally:
                made = self.client.private_requests_count - before
                if made:
                    self.budget.record(made)
                    self.requests += made
                    self.by_stage[self.stage.key] = self.by_stage.get(self.stage.key, 0) + made

    def _relogin(self, cause: BaseException) -> None:
        if self._relogged:
            raise Stop(NEEDS_LOGIN, describe_error(cause, self.session.username))
        self._relogged = True
        try:
            self.session.relogin()
        except NeedsLogin as exc:
            raise Stop(NEEDS_LOGIN, str(exc)) from None
        except Exception as exc:
            status = NEEDS_CHALLENGE if classify(exc) == CHALLENGE else NEEDS_LOGIN
            raise Stop(status, describe_error(exc, self.session.username)) from None

    # --- pacing --------------------------------------------------------------------------------------

    def _pace(self, priority: int) -> None:
        while True:
            self.cancel.check()
            wait = self.budget.wait(priority)
            if wait.seconds <= 0:
                return
            if wait.reason == "gap":
                self.clock.sleep(wait.seconds, self.cancel)
                continue
            until = self.clock.now() + wait.seconds
            if wait.seconds > self.max_wait:
                raise Stop(RESTRICTED_STATUS if wait.reason == "restricted" else PAUSED,
                           _pause_sentence(wait.reason, until), until)
            self._pause(wait.seconds, wait.reason)

    def _pause(self, seconds: float, reason: str) -> None:
        until = self.clock.now() + seconds
        self.emit(None, None, _pause_sentence(reason, until), pause_until=until, pause_reason=reason)
        self.clock.sleep(seconds, self.cancel)

    # --- writing -------------------------------------------------------------------------------------

    def cursor(self) -> dict | None:
        self.current = json.loads(self.store.sync_cursor(self.stage.cursor_key) or "null")
        return self.current

    @contextlib.contextmanager
    def page(self, cursor: dict) -> Iterator[None]:
        """Write a page's records and the cursor past it as one transaction."""
        with self.store.transaction():
            yield
            self.store.set_sync_cursor(self.stage.cursor_key, json.dumps(cursor))
        self.current = cursor

    def state(self, name: str) -> dict:
        return json.loads(self.store.sync_cursor(f"live.{name}") or "{}")

    def set_state(self, name: str, value: dict) -> None:
        self.store.set_sync_cursor(f"live.{name}", json.dumps(value, sort_keys=True))

    def now(self) -> int:
        return int(self.clock.now())

    def report(self, done: int | None, total: int | None, message: str = "", written: int = 0) -> None:
        self._stage_posts = written
        self.emit(done, total, message)

    # --- progress ------------------------------------------------------------------------------------

    def emit(self, done: int | None, total: int | None, message: str = "", pause_until: float | None = None,
             pause_reason: str = "") -> None:
        if done is not None:
            self._last_done, self._last_total = done, total
        hour, day = self.budget.used()
        hour_cap, day_cap = self.budget.allowance(1)
        requests_run = self.run_state.get("requests", 0) + self.requests if self.run_state else self.requests
        self.progress(SyncProgress(
            self.stage.label, self._last_done, self._last_total, message, stage_key=self.stage.key,
            stage_number=self.stage.number, requests_hour=hour, budget_hour=hour_cap, requests_day=day,
            budget_day=day_cap, requests_run=requests_run, pause_until=pause_until, pause_reason=pause_reason,
            eta_seconds=self._eta(), new_posts=self.new_posts + self._stage_posts, have=self._have_now()))

    def _have_now(self) -> str:
        # it changes only with new posts or new follows (a new stage)
        at = (self.new_posts + self._stage_posts, self.stage.key)
        if self._have[0] != at and self.run_state:
            since = int(self.started - self.settings.ranking.window_days * DAY)
            self._have = (at, have(self.store, self.session.pk, since))
        return self._have[1]

    def _eta(self) -> float | None:
        if not self.run_state:
            return None
        remaining = self._remaining_requests()
        per_request = (self.limits.delay_min + self.limits.delay_max) / 2 + 0.5
        eta = remaining * per_request
        if remaining > self.limits.per_hour:
            eta = max(eta, remaining / self.limits.per_hour * 3600)
        if remaining > self.limits.per_day:
            eta = max(eta, remaining / self.limits.per_day * DAY)
        return eta


    def _remaining_requests(self) -> int:
        """A rough count of the requests this run still needs: the current stage's worklist left, then each
        later stage's own estimate."""
        cursor = self.current or {}
        if self.following_estimate is None:
            self.following_estimate = following_count(self.store, self.session.pk) or 0
        total = 0
        for stage in stages.STAGES[self.run_state.get("stage", 0):]:
            if stage.key == self.stage.key and "accounts" in cursor:
                total += len(cursor["accounts"]) - cursor["i"]
            elif stage.key == self.stage.key and "tags" in cursor:
                total += len(cursor["tags"]) - cursor["i"]
            else:
                total += stage.estimate(self.following_estimate, self.settings)
        return total


def _when(epoch: float) -> str:
    moment = time.localtime(epoch)
    today = time.localtime()
    same_day = (moment.tm_year, moment.tm_yday) == (today.tm_year, today.tm_yday)
    return time.strftime("%H:%M" if same_day else "%a %d %b, %H:%M", moment)


def _pause_sentence(reason: str, until: float) -> str:
    when = _when(until)
    return {
        "cooldown": f"Instagram asked Tessera to slow down; the sync resumes at {when}.",
        "hour": f"This hour's request budget is used up; the sync resumes at {when}.",
        "day": f"Today's request budget is used up; the sync resumes at {when}.",
        "restricted": f"Instagram has restricted this account's activity for a while; nothing will be asked "
                      f"before {when}.",
        "retry": f"Instagram could not be reached; trying again at {when}.",
    }.get(reason, f"Paused until {when}.")


@contextlib.contextmanager
def _lock(world: World) -> Iterator[bool]:
    """One sync per world at a time, across processes (no lock where fcntl does not exist)."""
    try:
        import fcntl
    except ImportError:
        yield True
        return
    handle = open(world.directory / "sync.lock", "w")  # noqa: SIM115 - held for the whole sync
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            yield False
            return
        yield True
    finally:
        handle.close()


@dataclass
class SyncStatus:
    last_sync: int | None  # epoch seconds of the last complete sync
    in_progress: bool  # a run is under way (stopped or paused)
    stage: str  # its current stage's label
    stage_number: int
    blocked_until: float  # a cool-down or restriction runs until then (0: none)
    blocked_reason: str
    requests_hour: int
    requests_day: int
    budget_hour: int
    budget_day: int
    requests_run: int


def sync_status(world: World, settings: Settings | None = None) -> SyncStatus:
    """What the status bar and `sync-status` show; no request is made."""
    settings = settings or Settings()
    store = world.store
    budget = Budget(store, Limits.from_settings(settings), world.clock)
    run = json.loads(store.sync_cursor(RUN_KEY) or "null") or {}
    last = store.meta(LAST_SYNC_META)
    in_progress = bool(run) and not run.get("done")
    number = run.get("stage", 0) if in_progress else 0
    stage = stages.STAGES[min(number, len(stages.STAGES) - 1)]
    until, reason = budget.blocked_until()
    hour, day = budget.used()
    hour_cap, day_cap = budget.allowance(1)
    return SyncStatus(int(last) if last else None, in_progress, stage.label if in_progress else "",
                      number + 1 if in_progress else 0, until, reason, hour, day, hour_cap, day_cap,
                      run.get("requests", 0))
