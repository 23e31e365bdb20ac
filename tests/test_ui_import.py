"""The “Import data export…” dialog on the export fixtures: a good export switches worlds, a bad one says why."""

from __future__ import annotations

import zipfile
from pathlib import Path

from discovery import world
from ui.import_dialog import ImportDialog
from ui.tasks import SynchronousRunner

EXPORTS = Path(__file__).resolve().parent / "fixtures" / "exports"  # written by fixtures/make_exports.py


def test_importing_an_export_reports_counts_and_names_the_new_world(qtbot, data_dir):
    dialog = ImportDialog(data_dir, SynchronousRunner())
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.path.setText(str(EXPORTS / "layout_2023"))
    dialog.start_button.click()  # this export does not say whose it is: the dialog asks
    assert dialog.username.isVisible() and "username" in dialog.message.text()
    dialog.username.setText("@tessera.tester")
    with qtbot.waitSignal(dialog.imported, timeout=60_000) as signal:
        dialog.start_button.click()
    name = signal.args[0]
    assert world.exists(data_dir, name) and world.current_name(data_dir) == name
    assert "2 following, 2 followers, 1 liked post" in dialog.message.text()
    assert dialog.close_button.text() == "Close"


def test_a_file_that_is_not_an_export_is_one_sentence_and_changes_nothing(qtbot, data_dir, tmp_path):
    bogus = tmp_path / "holiday.zip"
    with zipfile.ZipFile(bogus, "w") as archive:
        archive.writestr("photos/readme.txt", "just photos")
    dialog = ImportDialog(data_dir, SynchronousRunner())
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.path.setText(str(bogus))
    dialog.start_button.click()
    assert dialog.stage.text() == "Nothing was imported."
    assert "holiday.zip" in dialog.message.text() or "export" in dialog.message.text().lower()
    assert "Traceback" not in dialog.message.text()
    assert not (data_dir / "worlds").exists() or not any((data_dir / "worlds").iterdir())
    assert dialog.start_button.isEnabled()
