"""A sync stage against a small fake StageContext (no engine, no fake Instagram): the stage asks through the
context, writes pages with their cursors, reports its progress and returns its count; a private account is
skipped through the same classification the engine uses."""

from __future__ import annotations

import contextlib
import json

from instagrapi.exceptions import PrivateAccount
from instagrapi.types import UserShort

from discovery.live.client import GONE, PRIVATE, Unavailable, classify
from discovery.live.crawl import stage_circle
from discovery.live.stages import STAGES
from discovery.settings import Settings
from storage import Account, Follow, Store

START = 1_700_000_000


class FakeClient:
    """Follow lists by account; an account in `private` answers as Instagram does for a private profile."""

    def __init__(self, lists: dict[str, list[str]], private: set[str]):
        self.lists, self.private, self.asked = lists, private, []

    def user_following_v1_chunk(self, pk: str, count: int, max_id: str):
        self.asked.append(pk)
        if pk in self.private:
            raise PrivateAccount("Not authorized to view user")
        return [UserShort(pk=t, username=f"user{t}") for t in self.lists[pk][:count]], ""


class Pictures:
    def __init__(self):
        self.accounts: list[Account] = []

    def posts(self, posts) -> None:
        pass

    def avatars(self, accounts) -> None:
        self.accounts += accounts


class FakeContext:
    """Just what a stage may use. Cursors and states live in the real store, as the engine keeps them."""

    def __init__(self, store: Store, client: FakeClient, settings: Settings):
        self.store, self.client, self.settings, self.images = store, client, settings, Pictures()
        self.me, self.started, self.first_run, self.previous, self.written_before = "1", START, True, None, 0
        self.reports: list[tuple] = []

    def call(self, function, *args, per_account: bool = False):
        try:
            return function(*args)
        except Exception as exc:
            if per_account and classify(exc) in (PRIVATE, GONE):
                raise Unavailable(classify(exc)) from None
            raise

    def cursor(self):
        return json.loads(self.store.sync_cursor("live.stage.circle") or "null")

    @contextlib.contextmanager
    def page(self, cursor: dict):
        with self.store.transaction():
            yield
            self.store.set_sync_cursor("live.stage.circle", json.dumps(cursor))

    def state(self, name: str) -> dict:
        return json.loads(self.store.sync_cursor(f"live.{name}") or "{}")

    def set_state(self, name: str, value: dict) -> None:
        self.store.set_sync_cursor(f"live.{name}", json.dumps(value))

    def now(self) -> int:
        return START

    def report(self, done, total, message="", written=0) -> None:
        self.reports.append((done, total, written))


def test_circle_stage_reads_follow_lists_through_its_context_and_skips_a_private_account(tmp_path):
    store = Store.open(tmp_path / "tessera.db")
    try:
        store.upsert_accounts([Account("1", "me"), Account("2", "two"), Account("3", "three"), Account("4", "four")])
        store.set_me("1")
        store.upsert_follows([Follow("1", pk, START) for pk in ("2", "3", "4")], complete_sources=["1"])
        client = FakeClient({"2": ["10", "11", "3"], "4": ["11", "12"]}, private={"3"})
        settings = Settings()
        settings.set("sync.stop_by_value", False)
        ctx = FakeContext(store, client, settings)

        assert stage_circle(ctx) == 0  # it writes follows, no posts

        assert sorted(client.asked) == ["2", "3", "4"]
        ids = {pk: store.account_id(pk) for pk in ("2", "4", "10", "11", "12")}
        src, dst = store.edges()
        edges = set(zip(src.tolist(), dst.tolist(), strict=True))
        assert {(ids["2"], ids["10"]), (ids["2"], ids["11"]), (ids["4"], ids["12"])} <= edges
        assert set(ctx.state("listed")) == {"2", "4"}
        assert ctx.state("unavailable") == {"3": ["private", START]}
        assert ctx.cursor()["i"] == 3 and ctx.reports[-1][:2] == (3, 3)

        client.asked.clear()  # resumed at its end: nothing is asked again
        assert stage_circle(ctx) == 0 and client.asked == []
    finally:
        store.close()


def test_each_stage_carries_its_own_estimate():
    estimates = {stage.key: stage.estimate(300, Settings()) for stage in STAGES}
    assert estimates == {"me": 1, "timeline": 151, "following": 2, "liked": 3, "recent": 60, "circle": 100,
                         "hashtags": 10, "near": 100, "liked_rest": 10}
