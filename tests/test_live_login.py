"""Logging in (each step and each error as a sentence), the keyring and the encrypted session file, logging
out, and a search of every file and log line for the password and the session token."""

from __future__ import annotations

import base64
import json
import logging
import stat
from urllib.parse import unquote

import keyring
import pytest
from fake_instagram.harness import Harness, make_world
from keyring.backends import fail
from keyrings.alt.file import PlaintextKeyring

from discovery.live import login as live
from discovery.live.secrets import SERVICE, Secrets, session_path, system_keyring
from discovery.live.sync import COMPLETE
from discovery.world import World, current_name

LOGIN_PATHS = ("graphql_www", "send_login_request", "accounts/login/", "process_client_data")


def a_sentence(step: live.LoginStep) -> bool:
    text = step.message
    return text[:1].isupper() and text.endswith(".") and "Traceback" not in text and "Error(" not in text


def test_login_remembers_an_encrypted_session_and_never_logs_in_again_while_it_works(harness):
    step = harness.flow().start("@Me.Tessera", harness.world.password)
    assert step.kind == live.DONE and step.remembered and a_sentence(step)
    world = World.open(harness.root, "me.tessera")
    try:
        assert world.kind == "account" and world.store.me() == harness.world.me
    finally:
        world.close()
    assert current_name(harness.root) == "me.tessera"
    path = session_path(harness.root, "me.tessera")
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    data = path.read_bytes()
    token = harness.fake.server.issued_sessions[-1]
    assert token.encode() not in data and unquote(token).encode() not in data and b"sessionid" not in data
    assert harness.keyring.get_password(SERVICE, "password:me.tessera") == harness.world.password
    assert harness.keyring.get_password(SERVICE, "session-key:me.tessera")

    before = len(harness.fake.server.log)
    session = harness.session()  # what the next start does
    assert session.client.sessionid == token and session.validate()
    assert harness.sync(session, **{"sync.near_accounts": 0, "sync.top_hashtags": 0}).status == COMPLETE
    asked = [r.path for r in harness.fake.server.log[before:]]
    assert not [p for p in asked if any(x in p for x in LOGIN_PATHS)]


@pytest.mark.parametrize("case", ["bad_password", "unknown_user", "suspended", "network_down"])
def test_each_login_error_is_one_clear_sentence(harness, case):
    world, server = harness.world, harness.fake.server
    username, password = world.username, world.password
    if case == "bad_password":
        password = "not the password"
    elif case == "unknown_user":
        username = "nobody.here"
    elif case == "suspended":
        world.suspended = True
    else:
        server.inject("", "drop", times=1000)
    step = harness.flow().start(username, password)
    assert step.kind == live.FAILED and a_sentence(step)
    expected = {"bad_password": "did not accept the password", "unknown_user": "no Instagram account called @nobody",
                "suspended": "has suspended @me.tessera", "network_down": "could not be reached"}[case]
    assert expected in step.message
    assert not session_path(harness.root, username).exists()


def test_two_factor_is_a_second_step(harness):
    harness.world.two_factor_code = "246810"
    flow = harness.flow()
    step = flow.start(harness.world.username, harness.world.password)
    assert step.kind == live.TWO_FACTOR and a_sentence(step)
    step = flow.submit_two_factor("111 111")
    assert step.kind == live.TWO_FACTOR and "not accepted" in step.message
    step = flow.submit_two_factor("246 810")
    assert step.kind == live.DONE and flow.session.logged_in


def test_a_challenge_code_sent_by_email_goes_through_instagrapis_code_handler(harness):
    harness.world.challenge = "code"
    flow = harness.flow()
    step = flow.start(harness.world.username, harness.world.password)
    assert step.kind == live.CHALLENGE_CODE and step.via == "email" and "e-mail" in step.message
    step = flow.submit_challenge_code("000000")
    assert step.kind == live.CHALLENGE_CODE and "not accepted" in step.message
    step = flow.submit_challenge_code(harness.world.challenge_code)
    assert step.kind == live.DONE
    assert harness.fake.server.count("/challenge/") >= 3


