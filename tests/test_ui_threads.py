"""No SQL on the GUI thread: the window on a real demo world, with the real task runner, records the thread of
every statement SQLite runs while a post is opened, saved and hidden, and while a re-rank lands."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import event

from discovery import paths, world
from discovery.settings import Settings
from ui.main_window import MainWindow
from ui.tasks import TaskRunner

WAIT = 60_000  # ms


class Statements:
    """Every statement run on the store's connections (through SQLAlchemy or the raw driver alike), with the
    thread that ran it: SQLite's own trace callback, set on each connection as it is checked out."""

    def __init__(self, engine) -> None:
        self.seen: list[tuple[int, str]] = []
        self.engine, self.recording = engine, True
        event.listen(engine, "checkout", self._checkout)

    def _checkout(self, dbapi_connection, _record, _proxy) -> None:
        dbapi_connection.set_trace_callback(self._ran)

    def _ran(self, sql: str) -> None:
        if self.recording:
            self.seen.append((threading.get_ident(), sql))

    def on_gui_thread(self) -> list[str]:
        return [sql for thread, sql in self.seen if thread == threading.main_thread().ident]

    def close(self) -> None:
        self.recording = False
        event.remove(self.engine, "checkout", self._checkout)


@pytest.fixture
def window(qtbot, demo_data_dir):
    runner = TaskRunner()
    demo = world.World.open(demo_data_dir, world.DEMO)
    win = MainWindow(demo_data_dir, demo, Settings(paths.settings_path(demo_data_dir)), tasks=runner)
    qtbot.addWidget(win)
    win.resize(1200, 800)
    win.show()
    win.start()
    qtbot.waitUntil(lambda: all(p.ranking is not None and p.ranking.mode == "learned" for p in win.pages.values())
                    and not runner.busy, timeout=WAIT)
    yield win
    assert runner.wait(WAIT)
    demo.close()


def settled(window) -> bool:
    return not window.tasks.busy


def test_opening_acting_on_a_post_and_a_rerank_run_no_sql_on_the_gui_thread(window, qtbot):
    store, feed = window.world.store, window.pages["feed"]
    statements = Statements(store.engine)
    try:
        first, second = feed.model.item(0), feed.model.item(1)
        feed.open_row(0)
        qtbot.waitUntil(lambda: feed.detail.detail is not None and settled(window), timeout=WAIT)
        assert feed.detail.author.text().startswith(f"@{first.username}")

        with qtbot.waitSignal(feed.ranked, timeout=WAIT):  # saving ranks the list again once it is written
            feed.detail.save_button.click()
        qtbot.waitUntil(lambda: settled(window), timeout=WAIT)
        with qtbot.waitSignal(feed.ranked, timeout=WAIT):
            feed.detail.hide_button.click()
        qtbot.waitUntil(lambda: settled(window), timeout=WAIT)
        assert not feed.in_detail and first.pk not in {feed.model.item(r).pk for r in range(feed.model.rowCount())}

        feed.open_row(feed.model.row_of(second.post_id))
        qtbot.waitUntil(lambda: feed.detail.detail is not None and settled(window), timeout=WAIT)
        feed.close_detail()  # the time spent on it is written too
        with qtbot.waitSignal(feed.ranked, timeout=WAIT):  # a re-rank lands: the status bar reads its counts
            feed.rerank()
        qtbot.waitUntil(lambda: settled(window), timeout=WAIT)
        assert statements.on_gui_thread() == []
        assert any("INSERT INTO interactions" in sql for _thread, sql in statements.seen)  # the writes were seen
        assert any("count(" in sql.lower() for _thread, sql in statements.seen)  # and the status bar's counts

        kinds = store.interactions_frame()["kind"].tolist()  # a read on the GUI thread is caught
        caught = statements.on_gui_thread()
        assert len(caught) == 1 and "FROM interactions" in caught[0]
    finally:
        statements.close()
    assert {"opened", "saved", "hidden", "dwell"} <= set(kinds)
    assert "posts" in window.status.text()


def test_opening_predict_and_insights_runs_no_sql_on_the_gui_thread(window, qtbot):
    window.settings.set("predict.max_pictures", 50)  # the like model trains on the pictures at hand: quick
    statements = Statements(window.world.store.engine)
    try:
        window.tabs.setCurrentWidget(window.predict_tab)
        predict = window.predict_page
        qtbot.waitUntil(lambda: predict.index is not None and settled(window), timeout=WAIT)
        assert predict.account.currentText().endswith("(you)") and predict.account.count() > 1
        assert predict.heatmap_note.text()  # the best times of the account chosen first came back
        window.tabs.setCurrentWidget(window.insights_tab)
        insights = window.insights_page
        qtbot.waitUntil(lambda: insights.insights is not None and settled(window), timeout=WAIT)
        assert statements.on_gui_thread() == []
        assert any("FROM accounts" in sql for _thread, sql in statements.seen)  # the accounts were read
    finally:
        statements.close()


def test_the_sync_panel_reads_the_last_sync_off_the_gui_thread(qtbot, harness):
    from fake_instagram.harness import settings

    from ui.sync_panel import SyncPanel

    harness.login()
    account, runner = harness.open_world(), TaskRunner()
    statements = Statements(account.store.engine)  # the sync itself writes through a world of its own
    try:
        panel = SyncPanel(harness.root, account, settings(), runner, client_factory=harness.factory,
                          keyring_backend=harness.keyring)
        qtbot.addWidget(panel)
        qtbot.waitUntil(lambda: panel.status is not None and not runner.busy, timeout=WAIT)
        assert panel.headline.text().startswith("Not synced yet")
        with qtbot.waitSignal(panel.finished, timeout=WAIT):
            panel.start()
        qtbot.waitUntil(lambda: not runner.busy, timeout=WAIT)  # after a sync the panel reads the status again
        assert panel.status is not None and panel.status.last_sync and "Last synced" in panel.details.text()
        assert statements.on_gui_thread() == []
        assert sum("FROM sync_state" in sql for _thread, sql in statements.seen) >= 2  # both reads were seen
    finally:
        statements.close()
        assert runner.wait(WAIT)
        account.close()
