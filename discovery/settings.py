"""Every setting of Tessera, declared here and nowhere else: one frozen dataclass per group (ranking, sync,
predict, insights), one field per setting with its default, label, description and bounds. Validation,
persistence, the settings dialog and the ranking panel all come from these declarations, and reading this module
imports nothing heavy, so every setting is known before the code that uses it loads.

Values are read by key (`settings.get("ranking.tau_hours")`) or typed, a group at a time
(`settings.ranking.tau_hours`, checked by mypy). `settings.changed` is a plain list of callbacks, each called
with the key of a setting whose value a `set()` or `reset()` changed (the window relays them as a Qt signal).
A renamed key is migrated when the settings file is read (RENAMED)."""

from __future__ import annotations

import dataclasses
import json
import logging
import os
import typing
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar, TypeVar

log = logging.getLogger(__name__)

T = TypeVar("T")
G = TypeVar("G", bound="Group")


def option(default: T, label: str, description: str = "", minimum: float | None = None,
           maximum: float | None = None) -> T:
    """One setting, as a field of its group: its default and what the settings UI shows of it."""
    return field(default=default, metadata={"label": label, "description": description, "minimum": minimum,
                                            "maximum": maximum})


# --- ranking ---------------------------------------------------------------------------------------------

# The seed formula's factors: name -> (label, formula). Each has a switch and an exponent below.
FACTORS = {
    "comments": ("Comments", "log10(comments + 2)"),
    "likes": ("Likes", "log10(likes + 1)"),
    "pagerank": ("Closeness", "personalized PageRank of the author"),
    "recency": ("Recency", "exp(−age / τ)"),
    "affinity": ("Your likes", "ln(likes you gave the author this year + 1)"),
}
MAX_WINDOW_DAYS = 60
MODES = ("learned", "seed", "manual")


def _switch(factor: str) -> bool:
    label, formula = FACTORS[factor]
    return option(True, f"Use {label.lower()}", formula)


def _weight(factor: str) -> float:
    label, formula = FACTORS[factor]
    return option(1.0, f"{label} weight", f"exponent of {formula}", 0.0, 3.0)


@dataclass(frozen=True)
class Group:
    """A group of settings: subclasses declare its fields with `option()`."""

    GROUP: ClassVar[str] = ""


@dataclass(frozen=True)
class RankingSettings(Group):
    GROUP: ClassVar[str] = "ranking"
    comments_on: bool = _switch("comments")
    comments_power: float = _weight("comments")
    likes_on: bool = _switch("likes")
    likes_power: float = _weight("likes")
    pagerank_on: bool = _switch("pagerank")
    pagerank_power: float = _weight("pagerank")
    recency_on: bool = _switch("recency")
    recency_power: float = _weight("recency")
    affinity_on: bool = _switch("affinity")
    affinity_power: float = _weight("affinity")
    tau_hours: float = option(1e5 / 3600, "Recency half-life τ (hours)",
                              "how fast posts fade: the recency factor is exp(−age/τ)", 1.0, 24.0 * 30)
    window_days: float = option(7.0, "Window (days)", "only posts this recent are ranked", 1.0, MAX_WINDOW_DAYS)
    diversity_cap: int = option(2, "Posts per author", "at most this many posts by one author ...", 1, 10)
    diversity_window: int = option(10, "... in any run of", "... this many consecutive items", 2, 50)
    see_fewer_factor: float = option(0.2, "“See fewer” factor",
                                     "each “see fewer” multiplies an author's scores by this", 0.0, 1.0)
    top_hashtags: int = option(10, "Interest hashtags", "how many of your top hashtags Explore follows", 0, 50)
    interest_every: int = option(3, "Interest share", "in Explore, every n-th item comes from your hashtags "
                                 "(0: none; seed and manual modes)", 0, 10)
    mode: str = option("learned", "Ranking mode", "learned: a model of you, learned from your likes; seed: the "
                       "seed formula; manual: your switches and exponents")

    @property
    def manual_factors(self) -> bool:
        """Whether any factor's switch or exponent is away from its default."""
        return any(not getattr(self, f"{n}_on") or getattr(self, f"{n}_power") != 1.0 for n in FACTORS)

    def effective_mode(self) -> str:
        """The mode that ranks: "learned" turns "manual" while a factor is moved from its default."""
        mode = self.mode if self.mode in MODES else "learned"
        return "manual" if mode == "learned" and self.manual_factors else mode


