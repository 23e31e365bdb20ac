"""The fake Instagram server: answers the endpoints Tessera (through instagrapi) uses, refuses the rest.

It checks what a real server would: the password (decrypted with its own RSA key, as instagrapi encrypts it
for Instagram), the session token on every authenticated request, the second factor and challenge codes.
Faults can be injected on any endpoint. Every request is logged; an unknown one is recorded in `unknown`
(the fixture fails the test on it) and raises at once.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import io
import json
import re
import threading
from dataclasses import dataclass, field
from functools import cache
from urllib.parse import parse_qs, urlsplit

import requests
from Cryptodome.Cipher import AES, PKCS1_v1_5
from Cryptodome.PublicKey import RSA

from fake_instagram import shapes
from fake_instagram.world import FakeWorld

API_HOSTS = {"i.instagram.com", "b.i.instagram.com"}
CDN_HOST = "scontent.fake-cdn.test"
KEY_ID = 41
REDIRECT = "com.bloks.www.ig.challenge.redirect.async"
FAULT_KINDS = {"429", "please_wait", "rate_limit", "feedback", "challenge", "login_required", "500",
               "malformed", "drop", "timeout", "private", "gone"}


@cache
def _rsa_key() -> RSA.RsaKey:
    return RSA.generate(2048)


@cache
def _jpeg(shade: int) -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), (shade, 255 - shade, 128)).save(buffer, "JPEG")
    return buffer.getvalue()


@dataclass
class Fault:
    match: str  # a substring of the request path
    kind: str
    after: int = 0  # matching requests let through first
    times: int = 1
    seen: int = 0


@dataclass
class Logged:
    method: str
    host: str
    path: str
    status: int = 0


@dataclass
class FakeInstagram:
    world: FakeWorld
    secret: bytes = b"fake-instagram-secret"
    generation: int = 0  # bumped to log every session out
    log: list[Logged] = field(default_factory=list)
    unknown: list[str] = field(default_factory=list)
    faults: list[Fault] = field(default_factory=list)
    issued_sessions: list[str] = field(default_factory=list)
    challenge_passed: bool = False
    on_request: object = None  # optional callable(Logged) run before answering (the kill test uses it)
    _medias: dict = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    # --- test controls -------------------------------------------------------------------------------

    def inject(self, match: str, kind: str, after: int = 0, times: int = 1) -> Fault:
        if kind not in FAULT_KINDS:
            raise ValueError(f"unknown fault {kind}")
        fault = Fault(match, kind, after, times)
        self.faults.append(fault)
        return fault

    def media(self, post) -> dict:
        """A post's media item, built once per state of what can change (its likes, whether I liked it)."""
        key = (post.pk, post.like_count, self.world.liked_by_me(post.pk))
        item = self._medias.get(key)
        if item is None:
            item = self._medias[key] = shapes.media(post, self.world)
        return item

    def expire_sessions(self) -> None:
        self.generation += 1

    def api_requests(self) -> list[Logged]:
        return [r for r in self.log if r.host in API_HOSTS]

    def count(self, fragment: str) -> int:
        return sum(1 for r in self.log if fragment in r.path)

    # --- the wire ------------------------------------------------------------------------------------

    def handle(self, request: requests.PreparedRequest) -> tuple[int, bytes, dict]:
        with self._lock:
            parts = urlsplit(request.url)
            entry = Logged(request.method, parts.hostname or "", parts.path)
            self.log.append(entry)
            if callable(self.on_request):
                self.on_request(entry)
            status, body, headers = self._route(request, parts, entry)
            entry.status = status
            if not isinstance(body, bytes):
                body = json.dumps(body).encode()
            return status, body, headers

    def _route(self, request, parts, entry: Logged):
        query = {k: v[-1] for k, v in parse_qs(parts.query, keep_blank_values=True).items()}
        form = _form(request)
        if entry.host == CDN_HOST and entry.method == "GET":
            return 200, _jpeg(int(hashlib.md5(entry.path.encode()).hexdigest()[:2], 16)), {
                "Content-Type": "image/jpeg"}
        if entry.host not in API_HOSTS:
            return self._unknown(request)
        fault = self._fault(entry.path)
        if fault is not None:
            return self._fail(fault)
        path = entry.path
        for pattern, needs_login, handler in ROUTES:
            match = re.fullmatch(pattern, path)
            if match and handler.__name__.rsplit("_", 1)[1] == entry.method.lower():
                if needs_login and not self._logged_in(request):
                    return 403, {"message": "login_required", "error_title": "You've Been Logged Out",
                                 "error_body": "Please log back in.", "logout_reason": 8, "status": "fail"}, {}
                return handler(self, match, query, form)
        return self._unknown(request)

    def _unknown(self, request):
        self.unknown.append(f"{request.method} {request.url}")
        raise AssertionError(f"the fake Instagram does not know {request.method} {request.url}")

    def _fault(self, path: str) -> Fault | None:
        for fault in self.faults:
            if fault.match in path and fault.times > 0:
                fault.seen += 1
                if fault.seen > fault.after:
                    fault.times -= 1
                    return fault
        return None

    def _fail(self, fault: Fault):
        kind = fault.kind
        if kind == "drop":
            raise requests.ConnectionError("('Connection aborted.', RemoteDisconnected('closed'))")
        if kind == "timeout":
            raise requests.exceptions.ReadTimeout("read timed out")
        if kind == "429":
            return 429, b"", {}
        if kind == "please_wait":
            return 400, {"message": "Please wait a few minutes before you try again.", "status": "fail"}, {}
        if kind == "rate_limit":
            return 400, {"message": "rate limited", "error_type": "rate_limit_error", "status": "fail"}, {}
        if kind == "feedback":
            return 400, {"message": "feedback_required", "feedback_message": "We restrict certain activity.",
                         "feedback_title": "Try Again Later", "status": "fail"}, {}
        if kind == "challenge":
            return 400, self._challenge_body(), {}
        if kind == "login_required":
            self.expire_sessions()
            return 403, {"message": "login_required", "logout_reason": 8, "status": "fail"}, {}
        if kind == "private":
            return 400, {"message": "Not authorized to view user", "status": "fail"}, {}
        if kind == "gone":
            return 404, {"message": "User not found", "status": "fail"}, {}
        if kind == "500":
            return 500, b"<html><body>Internal Server Error</body></html>", {"Content-Type": "text/html"}
        return 200, b'{"items": [{"pk": 1, "taken_', {"Content-Type": "application/json"}  # malformed

    # --- sessions ------------------------------------------------------------------------------------

    def _sign(self, text: str) -> str:
        return hmac.new(self.secret, text.encode(), hashlib.sha256).hexdigest()[:20]

    def new_session(self) -> str:
        nonce = hashlib.sha256(f"{len(self.issued_sessions)}|{self.generation}|{id(self)}".encode()).hexdigest()[:12]
        body = f"{self.world.me}%3A{nonce}%3A{self.generation}"
        sessionid = f"{body}%3A{self._sign(body)}"
        self.issued_sessions.append(sessionid)
        return sessionid

    def _logged_in(self, request) -> bool:
        header = request.headers.get("Authorization", "")
        if not header.startswith("Bearer IGT:2:"):
            return False
        try:
            data = json.loads(base64.b64decode(header.rsplit(":", 1)[-1]))
            body, signature = data["sessionid"].rsplit("%3A", 1)
            generation = int(body.rsplit("%3A", 1)[-1])
        except (ValueError, KeyError):
            return False
        return hmac.compare_digest(signature, self._sign(body)) and generation == self.generation

    def _challenge_body(self) -> dict:
        me = self.world.me
        return {"message": "challenge_required", "status": "fail", "error_type": "checkpoint_challenge_required",
                "challenge": {"url": f"https://i.instagram.com/challenge/{me}/AbCdEf/",
                              "api_path": f"/challenge/{me}/AbCdEf/", "hide_webview_header": True,
                              "lock": True, "logout": False, "native_flow": False}}

    # --- login ---------------------------------------------------------------------------------------

    def password_of(self, encrypted: str) -> str:
        """Decrypt `#PWD_INSTAGRAM:4:<time>:<payload>` the way Instagram does."""
        _, _, timestamp, payload = encrypted.split(":", 3)
        raw = base64.b64decode(payload)
        size = int.from_bytes(raw[14:16], "little")
        session_key = PKCS1_v1_5.new(_rsa_key()).decrypt(raw[16:16 + size], None)
        tag, ciphertext = raw[16 + size:32 + size], raw[32 + size:]
        cipher = AES.new(session_key, AES.MODE_GCM, raw[2:14])
        cipher.update(timestamp.encode())
        return cipher.decrypt_and_verify(ciphertext, tag).decode()

    def _after_password(self):
        """The password was right: a pending challenge, then the second factor, then the session."""
        world = self.world
        if world.challenge and not self.challenge_passed:
            return 400, self._challenge_body(), {}
        if world.two_factor_code:
            return 200, shapes.bloks_two_factor("fake-2fa-context"), {}
        return 200, shapes.bloks_login_success(world, self.new_session()), {}

    def _credentials_ok(self, username: str, encrypted: str) -> bool:
        world = self.world
        return not world.suspended and username == world.username and self.password_of(encrypted) == world.password


