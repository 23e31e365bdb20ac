"""Settings: declared in one place, read typed, migrated when renamed, and announced when changed."""

from __future__ import annotations

import dataclasses
import json

from discovery import settings as settings_module
from discovery.ranking import RankingParams
from discovery.settings import GROUPS, REGISTRY, RankingSettings, Settings, SyncSettings


def test_every_group_field_is_a_declared_setting_whose_default_fits_its_bounds():
    keys = {f"{group.GROUP}.{item.name}" for group in GROUPS for item in dataclasses.fields(group)}
    assert keys == set(REGISTRY) and len(keys) == 39
    for setting in REGISTRY.values():
        assert setting.validate(setting.default) == setting.default and setting.label
    assert REGISTRY["ranking.tau_hours"].type is float and REGISTRY["sync.download_images"].type is bool


def test_the_ranking_parameters_default_to_the_declarations():
    declared = {s.name: s.default for s in REGISTRY.values() if s.group == "ranking"}
    assert dataclasses.asdict(RankingParams()) == declared == dataclasses.asdict(RankingSettings())


def test_typed_access_reads_the_current_values(tmp_path):
    settings = Settings(tmp_path / "settings.json")
    assert settings.ranking.window_days == 7.0 and settings.insights.max_nodes == 300
    settings.set("ranking.window_days", 3)
    settings.set("sync.recent_days", 5)
    assert settings.ranking.window_days == 3.0 and isinstance(settings.ranking.window_days, float)
    assert settings.sync == dataclasses.replace(SyncSettings(), recent_days=5)
    assert RankingParams.from_settings(settings).window_days == 3.0


def test_a_renamed_key_is_migrated_when_the_file_is_read(tmp_path, monkeypatch):
    path = tmp_path / "settings.json"
    path.write_text(json.dumps({"ranking.window": 12.0, "ranking.mode": "seed"}), encoding="utf-8")
    monkeypatch.setitem(settings_module.RENAMED, "ranking.window", "ranking.window_days")
    settings = Settings(path)
    assert settings.get("ranking.window_days") == 12.0 and settings.get("ranking.mode") == "seed"
    settings.save()
    assert json.loads(path.read_text(encoding="utf-8")) == {"ranking.window_days": 12.0, "ranking.mode": "seed"}


def test_a_renamed_key_does_not_override_a_value_under_the_new_key(tmp_path, monkeypatch):
    path = tmp_path / "settings.json"
    path.write_text(json.dumps({"ranking.window": 12.0, "ranking.window_days": 4.0}), encoding="utf-8")
    monkeypatch.setitem(settings_module.RENAMED, "ranking.window", "ranking.window_days")
    assert Settings(path).get("ranking.window_days") == 4.0


def test_changed_is_called_for_each_change_and_only_for_changes(tmp_path):
    settings = Settings(tmp_path / "settings.json")
    heard: list[str] = []
    settings.changed.append(heard.append)
    settings.set("insights.max_nodes", 300)  # the default already: nothing changes
    settings.set("insights.max_nodes", 120)
    settings.set("insights.max_nodes", 120)
    settings.set("ranking.mode", "seed")
    assert heard == ["insights.max_nodes", "ranking.mode"]
    settings.reset("ranking")
    assert heard == ["insights.max_nodes", "ranking.mode", "ranking.mode"]
    settings.changed.remove(heard.append)
    settings.set("insights.max_nodes", 200)
    assert len(heard) == 3


def test_a_damaged_file_or_value_falls_back_to_the_defaults(tmp_path):
    path = tmp_path / "settings.json"
    path.write_text("[1, 2]", encoding="utf-8")
    assert Settings(path).get("sync.recent_days") == 14
    path.write_text(json.dumps({"sync.recent_days": 10_000}), encoding="utf-8")
    assert Settings(path).sync.recent_days == 14
