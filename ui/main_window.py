"""The main window: Feed, Explore, Predict and Insights tabs over one world, a banner for the demo world,
menus, keyboard shortcuts, the status bar, and the window state kept between runs."""

from __future__ import annotations

import json
import logging
import threading
import time
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, QSettings, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QActionGroup, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QApplication,
    QFrame,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QMessageBox,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from discovery.browse import LEARNING_NOTE, Browser
from discovery.settings import Settings
from discovery.world import World, WorldKind
from ui import help_dialogs, theme
from ui.events import WorldEvents
from ui.labels import plain_label
from ui.lazy_tab import LazyTab
from ui.posts_page import PostsPage
from ui.tasks import TaskRunner
from ui.thumbnails import ThumbnailLoader

if TYPE_CHECKING:  # loaded for a connected account's world only
    from ui.sync_panel import SyncPanel


log = logging.getLogger(__name__)

DEMO_BANNER = ("You are looking at a generated demo world: every account and post in it is made up. "
               "Connect your own Instagram account to see your neighbourhood.")


class MainWindow(QMainWindow):
    ready = Signal()  # every tab has its first ranking
    trained = Signal(object)  # the learned ranking model is ready

    def __init__(self, root: Path, world: World, settings: Settings, tasks: TaskRunner | None = None,
                 offline: bool = False, live_seams: dict | None = None, parent: QWidget | None = None):
        super().__init__(parent)
        # Closed means deleted: the pages, the Browser with its Ranker and the thumbnail cache go with it.
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.root = root
        self.world = world
        self.settings = settings
        self.tasks = tasks or TaskRunner(parent=self)
        self.offline = offline
        self.live_seams = dict(live_seams or {})  # tests: client_factory / keyring_backend
        self.state = QSettings(str(root / "window.ini"), QSettings.Format.IniFormat)
        # The first lists never wait for the learned model: the seed formula ranks while it trains.
        self.browser = Browser(world, settings, background_training=True)
        # Called on the training thread; the runner brings it to the GUI thread, and not to a closed window.
        self.browser.on_trained = self.tasks.relay(self._model_trained)
        self.events = WorldEvents(self)  # the pages subscribe to what happens to the world
        self.events.follow(settings)
        self.trained.connect(self.events.model_retrained)
        self.loader = ThumbnailLoader(parent=self)
        self.setWindowIcon(theme.app_icon())
        self.setWindowTitle(f"Tessera — {world.title}")
        self.resize(1360, 860)

        self.pages: dict[str, PostsPage] = {}
        self.tabs = self._tabs(world, offline)
        self._pending_first = set(self.pages)
        self.tabs.currentChanged.connect(self._tab_changed)
        self._loading_started = False
        self.warm_up_after_start = True  # load the ranker once the first lists show (a screenshot need not)
        for kind, page in self.pages.items():
            page.ranked.connect(lambda _n, k=kind: self._first_ranked(k))

        central = QWidget()
        layout = QVBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        self.banner = self._banner()
        layout.addWidget(self.banner)
        layout.addWidget(self.tabs, 1)
        self.sync_panel = self._sync_panel()
        if self.sync_panel is not None:
            layout.addWidget(self.sync_panel)
        self.setCentralWidget(central)
        self.status = QLabel()
        self.statusBar().addWidget(self.status, 1)
        self._menus()
        self._shortcuts()
        self.restore_state()

    # --- building ----------------------------------------------------------------------------------------

    def _tabs(self, world: World, offline: bool) -> QTabWidget:
        """Feed and Explore, built now; Predict and Insights, built when first shown."""
        tabs = QTabWidget()
        tabs.setDocumentMode(True)
        for kind, label in (("feed", "Feed"), ("explore", "Explore")):
            page = PostsPage(kind, self.browser, self.tasks, self.loader, allow_network=not offline,
                             events=self.events)
            page.set_date_bounds(world.now())
            page.ranked.connect(self._update_status)
            self.pages[kind] = page
            tabs.addTab(page, label)
        self.predict_tab = LazyTab(self._build_predict)
        tabs.addTab(self.predict_tab, "Predict")
        self.insights_tab = LazyTab(self._build_insights)
        tabs.addTab(self.insights_tab, "Insights")
        return tabs

    def _banner(self) -> QFrame:
        banner = QFrame()
        banner.setObjectName("banner")
        row = QHBoxLayout(banner)
        row.setContentsMargins(12, 6, 12, 6)
        self.banner_text = plain_label(DEMO_BANNER)
        row.addWidget(self.banner_text, 1)
        self.connect_button = QPushButton("Connect Instagram account…")
        self.import_button = QPushButton("Import data export…")
        for button in (self.connect_button, self.import_button):
            row.addWidget(button)
        banner.setVisible(self.world.kind is WorldKind.DEMO)
        return banner

    def _sync_panel(self) -> SyncPanel | None:
        """The sync panel, for a connected account's world only."""
        if self.world.kind is not WorldKind.ACCOUNT:
            return None
        from ui.sync_panel import SyncPanel

        panel = SyncPanel(self.root, self.world, self.settings, self.tasks, **self.live_seams)
        panel.data_arrived.connect(self.refresh)
        panel.finished.connect(self.refresh_everything)
        panel.needs_login.connect(self._needs_login)
        return panel

    def _menus(self) -> None:
        file_menu = self.menuBar().addMenu("&File")
        connect_action = QAction("&Connect Instagram account…", self)
        connect_action.triggered.connect(self.connect_account)
        file_menu.addAction(connect_action)
        self.connect_button.clicked.connect(self.connect_account)
        import_action = QAction("&Import data export…", self)
        import_action.triggered.connect(self.import_export)
        file_menu.addAction(import_action)
        self.import_button.clicked.connect(self.import_export)
        self.sync_action = QAction("&Sync now", self, shortcut=QKeySequence("Ctrl+R"))
        self.sync_action.triggered.connect(self.sync_now)
        self.logout_action = QAction("Log &out", self)
        self.logout_action.triggered.connect(self.log_out)
        for action in (self.sync_action, self.logout_action):
            action.setVisible(self.world.kind is WorldKind.ACCOUNT)
            file_menu.addAction(action)
        worlds_menu = file_menu.addMenu("Open &world")
        worlds_menu.aboutToShow.connect(lambda: self._fill_worlds_menu(worlds_menu))
        file_menu.addSeparator()
        settings_action = QAction("Se&ttings…", self, shortcut=QKeySequence("Ctrl+,"))
        settings_action.triggered.connect(self.edit_settings)
        file_menu.addAction(settings_action)
        file_menu.addSeparator()
        quit_action = QAction("&Quit", self, shortcut=QKeySequence(QKeySequence.StandardKey.Quit))
        quit_action.triggered.connect(self.close)
        file_menu.addAction(quit_action)
        self.file_menu = file_menu

        view = self.menuBar().addMenu("&View")
        refresh = QAction("&Refresh", self, shortcut=QKeySequence("R"))
        refresh.triggered.connect(self.refresh_everything)
        view.addAction(refresh)
        layout_action = QAction("&List layout", self, shortcut=QKeySequence("Ctrl+L"), checkable=True)
        layout_action.toggled.connect(self._set_list_mode)
        view.addAction(layout_action)
        self.layout_action = layout_action
        view.addSeparator()
        themes = view.addMenu("&Theme")
        group = QActionGroup(self)
        self.theme_actions = {}
        for mode in theme.MODES:
            action = QAction(mode.title(), self, checkable=True)
            action.triggered.connect(lambda _checked, m=mode: self.set_theme(m))
            group.addAction(action)
            themes.addAction(action)
            self.theme_actions[mode] = action
        view.addSeparator()
        clear = QAction("&Clear filters", self)
        clear.triggered.connect(lambda: self.current_page().clear_filters())
        view.addAction(clear)

        help_menu = self.menuBar().addMenu("&Help")
        shortcuts = QAction("&Keyboard shortcuts", self, shortcut=QKeySequence("F1"))
        shortcuts.triggered.connect(self.show_shortcuts)
        help_menu.addAction(shortcuts)
        about = QAction("&About Tessera", self)
        about.triggered.connect(self.show_about)
        help_menu.addAction(about)

    def _shortcuts(self) -> None:
        for number in range(1, 5):
            shortcut = QShortcut(QKeySequence(f"Ctrl+{number}"), self)
            shortcut.activated.connect(lambda n=number: self.tabs.setCurrentIndex(min(n, self.tabs.count()) - 1))
        QShortcut(QKeySequence("/"), self).activated.connect(self.focus_search)
        QShortcut(QKeySequence("?"), self).activated.connect(self.show_shortcuts)
        escape = QShortcut(QKeySequence(Qt.Key.Key_Escape), self)
        escape.activated.connect(lambda: self.current_page().close_detail())

    def _build_predict(self) -> QWidget:
        from ui.predict.page import PredictPage

        return PredictPage(self.world, self.tasks, self.settings, events=self.events)

    def _build_insights(self) -> QWidget:
        from ui.insights.page import InsightsPage

        page = InsightsPage(self.world, self.tasks, self.settings, events=self.events)
        page.open_account.connect(self.show_account)
        return page

    @property
    def predict_page(self):
        return self.predict_tab.page

    @property
    def insights_page(self):
        return self.insights_tab.page

    # --- behaviour ---------------------------------------------------------------------------------------

    def current_page(self) -> PostsPage:
        widget = self.tabs.currentWidget()
        return widget if isinstance(widget, PostsPage) else self.pages["feed"]

    def start(self) -> None:
        """Rank every tab (in the background); `ready` fires when all have shown their first list. A connected
        account's world also starts syncing (what is cached shows at once; new posts arrive as they come).

        Lists kept by the last ranking are painted first, from plain arrays; the rest (pandas, the ranker, the
        store's SQLAlchemy side, the other pages) loads once the current list has painted its cards, so that
        nothing competes with the first paint."""
        kept = [page.show_kept() for page in self.pages.values()]
        current = self.tabs.currentWidget()
        if all(kept) and self.isVisible() and isinstance(current, PostsPage):
            current.view.cards_painted.connect(self._start_loading, Qt.ConnectionType.QueuedConnection)  # once
            QTimer.singleShot(1000, self, self._start_loading)  # a window that is not painted now (minimised)
        else:
            self._start_loading()

    def _start_loading(self) -> None:
        if self._loading_started:
            return
        self._loading_started = True
        for page in self.pages.values():
            page.rerank()
        self._tab_changed(self.tabs.currentIndex())
        if self.sync_panel is not None and not self.offline and not self.sync_panel.running:
            self.sync_panel.start()

    def _tab_changed(self, index: int) -> None:
        widget = self.tabs.widget(index)
        if isinstance(widget, LazyTab):  # Feed and Explore need no activating
            widget.activate()

    def _first_ranked(self, kind: str) -> None:
        if kind in self._pending_first:
            self._pending_first.discard(kind)
            if not self._pending_first:
                self.ready.emit()
                if self.warm_up_after_start and not self.browser.loaded:
                    self._warm_up()

    def _warm_up(self) -> None:
        """The first lists were kept ones: load the ranker and its model now, on a thread of their own (not the
        pool's, whose jobs the person waits for), so that the first filter, post or action does not wait."""
        browser = self.browser

        def run() -> None:
            try:
                browser.warm_up()
            except Exception as exc:  # the window may close meanwhile; the ranker then loads on first use
                log.info("warming up the ranker failed: %s", exc)

        threading.Thread(target=run, name="tessera-warm-up", daemon=True).start()

    def refresh(self, finished: bool = False) -> None:
        """Read the world again (new posts arrived, or the person pressed r), then tell the pages: the lists
        rank again; with `finished`, Insights and Predict redraw too."""
        self.tasks.run(self.browser.reload, lambda _r: self.events.posts_arrived.emit(finished))

    def _model_trained(self, model) -> None:
        self.trained.emit(model)

    def refresh_everything(self, *_sync_result) -> None:
        """The lists, the Insights pictures and the like model (a sync finished, or r was pressed)."""
        self.refresh(finished=True)

    def show_account(self, pk: str, followed: bool) -> None:
        """Open an account's posts (a node clicked on the Insights map) in a filtered Feed or Explore."""
        world = self.world

        def username() -> tuple[str | None, bool]:
            store = world.store
            account_id = store.account_id(pk)
            name = None if account_id is None else str(store.accounts_frame([account_id])["username"].iloc[0])
            return name, followed

        self.tasks.run(username, self._show_account, key=(self, "account"))

    def _show_account(self, found: tuple[str | None, bool]) -> None:
        username, followed = found
        if username is None:
            return
        page = self.pages["feed" if followed else "explore"]
        self.tabs.setCurrentWidget(page)
        page.filter_by("author", username)

    def _set_list_mode(self, as_list: bool) -> None:
        for page in self.pages.values():
            page.set_list_mode(as_list)

    def focus_search(self) -> None:
        page = self.current_page()
        page.close_detail()
        page.search.setFocus()
        page.search.selectAll()

    def set_theme(self, mode: str) -> None:
        self.state.setValue("theme", mode)
        if isinstance(app := QApplication.instance(), QApplication):
            theme.apply(app, mode)
        self.theme_actions[mode].setChecked(True)

    def connect_account(self) -> None:
        from ui.login_dialog import LoginDialog

        username = self.world.name if self.world.kind is WorldKind.ACCOUNT else ""
        dialog = LoginDialog(self.root, self.tasks, self, username=username, clock=self.world.clock,
                             **self.live_seams)
        logged_in: list[str] = []
        dialog.logged_in.connect(logged_in.append)
        dialog.exec()
        if not logged_in:
            return
        if dialog.step is not None and not dialog.step.remembered:  # e.g. no usable keyring: say so once
            QMessageBox.information(self, "Logged in", dialog.done_message)
        self._logged_in(logged_in[0])

    def _logged_in(self, username: str) -> None:
        if username == self.world.name and self.sync_panel is not None:
            self.banner.setVisible(False)
            self.sync_panel.start()
        else:
            self.events.world_switched.emit(username)

    def _needs_login(self, message: str) -> None:
        self.banner_text.setText(message)
        self.import_button.setVisible(False)
        self.connect_button.setText("Log in…")
        self.banner.setVisible(True)

    def sync_now(self) -> None:
        if self.sync_panel is not None and not self.sync_panel.running:
            self.sync_panel.start()

    def log_out(self) -> None:
        from discovery.live import logout

        if self.sync_panel is not None and self.sync_panel.running:
            self.sync_panel.cancel()
        message = logout(self.root, self.world.name, self.live_seams.get("keyring_backend"))
        self._needs_login(f"Logged out of @{self.world.name}. What Tessera fetched stays browsable here; "
                          "log in again to sync.")
        QMessageBox.information(self, "Logged out", message)

    def _fill_worlds_menu(self, menu) -> None:
        from discovery import world as worlds

        menu.clear()
        for name in worlds.names(self.root):
            action = menu.addAction("Demo world" if name == worlds.DEMO else name)
            action.setCheckable(True)
            action.setChecked(name == self.world.name)
            action.triggered.connect(lambda _checked, n=name: self._open_world(n))

    def _open_world(self, name: str) -> None:
        if name != self.world.name:
            self.events.world_switched.emit(name)

    def edit_settings(self) -> None:
        from ui.settings_dialog import SettingsDialog

        dialog = SettingsDialog(self.settings, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.exec()  # the pages hear of what changed through self.events.settings_changed

    def import_export(self) -> None:
        from ui.import_dialog import ImportDialog

        dialog = ImportDialog(self.root, self.tasks, self)
        dialog.imported.connect(self.events.world_switched)
        dialog.exec()

    def _update_status(self, _rows: int = 0) -> None:
        """Read the counts (and when the last sync was) off the GUI thread; a newer request supersedes this one."""
        world, settings = self.world, self.settings

        def read() -> tuple[dict[str, int], int | None]:
            if world.kind is not WorldKind.ACCOUNT:
                return world.store.counts(), None
            from discovery.live import sync_status

            return world.store.counts(), sync_status(world, settings).last_sync

        self.tasks.run(read, self._show_status, key=(self, "status"))

    def _show_status(self, read: tuple[dict[str, int], int | None]) -> None:
        counts, last = read
        if self.world.kind is WorldKind.DEMO:
            synced = "demo world, generated on this computer"
        elif self.world.kind is WorldKind.EXPORT:
            synced = "imported from a data export"
        else:
            synced = "last synced " + time.strftime("%Y-%m-%d %H:%M", time.localtime(last)) if last else "never synced"
        network = "offline" if self.offline or self.world.kind is not WorldKind.ACCOUNT else "online when syncing"
        learning = f" · {LEARNING_NOTE}" if self.browser.learning else ""
        self.status.setText(f"{synced} · {counts['posts']:,} posts · {counts['accounts']:,} accounts · {network}"
                            f"{learning}")

    def show_shortcuts(self) -> None:
        help_dialogs.show_shortcuts(self)

    def show_about(self) -> None:
        help_dialogs.show_about(self)

    # --- state between runs ------------------------------------------------------------------------------

    def restore_state(self) -> None:
        geometry = self.state.value("geometry")
        if isinstance(geometry, QByteArray):
            self.restoreGeometry(geometry)
        self.set_theme(str(self.state.value("theme", "system")))
        for kind, page in self.pages.items():
            raw = self.state.value(f"pages/{kind}")
            if raw:
                try:
                    page.restore(json.loads(raw))
                except (ValueError, TypeError):
                    pass  # a damaged entry is ignored: the page keeps its defaults
        self.layout_action.blockSignals(True)
        self.layout_action.setChecked(self.pages["feed"].layout_button.isChecked())
        self.layout_action.blockSignals(False)
        tab = self.state.value("tab", 0)
        self.tabs.setCurrentIndex(int(tab) if isinstance(tab, int | str) else 0)

    def save_state(self) -> None:
        self.state.setValue("geometry", self.saveGeometry())
        self.state.setValue("tab", self.tabs.currentIndex())
        for kind, page in self.pages.items():
            self.state.setValue(f"pages/{kind}", json.dumps(page.state()))
        self.state.sync()
        self.settings.save()

    def closeEvent(self, event) -> None:
        self.save_state()
        self.loader.shutdown()
        if self.sync_panel is not None and self.sync_panel.running:
            self.sync_panel.cancel()  # it stops at the next request and resumes there next time
        self.tasks.cancel_all()  # nothing is delivered to the pages being deleted
        super().closeEvent(event)
