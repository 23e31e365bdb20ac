"""Politeness: one request at a time, jittered gaps, a request budget per hour and per day that stages share
by priority, and cool-downs when Instagram pushes back. The state lives in the store (sync_state), so a
restarted Tessera does not forget what it already spent or that it was asked to wait.

Time comes from the world's Clock (discovery.clock), so tests and benchmarks run instantly on a virtual one.
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass

from discovery.clock import DAY, Clock
from discovery.settings import Settings
from storage import Store

HOUR = 3600
STATE_KEY = "live.budget"

# Share of the hourly and daily budget a stage of each priority may use: the person's own data and their
# feed can use all of it; widening the circle stops earlier and leaves room for the next refresh.
PRIORITY_SHARE = {1: 1.0, 2: 1.0, 3: 0.8, 4: 0.7}
RESTRICTED_SECONDS = DAY  # FeedbackRequired
CALM_REQUESTS = 50  # requests without trouble after which cool-downs start again from the first length


@dataclass(frozen=True)
class Limits:
    per_hour: int = 180
    per_day: int = 1500
    delay_min: float = 2.0
    delay_max: float = 5.0
    cooldown: float = 1800.0

    @classmethod
    def from_settings(cls, settings: Settings) -> Limits:
        sync = settings.sync
        low, high = sync.delay_min_seconds, sync.delay_max_seconds
        return cls(sync.requests_per_hour, sync.requests_per_day, min(low, high), max(low, high),
                   sync.cooldown_minutes * 60)


@dataclass(frozen=True)
class Wait:
    seconds: float
    reason: str  # "", "gap", "hour", "day", "cooldown", "restricted"


class Budget:
    def __init__(self, store: Store, limits: Limits, clock: Clock, rng: random.Random | None = None):
        self.store = store
        self.limits = limits
        self.clock = clock
        self.rng = rng or random.Random()
        state = json.loads(store.sync_cursor(STATE_KEY) or "{}")
        self.times: list[float] = state.get("times", [])
        self.cooldown_until: float = state.get("cooldown_until", 0.0)
        self.cooldown_level: int = state.get("cooldown_level", 0)
        self.restricted_until: float = state.get("restricted_until", 0.0)
        self.calm: int = state.get("calm", 0)
        self.last: float = state.get("last", 0.0)
        self.gap = self._draw_gap()

    def _draw_gap(self) -> float:
        return self.rng.uniform(self.limits.delay_min, self.limits.delay_max)

    def _save(self) -> None:
        state = {"times": self.times, "cooldown_until": self.cooldown_until, "cooldown_level": self.cooldown_level,
                 "restricted_until": self.restricted_until, "calm": self.calm, "last": self.last}
        self.store.set_sync_cursor(STATE_KEY, json.dumps(state))

    def _trim(self, now: float) -> None:
        cut = next((i for i, t in enumerate(self.times) if t > now - DAY), len(self.times))
        if cut:
            del self.times[:cut]

    def used(self, now: float | None = None) -> tuple[int, int]:
        """Requests in the last hour and in the last day."""
        now = self.clock.now() if now is None else now
        self._trim(now)
        return sum(1 for t in self.times if t > now - HOUR), len(self.times)

    def allowance(self, priority: int) -> tuple[int, int]:
        share = PRIORITY_SHARE.get(priority, min(PRIORITY_SHARE.values()))
        return max(1, int(self.limits.per_hour * share)), max(1, int(self.limits.per_day * share))

    def wait(self, priority: int) -> Wait:
        """How long before a request at this priority may go, and why."""
        now = self.clock.now()
        if self.restricted_until > now:
            return Wait(self.restricted_until - now, "restricted")
        if self.cooldown_until > now:
            return Wait(self.cooldown_until - now, "cooldown")
        self._trim(now)
        hour_cap, day_cap = self.allowance(priority)
        day_used = len(self.times)
        if day_used >= day_cap:
            return Wait(self.times[day_used - day_cap] + DAY - now, "day")
        recent = [t for t in self.times if t > now - HOUR]
        if len(recent) >= hour_cap:
            return Wait(recent[len(recent) - hour_cap] + HOUR - now, "hour")
        gap = self.last + self.gap - now
        return Wait(gap, "gap") if gap > 0 else Wait(0.0, "")

    def record(self, count: int = 1) -> None:
        """Requests just made (instagrapi may make more than one per call)."""
        if count <= 0:
            return
        now = self.clock.now()
        self.times.extend([now] * count)
        self.last = now
        self.calm += count
        if self.calm >= CALM_REQUESTS:
            self.cooldown_level = 0
        self.gap = self._draw_gap()
        self._save()

    def throttled(self) -> float:
        """Instagram asked to slow down: cool down 30 minutes, doubling each time. Returns the end."""
        self.cooldown_level += 1
        self.calm = 0
        self.cooldown_until = self.clock.now() + self.limits.cooldown * 2 ** (self.cooldown_level - 1)
        self._save()
        return self.cooldown_until

    def restricted(self) -> float:
        """FeedbackRequired: Instagram restricted the account; ask nothing for a day."""
        self.restricted_until = self.clock.now() + RESTRICTED_SECONDS
        self.calm = 0
        self._save()
        return self.restricted_until

    def blocked_until(self) -> tuple[float, str]:
        """When a cool-down or restriction ends (0 when none is running)."""
        now = self.clock.now()
        if self.restricted_until > now:
            return self.restricted_until, "restricted"
        if self.cooldown_until > now:
            return self.cooldown_until, "cooldown"
        return 0.0, ""
