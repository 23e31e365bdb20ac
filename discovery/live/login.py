"""Logging in to Instagram as a small state machine a dialog (or the command line) can drive.

    flow = LoginFlow(root)
    step = flow.start("username", "password")     # blocking: run it off the GUI thread
    while step.kind in (TWO_FACTOR, CHALLENGE_CODE, CHALLENGE_APPROVE):
        ... ask the person, then flow.submit_two_factor(code) / flow.submit_challenge_code(code) /
        flow.continue_after_approval()
    step.kind == DONE: flow.session is the logged-in LiveSession; FAILED: step.message says why.

instagrapi asks for a challenge code through a callback while its login call is running, so the login runs
on a worker thread: the callback hands the question to the flow and waits for the answer.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from instagrapi.exceptions import ChallengeRequired, LoginRequired, TwoFactorRequired
from keyring.backend import KeyringBackend

from discovery import world as worlds
from discovery.clock import Clock
from discovery.live.client import (
    TesseraClient,
    classify,
    describe_error,
    hide_in_logs,
    new_client,
    normalize_username,
    valid_username,
)
from discovery.live.secrets import Secrets
from storage import Account

DONE = "done"
TWO_FACTOR = "two_factor"
CHALLENGE_CODE = "challenge_code"
CHALLENGE_APPROVE = "challenge_approve"
FAILED = "failed"

ClientFactory = Callable[..., TesseraClient]
ANSWER_WAIT = 600.0  # seconds a pending challenge waits for its code before giving up
LOGIN_WAIT = 300.0  # seconds a login call may take (every request has its own timeout)


@dataclass(frozen=True)
class LoginStep:
    kind: str  # DONE, TWO_FACTOR, CHALLENGE_CODE, CHALLENGE_APPROVE or FAILED
    message: str  # the sentence to show
    username: str = ""
    via: str = ""  # CHALLENGE_CODE: "email" or "sms"
    remembered: bool = False  # DONE: the session (and password) will be there next time


class NeedsLogin(Exception):
    """The saved session is gone or refused and no password is at hand: the person must log in."""


class LiveSession:
    """A logged-in Instagram client for one account, with its secrets."""

    def __init__(self, root: Path, username: str, client: TesseraClient, secrets: Secrets,
                 password: str | None = None):
        self.root = Path(root)
        self.username = username
        self.client = client
        self.secrets = secrets
        self.password = password
        hide_in_logs(password, client.session_token, client.authorization)

    @property
    def pk(self) -> str | None:
        return str(self.client.user_id) if self.client.user_id else None

    @property
    def logged_in(self) -> bool:
        return self.client.user_id is not None

    def save(self) -> bool:
        """Keep the session for the next start (encrypted; only when a keyring is there)."""
        hide_in_logs(self.client.session_token, self.client.authorization)
        return self.secrets.save_session(self.client.get_settings())

    def ensure_logged_in(self) -> None:
        """Log in with the remembered password when there is no session yet. Raises NeedsLogin or
        instagrapi's error (challenge, bad password...)."""
        if self.logged_in:
            return
        if not self.password:
            raise NeedsLogin(f"Log in to @{self.username} first.")
        self.client.login(self.username, self.password)
        self.save()

    def relogin(self) -> None:
        """One fresh login with the remembered password, on the same device identity."""
        if not self.password:
            raise NeedsLogin(f"Instagram logged Tessera out of @{self.username}; log in again.")
        self.client.login(self.username, self.password, relogin=True)
        self.save()

    def validate(self) -> bool:
        """One request: does Instagram still accept this session?"""
        try:
            self.client.account_info()
        except LoginRequired:
            return False
        return True


def resume_session(root: Path, username: str, client_factory: ClientFactory = new_client,
                   keyring_backend: KeyringBackend | None = None) -> LiveSession | None:
    """The saved session of an account, without a request; None when nothing usable was saved."""
    username = normalize_username(username)
    secrets = Secrets(root, username, keyring_backend)
    settings = secrets.load_session()
    password = secrets.password()
    if settings is None and password is None:
        return None
    return LiveSession(root, username, client_factory(settings), secrets, password)


