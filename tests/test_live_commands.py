"""`python -m discovery login / sync / sync-status / logout` against the fake Instagram."""

from __future__ import annotations

import builtins
import getpass
import json

import pytest
from fake_instagram.harness import Harness, block_network, make_world

from discovery import cli, paths
from discovery.cli import live as commands


@pytest.fixture
def harness(data_dir, tmp_path, monkeypatch):
    network = block_network(monkeypatch)
    h = Harness(data_dir, make_world(), tmp_path / "keyring.cfg")
    monkeypatch.setattr(commands, "CLIENT_FACTORY", h.factory)
    monkeypatch.setattr(commands, "KEYRING", h.keyring)
    monkeypatch.setattr(getpass, "getpass", lambda prompt="": h.world.password)
    # Real time here: no pauses between requests, a small neighbourhood.
    paths.settings_path(data_dir).write_text(json.dumps({
        "sync.delay_min_seconds": 0.0, "sync.delay_max_seconds": 0.0, "sync.near_accounts": 10,
        "sync.top_hashtags": 2, "sync.download_images": False}))
    yield h
    assert h.fake.problems() == [] and network == []


def run(harness, *args) -> int:
    return cli.main([*args, "--data-dir", str(harness.root)])


def test_login_sync_status_logout(harness, capsys):
    assert run(harness, "login", "me.tessera") == 0
    assert "Logged in as @me.tessera. Tessera will remember this login." in capsys.readouterr().out
    assert run(harness, "sync") == 0  # the account logged in last is the current world
    out = capsys.readouterr()
    assert "Sync complete" in out.out and "Your home feed" in out.err
    assert run(harness, "sync-status") == 0
    status = capsys.readouterr().out
    assert "last complete sync" in status and "never" not in status and "session: saved (encrypted)" in status
    assert run(harness, "logout") == 0
    assert "deleted the saved password, the session key and the session file" in capsys.readouterr().out
    assert run(harness, "sync", "me.tessera") == 1  # stdin is not a terminal here: no prompt, a sentence
    assert "run `python -m discovery login me.tessera` first" in capsys.readouterr().err


def test_login_asks_for_the_second_factor(harness, capsys, monkeypatch):
    harness.world.two_factor_code = "135790"
    answers = iter(["000000", "135790"])
    monkeypatch.setattr(builtins, "input", lambda prompt="": next(answers))
    assert run(harness, "login", "me.tessera") == 0
    out = capsys.readouterr()
    assert "not accepted" in out.err and "Logged in" in out.out


def test_a_bad_password_is_a_sentence_and_exit_code_1(harness, capsys, monkeypatch):
    monkeypatch.setattr(getpass, "getpass", lambda prompt="": "wrong")
    assert run(harness, "login", "me.tessera") == 1
    err = capsys.readouterr().err
    assert err.startswith("tessera: Instagram did not accept the password") and "Traceback" not in err
