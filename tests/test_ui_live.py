"""The login dialog and the sync panel against the fake Instagram (instagrapi's real client underneath), with a
real TaskRunner: every step runs on the pool, the widgets show each step's sentence, the sync writes into the
real store, and Cancel / Sync now stop and resume it."""

from __future__ import annotations

import threading

import pytest
from fake_instagram.harness import Harness, settings
from PySide6.QtCore import SIGNAL, QCoreApplication
from PySide6.QtWidgets import QDialog

from discovery import world as worlds
from discovery.live.secrets import SERVICE, session_path
from discovery.live.sync import CANCELLED, COMPLETE, NEEDS_CHALLENGE, PAUSED, SyncStatus
from ui.login_dialog import LoginDialog
from ui.sync_panel import SyncPanel
from ui.tasks import TaskRunner

WAIT = 60_000  # ms; generous for a loaded machine, the steps themselves take a fraction of a second


@pytest.fixture
def tasks(qtbot):
    runner = TaskRunner()
    yield runner
    assert runner.wait(WAIT)
    qtbot.waitUntil(lambda: not runner.busy, timeout=WAIT)  # a result left undelivered keeps its widget alive


class Gate:
    """Holds the fake Instagram's answer to a matching request (after `after` of them) until released."""

    def __init__(self, harness: Harness, match: str = "", after: int = 0):
        self.match, self.after, self.seen = match, after, 0
        self.reached, self.released = threading.Event(), threading.Event()
        harness.fake.server.on_request = self

    def __call__(self, entry) -> None:
        if self.match in entry.path and not self.released.is_set():
            self.seen += 1
            if self.seen > self.after:
                self.reached.set()
                self.released.wait(WAIT / 1000)

    def release(self) -> None:
        self.released.set()


def login_dialog(qtbot, harness, tasks, **kwargs) -> LoginDialog:
    dialog = LoginDialog(harness.root, tasks, client_factory=harness.factory, keyring_backend=harness.keyring,
                         **kwargs)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def type_credentials(dialog: LoginDialog, username: str, password: str) -> None:
    dialog.username.setText(username)
    dialog.password.setText(password)


def wait_idle(qtbot, dialog: LoginDialog) -> None:
    qtbot.waitUntil(lambda: not dialog.busy, timeout=WAIT)


def login_threads() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name == "tessera-login"]


# --- the login dialog --------------------------------------------------------------------------------------


def test_the_right_password_logs_in_makes_the_world_and_leaves_the_password_in_no_file(qtbot, harness, tasks):
    dialog = login_dialog(qtbot, harness, tasks)
    assert dialog.remember.isChecked() and "keyring" in dialog.remember.toolTip()
    assert not dialog.code.isVisible() and not dialog.continue_button.isVisible()
    assert not dialog.login_button.isEnabled()  # nothing typed yet
    type_credentials(dialog, "@Me.Tessera", harness.world.password)
    gate = Gate(harness)
    with qtbot.waitSignal(dialog.logged_in, timeout=WAIT) as signal:
        dialog.login_button.click()
        qtbot.waitUntil(gate.reached.is_set, timeout=WAIT)
        # Instagram has not answered yet: the GUI thread is free and everything is disabled
        assert dialog.busy_bar.isVisible() and dialog.message.text() == "Talking to Instagram…"
        assert not any(w.isEnabled() for w in (dialog.username, dialog.password, dialog.remember,
                                                dialog.login_button))
        gate.release()
    assert signal.args == ["me.tessera"]
    assert dialog.result() == QDialog.DialogCode.Accepted and not dialog.isVisible()
    assert dialog.password.text() == "" and dialog.flow is None
    assert "remember this login" in dialog.done_message
    assert worlds.exists(harness.root, "me.tessera") and session_path(harness.root, "me.tessera").exists()
    password = harness.world.password.encode()
    files = [p for p in harness.root.rglob("*") if p.is_file()]
    assert files and not [p for p in files if password in p.read_bytes()]