def logout(root: Path, username: str, keyring_backend: KeyringBackend | None = None) -> str:
    username = normalize_username(username)
    removed = Secrets(root, username, keyring_backend).forget()
    if not removed:
        return f"Nothing was saved for @{username}; there was nothing to remove."
    what = ", ".join(removed[:-1]) + (" and " if len(removed) > 1 else "") + removed[-1]
    return f"Logged out of @{username}: deleted {what}. The posts Tessera fetched stay on this computer."


class LoginFlow:
    def __init__(self, root: Path, remember: bool = True, client_factory: ClientFactory = new_client,
                 keyring_backend: KeyringBackend | None = None, answer_wait: float = ANSWER_WAIT,
                 clock: Clock | None = None):
        self.root = Path(root)
        self.clock = clock
        self.remember = remember
        self.client_factory = client_factory
        self.keyring_backend = keyring_backend
        self.answer_wait = answer_wait
        self.session: LiveSession | None = None
        self.username = ""
        self._password = ""
        self._client: TesseraClient | None = None
        self._secrets: Secrets | None = None
        self._events: queue.Queue = queue.Queue()
        self._answers: queue.Queue = queue.Queue()
        self._asking = False  # instagrapi is waiting in the code callback
        self._sent_second_factor = False

    # --- the steps -----------------------------------------------------------------------------------

    def start(self, username: str, password: str) -> LoginStep:
        self.username = normalize_username(username)
        if not valid_username(self.username) or not self.username.strip("."):
            return LoginStep(FAILED, "That is not an Instagram username (letters, digits, . and _ only).")
        if not password:
            return LoginStep(FAILED, "Enter your Instagram password.", self.username)
        self._password = password
        hide_in_logs(password)
        self._events, self._answers = queue.Queue(), queue.Queue()
        self._sent_second_factor = False
        self._secrets = Secrets(self.root, self.username, self.keyring_backend)
        self._client = self.client_factory(self._device_settings(), challenge_flow=True)
        self._client.challenge_code_handler = self._ask_code
        return self._run(lambda: self._started().login(self.username, self._password))

    def submit_two_factor(self, code: str) -> LoginStep:
        code = "".join(code.split())
        if not code:
            return LoginStep(TWO_FACTOR, "Enter the code to continue.", self.username)
        self._sent_second_factor = True
        return self._run(lambda: self._started().login(self.username, self._password, verification_code=code))

    def submit_challenge_code(self, code: str) -> LoginStep:
        code = "".join(code.split())
        if not code:
            return LoginStep(CHALLENGE_CODE, "Enter the security code Instagram sent you.", self.username)
        self._answers.put(code)
        if self._asking:
            return self._wait()
        # The last code was refused and the login ended: try again, the callback will find this code.
        return self._run(lambda: self._started().login(self.username, self._password))

    def continue_after_approval(self) -> LoginStep:
        return self._run(lambda: self._started().login(self.username, self._password))

    def _started(self) -> TesseraClient:
        assert self._client is not None, "start() makes the client"
        return self._client

    def cancel(self) -> LoginStep | None:
        """Give up. A challenge waiting for its code ends (its final step is returned)."""
        if not self._asking:
            return None
        self._answers.put(None)
        return self._wait()

    # --- the worker and the callback -----------------------------------------------------------------

    def _device_settings(self) -> dict | None:
        """The saved device identity (without its session), so Instagram sees the same phone again."""
        saved = self._secrets.load_session() if self._secrets else None
        if not saved:
            return None
        return {k: v for k, v in saved.items() if k not in ("authorization_data", "cookies", "last_login", "mid",
                                                             "ig_u_rur", "ig_www_claim")}

    def _run(self, call: Callable[[], object]) -> LoginStep:
        if self._client is None:
            return LoginStep(FAILED, "Start the login first.")

        def work() -> None:
            try:
                call()
                self._events.put(("done", None))
            except BaseException as exc:  # noqa: BLE001 - every failure becomes a step for the person
                self._events.put(("error", exc))

        threading.Thread(target=work, name="tessera-login", daemon=True).start()
        return self._wait()

    def _wait(self) -> LoginStep:
        try:
            kind, value = self._events.get(timeout=LOGIN_WAIT)
        except queue.Empty:
            return LoginStep(FAILED, "Instagram did not answer in time. Try again.", self.username)
        if kind == "code":
            via = "sms" if getattr(value, "name", "") == "SMS" else "email"
            where = "by SMS" if via == "sms" else "by e-mail"
            return LoginStep(CHALLENGE_CODE, f"Instagram sent a security code {where}. Enter it to continue.",
                             self.username, via=via)
        if kind == "done":
            return self._finish()
        return self._failure(value)

    def _ask_code(self, username: str, choice=None) -> str:
        """instagrapi's challenge code handler: runs on the login thread, waits for the person."""
        self._asking = True
        try:
            try:
                code = self._answers.get_nowait()
            except queue.Empty:
                self._events.put(("code", choice))
                try:
                    code = self._answers.get(timeout=self.answer_wait)
                except queue.Empty:
                    code = None
        finally:
            self._asking = False
        if not code:
            raise ChallengeRequired("No security code was entered.")
        return code

    def _failure(self, exc: BaseException) -> LoginStep:
        if isinstance(exc, TwoFactorRequired):
            message = ("That code was not accepted. Check it and try again." if self._sent_second_factor else
                       "Enter the code from your authentication app (or the one Instagram sent by SMS).")
            return LoginStep(TWO_FACTOR, message, self.username)
        if isinstance(exc, AssertionError):  # instagrapi's reaction to a refused challenge code
            return LoginStep(CHALLENGE_CODE, "That security code was not accepted. Check it and try again.",
                             self.username)
        if classify(exc) == "challenge":
            text = str(exc)
            if "No security code" in text:
                return LoginStep(FAILED, "The login was cancelled.", self.username)
            if getattr(exc, "bloks_action", "") or "official Instagram app" in text:
                return LoginStep(CHALLENGE_APPROVE, "Instagram wants you to confirm this login: open the Instagram "
                                 "app on your phone, tap \u201cThis was me\u201d, then choose Continue.",
                                 self.username)
        return LoginStep(FAILED, describe_error(exc, self.username), self.username)

    # --- success -------------------------------------------------------------------------------------

    def _finish(self) -> LoginStep:
        client, secrets = self._started(), self._secrets
        assert secrets is not None  # start() made them with the client
        client.refuse_challenges()  # from now on a challenge pauses the sync and asks the person
        session = LiveSession(self.root, self.username, client, secrets, self._password)
        remembered = False
        if self.remember and secrets.available:
            remembered = secrets.remember_password(self._password) and session.save()
        elif not self.remember:
            secrets.forget()
        self.session = session
        open_account_world(self.root, self.username, session.pk, self.clock)
        message = f"Logged in as @{self.username}."
        if remembered:
            message += " Tessera will remember this login."
        elif self.remember:
            message += " " + secrets.problem
        else:
            message += " Nothing was saved: you will log in again next time."
        return LoginStep(DONE, message, self.username, remembered=remembered)


def open_account_world(root: Path, username: str, pk: str | None, clock: Clock | None = None) -> None:
    """Make the account's world (once) and the current one."""
    world = worlds.World.open(root, username, clock)
    try:
        store = world.store
        worlds.WorldKind.ACCOUNT.record(store)
        store.set_meta("account", username)
        if pk:
            store.set_me(pk)
            store.upsert_accounts([Account(pk, username, fetched_at=None)])
        if store.meta("created_at") is None:
            store.set_meta("created_at", str(world.now()))
    finally:
        world.close()
    worlds.set_current(root, username)