# --- sync ------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class SyncSettings(Group):
    GROUP: ClassVar[str] = "sync"
    requests_per_hour: int = option(180, "Requests per hour", "At most this many Instagram requests in any hour.",
                                    1, 2000)
    requests_per_day: int = option(1500, "Requests per day",
                                   "At most this many Instagram requests in any 24 hours.", 1, 20000)
    delay_min_seconds: float = option(2.0, "Shortest pause between requests", "", 0.0, 600.0)
    delay_max_seconds: float = option(5.0, "Longest pause between requests", "", 0.0, 600.0)
    cooldown_minutes: float = option(30.0, "First cool-down", "When Instagram asks to slow down, wait this long; "
                                     "each further cool-down doubles it.", 1.0, 1440.0)
    download_images: bool = option(True, "Download pictures",
                                   "Keep every fetched post's picture on this computer, for browsing offline.")
    image_gap_seconds: float = option(0.3, "Pause between picture downloads", "", 0.0, 60.0)
    recent_days: int = option(14, "Recent posts: days",
                              "Posts of the accounts you follow (and those near you) from this many days back.", 1, 90)
    liked_days: int = option(365, "Liked posts: days", "Your likes from this many days back.", 7, 3650)
    following_cap: int = option(200, "Follows read per account", "How many of the accounts each account you "
                                "follow follows are read (one request each).", 10, 2000)
    follows_refresh_days: int = option(30, "Re-read follow lists after (days)", "", 1, 365)
    near_accounts: int = option(300, "Accounts near you", "Recent posts of this many accounts you do not follow, "
                                "the closest by personalized PageRank.", 0, 5000)
    top_hashtags: int = option(10, "Hashtags", "The best recent posts under this many of your top hashtags.",
                               0, 100)
    hashtag_refresh_hours: float = option(24.0, "Re-read a hashtag after (hours)", "", 1.0, 720.0)
    recheck_max_days: float = option(7.0, "Re-read a quiet account after (days)",
                                     "An account is re-read about as often as it posts, and at least this often.",
                                     0.5, 60.0)
    max_wait_minutes: float = option(60.0, "Longest pause inside a sync", "A cool-down or budget pause longer "
                                     "than this ends the sync; the next one resumes where it stopped.", 0.0, 1440.0)
    stop_by_value: bool = option(True, "Stop the crawl by value", "Stop reading follow lists and accounts near "
                                 "you once ten more requests barely change the top of Explore; off: read every one.")


# --- like prediction -------------------------------------------------------------------------------------

@dataclass(frozen=True)
class PredictSettings(Group):
    GROUP: ClassVar[str] = "predict"
    horizon_days: float = option(7.0, "Prediction horizon (days)",
                                 "Predicted likes are the count expected this many days after posting.", 0.04, 365)
    retrain_min_new_posts: int = option(100, "Retrain after new posts", "The like model is retrained once a sync "
                                        "or import has added at least this many posts with like counts (and at "
                                        "least a tenth more than it was trained on).", 1, 1_000_000)
    max_pictures: int = option(200, "Pictures to add for training", "Training measures the pictures already on "
                               "disk, and draws or fetches pictures for up to this many more posts, chosen at "
                               "random among the posts it learns from.", 0, 1_000_000)


# --- insights --------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class InsightsSettings(Group):
    GROUP: ClassVar[str] = "insights"
    max_nodes: int = option(300, "Network size", "accounts in the network picture: those you follow, then the "
                            "closest accounts they follow", 20, 5000)


GROUPS: tuple[type[Group], ...] = (RankingSettings, SyncSettings, PredictSettings, InsightsSettings)
# Keys renamed since a settings file may have been written: old key -> new key. A file read with an old key
# has its value moved to the new one (kept there at the next save).
RENAMED: dict[str, str] = {}