def test_a_wrong_password_is_one_sentence_and_makes_no_world(qtbot, harness, tasks):
    dialog = login_dialog(qtbot, harness, tasks, username="me.tessera")
    assert dialog.username.text() == "me.tessera"
    dialog.password.setText("not the password")
    spy: list[str] = []
    dialog.logged_in.connect(spy.append)
    dialog.login_button.click()
    wait_idle(qtbot, dialog)
    text = dialog.message.text()
    assert "did not accept the password for @me.tessera" in text and "Traceback" not in text
    assert dialog.isVisible() and spy == [] and not dialog.busy_bar.isVisible()
    assert dialog.password.text() == "" and dialog.username.isEnabled() and dialog.password.isEnabled()
    assert not worlds.exists(harness.root, "me.tessera")


def test_two_factor_asks_for_the_code_and_refuses_a_wrong_one(qtbot, harness, tasks):
    harness.world.two_factor_code = "246810"
    dialog = login_dialog(qtbot, harness, tasks)
    type_credentials(dialog, harness.world.username, harness.world.password)
    dialog.login_button.click()
    wait_idle(qtbot, dialog)
    assert dialog.code.isVisible() and dialog.login_button.text() == "Verify code"
    assert "authentication app" in dialog.message.text()
    assert not dialog.username.isEnabled() and not dialog.password.isEnabled()
    dialog.code.setText("111 111")
    dialog.login_button.click()
    wait_idle(qtbot, dialog)
    assert dialog.code.isVisible() and "not accepted" in dialog.message.text() and dialog.code.text() == ""
    dialog.code.setText("246 810")
    with qtbot.waitSignal(dialog.logged_in, timeout=WAIT):
        dialog.login_button.click()
    assert worlds.exists(harness.root, "me.tessera")


def test_a_challenge_code_sent_by_email(qtbot, harness, tasks):
    harness.world.challenge = "code"
    dialog = login_dialog(qtbot, harness, tasks)
    type_credentials(dialog, harness.world.username, harness.world.password)
    dialog.login_button.click()
    wait_idle(qtbot, dialog)
    assert dialog.code.isVisible() and "security code by e-mail" in dialog.message.text()
    dialog.code.setText("000000")
    dialog.login_button.click()
    wait_idle(qtbot, dialog)
    assert dialog.code.isVisible() and "not accepted" in dialog.message.text()
    dialog.code.setText(harness.world.challenge_code)
    with qtbot.waitSignal(dialog.logged_in, timeout=WAIT):
        dialog.login_button.click()


def test_a_challenge_approved_in_the_app_continues_with_continue(qtbot, harness, tasks):
    harness.world.challenge = "approve"
    dialog = login_dialog(qtbot, harness, tasks)
    type_credentials(dialog, harness.world.username, harness.world.password)
    dialog.login_button.click()
    wait_idle(qtbot, dialog)
    assert dialog.continue_button.isVisible() and not dialog.login_button.isVisible()
    assert "This was me" in dialog.message.text() and not dialog.code.isVisible()
    dialog.continue_button.click()  # not approved yet: the same step again
    wait_idle(qtbot, dialog)
    assert dialog.continue_button.isVisible() and "This was me" in dialog.message.text()
    harness.world.challenge_approved = True
    with qtbot.waitSignal(dialog.logged_in, timeout=WAIT):
        dialog.continue_button.click()


def test_cancel_during_a_pending_challenge_ends_the_login_in_the_background(qtbot, harness, tasks):
    harness.world.challenge = "code"
    dialog = login_dialog(qtbot, harness, tasks)
    type_credentials(dialog, harness.world.username, harness.world.password)
    dialog.login_button.click()
    wait_idle(qtbot, dialog)
    assert dialog.code.isVisible() and login_threads()  # instagrapi waits in its code handler
    dialog.cancel_button.click()
    assert not dialog.isVisible() and dialog.result() == QDialog.DialogCode.Rejected
    qtbot.waitUntil(lambda: not login_threads(), timeout=WAIT)
    assert not worlds.exists(harness.root, "me.tessera")