def test_a_challenge_approved_in_the_app(harness):
    harness.world.challenge = "approve"
    flow = harness.flow()
    step = flow.start(harness.world.username, harness.world.password)
    assert step.kind == live.CHALLENGE_APPROVE and "This was me" in step.message and a_sentence(step)
    assert flow.continue_after_approval().kind == live.CHALLENGE_APPROVE  # not approved yet
    harness.world.challenge_approved = True
    assert flow.continue_after_approval().kind == live.DONE


def test_cancelling_a_pending_challenge_ends_the_login(harness):
    harness.world.challenge = "code"
    flow = harness.flow()
    assert flow.start(harness.world.username, harness.world.password).kind == live.CHALLENGE_CODE
    step = flow.cancel()
    assert step.kind == live.FAILED and "cancelled" in step.message


def test_without_a_keyring_nothing_is_remembered_and_nothing_is_written(data_dir, tmp_path):
    harness = Harness(data_dir, make_world(), tmp_path / "unused.cfg")
    harness.keyring = fail.Keyring()  # raises NoKeyringError on every use
    step = harness.flow().start(harness.world.username, harness.world.password)
    assert step.kind == live.DONE and not step.remembered
    assert "cannot remember anything" in step.message
    assert not (data_dir / "sessions").exists() or not any((data_dir / "sessions").iterdir())
    assert live.resume_session(data_dir, harness.world.username, harness.factory, harness.keyring) is None
    assert harness.fake.problems() == []


def test_keyrings_alt_backends_are_never_used_as_the_system_keyring(monkeypatch, tmp_path):
    monkeypatch.setattr(keyring, "get_keyring", lambda: PlaintextKeyring())
    assert system_keyring() is None
    from keyring.backends.chainer import ChainerBackend

    class OnlyAlt(ChainerBackend):
        backends = [PlaintextKeyring()]  # what keyring's chainer holds when keyrings.alt is installed

    monkeypatch.setattr(keyring, "get_keyring", lambda: OnlyAlt())
    assert system_keyring() is None
    assert not Secrets(tmp_path, "someone").available


def test_remember_me_off_keeps_nothing(harness):
    harness.login(remember=True)
    step = harness.flow(remember=False).start(harness.world.username, harness.world.password)
    assert step.kind == live.DONE and "Nothing was saved" in step.message
    assert not session_path(harness.root, "me.tessera").exists()
    assert harness.keyring.get_password(SERVICE, "password:me.tessera") is None


def test_logout_deletes_password_key_and_session_file_and_says_so(harness):
    harness.login()
    message = live.logout(harness.root, "me.tessera", harness.keyring)
    assert message.startswith("Logged out of @me.tessera: deleted the saved password, the session key and the "
                              "session file.")
    assert harness.keyring.get_password(SERVICE, "password:me.tessera") is None
    assert harness.keyring.get_password(SERVICE, "session-key:me.tessera") is None
    assert not session_path(harness.root, "me.tessera").exists()
    assert "nothing to remove" in live.logout(harness.root, "me.tessera", harness.keyring)


def test_no_file_and_no_log_line_holds_the_password_or_the_session_token(harness, caplog, capfd):
    caplog.set_level(logging.DEBUG)
    session = harness.login()
    result = harness.sync(session, **{"sync.download_images": True})
    assert result.status == COMPLETE
    token = harness.fake.server.issued_sessions[-1]
    header = session.client.authorization
    assert token in header or token in base64.b64decode(header.rsplit(":", 1)[-1]).decode()
    print(live.logout(harness.root, harness.world.username, harness.keyring))
    secrets = [harness.world.password, token, unquote(token), header.rsplit(":", 1)[-1],
               base64.b64encode(json.dumps(session.client.authorization_data).encode()).decode()]
    files = [p for p in harness.root.rglob("*") if p.is_file()]
    assert len(files) > 100  # the database, its WAL, the pictures...
    for path in files:
        data = path.read_bytes()
        for secret in secrets:
            assert secret.encode() not in data, f"{secret[:6]}... found in {path}"
    captured = capfd.readouterr()
    text = caplog.text + captured.out + captured.err
    assert "Logged out" in text
    for secret in secrets:
        assert secret not in text
