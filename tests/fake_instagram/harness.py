"""Test plumbing around the fake Instagram: a file keyring, a logged-in session, syncs on a virtual clock,
and a snapshot of everything a sync wrote (to compare an interrupted sync with an uninterrupted one)."""

from __future__ import annotations

import json
import random
import socket
from pathlib import Path

from keyrings.alt.file import PlaintextKeyring

from discovery.clock import VirtualClock
from discovery.live.budget import STATE_KEY
from discovery.live.client import new_client
from discovery.live.login import DONE, LiveSession, LoginFlow, resume_session
from discovery.live.sync import SyncResult, run_sync
from discovery.settings import Settings
from discovery.world import World
from fake_instagram import FakeTransport, FakeWorld

# Small enough for a test to sync in a few seconds; every stage still has real work.
TEST_SETTINGS = {"sync.near_accounts": 25, "sync.top_hashtags": 4, "sync.image_gap_seconds": 0.0,
                 "sync.download_images": False}


# The world most live tests share: 30 accounts followed (one of them deactivated since), 200 in all.
TEST_WORLD = {"seed": 11, "following": 30, "others": 170, "likes": 120}


def make_world() -> FakeWorld:
    return FakeWorld.generate(**TEST_WORLD)


_BASELINES: dict[tuple, dict] = {}


def baseline(directory: Path) -> dict:
    """The snapshot of one uninterrupted first sync of the test world (made once per test session)."""
    key = tuple(sorted(TEST_WORLD.items()))
    if key not in _BASELINES:
        harness = Harness(directory / "data", make_world(), directory / "keyring.cfg")
        harness.login()
        result = harness.sync()
        assert result.status == "complete", result.message
        assert harness.fake.problems() == []
        _BASELINES[key] = snapshot(harness.root, harness.world.username)
    return _BASELINES[key]


def block_network(monkeypatch) -> list[str]:
    """Make any real connection attempt fail loudly (and be recorded): everything must go to the fake."""
    attempts: list[str] = []

    def refuse(self, address, *args, **kwargs):
        attempts.append(str(address))
        raise AssertionError(f"a test tried to reach the real network: {address}")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    return attempts


def file_keyring(path: Path) -> PlaintextKeyring:
    backend = PlaintextKeyring()
    backend.file_path = str(path)  # keyrings.alt reads its location from this attribute
    return backend


def settings(**values) -> Settings:
    result = Settings()
    for key, value in {**TEST_SETTINGS, **values}.items():
        result.set(key, value)
    return result


class Harness:
    def __init__(self, root: Path, world: FakeWorld, keyring_file: Path):
        self.root = root
        self.world = world
        self.fake = FakeTransport(world)
        self.keyring = file_keyring(keyring_file)
        self.clock = VirtualClock(world.now)

    def factory(self, settings: dict | None = None, challenge_flow: bool = False):
        return self.fake.install(new_client(settings, challenge_flow=challenge_flow))

    def flow(self, remember: bool = True) -> LoginFlow:
        return LoginFlow(self.root, remember=remember, client_factory=self.factory, keyring_backend=self.keyring,
                         clock=self.clock)

    def login(self, remember: bool = True) -> LiveSession:
        flow = self.flow(remember)
        step = flow.start(self.world.username, self.world.password)
        assert step.kind == DONE, step
        return flow.session

    def session(self) -> LiveSession:
        session = resume_session(self.root, self.world.username, self.factory, self.keyring)
        assert session is not None
        return session

    def open_world(self) -> World:
        return World.open(self.root, self.world.username, self.clock)

    def sync(self, session: LiveSession | None = None, events: list | None = None, cancel=None,
             **overrides) -> SyncResult:
        opened = self.open_world()
        try:
            last = json.loads(opened.store.sync_cursor(STATE_KEY) or "{}").get("last", 0)
            self.clock.t = max(self.clock.t, last)
            return run_sync(opened, session or self.session(), settings(**overrides),
                            progress=(events.append if events is not None else lambda _e: None), cancel=cancel,
                            rng=random.Random(5))
        finally:
            opened.close()


def snapshot(root: Path, username: str) -> dict:
    """Everything a sync wrote, as sets (and raw row counts, to see duplicates), without the wall times."""
    opened = World.open(root, username)
    try:
        conn = opened.store.engine.raw_connection()
        try:
            def rows(sql: str) -> list[tuple]:
                return [tuple(r) for r in conn.execute(sql).fetchall()]

            accounts = rows("SELECT pk, username, full_name, follower_count, following_count, media_count, "
                            "is_private, is_verified, profile_pic_url, profile_pic_path FROM accounts")
            posts = rows("SELECT p.pk, a.pk, p.shortcode, p.taken_at, p.media_type, p.product_type, p.caption, "
                         "p.like_count, p.comment_count, p.play_count, p.location, p.width, p.height, "
                         "p.carousel_count, p.image_url, p.image_path "
                         "FROM posts p JOIN accounts a ON a.id = p.author_id")
            likes = rows("SELECT p.pk, l.liked_at FROM my_likes l JOIN posts p ON p.id = l.post_id")
            tagged = rows("SELECT p.pk FROM tagged_in t JOIN posts p ON p.id = t.post_id")
            tags = rows("SELECT p.pk, h.tag FROM post_hashtags h JOIN posts p ON p.id = h.post_id")
            states = dict(rows("SELECT stage, cursor FROM sync_state WHERE stage IN "
                               "('live.checked', 'live.listed', 'live.deferred', 'live.unavailable', 'live.hashtags')"))
        finally:
            conn.close()
        pks = dict(zip(opened.store.accounts_frame()["id"], opened.store.accounts_frame()["pk"], strict=True))
        src, dst = opened.store.edges(include_unfollowed=True)
        current = set(zip(*opened.store.edges(), strict=True))
        follows = [(pks[s], pks[d], (s, d) in current) for s, d in zip(src.tolist(), dst.tolist(), strict=True)]
        images = sorted(str(p.relative_to(opened.images.directory)) for p in opened.images.directory.rglob("*.jpg"))
    finally:
        opened.close()
    return {
        "accounts": set(accounts), "posts": set(posts), "likes": set(likes), "tagged": set(tagged),
        "tags": set(tags), "follows": set(follows), "images": set(images), "states": states,
        "rows": {"accounts": len(accounts), "posts": len(posts), "likes": len(likes), "tagged": len(tagged),
                 "follows": len(follows), "images": len(images)},
    }


def differences(a: dict, b: dict) -> list[str]:
    """Readable differences between two snapshots (empty when equal)."""
    out = []
    for key in a:
        if a[key] != b[key]:
            if isinstance(a[key], set):
                out.append(f"{key}: {len(a[key] - b[key])} only in the first, {len(b[key] - a[key])} only in the "
                           f"second, e.g. {sorted(a[key] ^ b[key], key=str)[:2]}")
            else:
                out.append(f"{key}: {a[key]} != {b[key]}")
    return out
