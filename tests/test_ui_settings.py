"""Settings…: the dialog is built from the declarations, keeps each value in its bounds, refuses settings
that contradict each other with a sentence, saves to the settings file, and Cancel changes nothing."""

from __future__ import annotations

from PySide6.QtWidgets import QCheckBox, QSpinBox

from discovery import paths
from discovery.settings import REGISTRY, Settings
from ui.settings_dialog import SettingsDialog


def dialog(qtbot, data_dir) -> SettingsDialog:
    widget = SettingsDialog(Settings(paths.settings_path(data_dir)))
    qtbot.addWidget(widget)
    widget.show()
    return widget


def test_every_declared_sync_predict_and_insights_setting_has_an_editor_within_its_bounds(qtbot, data_dir):
    widget = dialog(qtbot, data_dir)
    expected = {key for key in REGISTRY if key.split(".")[0] in ("sync", "predict", "insights")}
    assert set(widget.editors) == expected and "sync.requests_per_hour" in expected
    hourly = widget.editors["sync.requests_per_hour"]
    setting = REGISTRY["sync.requests_per_hour"]
    assert isinstance(hourly, QSpinBox) and hourly.value() == setting.default
    assert (hourly.minimum(), hourly.maximum()) == (setting.minimum, setting.maximum)
    assert isinstance(widget.editors["sync.download_images"], QCheckBox)
    assert widget.editors["sync.delay_min_seconds"].suffix() == " s"


def test_ok_saves_the_values_to_the_settings_file(qtbot, data_dir):
    widget = dialog(qtbot, data_dir)
    widget.set_value("sync.requests_per_hour", 90)
    widget.set_value("sync.download_images", False)
    widget.accept()
    assert widget.result() == SettingsDialog.DialogCode.Accepted
    reread = Settings(paths.settings_path(data_dir))
    assert reread.get("sync.requests_per_hour") == 90 and reread.get("sync.download_images") is False


def test_settings_that_contradict_each_other_are_a_sentence_and_nothing_is_saved(qtbot, data_dir):
    widget = dialog(qtbot, data_dir)
    widget.set_value("sync.delay_min_seconds", 9.0)
    widget.accept()
    assert widget.isVisible() and "shortest pause" in widget.message.text()
    assert not paths.settings_path(data_dir).exists()
    widget.set_value("sync.delay_min_seconds", 2.0)
    widget.set_value("sync.requests_per_hour", 2000)
    widget.accept()
    assert "per hour" in widget.message.text() and not paths.settings_path(data_dir).exists()


def test_cancel_changes_nothing_and_restore_defaults_resets_the_page(qtbot, data_dir):
    settings = Settings(paths.settings_path(data_dir))
    settings.set("sync.requests_per_day", 900)
    settings.save()
    before = paths.settings_path(data_dir).read_bytes()
    widget = dialog(qtbot, data_dir)
    assert widget.value("sync.requests_per_day") == 900
    widget.set_value("sync.requests_per_day", 100)
    widget.reject()
    assert paths.settings_path(data_dir).read_bytes() == before
    widget = dialog(qtbot, data_dir)
    widget.pages.setCurrentIndex(0)
    widget.restore_page_defaults()
    assert widget.value("sync.requests_per_day") == REGISTRY["sync.requests_per_day"].default


def test_a_change_in_the_dialog_reaches_the_pages_of_every_window_through_their_hubs(qtbot, data_dir):
    from discovery import world
    from ui.events import WorldEvents
    from ui.insights.page import InsightsPage
    from ui.tasks import SynchronousRunner

    settings = Settings(paths.settings_path(data_dir))
    hubs = [WorldEvents(), WorldEvents()]
    heard: list[str] = []
    for hub in hubs:
        hub.follow(settings)
        hub.settings_changed.connect(heard.append)
    opened = world.World.open(data_dir, "empty")
    page = InsightsPage(opened, SynchronousRunner(), settings, events=hubs[1])
    qtbot.addWidget(page)
    widget = SettingsDialog(settings)
    qtbot.addWidget(widget)
    widget.set_value("insights.max_nodes", 80)
    widget.accept()
    assert heard == ["insights.max_nodes", "insights.max_nodes"] and page.size_box.value() == 80
    hubs.pop(0).deleteLater()
    qtbot.waitUntil(lambda: len(settings.changed) == 1)  # a deleted hub hears nothing more
    settings.set("insights.max_nodes", 90)
    assert heard[2:] == ["insights.max_nodes"] and page.size_box.value() == 90
    opened.close()
