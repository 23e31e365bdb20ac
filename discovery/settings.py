"""Settings are declared once (key, type, default, description, bounds); validation, persistence and the
settings UI all come from the declaration. Each module declares its own, e.g. `ranking.tau_seconds`, and is
listed in DECLARING_MODULES: packages load lazily, so a setting is found even before its module is used."""

from __future__ import annotations

import importlib
import json
import logging
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)


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


REGISTRY: dict[str, Setting] = {}
# The modules that declare each group's settings (a test checks this against the source). Packages load
# lazily, so a group's modules are imported when one of its settings is first asked for.
DECLARING_MODULES = {
    "ranking": ("discovery.ranking",),
    "sync": ("discovery.live.budget", "discovery.live.images", "discovery.live.stages", "discovery.live.sync",
             "discovery.live.value"),
    "predict": ("discovery.predict.model", "discovery.predict.predictor"),
    "insights": ("discovery.insights.network",),
}


def declare_group(group: str) -> None:
    for name in DECLARING_MODULES.get(group, ()):
        importlib.import_module(name)


def declare_everything() -> None:
    for group in DECLARING_MODULES:
        declare_group(group)


def lookup(key: str) -> Setting:
    if key not in REGISTRY:
        declare_group(key.split(".", 1)[0])
    return REGISTRY[key]


def declare(key: str, type_: type, default: Any, label: str, description: str = "",
            minimum: float | None = None, maximum: float | None = None) -> Setting:
    setting = Setting(key, type_, default, label, description, minimum, maximum)
    setting.validate(default)
    REGISTRY[key] = setting
    return setting


def declared(group: str) -> list[Setting]:
    declare_group(group)
    return [s for s in REGISTRY.values() if s.group == group]


class Settings:
    """Current values of declared settings, kept in a JSON file. Unknown keys are kept but unused; a value
    that no longer validates falls back to the default (and is logged), never crashes the app."""

    def __init__(self, path: Path | None = None):
        self.path = path
        self._values: dict[str, Any] = {}
        if path is not None and path.exists():
            try:
                self._values = json.loads(path.read_text(encoding="utf-8"))
            except (OSError, ValueError) as exc:
                log.warning("settings file %s unreadable (%s); using defaults", path, exc)
                self._values = {}

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
        self._values[key] = lookup(key).validate(value)

    def reset(self, group: str) -> None:
        for setting in declared(group):
            self._values.pop(setting.key, None)

    def stored(self, group: str) -> dict[str, Any]:
        """The values of a group as set (and kept in the file), without the defaults: what a cached result
        computed from this group's settings is keyed by, beside the code that holds the defaults."""
        return {k: v for k, v in self._values.items() if k.split(".", 1)[0] == group}

    def values(self, group: str) -> dict[str, Any]:
        """{name: value} for a group, e.g. values("ranking") -> {"tau_seconds": 100000.0, ...}."""
        return {s.name: self.get(s.key) for s in declared(group)}

    def save(self) -> None:
        if self.path is None:
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_suffix(".tmp")
        tmp.write_text(json.dumps(self._values, indent=2, sort_keys=True), encoding="utf-8")
        os.replace(tmp, self.path)
