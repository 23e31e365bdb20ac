"""The instagrapi client as Tessera uses it, and what its errors mean for a person.

instagrapi sets no network timeout and sleeps before every request on its own; Tessera gives every request a
real timeout (on all of the client's HTTP sessions, whatever adapter is mounted) and paces requests itself
(`budget.py`). Its loggers print whole URLs and responses at INFO and DEBUG, so they are held at WARNING and
pass through a filter that drops tracebacks and blanks out the secrets it has been told about.
"""

from __future__ import annotations

import logging
import re
from typing import cast

import requests
from instagrapi import Client
from instagrapi.exceptions import (
    AccountSuspended,
    BadPassword,
    ChallengeError,
    ChallengeRequired,
    ClientConnectionError,
    ClientError,
    ClientIncompleteReadError,
    ClientJSONDecodeError,
    ClientNotFoundError,
    ClientRequestTimeout,
    ClientThrottledError,
    FeedbackRequired,
    LoginRequired,
    NotFoundError,
    PleaseWaitFewMinutes,
    PrivateAccount,
    ProxyAddressIsBlocked,
    RateLimitError,
    ReloginAttemptExceeded,
    SentryBlock,
    TwoFactorRequired,
    UserNotFound,
)
from requests.adapters import HTTPAdapter

DEFAULT_TIMEOUT = (10.0, 30.0)  # seconds to connect, seconds to wait for an answer
INSTAGRAPI_LOGGERS = ("instagrapi", "instagrapi.mixins.user", "private_request", "public_request",
                      "graphql_request")
USERNAME = re.compile(r"^[a-z0-9._]{1,30}$")


class _Redact(logging.Filter):
    """Blanks known secrets out of a record and drops its traceback (they can quote request data)."""

    def __init__(self) -> None:
        super().__init__()
        self.secrets: set[str] = set()

    def filter(self, record: logging.LogRecord) -> bool:
        record.exc_info = record.exc_text = None
        if self.secrets:
            text = record.getMessage()
            for secret in self.secrets:
                text = text.replace(secret, "[hidden]")
            record.msg, record.args = text, None
        return True


_REDACT = _Redact()


def quiet_instagrapi_logs() -> None:
    for name in INSTAGRAPI_LOGGERS:
        logger = logging.getLogger(name)
        logger.setLevel(logging.WARNING)
        if _REDACT not in logger.filters:
            logger.addFilter(_REDACT)


def hide_in_logs(*secrets: str | None) -> None:
    """Never let these strings (a password, a session token) reach a log line through instagrapi."""
    _REDACT.secrets.update(s for s in secrets if s and len(s) >= 4)


class _TimeoutSession(requests.Session):
    """A requests session whose every request has a timeout unless the caller gave one."""

    timeout: float | tuple[float, float] = DEFAULT_TIMEOUT

    def request(self, method, url, **kwargs):
        if kwargs.get("timeout") is None:
            kwargs["timeout"] = self.timeout
        return super().request(method, url, **kwargs)


def with_timeout(session: requests.Session, timeout) -> None:
    """Give every request of `session` a timeout unless the caller gave one."""
    session.__class__ = _TimeoutSession  # keeps its adapters, cookies and headers
    cast(_TimeoutSession, session).timeout = timeout


def _no_code(username: str, choice=None) -> str:
    raise ChallengeRequired("Instagram asked for a security code, and none can be entered here.")


def _no_password(username: str) -> str:
    raise ChallengeRequired("Instagram asks for a new password; change it in the Instagram app first.")


class TesseraClient(Client):
    """instagrapi's Client with timeouts, no built-in sleeps, no stdin prompts, and a memory of the last
    error: some instagrapi pagers swallow errors (429 included) into an empty page, and `last_error` is how
    the sync tells that apart from "no more posts"."""

    def __init__(self, settings: dict | None = None, timeout=DEFAULT_TIMEOUT, challenge_flow: bool = False):
        quiet_instagrapi_logs()
        super().__init__(settings=settings, logger=logging.getLogger("instagrapi"), request_timeout=0)
        # instagrapi's "request_timeout" is a sleep before each request (saved settings may restore one).
        self.request_timeout = 0
        self.delay_range = None
        self.refuse_challenges()
        self.with_challenge_flow = challenge_flow
        self.images = requests.Session()
        plain = HTTPAdapter(max_retries=0)
        self.images.mount("https://", plain)
        self.images.mount("http://", plain)
        for session in (self.private, self.public, self.graphql, self.images):
            with_timeout(session, timeout)
        self.last_error: BaseException | None = None

    def refuse_challenges(self) -> None:
        """A challenge stops the work and is handed to the person, instead of prompting on stdin."""
        self.with_challenge_flow = False
        self.challenge_code_handler = _no_code
        self.change_password_handler = _no_password

    def private_request(self, *args, **kwargs):
        self.last_error = None
        try:
            return super().private_request(*args, **kwargs)
        except Exception as exc:
            self.last_error = exc
            raise

    def raise_swallowed(self) -> None:
        """Re-raise the error of the last request if a pager swallowed it."""
        if self.last_error is not None:
            error, self.last_error = self.last_error, None
            raise error

    @property
    def session_token(self) -> str | None:
        return self.sessionid