@pytest.mark.parametrize("answer", ["challenge", "success"])
def test_cancel_while_instagram_has_not_answered_yet_cleans_up_when_it_does(qtbot, harness, tasks, answer):
    harness.world.challenge = "code" if answer == "challenge" else None
    dialog = login_dialog(qtbot, harness, tasks)
    type_credentials(dialog, harness.world.username, harness.world.password)
    gate = Gate(harness)
    spy: list[str] = []
    dialog.logged_in.connect(spy.append)
    dialog.login_button.click()
    qtbot.waitUntil(gate.reached.is_set, timeout=WAIT)
    dialog.cancel_button.click()
    assert not dialog.isVisible() and dialog.password.text() == ""
    gate.release()  # the answer arrives after the cancel: a challenge is ended, a success forgotten
    qtbot.waitUntil(lambda: not dialog.busy and not login_threads() and not tasks.busy, timeout=WAIT)
    assert spy == [] and not session_path(harness.root, "me.tessera").exists()
    assert harness.keyring.get_password(SERVICE, "password:me.tessera") is None
    if answer == "challenge":
        assert not worlds.exists(harness.root, "me.tessera")


# --- the sync panel ----------------------------------------------------------------------------------------


@pytest.fixture
def account(harness):
    """The logged-in account's world as the main window holds it (the GUI thread's connection)."""
    harness.login()
    opened = harness.open_world()
    yield opened
    opened.close()


def sync_panel(qtbot, harness, tasks, opened) -> SyncPanel:
    panel = SyncPanel(harness.root, opened, settings(), tasks, client_factory=harness.factory,
                      keyring_backend=harness.keyring)
    qtbot.addWidget(panel)
    panel.resize(1100, panel.sizeHint().height())
    panel.show()
    qtbot.waitUntil(lambda: panel.status is not None, timeout=WAIT)  # the last sync, read off the GUI thread
    return panel


def status_of(qtbot, panel: SyncPanel) -> SyncStatus:
    """The panel reads the store's sync state again (off the GUI thread) and shows it: that read."""
    panel.status = None
    panel.refresh_status()
    qtbot.waitUntil(lambda: panel.status is not None, timeout=WAIT)
    return panel.status


def test_a_whole_sync_shows_each_stage_lands_in_the_store_and_ends_with_its_sentence(qtbot, harness, tasks,
                                                                                    account):
    panel = sync_panel(qtbot, harness, tasks, account)
    assert "Not synced yet" in panel.headline.text() and panel.sync_button.isVisible()
    headlines: list[str] = []
    details: list[str] = []
    panel.progressed.connect(lambda _event: (headlines.append(panel.headline.text()),
                                             details.append(panel.details.text())))
    arrived: list[bool] = []
    panel.data_arrived.connect(lambda: arrived.append(True))
    with qtbot.waitSignal(panel.finished, timeout=WAIT) as signal:
        panel.start()
        assert panel.running and panel.cancel_button.isVisible() and not panel.sync_button.isVisible()
    result = signal.args[0]
    assert result.status == COMPLETE, result.message
    assert headlines[0] == "Stage 1 of 9: your account"
    assert "Stage 2 of 9: your home feed" in headlines
    assert any(d.startswith("Feed ready: ") and " of the 30 accounts you follow · " in d for d in details)
    assert "Stage 4 of 9: posts you liked lately" in headlines
    assert headlines[-1] == "Stage 9 of 9: older likes and posts you are tagged in"
    assert any("new posts" in d and "requests this hour" in d for d in details)
    assert arrived  # the main window re-ranked while posts came in
    assert panel.headline.text() == result.message and result.message.startswith("Sync complete")
    assert not panel.running and panel.sync_button.isVisible() and not panel.cancel_button.isVisible()
    assert account.store.counts()["posts"] > 0  # the GUI's own connection sees what the sync wrote
    status = status_of(qtbot, panel)
    assert status.last_sync and not status.in_progress and "Last synced" in panel.details.text()