def _form(request) -> dict:
    body = request.body
    if not body:
        return {}
    if isinstance(body, bytes):
        body = body.decode("utf-8", "replace")
    if body.lstrip().startswith("{"):
        return json.loads(body)
    form = {k: v[-1] for k, v in parse_qs(body, keep_blank_values=True).items()}
    if "signed_body" in form:
        form = json.loads(form["signed_body"].split(".", 1)[1])
    if "params" in form and isinstance(form["params"], str):
        try:
            form["params"] = json.loads(form["params"])
        except ValueError:
            pass
    return form


def _ok(extra: dict | None = None):
    return 200, {**(extra or {}), "status": "ok"}, {}


def _offset(query: dict, key: str = "max_id") -> int:
    value = query.get(key) or "0"
    return int(value) if value.isdigit() else 0


# --- handlers: (server, match, query, form) -> (status, body, headers) -----------------------------------


def usdid_post(s: FakeInstagram, m, q, f):
    return 200, {"data": {"xfb_usdid_registration": {"success": True}}, "extensions": {"is_final": True}}, {}


def caa_home_post(s, m, q, f):
    return 200, shapes.bloks_aac(), {}


def keystore_post(s, m, q, f):
    return _ok({"challenge_nonce": "fake-nonce", "key_nonce": "fake-key-nonce"})


