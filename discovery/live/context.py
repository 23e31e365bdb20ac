"""What a sync stage sees of the sync: `StageContext`, and the `Stage` record of the stage table.

A stage reads its cursor, asks for pages through `call` (paced, retried, classified by the engine), writes each
page and the cursor past it in one transaction (`page`), reports progress with the posts it has written so
far, and returns that count. It never touches the engine's counters, so a stage runs the same against the
engine (sync.SyncEngine) or a test's small fake.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import Any, Protocol

from discovery.settings import Settings
from storage import Account, Post, Store


class Pictures(Protocol):
    """Where a stage hands the pictures of what a page brought (images.ImageFetcher downloads them)."""

    def posts(self, posts: list[Post]) -> None: ...

    def avatars(self, accounts: list[Account]) -> None: ...


class StageContext(Protocol):
    store: Store
    client: Any  # instagrapi's Client (TesseraClient)
    settings: Settings

    @property
    def images(self) -> Pictures: ...

    @property
    def me(self) -> str:
        """My account's pk (the sync logs in before any stage runs)."""

    @property
    def started(self) -> int:
        """When this run started: its windows ("the last 14 days") are measured from it."""

    @property
    def first_run(self) -> bool: ...

    @property
    def previous(self) -> int | None:
        """When the last complete run started (None on the first run)."""

    @property
    def written_before(self) -> int:
        """Posts this invocation wrote in the stages before this one."""

    def call(self, function: Callable[..., Any], *args: Any, per_account: bool = False) -> Any:
        """One paced request. With `per_account`, a private or gone account raises client.Unavailable."""

    def cursor(self) -> dict | None:
        """The stage's cursor, as the last page left it (None: the stage starts)."""

    def page(self, cursor: dict) -> AbstractContextManager[None]:
        """Write a page's records and the cursor past it as one transaction."""

    def state(self, name: str) -> dict: ...

    def set_state(self, name: str, value: dict) -> None: ...

    def now(self) -> int: ...

    def report(self, done: int | None, total: int | None, message: str = "", written: int = 0) -> None:
        """Progress: `done` of `total` pages or accounts; `written`, the posts the stage has written so far."""


@dataclass(frozen=True)
class Stage:
    key: str
    label: str
    number: int
    priority: int
    run: Callable[[StageContext], int]  # returns the posts it wrote
    estimate: Callable[[int, Settings], int]  # requests a run of it takes, given how many accounts I follow

    @property
    def cursor_key(self) -> str:
        return f"live.stage.{self.key}"