def test_cancel_stops_a_running_sync_and_sync_now_resumes_it_to_the_end(qtbot, harness, tasks, account):
    panel = sync_panel(qtbot, harness, tasks, account)
    gate = Gate(harness, "/feed/user/", after=3)  # hold the fourth account of stage 5
    with qtbot.waitSignal(panel.finished, timeout=WAIT) as signal:
        panel.start()
        qtbot.waitUntil(gate.reached.is_set, timeout=WAIT)
        qtbot.waitUntil(lambda: panel.headline.text().startswith("Stage 5 of 9"), timeout=WAIT)
        assert panel.bar.isVisible() and " of " in panel.count.text()
        panel.cancel_button.click()
        assert not panel.cancel_button.isEnabled() and panel.headline.text().startswith("Stopping")
        gate.release()
    stopped = signal.args[0]
    assert stopped.status == CANCELLED and stopped.stage == "recent"
    assert panel.headline.text() == stopped.message and panel.sync_button.isVisible()
    assert status_of(qtbot, panel).in_progress
    with qtbot.waitSignal(panel.finished, timeout=WAIT) as signal:
        panel.sync_button.click()
    resumed = signal.args[0]
    assert resumed.status == COMPLETE, resumed.message
    assert resumed.requests_by_stage.get("following", 0) == 0  # stages already done were not asked again
    assert not status_of(qtbot, panel).in_progress


def test_with_nothing_saved_the_panel_asks_for_a_login(qtbot, harness, tasks):
    harness.login(remember=False)  # the world exists, but neither password nor session was kept
    opened = harness.open_world()
    try:
        panel = sync_panel(qtbot, harness, tasks, opened)
        finished: list = []
        panel.finished.connect(finished.append)
        with qtbot.waitSignal(panel.needs_login, timeout=WAIT) as signal:
            panel.start()
        assert "not logged in to @me.tessera" in signal.args[0] and panel.headline.text() == signal.args[0]
        assert not panel.running and finished == [] and panel.sync_button.isVisible()
    finally:
        opened.close()


def test_a_challenge_in_the_middle_of_a_sync_asks_for_a_login(qtbot, harness, tasks, account):
    harness.fake.server.inject("friendships/", "challenge")  # stage 3
    panel = sync_panel(qtbot, harness, tasks, account)
    asked: list[str] = []
    panel.needs_login.connect(asked.append)
    with qtbot.waitSignal(panel.finished, timeout=WAIT) as signal:
        panel.start()
    result = signal.args[0]
    assert result.status == NEEDS_CHALLENGE and asked == [result.message] == [panel.headline.text()]
    assert "confirm it is really you" in result.message


def test_a_sync_paused_by_the_hourly_budget_goes_on_by_itself_when_the_hour_is_over(qtbot, harness, tasks,
                                                                                    account):
    panel = SyncPanel(harness.root, account, settings(**{"sync.requests_per_hour": 20, "sync.max_wait_minutes": 0}),
                      tasks, client_factory=harness.factory, keyring_backend=harness.keyring)
    qtbot.addWidget(panel)
    with qtbot.waitSignal(panel.finished, timeout=WAIT) as signal:
        panel.start()
    paused = signal.args[0]
    assert paused.status == PAUSED and "budget is used up" in panel.headline.text()
    assert panel.resume_timer.isActive() and panel.pause.text().startswith("Goes on by itself at")
    expected_ms = (paused.resume_at - harness.clock.now()) * 1000
    assert abs(panel.resume_timer.remainingTime() - expected_ms) < 60_000
    harness.clock.t = paused.resume_at + 1  # the hour is over (the clock is virtual; the timer is real)
    with qtbot.waitSignal(panel.finished, timeout=WAIT) as signal:
        panel.resume_timer.start(0)
    went_on = signal.args[0]
    assert went_on.requests > 0 and went_on.status in (PAUSED, COMPLETE), went_on.message
    panel.cancel()  # also drops a resume scheduled after a pause
    assert not panel.resume_timer.isActive()


