"""The `import` command: progress and the summary, errors in one sentence; and the summary's wording."""

from __future__ import annotations

import pytest
from export_helpers import OWNER, copy_layout, handed_over

from discovery import cli
from discovery import world as worlds
from discovery.export import ImportSummary

# --- command line ------------------------------------------------------------------------------------------


@pytest.fixture
def command_line():
    return cli.main


def test_import_command_prints_progress_and_the_summary(tmp_path, data_dir, command_line,
                                                         capsys):
    path = handed_over(tmp_path, "layout_2023")
    assert command_line(["import", str(path), "--data-dir", str(data_dir)]) == 0
    out, err = capsys.readouterr()
    assert out.splitlines() == [
        "@owner.example (2022–2024 export): 2 following, 2 followers, 1 liked post since 2023-12-09, "
        "1 saved post.", "World 'owner.example' is now the current world."]
    assert "Reading export: 4/4" in err and "Importing: 5/5" in err
    assert worlds.current_name(data_dir) == OWNER


def test_import_command_errors_are_one_sentence(tmp_path, data_dir, command_line, capsys):
    path = copy_layout("layout_2023", tmp_path / "export")
    assert command_line(["import", str(path), "--data-dir", str(data_dir)]) == 1
    assert capsys.readouterr().err.splitlines()[-1].startswith("tessera: export does not say whose account")
    assert command_line(["import", str(path), "--data-dir", str(data_dir), "--world", "demo",
                         "--username", OWNER]) == 1
    assert "demo world is generated" in capsys.readouterr().err.splitlines()[-1]
    assert command_line(["import", str(tmp_path / "nothing.zip"), "--data-dir", str(data_dir)]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "does not exist" in err
    assert command_line(["import", str(path), "--data-dir", str(data_dir), "--username", OWNER,
                         "--world", "mine"]) == 0
    assert worlds.current_name(data_dir) == "mine"


def test_summary_sentence_wording():
    summary = ImportSummary(username=OWNER, layout="2025", exported_at=0, following=312, followers=290,
                            liked=4120, saved=1, since=1551547268, new_following=0, unfollowed=0,
                            had_follows=False, skipped=1)
    assert summary.sentence == ("312 following, 290 followers, 4,120 liked posts since 2019-03-02, "
                                "1 saved post (1 entry naming no account or post skipped).")