def oauth_post(s, m, q, f):
    return _ok({"layout": {"bloks_payload": {"data": [], "action": ""}}})


def password_keys_get(s, m, q, f):
    public = base64.b64encode(_rsa_key().publickey().export_key()).decode()
    return 200, {"status": "ok"}, {"ig-set-password-encryption-key-id": str(KEY_ID),
                                   "ig-set-password-encryption-pub-key": public}


def caa_login_post(s: FakeInstagram, m, q, f):
    params = f["params"]["client_input_params"]
    if not s._credentials_ok(params["contact_point"], params["password"]):
        return 200, shapes.bloks_fallback(), {}
    return s._after_password()


def launcher_post(s, m, q, f):
    return _ok()


def legacy_login_post(s: FakeInstagram, m, q, f):
    world = s.world
    if world.suspended and f.get("username") == world.username:
        return 400, {"message": "challenge_required", "status": "fail", "challenge": {
            "url": "https://i.instagram.com/accounts/suspended/?next=fake", "api_path": "/accounts/suspended/",
            "native_flow": False}}, {}
    if f.get("username") != world.username:
        return 400, {"message": "The username you entered doesn't appear to belong to an account. Please check "
                     "your username and try again.", "invalid_credentials": True, "error_title": "Incorrect Username",
                     "error_type": "invalid_user", "status": "fail"}, {}
    if s.password_of(f["enc_password"]) != world.password:
        return 400, {"message": "The password you entered is incorrect. Please try again.",
                     "invalid_credentials": True, "error_title": "Incorrect Password",
                     "error_type": "bad_password", "status": "fail"}, {}
    return s._after_password()