def test_the_panel_listens_for_the_app_quitting_once_however_often_it_syncs(qtbot, harness, tasks, account):
    app = QCoreApplication.instance()
    before = app.receivers(SIGNAL("aboutToQuit()"))
    panel = SyncPanel(harness.root, account, settings(**{"sync.requests_per_hour": 5, "sync.max_wait_minutes": 0}),
                      tasks, client_factory=harness.factory, keyring_backend=harness.keyring)
    qtbot.addWidget(panel)
    for _ in range(3):
        with qtbot.waitSignal(panel.finished, timeout=WAIT):
            panel.start()
    assert app.receivers(SIGNAL("aboutToQuit()")) == before + 1  # the panel's own, not one more per sync


# --- the main window on a connected account -------------------------------------------------------------------


def account_window(qtbot, harness, tasks, opened):
    from ui.main_window import MainWindow

    seams = {"client_factory": harness.factory, "keyring_backend": harness.keyring}
    window = MainWindow(harness.root, opened, settings(), tasks=tasks, live_seams=seams)
    qtbot.addWidget(window)
    window.resize(1200, 800)
    window.show()
    return window


def test_the_window_syncs_once_on_opening_and_the_feed_fills_as_posts_arrive(qtbot, harness, tasks, account):
    window = account_window(qtbot, harness, tasks, account)
    assert window.sync_panel is not None and not window.banner.isVisible()
    assert window.sync_action.isVisible() and window.logout_action.isVisible()
    with qtbot.waitSignal(window.sync_panel.finished, timeout=WAIT) as signal:
        window.start()
    assert signal.args[0].status == COMPLETE, signal.args[0].message
    qtbot.waitUntil(lambda: window.pages["feed"].model.rowCount() > 0 and not tasks.busy, timeout=WAIT)
    requests = len(harness.fake.server.log)
    qtbot.wait(500)  # a finished sync re-ranks the lists; it must not start another sync
    assert not window.sync_panel.running and len(harness.fake.server.log) == requests
    assert "last synced" in window.status.text()


def test_log_out_forgets_the_secrets_keeps_the_posts_and_offers_a_new_login(qtbot, harness, tasks, account,
                                                                             monkeypatch):
    from PySide6.QtWidgets import QMessageBox

    told: list[str] = []
    monkeypatch.setattr(QMessageBox, "information", lambda _parent, _title, text: told.append(text))
    window = account_window(qtbot, harness, tasks, account)
    posts = account.store.counts()["posts"]
    window.log_out()
    assert told and "Logged out of @" in told[0]
    assert not session_path(harness.root, harness.world.username).exists()
    assert harness.keyring.get_password(SERVICE, harness.world.username) is None
    assert window.banner.isVisible() and window.connect_button.text() == "Log in…"
    assert account.store.counts()["posts"] == posts


def test_offline_the_window_shows_what_is_cached_and_never_syncs(qtbot, harness, tasks, account):
    from ui.main_window import MainWindow

    before = len(harness.fake.server.log)
    seams = {"client_factory": harness.factory, "keyring_backend": harness.keyring}
    window = MainWindow(harness.root, account, settings(), tasks=tasks, offline=True, live_seams=seams)
    qtbot.addWidget(window)
    window.show()
    window.start()
    qtbot.waitUntil(lambda: not tasks.busy, timeout=WAIT)
    qtbot.wait(300)
    assert not window.sync_panel.running and len(harness.fake.server.log) == before
    assert window.status.text().endswith("offline")
