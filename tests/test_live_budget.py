"""Politeness: the request budget per hour and per day, shared by priority; jittered gaps; cool-downs that
double; a day's pause on FeedbackRequired; all of it remembered by the store across restarts."""

from __future__ import annotations

import json
import random

import pytest
from fake_instagram.harness import Harness, make_world

from discovery.clock import DAY, VirtualClock
from discovery.live.budget import CALM_REQUESTS, HOUR, STATE_KEY, Budget, Limits
from discovery.live.sync import COMPLETE, PAUSED
from storage import Store

START = 1_795_435_200.0


@pytest.fixture
def store(data_dir):
    with Store.open(data_dir / "budget.db") as opened:
        yield opened


def budget(store, clock, **limits) -> Budget:
    return Budget(store, Limits(**{"per_hour": 10, "per_day": 25, "delay_min": 2.0, "delay_max": 5.0,
                                   "cooldown": 1800.0, **limits}), clock, random.Random(3))


def spend(b: Budget, clock: VirtualClock, priority: int, count: int) -> None:
    for _ in range(count):
        wait = b.wait(priority)
        assert wait.reason in ("", "gap"), wait
        clock.sleep(wait.seconds)
        b.record()


def test_gaps_are_jittered_between_the_limits(store):
    clock = VirtualClock(START)
    b = budget(store, clock)
    gaps = []
    for _ in range(8):
        b.record()
        wait = b.wait(1)
        assert wait.reason == "gap"
        gaps.append(wait.seconds)
        clock.sleep(wait.seconds)
    assert all(2.0 <= g <= 5.0 for g in gaps) and len(set(gaps)) > 1


def test_the_hourly_and_daily_budgets_hold_and_lower_priorities_stop_earlier(store):
    clock = VirtualClock(START)
    b = budget(store, clock)
    spend(b, clock, 4, 7)  # priority 4 may use 70%: 7 of 10 an hour
    assert b.wait(4).reason == "hour"
    spend(b, clock, 1, 3)  # the rest is there for the person's own data
    wait = b.wait(1)
    assert wait.reason == "hour" and wait.seconds == pytest.approx(b.times[0] + HOUR - clock.now())
    reasons = set()
    while len(b.times) < 25:
        wait = b.wait(1)
        reasons.add(wait.reason)
        if wait.seconds > 0:
            clock.sleep(wait.seconds)
        else:
            b.record()
    assert reasons == {"", "gap", "hour"}
    for i, t in enumerate(b.times):
        assert sum(1 for u in b.times[i:] if u < t + HOUR) <= 10
    wait = b.wait(1)
    assert wait.reason == "day" and wait.seconds == pytest.approx(b.times[0] + DAY - clock.now())


def test_cool_downs_double_and_calm_resets_them(store):
    clock = VirtualClock(START)
    b = budget(store, clock, per_hour=1000, per_day=1000)
    ends = []
    for _ in range(3):
        ends.append(b.throttled() - clock.now())
        assert b.wait(1).reason == "cooldown"
        clock.sleep(b.wait(1).seconds)
    assert ends == [1800, 3600, 7200]
    spend(b, clock, 1, CALM_REQUESTS)
    assert b.throttled() - clock.now() == 1800


def test_feedback_required_blocks_for_a_day_and_the_store_remembers(store):
    clock = VirtualClock(START)
    b = budget(store, clock)
    b.record(3)
    until = b.restricted()
    assert until == clock.now() + DAY
    again = budget(store, clock)  # a restarted Tessera
    assert again.wait(1).reason == "restricted" and again.blocked_until() == (until, "restricted")
    assert again.used() == (3, 3)


def test_a_whole_sync_never_exceeds_the_hourly_budget_nor_skips_a_gap(data_dir, tmp_path):
    harness = Harness(data_dir, make_world(), tmp_path / "keyring.cfg")
    session = harness.login()
    result = harness.sync(session, **{"sync.requests_per_hour": 30, "sync.max_wait_minutes": 120.0})
    assert result.status == COMPLETE
    opened = harness.open_world()
    times = json.loads(opened.store.sync_cursor(STATE_KEY))["times"]
    opened.close()
    assert len(times) == result.requests > 60
    for i, t in enumerate(times):
        assert sum(1 for u in times[i:] if u < t + HOUR) <= 30
    distinct = sorted(set(times))
    assert min(b - a for a, b in zip(distinct, distinct[1:], strict=False)) >= 2.0
    assert harness.fake.problems() == []


def test_a_budget_pause_longer_than_allowed_ends_the_sync_with_a_time_to_resume(data_dir, tmp_path):
    harness = Harness(data_dir, make_world(), tmp_path / "keyring.cfg")
    session = harness.login()
    result = harness.sync(session, **{"sync.requests_per_day": 40})
    assert result.status == PAUSED and "Today's request budget is used up" in result.message
    # stages 1-5 may use the whole budget; "whom they follow" (priority 3) stops at 80% of it: 32 of 40
    assert result.stage == "circle" and 32 <= result.requests <= 40
    assert result.resume_at > harness.clock.now()
    assert harness.fake.problems() == []
