"""The password and the Instagram session, kept safe.

- "Remember me" keeps the password in the OS keyring (service `tessera`).
- instagrapi's session settings (they hold the session token) live in the data directory, encrypted with a
  Fernet key that lives in the keyring, in a file only the user can read (mode 0600).
- With no usable keyring nothing is remembered at all: the session stays in memory, never in plain text.

keyrings.alt backends are refused: one of them prompts on stdin, the other stores passwords in plain text.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import keyring
from cryptography.fernet import Fernet, InvalidToken
from keyring.backend import KeyringBackend
from keyring.backends.chainer import ChainerBackend
from keyring.errors import KeyringError, PasswordDeleteError

SERVICE = "tessera"
NO_KEYRING = ("This computer has no usable keyring, so Tessera cannot remember anything: the session is kept "
              "in memory until Tessera closes, and you will log in again next time.")


def _usable(backend: KeyringBackend) -> KeyringBackend | None:
    """The system keyring without keyrings.alt's backends; None when nothing usable is left."""
    def alt(b: KeyringBackend) -> bool:
        return type(b).__module__.startswith("keyrings.alt")

    if isinstance(backend, ChainerBackend):
        backends = [b for b in getattr(backend, "backends", []) if not alt(b)]
        if not backends:
            return None
        if len(backends) == len(backend.backends):
            return backend
        return backends[0] if len(backends) == 1 else _Chain(backends)
    if alt(backend) or type(backend).__module__.startswith("keyring.backends.fail"):
        return None
    return backend


class _Chain(KeyringBackend):
    """keyring's chainer, over a filtered list."""

    priority = 1

    def __init__(self, backends: list[KeyringBackend]):
        super().__init__()
        self.backends = backends

    def get_password(self, service, username):
        for backend in self.backends:
            value = backend.get_password(service, username)
            if value is not None:
                return value
        return None

    def set_password(self, service, username, password):
        self.backends[0].set_password(service, username, password)

    def delete_password(self, service, username):
        for backend in self.backends:
            try:
                backend.delete_password(service, username)
            except PasswordDeleteError:
                pass


def system_keyring() -> KeyringBackend | None:
    try:
        return _usable(keyring.get_keyring())
    except KeyringError:
        return None


def session_path(root: Path, username: str) -> Path:
    return root / "sessions" / f"{username}.session"


class Secrets:
    """One account's secrets. `backend=None` means the system keyring; tests pass a file keyring."""

    def __init__(self, root: Path, username: str, backend: KeyringBackend | None = None):
        self.root = Path(root)
        self.username = username
        self.backend = backend if backend is not None else system_keyring()
        self.problem = "" if self.backend is not None else NO_KEYRING

    @property
    def available(self) -> bool:
        return self.backend is not None

    @property
    def path(self) -> Path:
        return session_path(self.root, self.username)

    def _get(self, what: str) -> str | None:
        if self.backend is None:
            return None
        try:
            return self.backend.get_password(SERVICE, f"{what}:{self.username}")
        except KeyringError:
            self._lost()
            return None

    def _set(self, what: str, value: str) -> bool:
        if self.backend is None:
            return False
        try:
            self.backend.set_password(SERVICE, f"{what}:{self.username}", value)
            return True
        except KeyringError:
            self._lost()
            return False

    def _delete(self, what: str) -> bool:
        if self.backend is None:
            return False
        try:
            self.backend.delete_password(SERVICE, f"{what}:{self.username}")
            return True
        except (PasswordDeleteError, KeyringError):
            return False

    def _lost(self) -> None:
        self.backend = None
        self.problem = NO_KEYRING

    # --- the password --------------------------------------------------------------------------------

    def remember_password(self, password: str) -> bool:
        return self._set("password", password)

    def password(self) -> str | None:
        return self._get("password")

    # --- the session ---------------------------------------------------------------------------------

    def save_session(self, settings: dict) -> bool:
        """Encrypt and write instagrapi's settings; False (and nothing written) without a keyring."""
        key = self._get("session-key")
        if key is None:
            key = Fernet.generate_key().decode()
            if not self._set("session-key", key):
                return False
        token = Fernet(key.encode()).encrypt(json.dumps(settings).encode())
        self.path.parent.mkdir(parents=True, exist_ok=True)
        os.chmod(self.path.parent, 0o700)
        tmp = self.path.with_suffix(".tmp")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "wb") as handle:
            handle.write(token)
        os.chmod(tmp, 0o600)
        os.replace(tmp, self.path)
        return True

    def load_session(self) -> dict | None:
        """The saved settings, or None (no file, no key, or a file this key cannot open)."""
        if not self.path.exists():
            return None
        key = self._get("session-key")
        if key is None:
            return None
        try:
            return json.loads(Fernet(key.encode()).decrypt(self.path.read_bytes()))
        except (InvalidToken, ValueError, OSError):
            return None

    def has_session(self) -> bool:
        return self.path.exists()

    # --- logging out ---------------------------------------------------------------------------------

    def forget(self) -> list[str]:
        """Delete the password, the key and the session file; what was deleted, in words."""
        removed = []
        if self._delete("password"):
            removed.append("the saved password")
        if self._delete("session-key"):
            removed.append("the session key")
        if self.path.exists():
            self.path.unlink()
            removed.append("the session file")
        self.path.with_suffix(".tmp").unlink(missing_ok=True)
        return removed


def saved_accounts(root: Path) -> list[str]:
    """Usernames with a saved session file."""
    folder = Path(root) / "sessions"
    return sorted(p.stem for p in folder.glob("*.session")) if folder.exists() else []