def two_factor_screen_post(s, m, q, f):
    return _ok({"layout": {"bloks_payload": {"data": [], "action": ""}}})


def two_factor_verify_post(s: FakeInstagram, m, q, f):
    code = f["params"]["client_input_params"]["code"]
    if code != s.world.two_factor_code:
        return _ok({"layout": {"bloks_payload": {"action": '(bk.action.core.ShowError "wrong code")', "data": []}}})
    return 200, shapes.bloks_login_success(s.world, s.new_session()), {}


def challenge_get(s: FakeInstagram, m, q, f):
    if s.world.challenge == "approve":
        return _ok({"bloks_action": REDIRECT, "challenge_context": "fake-approve-context", "step_name": ""})
    return _ok({"step_name": "select_verify_method", "nonce_code": "AbCdEf", "user_id": int(s.world.me),
                "step_data": {"choice": "1", "phone_number": "+1 ***-***-**42", "email": "t***@e****.test"}})


def challenge_post(s: FakeInstagram, m, q, f):
    if "security_code" in f:
        if f["security_code"] == s.world.challenge_code:
            s.challenge_passed = True
            return _ok({"action": "close"})
        return _ok({"step_name": "verify_email", "step_data": {"security_code": "None"},
                    "message": "Please check the code we sent you and try again."})
    return _ok({"step_name": "verify_email", "step_data": {"security_code": "None", "resend_delay": 60,
                                                          "contact_point": "t***@e****.test"}})


def take_challenge_post(s: FakeInstagram, m, q, f):
    if s.world.challenge_approved:
        s.challenge_passed = True
        return _ok({"action": "close"})
    return _ok({"bloks_action": REDIRECT, "challenge_context": "fake-approve-context"})


# --- handlers: the data endpoints ------------------------------------------------------------------------


def reels_tray_post(s, m, q, f):
    return 200, shapes.sample("reels_tray"), {}


TIMELINE_PAGE = 12  # posts a page; Instagram sends about 10-20


def timeline_post(s: FakeInstagram, m, q, f):
    posts = s.world.timeline()
    start = int(f.get("max_id") or 0)
    chunk, nxt = shapes.page(posts, start, TIMELINE_PAGE)
    return 200, shapes.timeline([s.media(p) for p in chunk], nxt, suggested=start == 0), {}


def current_user_get(s: FakeInstagram, m, q, f):
    me = s.world.accounts[s.world.me]
    user = {k: v for k, v in shapes.user_info(me, s.world).items()
            if k in ("pk", "username", "full_name", "is_private", "profile_pic_url", "is_verified", "biography",
                     "external_url")}
    return _ok({"user": {**user, "is_business": False, "email": "t@e.test", "phone_number": "", "gender": 3}})


def _account(s: FakeInstagram, pk: str):
    """The account behind a path, or the error Instagram gives (deleted: 404; private: 400)."""
    account = s.world.accounts.get(pk)
    if account is None or account.deleted:
        return None, (404, {"message": "User not found", "status": "fail"}, {})
    visible = not account.is_private or pk == s.world.me or pk in s.world.accounts[s.world.me].follows
    if not visible:
        return None, (400, {"message": "Not authorized to view user", "status": "fail"}, {})
    return account, None


def user_info_get(s: FakeInstagram, m, q, f):
    account = s.world.accounts.get(m[1])
    if account is None or account.deleted:
        return 404, {"message": "User not found", "status": "fail"}, {}
    return _ok({"user": shapes.user_info(account, s.world)})


def following_get(s: FakeInstagram, m, q, f):
    account, error = _account(s, m[1])
    if error:
        return error
    count = min(int(q.get("count") or 200), 200)
    chunk, nxt = shapes.page(s.world.following_of(account.pk), _offset(q), count)
    return 200, shapes.following([shapes.user_short(s.world.accounts[pk]) for pk in chunk], nxt), {}


def user_feed_get(s: FakeInstagram, m, q, f):
    account, error = _account(s, m[1])
    if error:
        return error
    count = min(int(q.get("count") or 12) or 12, 33)
    chunk, nxt = shapes.page(s.world.posts_of(account.pk), _offset(q), count)
    return 200, shapes.feed([s.media(p) for p in chunk], nxt,
                            user=shapes.user_short(account)), {}