@dataclass(frozen=True)
class Setting:
    key: str
    type: type
    default: Any
    label: str
    description: str = ""
    minimum: float | None = None
    maximum: float | None = None

    @property
    def group(self) -> str:
        return self.key.split(".", 1)[0]

    @property
    def name(self) -> str:
        return self.key.split(".", 1)[-1]

    def validate(self, value: Any) -> Any:
        """The value converted to this setting's type; ValueError with a sentence when it does not fit."""
        if self.type is bool:
            if not isinstance(value, bool):
                raise ValueError(f"{self.label} must be on or off")
        else:
            try:
                value = self.type(value)
            except (TypeError, ValueError):
                raise ValueError(f"{self.label} must be a {self.type.__name__}") from None
            if self.minimum is not None and value < self.minimum:
                raise ValueError(f"{self.label} must be at least {self.minimum:g}")
            if self.maximum is not None and value > self.maximum:
                raise ValueError(f"{self.label} must be at most {self.maximum:g}")
        return value


def _declarations(group: type[Group]) -> Iterator[Setting]:
    types = typing.get_type_hints(group)
    for item in dataclasses.fields(group):
        meta = item.metadata
        setting = Setting(f"{group.GROUP}.{item.name}", types[item.name], item.default, meta["label"],
                          meta["description"], meta["minimum"], meta["maximum"])
        setting.validate(setting.default)
        yield setting


REGISTRY: dict[str, Setting] = {s.key: s for group in GROUPS for s in _declarations(group)}


def lookup(key: str) -> Setting:
    return REGISTRY[key]


def declared(group: str) -> list[Setting]:
    return [s for s in REGISTRY.values() if s.group == group]


class Settings:
    """Current values of declared settings, kept in a JSON file. Unknown keys are kept but unused; a value
    that no longer validates falls back to the default (and is logged), never crashes the app."""

    def __init__(self, path: Path | None = None):
        self.path = path
        self._values: dict[str, Any] = {}
        # Called with a setting's key after set() or reset() changed its value (on the caller's thread).
        self.changed: list[Callable[[str], None]] = []
        if path is not None and path.exists():
            try:
                self._values = json.loads(path.read_text(encoding="utf-8"))
            except (OSError, ValueError) as exc:
                log.warning("settings file %s unreadable (%s); using defaults", path, exc)
                self._values = {}
            if not isinstance(self._values, dict):
                log.warning("settings file %s holds no settings; using defaults", path)
                self._values = {}
        for old, new in RENAMED.items():
            if old in self._values:
                value = self._values.pop(old)
                self._values.setdefault(new, value)

    def get(self, key: str) -> Any:
        setting = lookup(key)
        if key not in self._values:
            return setting.default
        try:
            return setting.validate(self._values[key])
        except ValueError as exc:
            log.warning("setting %s ignored: %s", key, exc)
            return setting.default

    def set(self, key: str, value: Any) -> None:
        before = self.get(key)
        self._values[key] = lookup(key).validate(value)
        if self.get(key) != before:
            self._notify(key)

    def reset(self, group: str) -> None:
        for setting in declared(group):
            before = self.get(setting.key)
            self._values.pop(setting.key, None)
            if setting.default != before:
                self._notify(setting.key)

    def _notify(self, key: str) -> None:
        for callback in list(self.changed):
            callback(key)

    def stored(self, group: str) -> dict[str, Any]:
        """The values of a group as set (and kept in the file), without the defaults: what a cached result
        computed from this group's settings is keyed by, beside the code that holds the defaults."""
        return {k: v for k, v in self._values.items() if k.split(".", 1)[0] == group}

    def values(self, group: str) -> dict[str, Any]:
        """{name: value} for a group, e.g. values("ranking") -> {"tau_hours": 27.8, ...}."""
        return {s.name: self.get(s.key) for s in declared(group)}

    def group(self, kind: type[G]) -> G:
        """The current values of one group, typed: e.g. `settings.group(SyncSettings).recent_days`."""
        return kind(**self.values(kind.GROUP))

    @property
    def ranking(self) -> RankingSettings:
        return self.group(RankingSettings)

    @property
    def sync(self) -> SyncSettings:
        return self.group(SyncSettings)

    @property
    def predict(self) -> PredictSettings:
        return self.group(PredictSettings)

    @property
    def insights(self) -> InsightsSettings:
        return self.group(InsightsSettings)

    def save(self) -> None:
        if self.path is None:
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_suffix(".tmp")
        tmp.write_text(json.dumps(self._values, indent=2, sort_keys=True), encoding="utf-8")
        os.replace(tmp, self.path)
