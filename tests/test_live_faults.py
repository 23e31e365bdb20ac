"""Faults in the middle of a sync: after resuming, the store holds exactly the rows of an uninterrupted sync,
none twice, none lost. Faults come from the fake server, so instagrapi's own error mapping turns them into
the exceptions the sync has to handle (429 swallowed by a pager included)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from fake_instagram import DAY
from fake_instagram.harness import baseline, differences, snapshot

from discovery.live.sync import (
    COMPLETE,
    NEEDS_CHALLENGE,
    NEEDS_LOGIN,
    OFFLINE,
    PAUSED,
    RESTRICTED_STATUS,
    TRANSIENT_TRIES,
)

TESTS = Path(__file__).resolve().parent


@pytest.fixture
def expected(tmp_path_factory):
    return baseline(tmp_path_factory.mktemp("baseline"))


def test_throttling_and_network_trouble_mid_stage_change_nothing(harness, expected):
    session = harness.login()
    inject = harness.fake.server.inject
    inject("feed/user/", "429", after=4)  # user_medias_paginated_v1 swallows this one into an empty page
    inject("feed/user/", "drop", after=12)
    inject("friendships/", "500", after=3)
    inject("feed/liked/", "malformed", after=2)
    inject("feed/timeline/", "rate_limit", after=2)
    inject("usertags/", "rate_limit")
    inject("tags/", "timeout", after=1)
    events = Timed(harness.clock)
    result = harness.sync(session, events)
    assert result.status == COMPLETE, result.message
    assert differences(snapshot(harness.root, harness.world.username), expected) == []
    pauses = [(at, e) for at, e in events if e.pause_until is not None]
    assert {e.pause_reason for _, e in pauses} == {"cooldown", "retry"}
    cooldowns = [e.pause_until - at for at, e in pauses if e.pause_reason == "cooldown"]
    assert cooldowns[:2] == [1800.0, 3600.0]  # 30 minutes, then doubling
    assert all("resumes at" in e.message for _, e in pauses if e.pause_reason == "cooldown")
    assert all(f.times == 0 for f in harness.fake.server.faults)  # every fault was met


class Timed(list):
    """Progress events with the (virtual) moment each was sent."""

    def __init__(self, clock):
        super().__init__()
        self.clock = clock

    def append(self, event) -> None:
        super().append((self.clock.now(), event))


def test_stopped_by_a_challenge_a_long_cool_down_and_a_dead_network_it_resumes_where_it_stopped(
        harness, expected):
    session = harness.login()
    server = harness.fake.server
    server.inject("friendships/9000000001/", "challenge")  # stage 3
    first = harness.sync(session)
    assert first.status == NEEDS_CHALLENGE and first.stage == "following"
    assert "confirm it is really you" in first.message

    server.inject("feed/user/", "drop", after=6, times=TRANSIENT_TRIES)  # stage 5: down for every retry
    second = harness.sync(session)
    assert second.status == OFFLINE and second.stage == "recent"
    assert second.requests_by_stage.get("following", 0) == 1 and "liked" in second.requests_by_stage

    for _ in range(3):
        server.inject("friendships/", "please_wait", after=5)  # stage 6: 30, 60, then 120 minutes
    third = harness.sync(session)
    assert third.status == PAUSED and third.stage == "circle"
    assert third.resume_at == pytest.approx(harness.clock.now() + 7200)
    assert "resumes at" in third.message
    early = len(server.log)
    assert harness.sync(session).status == PAUSED and len(server.log) == early  # asks nothing while cooling

    harness.clock.t = third.resume_at + 1
    last = harness.sync(session)
    assert last.status == COMPLETE, last.message
    assert set(last.requests_by_stage) <= {"circle", "near", "liked_rest", "hashtags"}
    assert differences(snapshot(harness.root, harness.world.username), expected) == []


def test_logged_out_mid_sync_it_logs_in_again_once_then_asks(harness, expected):
    session = harness.login()
    server = harness.fake.server
    server.inject("feed/liked/", "login_required", after=2)
    result = harness.sync(session)
    assert result.status == COMPLETE, result.message
    assert len(server.issued_sessions) == 2  # one new login, with the remembered password
    assert differences(snapshot(harness.root, harness.world.username), expected) == []
    resumed = harness.session()  # the new session was saved (encrypted) and is reused
    assert resumed.client.sessionid == server.issued_sessions[-1]

    server.inject("feed/user/", "login_required", times=2)  # refused again after the new login
    harness.world.advance(DAY, new_likes=0, follow=0, unfollow=0)
    harness.clock.t = harness.world.now
    stopped = harness.sync(resumed)
    assert stopped.status == NEEDS_LOGIN and "Log in again" in stopped.message


def test_feedback_required_stops_everything_for_a_day(harness, expected):
    session = harness.login()
    server = harness.fake.server
    server.inject("feed/user/", "feedback", after=3)
    first = harness.sync(session)
    assert first.status == RESTRICTED_STATUS
    assert first.resume_at == pytest.approx(harness.clock.now() + DAY)
    before = len(server.log)
    harness.clock.t += 20 * 3600  # still four hours to go
    assert harness.sync(session).status == RESTRICTED_STATUS and len(server.log) == before
    harness.clock.t = first.resume_at + 1
    assert harness.sync(session).status == COMPLETE
    assert differences(snapshot(harness.root, harness.world.username), expected) == []


def test_private_or_gone_accounts_are_skipped_and_remembered(harness):
    session = harness.login()
    world = harness.world
    in_timeline = {p.author for p in world.timeline()}
    hidden = sorted(pk for pk in world.accounts[world.me].follows
                    if not world.accounts[pk].deleted and pk not in in_timeline)[0]  # read on its own
    harness.fake.server.inject(f"feed/user/{hidden}/", "private")
    assert harness.sync(session).status == COMPLETE
    unavailable = json.loads(snapshot(harness.root, world.username)["states"]["live.unavailable"])
    assert unavailable[hidden][0] == "private"
    assert harness.fake.server.count(f"friendships/{hidden}/") == 0  # not asked for its follows either
    gone = next(pk for pk in world.accounts[world.me].follows if world.accounts[pk].deleted)
    assert unavailable[gone][0] == "gone"
    world.advance(3 * DAY)
    harness.clock.t = world.now
    start = len(harness.fake.server.log)
    assert harness.sync(session).status == COMPLETE
    asked = [r.path for r in harness.fake.server.log[start:]]
    assert not [p for p in asked if f"/{hidden}/" in p or f"/{gone}/" in p]


def test_a_killed_sync_process_resumes_to_the_same_store(harness, expected, tmp_path):
    harness.login()
    marker = tmp_path / "hung"
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(TESTS), env_path()])}
    command = [sys.executable, "-m", "fake_instagram.run_sync", str(harness.root), harness.keyring.file_path,
               "feed/user/", "5", str(marker)]
    process = subprocess.Popen(command, cwd=TESTS, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 120
    try:
        while not marker.exists():
            if process.poll() is not None:
                pytest.fail("the sync process ended before it was killed: " + process.stdout.read().decode())
            if time.monotonic() > deadline:
                pytest.fail("the sync process never reached the request it is killed at")
            time.sleep(0.05)
    finally:
        process.kill()
        process.wait()
    opened = harness.open_world()
    run = json.loads(opened.store.sync_cursor("live.run"))
    opened.close()
    assert run["stage"] == 4 and not run["done"]  # killed in stage 5, after four finished stages
    result = harness.sync()
    assert result.status == COMPLETE, result.message
    assert set(result.requests_by_stage) == {"recent", "circle", "near", "liked_rest", "hashtags"}
    assert differences(snapshot(harness.root, harness.world.username), expected) == []


def env_path() -> str:
    return os.environ.get("PYTHONPATH", "")