def new_client(settings: dict | None = None, challenge_flow: bool = False) -> TesseraClient:
    """The default client factory; tests pass their own that also installs the fake transport."""
    return TesseraClient(settings=settings, challenge_flow=challenge_flow)


def normalize_username(text: str) -> str:
    return text.strip().lstrip("@").lower()


def valid_username(text: str) -> bool:
    return bool(USERNAME.match(normalize_username(text)))


# --- what an error means -------------------------------------------------------------------------------

THROTTLED = "throttled"  # slow down: 429, "please wait a few minutes", rate limit
RESTRICTED = "restricted"  # feedback required: Instagram restricted the account's activity for a while
LOGGED_OUT = "logged_out"
CHALLENGE = "challenge"
SUSPENDED = "suspended"
PRIVATE = "private"
GONE = "gone"  # deleted, deactivated or blocking
TRANSIENT = "transient"  # network down, timeout, server error, malformed answer: worth another try
OTHER = "other"


class Unavailable(Exception):
    """The account asked about is private, gone, or answers with an error of its own (`reason`: PRIVATE, GONE
    or "error"): the stage skips it."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def classify(exc: BaseException) -> str:
    if isinstance(exc, (ClientThrottledError, PleaseWaitFewMinutes, RateLimitError, SentryBlock)):
        return THROTTLED
    if isinstance(exc, FeedbackRequired):
        return RESTRICTED
    if isinstance(exc, AccountSuspended):
        return SUSPENDED
    if isinstance(exc, (LoginRequired, ReloginAttemptExceeded)):
        return LOGGED_OUT
    if isinstance(exc, (ChallengeRequired, ChallengeError)):
        return CHALLENGE
    if isinstance(exc, PrivateAccount):
        return PRIVATE
    if isinstance(exc, (UserNotFound, NotFoundError, ClientNotFoundError)):
        return GONE
    if isinstance(exc, (ClientConnectionError, ClientJSONDecodeError, ClientIncompleteReadError,
                        ClientRequestTimeout, requests.RequestException)):
        return TRANSIENT
    if isinstance(exc, ClientError) and (exc.code or 0) >= 500:
        return TRANSIENT
    return OTHER


def is_unknown_user(exc: BaseException) -> bool:
    """instagrapi reports "the username you entered doesn't belong to an account" as a blocked proxy."""
    return isinstance(exc, UserNotFound) or (
        isinstance(exc, ProxyAddressIsBlocked) and getattr(exc, "error_type", "") == "invalid_user")


def describe_error(exc: BaseException, username: str = "") -> str:
    """One sentence for a person: what happened and what to do. Never the exception's own text, which can
    quote URLs and server answers."""
    who = f"@{username}" if username else "this account"
    if is_unknown_user(exc):
        return f"There is no Instagram account called {who}. Check the username."
    if isinstance(exc, BadPassword):
        return f"Instagram did not accept the password for {who}. Check it and try again."
    if isinstance(exc, TwoFactorRequired):
        return "Instagram did not accept that code. Check the code from your authentication app or SMS."
    kind = classify(exc)
    if kind == SUSPENDED:
        return f"Instagram has suspended {who}, so Tessera cannot use it. Open the Instagram app to see why."
    if kind == THROTTLED:
        return "Instagram asks Tessera to slow down. Wait a little and try again."
    if kind == RESTRICTED:
        return (f"Instagram has temporarily restricted activity on {who}. Tessera will wait a day before "
                "asking again.")
    if kind == LOGGED_OUT:
        return f"Instagram logged Tessera out of {who}. Log in again to continue."
    if kind == CHALLENGE:
        return ("Instagram wants to confirm it is really you. Open the Instagram app, approve the login if it "
                "asks, then log in to Tessera again.")
    if kind == TRANSIENT:
        if isinstance(exc, (ClientConnectionError, requests.ConnectionError, requests.Timeout)):
            return "Instagram could not be reached. Check your internet connection and try again."
        return "Instagram answered with an error. Try again in a few minutes."
    if kind in (PRIVATE, GONE):
        return "That account is private or no longer exists."
    return f"Talking to Instagram failed ({type(exc).__name__}). Try again later."