LIKED_PAGE = 20
TAGGED_PAGE = 12
HASHTAG_PAGE = 12


def liked_get(s: FakeInstagram, m, q, f):
    chunk, nxt = shapes.page(s.world.liked_posts(), _offset(q), LIKED_PAGE)
    return 200, shapes.feed([s.media(p) for p in chunk], nxt), {}


def usertags_get(s: FakeInstagram, m, q, f):
    if m[1] != s.world.me:
        return 400, {"message": "Not authorized to view user", "status": "fail"}, {}
    chunk, nxt = shapes.page(s.world.tagged_posts(), _offset(q), TAGGED_PAGE)
    body = shapes.feed([s.media(p) for p in chunk], nxt)
    body.update({"total_count": len(s.world.tagged_posts()), "requires_review": False, "new_photos": []})
    return 200, body, {}


def hashtag_sections_post(s: FakeInstagram, m, q, f):
    posts = s.world.hashtag_top(m[1])
    chunk, nxt = shapes.page(posts, int(f.get("max_id") or 0), HASHTAG_PAGE)
    return 200, shapes.hashtag_sections([s.media(p) for p in chunk], nxt), {}


CHAINED = 30  # accounts suggested beside a profile


def chaining_get(s: FakeInstagram, m, q, f):
    account, error = _account(s, q.get("target_id", ""))
    if error:
        return error
    if account.is_private:
        return 400, {"message": "Not eligible for chaining.", "status": "fail"}, {}
    suggested = s.world.similar_to(account.pk, CHAINED)
    return 200, shapes.chaining([s.world.accounts[pk] for pk in suggested], s.world), {}


V1 = "/api/v1/"
ROUTES = [
    ("/graphql_www", False, usdid_post),
    (V1 + r"bloks/async_action/com\.bloks\.www\.bloks\.caa\.login\.process_client_data_and_redirect/", False,
     caa_home_post),
    (V1 + r"attestation/create_android_keystore/", False, keystore_post),
    (V1 + r"bloks/async_action/com\.bloks\.www\.caa\.login\.oauth\.token\.fetch\.async/", False, oauth_post),
    (V1 + r"qe/sync/", False, password_keys_get),
    (V1 + r"bloks/async_action/com\.bloks\.www\.bloks\.caa\.login\.async\.send_login_request/", False,
     caa_login_post),
    (V1 + r"launcher/sync/", False, launcher_post),
    (V1 + r"accounts/login/", False, legacy_login_post),
    (V1 + r"bloks/apps/com\.bloks\.www\.two_step_verification\.(entrypoint|method_picker)/", False,
     two_factor_screen_post),
    (V1 + r"bloks/async_action/com\.bloks\.www\.two_step_verification\.method_picker\.navigation\.async/", False,
     two_factor_screen_post),
    (V1 + r"bloks/async_action/com\.bloks\.www\.two_step_verification\.verify_code\.async/", False,
     two_factor_verify_post),
    (V1 + r"challenge/(\d+)/(\w+)/", False, challenge_get),
    (V1 + r"challenge/(\d+)/(\w+)/", False, challenge_post),
    (V1 + r"bloks/apps/com\.instagram\.challenge\.navigation\.take_challenge/", False, take_challenge_post),
    (V1 + r"feed/reels_tray/", True, reels_tray_post),
    (V1 + r"feed/timeline/", True, timeline_post),
    (V1 + r"accounts/current_user/", True, current_user_get),
    (V1 + r"users/(\d+)/info/", True, user_info_get),
    (V1 + r"friendships/(\d+)/following/", True, following_get),
    (V1 + r"feed/user/(\d+)/", True, user_feed_get),
    (V1 + r"feed/liked/", True, liked_get),
    (V1 + r"usertags/(\d+)/feed/", True, usertags_get),
    (V1 + r"tags/([^/]+)/sections/", True, hashtag_sections_post),
    (V1 + r"discover/chaining/", True, chaining_get),
]
